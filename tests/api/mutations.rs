//! Every mutation of the schema, from one table: each allowed role succeeds, every other role
//! is refused with exactly its code and changes nothing, one bad input names its field, and a
//! stale write conflicts. On SQLite and PostgreSQL.
//!
//! The table ([`cases`]) has one row per field of type `Mutation`, and a test fails when the
//! schema (read by introspection) has a mutation the table does not list. A row says how to
//! build a valid input from the demo data of `aachen` and a fresh row (made by the table's own
//! create mutations, as central IT), who may run it, what central IT of another tenant gets,
//! one invalid input, what goes beyond the owning department's rights, how the mutation
//! conflicts and what a success does.
//!
//! The roles: no token, the public (public access is on; no token but the tenant header), the
//! council, the department owning the row ("owner": the unit leading a running demo project),
//! a sibling of that unit ("outsider"), central IT of `tuk`, and central IT. Fresh measures,
//! projects and sub-projects are running and released to the public, so that every role sees
//! them and refusals test the write rules rather than visibility.
//!
//! "Changes nothing" is checked on two levels: the tenant's row counts and its audit trail
//! (every write leaves an audit entry in its own transaction), and the row itself (version,
//! state and children) read back by central IT.

use std::{
    collections::{BTreeMap, BTreeSet},
    fmt,
    future::Future,
    pin::Pin,
    sync::atomic::{AtomicU32, AtomicUsize, Ordering},
    time::Instant,
};

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use serde_json::{Value, json};

use crate::{
    helpers::{Backend, TestApp, nodes, spawn_app_with},
    on_both,
};

on_both!(every_mutation_allows_refuses_validates_and_conflicts);

/// The demo tenant the table runs on.
const TENANT: &str = "aachen";
/// Another demo tenant, whose central IT must not reach `aachen`'s rows.
const OTHER_TENANT: &str = "tuk";

// ---------------------------------------------------------------------------------------------
// The vocabulary of the table
// ---------------------------------------------------------------------------------------------

/// Who sends a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    /// No token (and no tenant header).
    Anonymous,
    /// No token, with the tenant header of public access.
    Public,
    Council,
    /// A department whose unit is a sibling of the owning unit.
    Outsider,
    /// The department owning the row.
    Owner,
    /// Central IT of another tenant.
    Foreign,
    CentralIt,
    /// The operator of the installation (`platform_admin`, no tenant).
    Operator,
}

const EVERYONE: [Who; 8] = [
    Who::Anonymous,
    Who::Public,
    Who::Council,
    Who::Outsider,
    Who::Owner,
    Who::Foreign,
    Who::CentralIt,
    Who::Operator,
];
const CENTRAL_IT: &[Who] = &[Who::CentralIt];
const CENTRAL_IT_AND_OWNER: &[Who] = &[Who::CentralIt, Who::Owner];
/// Everyone signed in to the tenant.
const SIGNED_IN: &[Who] = &[Who::Council, Who::Outsider, Who::Owner, Who::CentralIt];

/// What a request must get.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    /// Success.
    Done,
    /// An error with this `extensions.code`.
    Code(&'static str),
    /// `BAD_USER_INPUT` naming this field in `extensions.field`.
    BadInput(&'static str),
    /// Success in the caller's own tenant: nothing changes in `aachen`, and the new row is not
    /// found there.
    OwnTenant,
    /// A change of the caller's own tenant row sent with the version of `aachen`'s: success
    /// there when the two versions happen to agree, else `CONFLICT`; `aachen` is unchanged
    /// either way.
    OwnTenantRow,
}

/// How a mutation conflicts.
enum Conflict {
    /// The same input a second time: its version is stale by then (or the application is
    /// decided, or the name is taken).
    Repeat,
    /// The input read before the named mutation changed the row (with its own valid input, or
    /// with the one given): its version is stale.
    After(&'static str, Option<Build>),
    /// No conflict is possible, for this reason.
    Never(&'static str),
}

/// What a success does to the row the mutation works on.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Effect {
    /// Adds a row (the payload names it).
    Creates,
    /// Changes the row: its version moves on by one.
    Changes,
    /// Removes the row.
    Deletes,
}

/// Makes an input (or a change to one) from the demo data and the row a case works on.
type Build = fn(&World, &Row) -> Value;

/// One mutation and everything the runner needs to test it.
struct Case {
    /// The field of type `Mutation`.
    mutation: &'static str,
    /// The fresh row it works on; [`Fixture::None`] for creates that refer only to demo rows.
    on: Fixture,
    /// A valid input.
    build: Build,
    /// Who may run it; every other role is refused.
    allowed: &'static [Who],
    /// What central IT of another tenant gets.
    foreign: Expect,
    /// What the operator gets when not allowed: `FORBIDDEN` for every mutation of a
    /// tenant's rows.
    operator: Expect,
    /// One invalid input: the field `extensions.field` names, and the change to the valid input.
    bad: (&'static str, Build),
    /// For a mutation the owning department may run: a change to the valid input that goes
    /// beyond what the department may do, refused to it with `FORBIDDEN`.
    beyond: Option<Build>,
    conflict: Conflict,
    effect: Effect,
    /// A server bug this case still shows: the runner reports it instead of failing.
    known_bug: Option<&'static str>,
    /// Rows only their owner (and central IT) see: other roles are refused with `NOT_FOUND`,
    /// as for a row that is not there, rather than `FORBIDDEN`.
    hidden: bool,
    /// What the outsider gets where it cannot see the row at all (indicators of a goal in a
    /// fresh, still draft strategy): the answer for a row that is not there.
    outsider: Option<Expect>,
}

impl Case {
    /// What `who` gets when not allowed.
    fn refusal(&self, who: Who) -> Expect {
        if let (Who::Outsider, Some(expect)) = (who, self.outsider) {
            return expect;
        }
        match who {
            Who::Anonymous => Expect::Code("UNAUTHENTICATED"),
            Who::Foreign => self.foreign,
            Who::Operator => self.operator,
            Who::Public | Who::Council | Who::Outsider | Who::Owner | Who::CentralIt
                if self.hidden =>
            {
                Expect::Code("NOT_FOUND")
            }
            Who::Public | Who::Council | Who::Outsider | Who::Owner | Who::CentralIt => {
                Expect::Code("FORBIDDEN")
            }
        }
    }
}

/// The global id of row `n` of `kind`, for references to rows that do not exist.
fn global_id(kind: &str, n: u32) -> Value {
    json!(URL_SAFE_NO_PAD.encode(format!("{kind}:{n}")))
}

// ---------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------

/// A mutation on the row `on`: it changes the row, and the same input sent again is stale.
fn change(
    mutation: &'static str,
    on: Fixture,
    build: Build,
    allowed: &'static [Who],
    bad: (&'static str, Build),
) -> Case {
    Case {
        mutation,
        on,
        build,
        allowed,
        foreign: Expect::Code("NOT_FOUND"),
        operator: Expect::Code("FORBIDDEN"),
        bad,
        beyond: None,
        conflict: Conflict::Repeat,
        effect: Effect::Changes,
        known_bug: None,
        hidden: false,
        outsider: None,
    }
}

/// A mutation that adds a row (to `on`, if it is not [`Fixture::None`]) and has no uniqueness
/// rule, so it cannot conflict.
fn create(
    mutation: &'static str,
    on: Fixture,
    build: Build,
    allowed: &'static [Who],
    foreign: Expect,
    bad: (&'static str, Build),
) -> Case {
    Case {
        foreign,
        conflict: Conflict::Never("no uniqueness rule: two equal creates make two rows"),
        effect: Effect::Creates,
        ..change(mutation, on, build, allowed, bad)
    }
}

/// A mutation that adds a row with a name unique in the tenant: sending it twice conflicts.
fn create_unique(
    mutation: &'static str,
    build: Build,
    foreign: Expect,
    bad: (&'static str, Build),
) -> Case {
    Case {
        conflict: Conflict::Repeat,
        ..create(mutation, Fixture::None, build, CENTRAL_IT, foreign, bad)
    }
}

/// A mutation that deletes the row `on` (central IT); it conflicts after `after` changed it.
fn delete(
    mutation: &'static str,
    on: Fixture,
    bad: (&'static str, Build),
    after: &'static str,
) -> Case {
    Case {
        conflict: Conflict::After(after, None),
        effect: Effect::Deletes,
        ..change(
            mutation,
            on,
            |_, r| json!({ "id": r.id, "version": r.version() }),
            CENTRAL_IT,
            bad,
        )
    }
}

/// One row per mutation of the schema.
fn cases() -> Vec<Case> {
    use Fixture as F;
    const NOT_FOUND: Expect = Expect::Code("NOT_FOUND");
    vec![
        // Calendar feeds: everyone signed in makes their own; a feed is its owner's (and
        // central IT's) to revoke, and is gone from the lists once revoked.
        create(
            "createCalendarFeed",
            F::None,
            |_, r| json!({ "name": format!("Termine {}", r.n) }),
            SIGNED_IN,
            Expect::OwnTenant,
            ("name", |_, _| json!({ "name": "  " })),
        ),
        Case {
            hidden: true,
            conflict: Conflict::Never("revoking a revoked feed answers it as it is"),
            effect: Effect::Deletes,
            ..change(
                "revokeCalendarFeed",
                F::CalendarFeed,
                |_, r| json!({ "id": r.id }),
                CENTRAL_IT,
                ("id", |_, _| json!({ "id": "kein-id" })),
            )
        },
        // Webhooks: central IT's alone; other roles are refused outright.
        create(
            "createWebhook",
            F::None,
            |_, r| json!({ "url": format!("http://127.0.0.1:9/hooks/{}", r.n), "events": ["COUNCIL_REPORT_PUBLISHED"], "description": "Ratsinformationssystem" }),
            CENTRAL_IT,
            Expect::OwnTenant,
            ("url", |_, _| json!({ "url": "kein Link" })),
        ),
        change(
            "updateWebhook",
            F::Webhook,
            |_, r| json!({ "id": r.id, "version": r.version(), "description": format!("Ratsinfo {}", r.n) }),
            CENTRAL_IT,
            ("events", |_, _| json!({ "events": [] })),
        ),
        delete(
            "deleteWebhook",
            F::Webhook,
            ("id", |w, _| json!({ "id": w.project })),
            "updateWebhook",
        ),
        // Participants and reuse: central IT's alone.
        Case {
            conflict: Conflict::Never(
                "a unit taking part already is BAD_USER_INPUT (tests/api/participants.rs)",
            ),
            ..create(
                "addParticipant",
                F::Project,
                |w, r| json!({ "projectId": r.id, "orgUnitId": w.outsider_unit, "role": "PARTICIPANT" }),
                CENTRAL_IT,
                Expect::BadInput("projectId"),
                // Fresh projects belong to the owning unit: it cannot take part in its own.
                ("orgUnitId", |w, _| json!({ "orgUnitId": w.owner_unit })),
            )
        },
        change(
            "updateParticipant",
            F::Participant,
            |_, r| json!({ "id": r.id, "version": r.version(), "role": "LEAD", "financialsGranted": true }),
            CENTRAL_IT,
            ("id", |w, _| json!({ "id": w.project })),
        ),
        delete(
            "removeParticipant",
            F::Participant,
            ("id", |w, _| json!({ "id": w.project })),
            "updateParticipant",
        ),
        Case {
            conflict: Conflict::Never(
                "adopting an offer twice is BAD_USER_INPUT (tests/api/participants.rs)",
            ),
            ..create(
                "adoptFromCatalogue",
                F::None,
                |w, _| json!({ "projectId": w.offer }),
                CENTRAL_IT,
                Expect::OwnTenant,
                // Its own project.
                ("projectId", |w, _| json!({ "projectId": w.project })),
            )
        },
        // Applications and the steering committee.
        Case {
            // A department submits only for its own unit.
            beyond: Some(|w, _| json!({ "orgUnitId": w.outsider_unit })),
            ..create(
                "submitApplication",
                F::None,
                |w, r| json!({ "title": format!("Idee {}", r.n), "description": "Termine online buchen.", "estimatedCost": "48000.00", "orgUnitId": w.owner_unit }),
                CENTRAL_IT_AND_OWNER,
                Expect::BadInput("orgUnitId"),
                ("estimatedCost", |_, _| json!({ "estimatedCost": "-5" })),
            )
        },
        // Deferred applications go under review again: only the version is stale.
        Case {
            conflict: Conflict::After(
                "decideApplication",
                Some(|_, r| json!({ "id": r.id, "decision": "DEFERRED" })),
            ),
            ..change(
                "reviewApplication",
                F::Application,
                |_, r| json!({ "id": r.id, "version": r.version() }),
                CENTRAL_IT,
                (
                    "meetingId",
                    |_, _| json!({ "meetingId": global_id("SteeringMeeting", 99_999) }),
                ),
            )
        },
        // The version is optional: deciding a second time is the conflict.
        change(
            "decideApplication",
            F::Application,
            |_, r| json!({ "id": r.id, "decision": "APPROVED", "note": "Pilot im Bürgerbüro", "budgetReleased": "40000.00" }),
            CENTRAL_IT,
            (
                "budgetReleased",
                |_, _| json!({ "budgetReleased": "10.001" }),
            ),
        ),
        create(
            "createSteeringMeeting",
            F::None,
            |_, r| json!({ "title": format!("Lenkungsausschuss, {}. Sitzung", r.n), "heldOn": "2026-12-10" }),
            CENTRAL_IT,
            Expect::OwnTenant,
            ("title", |_, _| json!({ "title": "  " })),
        ),
        // Council reports: a period is published once; every run publishes its own month.
        create_unique(
            "publishCouncilReport",
            |_, r| json!({ "period": format!("{}-{:02}", 2000 + r.n / 12, r.n % 12 + 1) }),
            Expect::OwnTenant,
            ("period", |_, _| json!({ "period": "2026-Q5" })),
        ),
        // The setting of the caller's own tenant: another tenant's central IT changes its own.
        Case {
            foreign: Expect::OwnTenant,
            ..change(
                "setCouncilLiveReport",
                F::Tenant,
                |_, r| json!({ "allowed": true, "version": r.version() }),
                CENTRAL_IT,
                ("version", |_, _| json!({ "version": 0 })),
            )
        },
        Case {
            foreign: Expect::OwnTenantRow,
            ..change(
                "updateTenantSettings",
                F::Tenant,
                |_, r| json!({ "version": r.version(), "reportingCycleDays": 30 + r.n }),
                CENTRAL_IT,
                (
                    "reportingCycleDays",
                    |_, _| json!({ "reportingCycleDays": 0 }),
                ),
            )
        },
        // The operator's: tenants themselves.
        Case {
            foreign: Expect::Code("FORBIDDEN"),
            conflict: Conflict::Never(
                "only the operator may run it, and the table makes conflicts as central IT; \
                 tests/api/tenants.rs has its conflict",
            ),
            ..change(
                "updateTenant",
                F::Tenant,
                |_, r| json!({ "id": r.now["id"], "version": r.version(), "name": format!("Stadt Aachen {}", r.n) }),
                &[Who::Operator],
                ("name", |_, _| json!({ "name": " " })),
            )
        },
        Case {
            foreign: Expect::Code("FORBIDDEN"),
            // The new tenant's trail holds its creation, not aachen's: made elsewhere.
            operator: Expect::OwnTenant,
            conflict: Conflict::Never("a key that exists is BAD_USER_INPUT (tests/api/tenants.rs)"),
            effect: Effect::Creates,
            ..change(
                "createTenant",
                F::None,
                |_, r| json!({ "key": format!("neu-{}", r.n), "name": format!("Neue Stadt {}", r.n) }),
                &[],
                ("key", |_, _| json!({ "key": "Neu Stadt" })),
            )
        },
        // Links and categories.
        create(
            "createProjectLink",
            F::Project,
            |_, r| json!({ "projectId": r.id, "title": format!("Projektseite {}", r.n), "url": format!("https://www.aachen.de/projekt-{}", r.n) }),
            CENTRAL_IT,
            Expect::BadInput("projectId"),
            (
                "url",
                |_, _| json!({ "url": "ftp://www.aachen.de/plan.pdf" }),
            ),
        ),
        change(
            "updateProjectLink",
            F::ProjectLink,
            |_, r| json!({ "id": r.id, "version": r.version(), "title": format!("Projektseite {} (neu)", r.n) }),
            CENTRAL_IT,
            ("url", |_, _| json!({ "url": "www.aachen.de" })),
        ),
        delete(
            "deleteProjectLink",
            F::ProjectLink,
            ("id", |w, _| json!({ "id": w.project })),
            "updateProjectLink",
        ),
        create_unique(
            "createCategory",
            |_, r| json!({ "name": format!("Kategorie {}", r.n), "description": "Zum Test" }),
            Expect::OwnTenant,
            ("name", |_, _| json!({ "name": "" })),
        ),
        change(
            "updateCategory",
            F::Category,
            |_, r| json!({ "id": r.id, "version": r.version(), "description": format!("Beschreibung {}", r.n) }),
            CENTRAL_IT,
            ("name", |_, _| json!({ "name": " " })),
        ),
        // Measures, milestones, budgets and funding.
        create(
            "createMeasure",
            F::None,
            |w, r| json!({ "number": format!("T-{}", r.n), "title": format!("Maßnahme {}", r.n), "orgUnitId": w.owner_unit, "goalIds": [w.goal], "status": "IN_PROGRESS", "visibility": "PUBLIC", "startDate": "2026-01-01", "dueDate": "2027-12-31" }),
            CENTRAL_IT,
            Expect::BadInput("orgUnitId"),
            (
                "dueDate",
                |_, _| json!({ "startDate": "2027-06-01", "dueDate": "2027-05-31" }),
            ),
        ),
        // A department changes only the status, so the bad input is one it may send too.
        Case {
            beyond: Some(|_, _| json!({ "title": "Umbenannt" })),
            ..change(
                "updateMeasure",
                F::Measure,
                |_, r| json!({ "id": r.id, "version": r.version(), "status": "ON_HOLD" }),
                CENTRAL_IT_AND_OWNER,
                ("id", |w, _| json!({ "id": w.project })),
            )
        },
        create(
            "createMilestone",
            F::Project,
            |_, r| json!({ "projectId": r.id, "code": format!("M_{}", r.n), "title": format!("Abnahme {}", r.n), "dueDate": "2027-06-30" }),
            CENTRAL_IT_AND_OWNER,
            Expect::BadInput("projectId"),
            ("title", |_, _| json!({ "title": "" })),
        ),
        change(
            "updateMilestone",
            F::Milestone,
            |_, r| json!({ "id": r.id, "version": r.version(), "achievedOn": "2025-02-03" }),
            CENTRAL_IT_AND_OWNER,
            ("achievedOn", |_, _| json!({ "achievedOn": "2999-01-01" })),
        ),
        create(
            "createBudgetLine",
            F::Project,
            |_, r| json!({ "projectId": r.id, "year": 2027, "source": "OWN_FUNDS", "planned": "1000.00" }),
            CENTRAL_IT,
            Expect::BadInput("projectId"),
            ("planned", |_, _| json!({ "planned": "-1" })),
        ),
        change(
            "updateBudgetLine",
            F::BudgetLine,
            |_, r| json!({ "id": r.id, "version": r.version(), "planned": "2000.00" }),
            CENTRAL_IT,
            ("year", |_, _| json!({ "year": 1800 })),
        ),
        delete(
            "deleteBudgetLine",
            F::BudgetLine,
            ("id", |w, _| json!({ "id": w.project })),
            "updateBudgetLine",
        ),
        // The risk register: central IT and the owning department keep it; nobody else sees a
        // risk, so for them a risk is not there.
        create(
            "createRisk",
            F::Project,
            |_, r| json!({ "subjectId": r.id, "title": format!("Risiko {}", r.n), "probability": 3, "impact": 4, "owner": "Katrin Wolters" }),
            CENTRAL_IT_AND_OWNER,
            Expect::BadInput("subjectId"),
            ("probability", |_, _| json!({ "probability": 6 })),
        ),
        Case {
            hidden: true,
            ..change(
                "updateRisk",
                F::Risk,
                |_, r| json!({ "id": r.id, "version": r.version(), "status": "MITIGATED", "impact": 2 }),
                CENTRAL_IT_AND_OWNER,
                ("impact", |_, _| json!({ "impact": 0 })),
            )
        },
        Case {
            hidden: true,
            allowed: CENTRAL_IT_AND_OWNER,
            ..delete(
                "deleteRisk",
                F::Risk,
                ("id", |w, _| json!({ "id": w.project })),
                "updateRisk",
            )
        },
        create(
            "createFunding",
            F::Project,
            |_, r| json!({ "projectId": r.id, "programme": format!("Förderaufruf {}", r.n), "funder": "Land NRW", "amount": "5000.00", "rate": "50" }),
            CENTRAL_IT,
            Expect::BadInput("projectId"),
            ("rate", |_, _| json!({ "rate": "100.01" })),
        ),
        change(
            "updateFunding",
            F::Funding,
            |_, r| json!({ "id": r.id, "version": r.version(), "amount": "6000.00" }),
            CENTRAL_IT,
            ("amount", |_, _| json!({ "amount": "5.555" })),
        ),
        delete(
            "deleteFunding",
            F::Funding,
            ("id", |w, _| json!({ "id": w.project })),
            "updateFunding",
        ),
        // Projects, sub-projects and status reports.
        create(
            "createProject",
            F::None,
            |w, r| json!({ "title": format!("Projekt {}", r.n), "orgUnitId": w.owner_unit, "status": "IN_PROGRESS", "visibility": "PUBLIC", "contact": { "name": "Anna Schmitz" }, "startDate": "2026-01-01", "endDate": "2027-12-31" }),
            CENTRAL_IT,
            Expect::BadInput("orgUnitId"),
            (
                "endDate",
                |_, _| json!({ "startDate": "2027-01-01", "endDate": "2026-12-31" }),
            ),
        ),
        // A department changes only the status, so the bad input is one it may send too.
        Case {
            beyond: Some(|_, _| json!({ "title": "Umbenannt" })),
            ..change(
                "updateProject",
                F::Project,
                |_, r| json!({ "id": r.id, "version": r.version(), "status": "ON_HOLD" }),
                CENTRAL_IT_AND_OWNER,
                ("id", |w, _| json!({ "id": w.goal })),
            )
        },
        // Only central IT releases sub-projects beyond the administration.
        Case {
            beyond: Some(|_, _| json!({ "visibility": "PUBLIC" })),
            ..create(
                "createSubProject",
                F::Project,
                |_, r| json!({ "projectId": r.id, "title": format!("Teilprojekt {}", r.n), "status": "IN_PROGRESS" }),
                CENTRAL_IT_AND_OWNER,
                Expect::BadInput("projectId"),
                ("title", |_, _| json!({ "title": "" })),
            )
        },
        Case {
            beyond: Some(|_, _| json!({ "visibility": "INTERNAL" })),
            ..change(
                "updateSubProject",
                F::SubProject,
                |_, r| json!({ "id": r.id, "version": r.version(), "title": format!("Teilprojekt {} (neu)", r.n), "status": "ON_HOLD" }),
                CENTRAL_IT_AND_OWNER,
                (
                    "endDate",
                    |_, _| json!({ "startDate": "2027-02-01", "endDate": "2027-01-31" }),
                ),
            )
        },
        // A report changes its subject's progress and traffic light, so its version.
        // Under review (on for the demo tenants) a department's report moves nothing on the
        // row until central IT approves it: what every success does is add the report.
        Case {
            conflict: Conflict::Never(
                "reports are appended; the subject's version moves on without a compare",
            ),
            effect: Effect::Creates,
            ..change(
                "submitStatusReport",
                F::Project,
                |_, r| json!({ "subjectId": r.id, "progress": 40, "rag": "AMBER", "summary": format!("Zwischenstand {}", r.n) }),
                CENTRAL_IT_AND_OWNER,
                ("progress", |_, _| json!({ "progress": 101 })),
            )
        },
        change(
            "approveStatusReport",
            F::SubmittedReport,
            |_, r| json!({ "id": r.id, "version": r.version() }),
            CENTRAL_IT,
            ("comment", |_, _| json!({ "comment": "x".repeat(20_001) })),
        ),
        change(
            "returnStatusReport",
            F::SubmittedReport,
            |_, r| json!({ "id": r.id, "version": r.version(), "comment": "Bitte Risiken ergänzen." }),
            CENTRAL_IT,
            ("comment", |_, _| json!({ "comment": " " })),
        ),
        // The organisation and the strategy.
        create_unique(
            "createOrgUnit",
            |w, r| json!({ "code": format!("FB T{}", r.n), "name": format!("Testeinheit {}", r.n), "kind": "DIVISION", "parentId": w.owner_unit }),
            Expect::BadInput("parentId"),
            ("code", |_, _| json!({ "code": " " })),
        ),
        change(
            "updateOrgUnit",
            F::OrgUnit,
            |_, r| json!({ "id": r.id, "version": r.version(), "name": format!("Testeinheit {} (umbenannt)", r.n) }),
            CENTRAL_IT,
            ("parentId", |_, r| json!({ "parentId": r.id })),
        ),
        create(
            "createStrategy",
            F::None,
            |w, r| json!({ "title": format!("Strategie {}", r.n), "orgUnitId": w.owner_unit, "periodStart": "2027-01-01", "periodEnd": "2030-12-31" }),
            CENTRAL_IT,
            Expect::BadInput("orgUnitId"),
            ("periodEnd", |_, _| json!({ "periodEnd": "2026-12-31" })),
        ),
        change(
            "updateStrategy",
            F::Strategy,
            |_, r| json!({ "id": r.id, "version": r.version(), "title": format!("Strategie {} (überarbeitet)", r.n) }),
            CENTRAL_IT,
            (
                "periodEnd",
                |_, _| json!({ "periodStart": "2030-01-01", "periodEnd": "2029-12-31" }),
            ),
        ),
        create(
            "createStrategyVersion",
            F::Strategy,
            |_, r| json!({ "strategyId": r.id, "title": format!("Strategie {}, Fassung 2", r.n) }),
            CENTRAL_IT,
            NOT_FOUND,
            (
                "periodEnd",
                |_, _| json!({ "periodStart": "2031-01-01", "periodEnd": "2030-12-31" }),
            ),
        ),
        create(
            "createGoal",
            F::Strategy,
            |w, r| json!({ "strategyId": r.id, "orgUnitId": w.owner_unit, "code": format!("Z{}", r.n), "title": format!("Ziel {}", r.n) }),
            CENTRAL_IT,
            Expect::BadInput("strategyId"),
            // A goal of a demo strategy cannot be the parent in a fresh one.
            ("parentId", |w, _| json!({ "parentId": w.goal })),
        ),
        change(
            "updateGoal",
            F::Goal,
            |_, r| json!({ "id": r.id, "version": r.version(), "title": format!("Ziel {} (neu)", r.n) }),
            CENTRAL_IT,
            ("parentId", |_, r| json!({ "parentId": r.id })),
        ),
        // Departments maintain the indicators of their own work; a goal's are central IT's.
        // The fresh strategy is a draft: the outsider does not see its goals at all.
        Case {
            outsider: Some(Expect::BadInput("goalId")),
            ..create(
                "createIndicator",
                F::Goal,
                |_, r| json!({ "goalId": r.id, "name": format!("Kennzahl {}", r.n), "unit": "%", "target": "80" }),
                CENTRAL_IT,
                Expect::BadInput("goalId"),
                ("unit", |_, _| json!({ "unit": "" })),
            )
        },
        Case {
            outsider: Some(NOT_FOUND),
            ..change(
                "updateIndicator",
                F::Indicator,
                |_, r| json!({ "id": r.id, "version": r.version(), "target": "90" }),
                CENTRAL_IT,
                ("name", |_, _| json!({ "name": " " })),
            )
        },
        Case {
            outsider: Some(Expect::BadInput("indicatorId")),
            ..create(
                "recordIndicatorValue",
                F::Indicator,
                |_, r| json!({ "indicatorId": r.id, "measuredOn": "2025-06-30", "value": "42" }),
                CENTRAL_IT,
                Expect::BadInput("indicatorId"),
                ("measuredOn", |_, _| json!({ "measuredOn": "2999-01-01" })),
            )
        },
        Case {
            outsider: Some(NOT_FOUND),
            ..change(
                "updateIndicatorValue",
                F::IndicatorValue,
                |_, r| json!({ "id": r.id, "version": r.version(), "value": "43" }),
                CENTRAL_IT,
                ("measuredOn", |_, _| json!({ "measuredOn": "2999-01-01" })),
            )
        },
        // The bad id is a category's: categories cannot be archived.
        change(
            "archive",
            F::Measure,
            |_, r| json!({ "id": r.id, "version": r.version() }),
            CENTRAL_IT,
            ("id", |w, _| json!({ "id": w.category })),
        ),
        change(
            "restore",
            F::ArchivedMeasure,
            |_, r| json!({ "id": r.id, "version": r.version() }),
            CENTRAL_IT,
            ("id", |w, _| json!({ "id": w.category })),
        ),
    ]
}

// ---------------------------------------------------------------------------------------------
// Fresh rows and how they are read back
// ---------------------------------------------------------------------------------------------

/// A kind of fresh row a case works on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fixture {
    /// No row: a create that refers only to demo rows.
    None,
    /// The tenant `aachen` itself (its settings).
    Tenant,
    Application,
    Category,
    OrgUnit,
    Strategy,
    Goal,
    Indicator,
    IndicatorValue,
    Measure,
    ArchivedMeasure,
    Project,
    SubProject,
    Milestone,
    BudgetLine,
    Funding,
    ProjectLink,
    /// A department's status report waiting for central IT's review.
    SubmittedReport,
    /// A calendar feed of central IT's.
    CalendarFeed,
    /// A webhook of the tenant.
    Webhook,
    /// A unit taking part in a fresh project.
    Participant,
    /// A risk of a project's register.
    Risk,
}

/// How central IT reads a row back.
enum Read {
    Nothing,
    /// `node(id:)` of this type, with these fields.
    Node(&'static str, &'static str),
    /// A list field of the parent (a node of this type), with these fields, found by id.
    Part(&'static str, &'static str, &'static str),
    /// The viewer's tenant, with these fields.
    Tenant(&'static str),
    /// A live calendar feed of the tenant, with these fields, found by id.
    Feed(&'static str),
    /// A webhook of the tenant, with these fields, found by id.
    Webhook(&'static str),
}

impl Fixture {
    /// The case that makes a fresh row of this kind (as central IT, on a fresh row of the
    /// case's own `on`), and what to change in the case's valid input.
    fn made_by(self) -> Option<(&'static str, Value)> {
        let plain = |case| Some((case, json!({})));
        match self {
            Fixture::None | Fixture::Tenant => None,
            Fixture::Application => plain("submitApplication"),
            Fixture::Category => plain("createCategory"),
            Fixture::OrgUnit => plain("createOrgUnit"),
            Fixture::Strategy => plain("createStrategy"),
            Fixture::Goal => plain("createGoal"),
            Fixture::Indicator => plain("createIndicator"),
            Fixture::IndicatorValue => plain("recordIndicatorValue"),
            Fixture::Measure => plain("createMeasure"),
            Fixture::ArchivedMeasure => plain("archive"),
            Fixture::Project => plain("createProject"),
            // Departments create internal sub-projects; the fixture is released.
            Fixture::SubProject => Some(("createSubProject", json!({ "visibility": "PUBLIC" }))),
            Fixture::Milestone => plain("createMilestone"),
            Fixture::BudgetLine => plain("createBudgetLine"),
            Fixture::Funding => plain("createFunding"),
            Fixture::ProjectLink => plain("createProjectLink"),
            Fixture::SubmittedReport => plain("submitStatusReport"),
            Fixture::CalendarFeed => plain("createCalendarFeed"),
            Fixture::Webhook => plain("createWebhook"),
            Fixture::Participant => plain("addParticipant"),
            Fixture::Risk => plain("createRisk"),
        }
    }

    /// Who makes a fresh row: central IT, but a report that waits for review is a
    /// department's (central IT's own reports count at once).
    fn maker(self) -> Who {
        match self {
            Fixture::SubmittedReport => Who::Owner,
            _ => Who::CentralIt,
        }
    }

    fn read(self) -> Read {
        match self {
            Fixture::None => Read::Nothing,
            Fixture::Tenant => Read::Tenant("id version councilLiveReport"),
            Fixture::Application => Read::Node(
                "Application",
                "version status decidedOn budgetReleased meeting { id } project { id }",
            ),
            Fixture::Category => Read::Node("Category", "version name description"),
            Fixture::OrgUnit => Read::Node(
                "OrgUnit",
                "version code name archivedAt parent { id } children { id }",
            ),
            Fixture::Strategy => Read::Node(
                "Strategy",
                "version title status periodStart periodEnd archivedAt goals(first: 100) { totalCount }",
            ),
            Fixture::Goal => Read::Node(
                "Goal",
                "version code title archivedAt parent { id } indicators { id version }",
            ),
            Fixture::Indicator => Read::Node(
                "Indicator",
                "version name unit target values { id measuredOn value }",
            ),
            // `IndicatorValue` has no `version` field: a fresh one is at version 1.
            Fixture::IndicatorValue => {
                Read::Part("Indicator", "values", "id measuredOn value note")
            }
            Fixture::Measure | Fixture::ArchivedMeasure => Read::Node(
                "Measure",
                "version title status progress rag archivedAt statusReports(first: 1) { totalCount }",
            ),
            Fixture::Project => Read::Node(
                "Project",
                "version title status progress rag archivedAt budgetLines { id version } \
                 funding { id version } links { id version } subProjects(first: 1) { totalCount } \
                 milestones(first: 1) { totalCount } statusReports(first: 1) { totalCount }",
            ),
            Fixture::SubProject => Read::Node(
                "SubProject",
                "version title status startDate endDate archivedAt milestones(first: 1) { totalCount }",
            ),
            Fixture::Milestone => {
                Read::Node("Milestone", "version code title achievedOn archivedAt")
            }
            Fixture::SubmittedReport => {
                Read::Node("StatusReport", "version reviewState reviewComment")
            }
            Fixture::BudgetLine => Read::Part(
                "Project",
                "budgetLines",
                "id version year source planned approved spent note",
            ),
            Fixture::Funding => Read::Part(
                "Project",
                "funding",
                "id version programme funder amount rate note",
            ),
            Fixture::ProjectLink => Read::Part("Project", "links", "id version kind title url"),
            Fixture::CalendarFeed => Read::Feed("id name ownerSub revokedAt"),
            Fixture::Webhook => Read::Webhook("id version url events description"),
            Fixture::Participant => Read::Part(
                "Project",
                "participants",
                "id version role financialsGranted",
            ),
            Fixture::Risk => Read::Part(
                "Project",
                "risks",
                "id version title probability impact status owner mitigation reviewDate",
            ),
        }
    }
}

/// The demo rows of `aachen` the inputs refer to.
struct World {
    /// Code of the unit leading a running demo project: the owning department.
    owner: String,
    /// Code and global id of a sibling of that unit.
    outsider: String,
    outsider_unit: Value,
    /// Global id of the owning unit; fresh rows belong to it.
    owner_unit: Value,
    /// A demo goal, the demo project, and a demo category (also as ids of the wrong type).
    goal: Value,
    project: Value,
    category: Value,
    /// The catalogue entry of another tenant (`kisa`) to adopt.
    offer: Value,
}

/// A fresh row, as a case sees it.
#[derive(Clone)]
struct Row {
    fixture: Fixture,
    id: Value,
    /// The row it belongs to (a project for its budget lines, an indicator for its values).
    parent: Value,
    /// Unique per fresh row, for names that must be unique.
    n: u32,
    /// The row as central IT read it last.
    now: Value,
}

impl Row {
    /// The version the row was read at (1 for a fresh row that does not show it).
    fn version(&self) -> i64 {
        self.now["version"].as_i64().unwrap_or(1)
    }
}

/// What central IT sees of the tenant and of one row.
#[derive(Clone, Debug, PartialEq)]
struct Seen {
    /// Row counts of every list, and of the audit trail.
    counts: Value,
    /// The row, or null when it is gone.
    row: Value,
}

impl Seen {
    fn audit(&self) -> i64 {
        self.counts["auditLog"]["totalCount"].as_i64().unwrap_or(-1)
    }
}

/// Every list of the tenant (archived rows included) and the audit trail, counted.
const COUNTS: &str = "orgUnits(filter: { includeArchived: true }) { totalCount } \
    categories { totalCount } strategies(filter: { includeArchived: true }) { totalCount } \
    goals(filter: { includeArchived: true }) { totalCount } \
    measures(filter: { includeArchived: true }) { totalCount } \
    projects(filter: { includeArchived: true }) { totalCount } \
    subProjects(filter: { includeArchived: true }) { totalCount } \
    milestones(filter: { includeArchived: true }) { totalCount } statusReports { totalCount } \
    applications { totalCount } steeringMeetings { totalCount } auditLog { totalCount }";

// ---------------------------------------------------------------------------------------------
// The schema's mutations
// ---------------------------------------------------------------------------------------------

/// How a mutation is called: its input type and the selection of its payload.
struct Signature {
    input: String,
    select: String,
}

/// Every field of type `Mutation`, by introspection of the schema the server serves, with how
/// to call it.
async fn signatures() -> BTreeMap<String, Signature> {
    const INTROSPECT: &str = "{ __schema { mutationType { fields { name \
        args { name type { kind ofType { kind name } } } \
        type { kind name fields { name type { kind name ofType { kind name } } } } \
    } } } }";
    let response = api::graphql::build_schema().execute(INTROSPECT).await;
    let body = serde_json::to_value(&response).expect("a response");
    assert!(body["errors"].is_null(), "introspection failed: {body}");
    body["data"]["__schema"]["mutationType"]["fields"]
        .as_array()
        .expect("mutation fields")
        .iter()
        .map(|field| {
            let name = field["name"].as_str().expect("a name").to_owned();
            let args = field["args"].as_array().expect("arguments");
            assert!(
                args.len() == 1
                    && args[0]["name"] == "input"
                    && args[0]["type"]["kind"] == "NON_NULL"
                    && args[0]["type"]["ofType"]["kind"] == "INPUT_OBJECT",
                "{name} takes one input object: {args:?}"
            );
            let input = args[0]["type"]["ofType"]["name"]
                .as_str()
                .expect("input type")
                .to_owned();
            // Nullable, so that a refused mutation nulls its payload and not `data`.
            assert_eq!(
                field["type"]["kind"], "OBJECT",
                "{name} returns a nullable payload"
            );
            let payload = field["type"]["fields"]
                .as_array()
                .unwrap_or_else(|| panic!("{name} returns a payload object"));
            // The payload's first field is the row written (or the id deleted); the parents
            // that follow it (`project`, `indicator`) are the contract tests'.
            let select = payload
                .iter()
                .take(1)
                .map(|f| {
                    let ty = &f["type"];
                    let inner = if ty["kind"] == "NON_NULL" {
                        &ty["ofType"]
                    } else {
                        ty
                    };
                    let field = f["name"].as_str().expect("payload field");
                    if inner["kind"] == "SCALAR" {
                        field.to_owned()
                    } else {
                        format!("{field} {{ id }}")
                    }
                })
                .collect::<Vec<_>>()
                .join(" ");
            (name, Signature { input, select })
        })
        .collect()
}

#[tokio::test]
async fn the_table_lists_every_mutation_of_the_schema() {
    let schema: BTreeSet<String> = signatures().await.into_keys().collect();
    let table = cases();
    let listed: BTreeSet<String> = table.iter().map(|c| c.mutation.to_owned()).collect();
    assert_eq!(listed.len(), table.len(), "a mutation is listed twice");
    let missing: Vec<_> = schema.difference(&listed).collect();
    assert!(
        missing.is_empty(),
        "mutations without coverage in tests/api/mutations.rs: {missing:?}"
    );
    let unknown: Vec<_> = listed.difference(&schema).collect();
    assert!(
        unknown.is_empty(),
        "the table lists mutations the schema lacks: {unknown:?}"
    );
    // Every fixture can be made, and every `After` names a case.
    for case in &table {
        if let Some((maker, _)) = case.on.made_by() {
            assert!(listed.contains(maker), "{}: no case {maker}", case.mutation);
        }
        if let Conflict::After(other, _) = case.conflict {
            assert!(listed.contains(other), "{}: no case {other}", case.mutation);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The runner
// ---------------------------------------------------------------------------------------------

/// The answer to a mutation.
#[derive(Debug)]
enum Outcome {
    /// The payload.
    Done(Value),
    Failed {
        code: String,
        field: Option<String>,
        message: String,
    },
}

impl Outcome {
    fn matches(&self, expect: Expect) -> bool {
        match (self, expect) {
            (Outcome::Done(_), Expect::Done | Expect::OwnTenant | Expect::OwnTenantRow) => true,
            (Outcome::Failed { code, .. }, Expect::OwnTenantRow) => code == "CONFLICT",
            (Outcome::Failed { code, .. }, Expect::Code(expected)) => code == expected,
            (Outcome::Failed { code, field, .. }, Expect::BadInput(expected)) => {
                code == "BAD_USER_INPUT" && field.as_deref() == Some(expected)
            }
            _ => false,
        }
    }

    /// The id of the row a create made (or of the row archived, restored or deleted).
    fn id(&self) -> Value {
        match self {
            Outcome::Done(payload) => payload
                .as_object()
                .and_then(|fields| fields.values().next())
                .map(|value| match value {
                    Value::Object(row) => row.get("id").cloned().unwrap_or_default(),
                    other => other.clone(),
                })
                .unwrap_or_default(),
            Outcome::Failed { .. } => Value::Null,
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Done(payload) => write!(f, "success {payload}"),
            Outcome::Failed {
                code,
                field,
                message,
            } => match field {
                Some(field) => write!(f, "{code} ({field}: {message})"),
                None => write!(f, "{code} ({message})"),
            },
        }
    }
}

/// The test's state: the app, the demo rows, the tokens and the table.
struct Runner<'a> {
    app: &'a TestApp,
    world: World,
    cases: Vec<Case>,
    signatures: BTreeMap<String, Signature>,
    tokens: Vec<(Who, Option<String>)>,
    next: AtomicU32,
    /// Requests sent, and those among them that were checked against an expectation.
    requests: AtomicUsize,
    checks: AtomicUsize,
}

impl<'a> Runner<'a> {
    async fn new(app: &'a TestApp) -> Self {
        let central = app.token("central_it", TENANT, None);
        let data = app
            .query(&central, "{ projects(first: 100, filter: { status: [IN_PROGRESS] }) { edges { node { id orgUnit { id code parent { children { id code } } } } } } goals(first: 1) { edges { node { id } } } categories(first: 1) { edges { node { id } } } reuseCatalogue(first: 100) { edges { node { projectId tenantKey } } } }", json!({}))
            .await;
        let (project, owner_unit, owner, outsider) = nodes(&data["projects"])
            .into_iter()
            .find_map(|project| {
                let unit = &project["orgUnit"];
                let owner = unit["code"].as_str()?.to_owned();
                let sibling = unit["parent"]["children"]
                    .as_array()?
                    .iter()
                    .find(|u| u["code"].as_str().is_some_and(|code| code != owner))?
                    .clone();
                Some((project["id"].clone(), unit["id"].clone(), owner, sibling))
            })
            .expect("aachen has a running project led by a unit with a sibling");
        let first = |list: &str| nodes(&data[list])[0]["id"].clone();
        let world = World {
            owner,
            outsider: outsider["code"].as_str().expect("code").to_owned(),
            outsider_unit: outsider["id"].clone(),
            owner_unit,
            goal: first("goals"),
            project,
            category: first("categories"),
            offer: nodes(&data["reuseCatalogue"])
                .into_iter()
                .find(|offer| offer["tenantKey"] == "kisa")
                .expect("kisa offers a project for reuse")["projectId"]
                .clone(),
        };
        let tokens = EVERYONE
            .into_iter()
            .map(|who| {
                let token = match who {
                    Who::Anonymous | Who::Public => None,
                    Who::Council => Some(app.token("council", TENANT, None)),
                    Who::Outsider => Some(app.token("department", TENANT, Some(&world.outsider))),
                    Who::Owner => Some(app.token("department", TENANT, Some(&world.owner))),
                    Who::Foreign => Some(app.token("central_it", OTHER_TENANT, None)),
                    Who::CentralIt => Some(central.clone()),
                    Who::Operator => Some(app.operator_token()),
                };
                (who, token)
            })
            .collect();
        Runner {
            app,
            world,
            cases: cases(),
            signatures: signatures().await,
            tokens,
            next: AtomicU32::new(1),
            // The query for the demo rows.
            requests: AtomicUsize::new(1),
            checks: AtomicUsize::new(0),
        }
    }

    fn case(&self, mutation: &str) -> &Case {
        self.cases
            .iter()
            .find(|c| c.mutation == mutation)
            .unwrap_or_else(|| panic!("no case {mutation}"))
    }

    fn token(&self, who: Who) -> Option<&str> {
        self.tokens
            .iter()
            .find(|(w, _)| *w == who)
            .and_then(|(_, token)| token.as_deref())
    }

    async fn post(&self, who: Who, query: &str, variables: Value) -> Value {
        self.requests.fetch_add(1, Ordering::Relaxed);
        let mut request = self
            .app
            .client
            .post(format!("{}/graphql", self.app.address))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = self.token(who) {
            request = request.bearer_auth(token);
        }
        if who == Who::Public {
            request = request.header("x-tenant", TENANT);
        }
        let response = request.send().await.expect("a response");
        let status = response.status();
        let body: Value = response.json().await.expect("a JSON body");
        assert!(!status.is_server_error(), "server error {status}: {body}");
        body
    }

    /// Sends `case`'s mutation with `input` as `who`.
    async fn send(&self, who: Who, case: &Case, input: Value) -> Outcome {
        let signature = &self.signatures[case.mutation];
        let query = format!(
            "mutation($input: {}!) {{ {}(input: $input) {{ {} }} }}",
            signature.input, case.mutation, signature.select
        );
        let body = self.post(who, &query, json!({ "input": input })).await;
        match body["errors"].get(0) {
            None => Outcome::Done(body["data"][case.mutation].clone()),
            Some(error) => {
                // Refused or failed: the payload is null, `data` is not.
                assert_eq!(
                    body["data"],
                    json!({ case.mutation: null }),
                    "{} as {who:?}: {body}",
                    case.mutation
                );
                Outcome::Failed {
                    code: error["extensions"]["code"]
                        .as_str()
                        .unwrap_or("(none)")
                        .to_owned(),
                    field: error["extensions"]["field"].as_str().map(str::to_owned),
                    message: error["message"].as_str().unwrap_or_default().to_owned(),
                }
            }
        }
    }

    /// Reads the tenant's counts and the row, as central IT.
    async fn seen(&self, row: &Row) -> Seen {
        let (query, id) = match row.fixture.read() {
            Read::Nothing => (format!("{{ {COUNTS} }}"), Value::Null),
            Read::Tenant(fields) => (
                format!("{{ {COUNTS} node: me {{ tenant {{ {fields} }} }} }}"),
                Value::Null,
            ),
            Read::Node(ty, fields) => (
                format!(
                    "query($id: ID!) {{ {COUNTS} node(id: $id) {{ ... on {ty} {{ {fields} }} }} }}"
                ),
                row.id.clone(),
            ),
            Read::Part(ty, list, fields) => (
                format!(
                    "query($id: ID!) {{ {COUNTS} node(id: $id) {{ ... on {ty} {{ {list} {{ {fields} }} }} }} }}"
                ),
                row.parent.clone(),
            ),
            Read::Feed(fields) => (
                format!(
                    "{{ {COUNTS} node: me {{ calendarFeeds(everyone: true) {{ {fields} }} }} }}"
                ),
                Value::Null,
            ),
            Read::Webhook(fields) => (
                format!("{{ {COUNTS} node: webhooks {{ {fields} }} }}"),
                Value::Null,
            ),
        };
        let body = self.post(Who::CentralIt, &query, json!({ "id": id })).await;
        let data = &body["data"];
        assert!(data["auditLog"].is_object(), "counts: {body}");
        let found = match row.fixture.read() {
            Read::Nothing => Value::Null,
            Read::Tenant(_) => data["node"]["tenant"].clone(),
            Read::Node(..) => data["node"].clone(),
            Read::Part(_, list, _) => data["node"][list]
                .as_array()
                .and_then(|parts| parts.iter().find(|p| p["id"] == row.id).cloned())
                .unwrap_or_default(),
            Read::Feed(_) => data["node"]["calendarFeeds"]
                .as_array()
                .and_then(|feeds| feeds.iter().find(|f| f["id"] == row.id).cloned())
                .unwrap_or_default(),
            Read::Webhook(_) => data["node"]
                .as_array()
                .and_then(|hooks| hooks.iter().find(|h| h["id"] == row.id).cloned())
                .unwrap_or_default(),
        };
        let counts = data
            .as_object()
            .map(|fields| {
                fields
                    .iter()
                    .filter(|(name, _)| *name != "node")
                    .map(|(name, value)| (name.clone(), value.clone()))
                    .collect()
            })
            .unwrap_or_default();
        Seen { counts, row: found }
    }

    /// A fresh row of `fixture`, made by the table's own create case as central IT.
    fn fixture(&self, fixture: Fixture) -> Pin<Box<dyn Future<Output = Row> + '_>> {
        Box::pin(async move {
            let n = self.next.fetch_add(1, Ordering::Relaxed);
            let Some((maker, patch)) = fixture.made_by() else {
                return Row {
                    fixture,
                    id: Value::Null,
                    parent: Value::Null,
                    n,
                    now: Value::Null,
                };
            };
            let case = self.case(maker);
            let mut parent = self.fixture(case.on).await;
            parent.now = self.seen(&parent).await.row;
            let mut input = (case.build)(&self.world, &parent);
            merge(&mut input, patch);
            let outcome = self.send(fixture.maker(), case, input).await;
            let id = outcome.id();
            assert!(
                id.is_string(),
                "making a fresh {fixture:?} with {maker}: {outcome}"
            );
            Row {
                fixture,
                id,
                parent: parent.id,
                n,
                now: Value::Null,
            }
        })
    }

    /// Sends `case` as `who` with the input `make` builds from the row as it is now, and checks
    /// the outcome against `expect`: a refusal changes nothing, a success has the case's effect.
    async fn attempt(
        &self,
        findings: &mut Vec<String>,
        case: &Case,
        who: Who,
        row: &Row,
        make: &dyn Fn(&Row) -> Value,
        expect: Expect,
    ) {
        let before = self.seen(row).await;
        let row = Row {
            now: before.row.clone(),
            ..row.clone()
        };
        let input = make(&row);
        self.checks.fetch_add(1, Ordering::Relaxed);
        let outcome = self.send(who, case, input.clone()).await;
        let after = self.seen(&row).await;
        let what = || format!("{who:?} with {input}");
        if !outcome.matches(expect) {
            findings.push(format!("{}: expected {expect:?}, got {outcome}", what()));
        }
        match (expect, &outcome) {
            (Expect::Done, Outcome::Done(_)) => {
                if after.audit() <= before.audit() {
                    findings.push(format!("{}: no audit entry", what()));
                }
                let effect = match case.effect {
                    Effect::Creates => outcome.id().is_string(),
                    Effect::Deletes => after.row.is_null(),
                    Effect::Changes => match before.row["version"].as_i64() {
                        Some(version) => after.row["version"].as_i64() == Some(version + 1),
                        None => after.row != before.row && !after.row.is_null(),
                    },
                };
                if !effect {
                    findings.push(format!(
                        "{}: the success did not {} the row: before {}, after {}",
                        what(),
                        match case.effect {
                            Effect::Creates => "create",
                            Effect::Changes => "change (version + 1)",
                            Effect::Deletes => "delete",
                        },
                        before.row,
                        after.row
                    ));
                }
            }
            (Expect::OwnTenant, Outcome::Done(_)) => {
                self.unchanged(findings, &what(), &before, &after);
                let body = self
                    .post(
                        Who::CentralIt,
                        "query($id: ID!) { node(id: $id) { id } }",
                        json!({ "id": outcome.id() }),
                    )
                    .await;
                if body["errors"][0]["extensions"]["code"] != "NOT_FOUND" {
                    findings.push(format!(
                        "{}: the row it made in {OTHER_TENANT} is visible in {TENANT}: {body}",
                        what()
                    ));
                }
            }
            _ => self.unchanged(findings, &what(), &before, &after),
        }
    }

    fn unchanged(&self, findings: &mut Vec<String>, what: &str, before: &Seen, after: &Seen) {
        if after == before {
            return;
        }
        let counts: Vec<String> = after
            .counts
            .as_object()
            .into_iter()
            .flatten()
            .filter(|(list, count)| before.counts[list.as_str()] != **count)
            .map(|(list, count)| {
                format!(
                    "{list} {} -> {}",
                    before.counts[list.as_str()]["totalCount"],
                    count["totalCount"]
                )
            })
            .collect();
        findings.push(format!(
            "{what}: changed something: {}; row before {}, after {}",
            counts.join(", "),
            before.row,
            after.row
        ));
    }

    /// Runs one case; returns what went wrong.
    async fn run(&self, case: &Case) -> Vec<String> {
        let mut findings = Vec::new();
        let valid = |row: &Row| (case.build)(&self.world, row);

        // Every refused role, on one fresh row: exactly its code, and nothing changes.
        let row = self.fixture(case.on).await;
        for who in EVERYONE.into_iter().filter(|w| !case.allowed.contains(w)) {
            let expect = case.refusal(who);
            self.attempt(&mut findings, case, who, &row, &valid, expect)
                .await;
        }

        // What goes beyond the owning department's rights, on the same row.
        if let Some(beyond) = case.beyond {
            let more = |row: &Row| {
                let mut input = valid(row);
                merge(&mut input, beyond(&self.world, row));
                input
            };
            let expect = Expect::Code("FORBIDDEN");
            self.attempt(&mut findings, case, Who::Owner, &row, &more, expect)
                .await;
        }

        // The bad input, by every allowed role, on the same row.
        let (field, patch) = case.bad;
        let bad = |row: &Row| {
            let mut input = valid(row);
            merge(&mut input, patch(&self.world, row));
            input
        };
        for &who in case.allowed {
            let expect = Expect::BadInput(field);
            self.attempt(&mut findings, case, who, &row, &bad, expect)
                .await;
        }

        // Every allowed role succeeds, each on a fresh row.
        for &who in case.allowed {
            let row = self.fixture(case.on).await;
            self.attempt(&mut findings, case, who, &row, &valid, Expect::Done)
                .await;
        }

        // The conflict: the input is read first, then the row changes under it.
        let (first, build) = match case.conflict {
            Conflict::Never(_) => return findings,
            Conflict::Repeat => (case, case.build),
            Conflict::After(other, build) => {
                let other = self.case(other);
                (other, build.unwrap_or(other.build))
            }
        };
        let mut row = self.fixture(case.on).await;
        row.now = self.seen(&row).await.row;
        let stale = valid(&row);
        let change = self
            .send(Who::CentralIt, first, build(&self.world, &row))
            .await;
        if !change.matches(Expect::Done) {
            findings.push(format!(
                "conflict: the change before it ({}) failed: {change}",
                first.mutation
            ));
        }
        self.attempt(
            &mut findings,
            case,
            Who::CentralIt,
            &row,
            &|_| stale.clone(),
            Expect::Code("CONFLICT"),
        )
        .await;
        findings
    }
}

/// Sets the fields of `patch` in `input`.
fn merge(input: &mut Value, patch: Value) {
    if let (Some(input), Value::Object(patch)) = (input.as_object_mut(), patch) {
        input.extend(patch);
    }
}

async fn every_mutation_allows_refuses_validates_and_conflicts(backend: Backend) {
    // Webhooks post to loopback here: nothing listens there, and nothing needs to.
    let Some(app) = spawn_app_with(backend, |config| {
        config.public_access = true;
        config.webhooks.webhook_allow_private = true;
    })
    .await
    else {
        return;
    };
    let started = Instant::now();
    let runner = Runner::new(&app).await;
    let (mut failed, mut known, mut fixed) = (Vec::new(), Vec::new(), Vec::new());
    for case in &runner.cases {
        let findings = runner.run(case).await;
        let report = || format!("{}:\n    {}", case.mutation, findings.join("\n    "));
        match (case.known_bug, findings.is_empty()) {
            (None, true) => {}
            (None, false) => failed.push(report()),
            (Some(bug), false) => known.push(format!("{} [known bug: {bug}]", report())),
            (Some(bug), true) => fixed.push(format!("{}: {bug}", case.mutation)),
        }
    }
    restoring_a_live_row(&runner, &mut failed).await;
    eprintln!(
        "{backend:?}: {} mutations, {} checked requests, {} requests in all, {:.1?}",
        runner.cases.len(),
        runner.checks.load(Ordering::Relaxed),
        runner.requests.load(Ordering::Relaxed),
        started.elapsed()
    );
    for case in &runner.cases {
        if let Conflict::Never(why) = case.conflict {
            eprintln!("  {}: no conflict possible ({why})", case.mutation);
        }
    }
    for report in &known {
        eprintln!("KNOWN BUG (not failing the test) {report}");
    }
    for bug in &fixed {
        failed.push(format!(
            "known bug no longer shows (remove `known_bug`): {bug}"
        ));
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

/// Restoring a row that is not archived is a conflict and changes nothing.
async fn restoring_a_live_row(runner: &Runner<'_>, failed: &mut Vec<String>) {
    let case = runner.case("restore");
    let mut row = runner.fixture(Fixture::Measure).await;
    let before = runner.seen(&row).await;
    row.now = before.row.clone();
    let outcome = runner
        .send(Who::CentralIt, case, (case.build)(&runner.world, &row))
        .await;
    let after = runner.seen(&row).await;
    if !outcome.matches(Expect::Code("CONFLICT"))
        || after.row != before.row
        || after.audit() != before.audit()
    {
        failed.push(format!(
            "restore of a live row: {outcome}; before {before:?}, after {after:?}"
        ));
    }
}
