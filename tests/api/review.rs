//! Review of status reports (`TenantSettings.reportReview`, on for the demo tenants): a
//! department's report waits for central IT and moves nothing until approved; a returned
//! one keeps its comment in the history; the council never sees either; central IT's own
//! reports count at once; with review off a department's report counts at once again.

use serde_json::{Value, json};

use crate::{
    helpers::{Backend, TestApp, nodes, spawn_app},
    on_both,
};

on_both!(
    a_report_counts_once_central_it_approves_it,
    central_it_reports_count_at_once_and_review_can_be_switched_off,
);

const SUBMIT: &str = "mutation($i: SubmitStatusReportInput!) { submitStatusReport(input: $i) \
                      { statusReport { id version reviewState progress } } }";
const APPROVE: &str = "mutation($i: ApproveStatusReportInput!) { approveStatusReport(input: $i) \
                       { statusReport { id version reviewState reviewComment reviewedBy reviewedAt } } }";
const RETURN: &str = "mutation($i: ReturnStatusReportInput!) { returnStatusReport(input: $i) \
                      { statusReport { id version reviewState reviewComment } } }";
const WORK: &str = "query($id: ID!) { node(id: $id) { ... on Project { progress rag version \
                    latestStatusReport { id progress } \
                    pendingStatusReport { id reviewState summary } \
                    statusReports(first: 100) { edges { node { id reviewState } } } \
                    returned: statusReports(first: 100, reviewStates: [RETURNED]) \
                    { edges { node { id reviewState reviewComment } } } } } }";

/// A running public project of aachen and the code of the unit that owns it.
async fn project(app: &TestApp) -> (Value, String) {
    let central = app.token("central_it", "aachen", None);
    let data = app
        .query(
            &central,
            "{ projects(first: 1, filter: { status: [IN_PROGRESS], visibility: [PUBLIC] }) { edges { node \
             { id progress rag version orgUnit { code } } } } }",
            json!({}),
        )
        .await;
    let project = nodes(&data["projects"])
        .into_iter()
        .next()
        .expect("a running project");
    let owner = project["orgUnit"]["code"]
        .as_str()
        .expect("code")
        .to_owned();
    (project, owner)
}

/// Turns the tenant's review of reports on or off (central IT).
pub(crate) async fn set_report_review(app: &TestApp, tenant: &str, on: bool) {
    let central = app.token("central_it", tenant, None);
    let version = app
        .query(&central, "{ me { tenant { version } } }", json!({}))
        .await["me"]["tenant"]["version"]
        .clone();
    let changed = app
        .query(
            &central,
            "mutation($i: UpdateTenantSettingsInput!) { updateTenantSettings(input: $i) \
             { tenant { settings { reportReview } } } }",
            json!({ "i": { "version": version, "reportReview": on } }),
        )
        .await;
    assert_eq!(
        changed["updateTenantSettings"]["tenant"]["settings"]["reportReview"],
        on
    );
}

fn report(subject: &Value, progress: i32, summary: &str) -> Value {
    json!({ "i": { "subjectId": subject["id"], "progress": progress, "rag": "RED",
                   "summary": summary, "internalNotes": "nur intern" } })
}

async fn a_report_counts_once_central_it_approves_it(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (project, owner) = project(&app).await;
    let central = app.token("central_it", "aachen", None);
    let head = app.token("department", "aachen", Some(&owner));
    let council = app.token("council", "aachen", None);
    let settings = app
        .query(
            &council,
            "{ me { tenant { settings { reportReview steeringEmail } } } }",
            json!({}),
        )
        .await;
    assert_eq!(settings["me"]["tenant"]["settings"]["reportReview"], true);
    assert_eq!(
        settings["me"]["tenant"]["settings"]["steeringEmail"],
        "IT-Management@mail.aachen.de"
    );

    // Submitted: waiting, and nothing moves.
    let first = app
        .query(&head, SUBMIT, report(&project, 97, "Erster Entwurf"))
        .await["submitStatusReport"]["statusReport"]
        .clone();
    assert_eq!(first["reviewState"], "SUBMITTED");
    for token in [&central, &head, &council] {
        let work = app.query(token, WORK, json!({ "id": project["id"] })).await["node"].clone();
        assert_eq!(work["progress"], project["progress"], "nothing counts yet");
        assert_eq!(work["rag"], project["rag"]);
        assert_ne!(work["latestStatusReport"]["id"], first["id"]);
        assert!(
            nodes(&work["statusReports"])
                .iter()
                .all(|r| r["reviewState"] == "APPROVED"),
            "the history holds reports that count"
        );
        let pending = &work["pendingStatusReport"];
        if *token == council {
            assert!(pending.is_null(), "the council sees no report under review");
        } else {
            assert_eq!(pending["id"], first["id"]);
            assert_eq!(pending["summary"], "Erster Entwurf");
        }
    }
    assert_eq!(
        app.error_code(
            Some(&council),
            "query($id: ID!) { node(id: $id) { id } }",
            json!({ "id": first["id"] })
        )
        .await,
        "NOT_FOUND",
        "the council cannot look a report under review up"
    );
    let listed = app
        .query(
            &central,
            "{ statusReports(first: 100, filter: { reviewState: [SUBMITTED] }) { edges { node { id } } } }",
            json!({}),
        )
        .await;
    assert!(
        nodes(&listed["statusReports"])
            .iter()
            .any(|r| r["id"] == first["id"])
    );

    // One waiting report per item; only central IT reviews; a return needs a reason.
    assert_eq!(
        app.error_code(Some(&head), SUBMIT, report(&project, 98, "Zweiter"))
            .await,
        "CONFLICT"
    );
    let review = json!({ "i": { "id": first["id"], "version": first["version"], "comment": "Bitte Risiken ergänzen." } });
    assert_eq!(
        app.error_code(Some(&head), APPROVE, review.clone()).await,
        "FORBIDDEN"
    );
    assert_eq!(
        app.error_code(Some(&council), RETURN, review.clone()).await,
        "FORBIDDEN"
    );
    let no_reason =
        json!({ "i": { "id": first["id"], "version": first["version"], "comment": " " } });
    assert_eq!(
        app.error_code(Some(&central), RETURN, no_reason).await,
        "BAD_USER_INPUT"
    );

    // Returned: it keeps its comment in the history, and never counts.
    let returned =
        app.query(&central, RETURN, review.clone()).await["returnStatusReport"]["statusReport"]
            .clone();
    assert_eq!(returned["reviewState"], "RETURNED");
    assert_eq!(returned["version"], first["version"].as_i64().unwrap() + 1);
    assert_eq!(
        app.error_code(
            Some(&central),
            APPROVE,
            json!({ "i": { "id": first["id"], "version": returned["version"] } })
        )
        .await,
        "CONFLICT"
    );
    let work = app.query(&head, WORK, json!({ "id": project["id"] })).await["node"].clone();
    assert_eq!(work["progress"], project["progress"]);
    assert!(work["pendingStatusReport"].is_null());
    let kept = nodes(&work["returned"]);
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0]["reviewComment"], "Bitte Risiken ergänzen.");
    let work = app
        .query(&council, WORK, json!({ "id": project["id"] }))
        .await["node"]
        .clone();
    assert!(
        nodes(&work["returned"]).is_empty(),
        "the council sees no returned report"
    );

    // The department submits a new one; approved, it sets progress and traffic light.
    let second = app
        .query(&head, SUBMIT, report(&project, 64, "Überarbeitet"))
        .await["submitStatusReport"]["statusReport"]
        .clone();
    let stale =
        json!({ "i": { "id": second["id"], "version": second["version"].as_i64().unwrap() + 5 } });
    assert_eq!(
        app.error_code(Some(&central), APPROVE, stale).await,
        "CONFLICT"
    );
    let approved = app
        .query(
            &central,
            APPROVE,
            json!({ "i": { "id": second["id"], "version": second["version"] } }),
        )
        .await["approveStatusReport"]["statusReport"]
        .clone();
    assert_eq!(approved["reviewState"], "APPROVED");
    assert!(approved["reviewedAt"].is_string());
    for token in [&central, &head, &council] {
        let work = app.query(token, WORK, json!({ "id": project["id"] })).await["node"].clone();
        assert_eq!(work["progress"], 64);
        assert_eq!(work["rag"], "RED");
        assert_eq!(work["latestStatusReport"]["id"], second["id"]);
        assert!(work["pendingStatusReport"].is_null());
    }
    let dashboard = app
        .query(
            &council,
            "query($id: ID!) { node(id: $id) { ... on Project { progressHistory { progress } } } }",
            json!({ "id": project["id"] }),
        )
        .await;
    let last = nodes_or_list(&dashboard["node"]["progressHistory"]);
    assert_eq!(last.last().map(|p| p["progress"].clone()), Some(json!(64)));

    // The audit trail says who approved and who returned.
    let audit = app
        .query(
            &central,
            "query($id: ID!) { auditLog(first: 10, subjectId: $id) { edges { node { action } } } }",
            json!({ "id": first["id"] }),
        )
        .await;
    let actions: Vec<_> = nodes(&audit["auditLog"])
        .iter()
        .map(|e| e["action"].clone())
        .collect();
    assert_eq!(actions, [json!("return"), json!("create")], "newest first");
}

/// A list field that is a plain list (not a connection).
fn nodes_or_list(value: &Value) -> Vec<Value> {
    value.as_array().cloned().unwrap_or_default()
}

async fn central_it_reports_count_at_once_and_review_can_be_switched_off(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (project, owner) = project(&app).await;
    let central = app.token("central_it", "aachen", None);
    let head = app.token("department", "aachen", Some(&owner));
    let own = app
        .query(&central, SUBMIT, report(&project, 55, "Zentral berichtet"))
        .await["submitStatusReport"]["statusReport"]
        .clone();
    assert_eq!(own["reviewState"], "APPROVED");
    let work = app.query(&head, WORK, json!({ "id": project["id"] })).await["node"].clone();
    assert_eq!(work["progress"], 55);

    set_report_review(&app, "aachen", false).await;
    let direct = app
        .query(&head, SUBMIT, report(&project, 66, "Ohne Prüfung"))
        .await["submitStatusReport"]["statusReport"]
        .clone();
    assert_eq!(direct["reviewState"], "APPROVED");
    let work = app
        .query(&central, WORK, json!({ "id": project["id"] }))
        .await["node"]
        .clone();
    assert_eq!(work["progress"], 66);
    assert_eq!(work["latestStatusReport"]["id"], direct["id"]);
}
