//! The permission matrix over the demo data.
//!
//! For every role (central IT, a department, a unit below it, a sibling of that unit, the
//! council, the public, another tenant) and every entity type: exactly which rows are listed,
//! counted, reachable through relations and resolvable by id, and which restricted fields are
//! null. Central IT sees every row of its tenant, so its view is the oracle: what the other
//! roles must see is computed from it with the rules of the policy, not hard-coded.
//!
//! In the demo data no visible row points at a hidden one through a single-row relation
//! (`Project.measure`, `Goal.parent`, `Strategy.predecessor`), so one test first turns such
//! parents into drafts in the database and then runs the matrix again.
//!
//! Each list is read in requests of its own, with the relations of its rows nested.

use std::{
    collections::{BTreeMap, BTreeSet, HashMap, HashSet},
    fmt,
    sync::atomic::{AtomicUsize, Ordering},
    time::Instant,
};

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use serde_json::{Value, json};

use crate::{
    helpers::{Backend, TestApp, nodes, spawn_app_with},
    on_both,
};

on_both!(
    every_role_sees_exactly_what_the_policy_allows,
    restricted_fields_are_null_exactly_where_the_policy_says,
    hidden_rows_are_not_found_by_id,
    other_tenants_see_nothing,
    visible_rows_never_point_at_hidden_ones,
    risks_are_found_by_id_exactly_where_their_register_shows,
);

/// The demo tenant the matrix runs on.
const TENANT: &str = "aachen";
/// Another demo tenant, whose viewers must see none of [`TENANT`]'s rows.
const OTHER_TENANT: &str = "tuk";
/// The largest page a client may ask for.
const PAGE: usize = 100;

// ---------------------------------------------------------------------------------------------
// What the matrix covers: entity types, their relations and the rule that decides visibility
// ---------------------------------------------------------------------------------------------

/// How a relation field is selected.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// An object or null: `field { id }`.
    One,
    /// A union of node types or null: `field { ... on Node { id } }`.
    Union,
    /// A plain list: `field { id }`.
    List,
    /// A connection, asked for whole: `field(first: 100) { totalCount ... }`.
    Connection,
}

impl Shape {
    fn select(self, field: &str) -> String {
        match self {
            Shape::One | Shape::List => format!("{field} {{ id }}"),
            Shape::Union => format!("{field} {{ ... on Node {{ id }} }}"),
            Shape::Connection => format!(
                "{field}(first: {PAGE}) {{ totalCount pageInfo {{ hasNextPage }} edges {{ node {{ id }} }} }}"
            ),
        }
    }
}

/// Who may see a row of an entity type (within the viewer's tenant).
#[derive(Clone, Copy)]
enum Rule {
    /// Org units and categories: every role.
    Frame,
    /// Applications and steering meetings: central IT and departments.
    Administration,
    /// Rows with a visibility, a draft state and an owning unit, visible only together with the
    /// rows these relation fields point at.
    Released(&'static [&'static str]),
    /// Rows visible exactly when every row these relation fields point at (if any) is.
    Dependent(&'static [&'static str]),
}

/// One entity type of the matrix and how to read it.
struct Entity {
    /// The top-level list, e.g. `projects`.
    list: &'static str,
    /// Further arguments of the list.
    args: &'static str,
    /// A field naming the row in failure messages.
    label: &'static str,
    /// Fields the rules and the field checks read.
    fields: &'static str,
    /// Relation fields checked for hidden rows.
    relations: &'static [(&'static str, Shape)],
    /// Relation fields leading to rows without a list of their own, visible with this row.
    owned: &'static [&'static str],
    rule: Rule,
}

impl Entity {
    fn selection(&self) -> String {
        let relations: Vec<String> = self
            .relations
            .iter()
            .map(|&(field, shape)| shape.select(field))
            .collect();
        format!("id {} {} {}", self.label, self.fields, relations.join(" "))
    }
}

/// Listed parents before their children: the oracle decides a child after its parents.
const ENTITIES: &[Entity] = &[
    Entity {
        list: "orgUnits",
        args: ", filter: { includeArchived: true }",
        label: "code",
        fields: "",
        relations: &[
            ("parent", Shape::One),
            ("children", Shape::List),
            ("measures", Shape::Connection),
            ("projects", Shape::Connection),
            ("subProjects", Shape::Connection),
        ],
        owned: &[],
        rule: Rule::Frame,
    },
    Entity {
        list: "categories",
        args: "",
        label: "name",
        fields: "",
        relations: &[("projects", Shape::Connection)],
        owned: &[],
        rule: Rule::Frame,
    },
    Entity {
        list: "strategies",
        args: "",
        label: "title",
        fields: "visibility status",
        relations: &[
            ("orgUnit", Shape::One),
            ("predecessor", Shape::One),
            ("goals", Shape::Connection),
        ],
        owned: &[],
        rule: Rule::Released(&[]),
    },
    Entity {
        list: "goals",
        args: "",
        label: "code",
        fields: "visibility status weight",
        relations: &[
            ("orgUnit", Shape::One),
            ("strategy", Shape::One),
            ("parent", Shape::One),
            ("children", Shape::List),
            ("measures", Shape::Connection),
            ("indicators", Shape::List),
        ],
        owned: &["indicators"],
        rule: Rule::Released(&["strategy"]),
    },
    Entity {
        list: "measures",
        args: "",
        label: "number",
        fields: "visibility status viewerCanEdit viewerCanSeeFinancials weight \
                 risks { id title probability impact status }",
        relations: &[
            ("orgUnit", Shape::One),
            ("goals", Shape::List),
            ("projects", Shape::Connection),
            ("statusReports", Shape::Connection),
            ("latestStatusReport", Shape::One),
            ("indicators", Shape::List),
        ],
        owned: &["indicators"],
        rule: Rule::Released(&[]),
    },
    Entity {
        list: "projects",
        args: "",
        label: "title",
        fields: "visibility status viewerCanEdit viewerCanSeeFinancials weight \
                 contact { name email phone } budget { planned approved spent } \
                 budgetLines { id year source planned approved spent } \
                 funding { id programme amount } \
                 participants { id orgUnit { id } role financialsGranted } \
                 risks { id title probability impact status }",
        relations: &[
            ("orgUnit", Shape::One),
            ("measure", Shape::One),
            ("application", Shape::One),
            ("categories", Shape::List),
            ("subProjects", Shape::Connection),
            ("milestones", Shape::Connection),
            ("statusReports", Shape::Connection),
            ("latestStatusReport", Shape::One),
            ("indicators", Shape::List),
        ],
        owned: &["indicators", "participants"],
        rule: Rule::Released(&[]),
    },
    Entity {
        list: "subProjects",
        args: "",
        label: "title",
        fields: "visibility status viewerCanEdit viewerCanSeeFinancials weight \
                 participants { id orgUnit { id } role financialsGranted }",
        relations: &[
            ("orgUnit", Shape::One),
            ("project", Shape::One),
            ("milestones", Shape::Connection),
            ("statusReports", Shape::Connection),
            ("latestStatusReport", Shape::One),
        ],
        owned: &["participants"],
        rule: Rule::Released(&["project"]),
    },
    Entity {
        list: "milestones",
        args: "",
        label: "code",
        fields: "",
        relations: &[("project", Shape::One), ("subProject", Shape::One)],
        owned: &[],
        rule: Rule::Dependent(&["project", "subProject"]),
    },
    Entity {
        list: "statusReports",
        args: "",
        label: "reportedOn",
        fields: "risks internalNotes",
        relations: &[("subject", Shape::Union)],
        owned: &[],
        rule: Rule::Dependent(&["subject"]),
    },
    Entity {
        list: "applications",
        args: "",
        label: "title",
        fields: "",
        relations: &[
            ("orgUnit", Shape::One),
            ("meeting", Shape::One),
            ("project", Shape::One),
        ],
        owned: &[],
        rule: Rule::Administration,
    },
    Entity {
        list: "steeringMeetings",
        args: "",
        label: "title",
        fields: "",
        relations: &[("applications", Shape::List)],
        owned: &[],
        rule: Rule::Administration,
    },
];

/// One page of a list with the relations of its rows. Each list gets requests of its own: with
/// several lists in one request, the server starves its connection pool (see the module docs).
fn list_query(entity: &Entity) -> String {
    format!(
        "query($after: String) {{ {list}(first: {PAGE}, after: $after{args}) {{ \
         totalCount pageInfo {{ hasNextPage endCursor }} edges {{ node {{ {selection} }} }} }} }}",
        list = entity.list,
        args = entity.args,
        selection = entity.selection(),
    )
}

// ---------------------------------------------------------------------------------------------
// The rules of the policy, as the oracle applies them
// ---------------------------------------------------------------------------------------------

/// What a role may do, per `policy/rows.rs` and `policy/fields.rs`.
enum Policy {
    CentralIt,
    /// A department: the ids of its org unit and every unit below it; with `shares`, the
    /// rules for participants apply (without, the oracle tells what participation changed).
    Department {
        units: HashSet<String>,
        shares: bool,
    },
    Council,
    Public,
}

/// A unit taking part in a project or sub-project (`participants`).
struct Share {
    unit: String,
    lead: bool,
    granted: bool,
}

/// What holds a row: the unit owning it and the units taking part in it (projects and
/// sub-projects; a status report is held by its subject).
struct Holder {
    owner: String,
    shares: Vec<Share>,
}

impl Holder {
    fn of(row: &Value) -> Self {
        let shares = row["participants"]
            .as_array()
            .map(|shares| {
                shares
                    .iter()
                    .map(|p| Share {
                        unit: p["orgUnit"]["id"].as_str().expect("a unit").to_owned(),
                        lead: p["role"] == "LEAD",
                        granted: p["financialsGranted"] == true,
                    })
                    .collect()
            })
            .unwrap_or_default();
        Self {
            owner: owner_unit(row),
            shares,
        }
    }
}

/// How a department stands to a row: owns it (or co-leads it), takes part, reads its budgets.
struct Standing {
    own: bool,
    part: bool,
    financials: bool,
}

impl Policy {
    fn department(&self, holder: &Holder) -> Standing {
        let Policy::Department { units, shares } = self else {
            return Standing {
                own: false,
                part: false,
                financials: false,
            };
        };
        let mine: Vec<&Share> = holder
            .shares
            .iter()
            .filter(|share| *shares && units.contains(&share.unit))
            .collect();
        let own = units.contains(&holder.owner) || mine.iter().any(|s| s.lead);
        Standing {
            own,
            part: !mine.is_empty(),
            financials: own || mine.iter().any(|s| s.granted),
        }
    }

    /// Central IT everything; departments non-drafts and the drafts they own or take part
    /// in; the council released non-drafts; the public public non-drafts.
    fn sees_released(&self, row: &Value) -> bool {
        let draft = row["status"] == "DRAFT";
        let visibility = row["visibility"].as_str().expect("a visibility");
        match self {
            Policy::CentralIt => true,
            Policy::Department { .. } => {
                let standing = self.department(&Holder::of(row));
                !draft || standing.own || standing.part
            }
            Policy::Council => !draft && matches!(visibility, "COUNCIL" | "PUBLIC"),
            Policy::Public => !draft && visibility == "PUBLIC",
        }
    }

    fn sees_administration(&self) -> bool {
        matches!(self, Policy::CentralIt | Policy::Department { .. })
    }

    /// Budgets, budget lines and funding.
    fn can_see_financials(&self, holder: &Holder) -> bool {
        match self {
            Policy::CentralIt | Policy::Council => true,
            Policy::Department { .. } => self.department(holder).financials,
            Policy::Public => false,
        }
    }

    /// Contact persons: participants work with them.
    fn can_see_contact(&self, holder: &Holder) -> bool {
        match self {
            Policy::CentralIt => true,
            Policy::Department { .. } => {
                let standing = self.department(holder);
                standing.own || standing.part
            }
            Policy::Council | Policy::Public => false,
        }
    }

    /// Risks and internal notes.
    fn can_see_internals(&self, holder: &Holder) -> bool {
        match self {
            Policy::CentralIt => true,
            Policy::Department { .. } => self.department(holder).own,
            Policy::Council | Policy::Public => false,
        }
    }

    /// The risk register: the owning department's alone (a co-lead reads a report's risks,
    /// not the register).
    fn can_see_risks(&self, holder: &Holder) -> bool {
        match self {
            Policy::CentralIt => true,
            Policy::Department { units, .. } => units.contains(&holder.owner),
            Policy::Council | Policy::Public => false,
        }
    }

    fn can_edit(&self, holder: &Holder) -> bool {
        self.can_see_internals(holder)
    }

    /// The same role with the owning unit alone deciding.
    fn without_shares(&self) -> Self {
        match self {
            Policy::CentralIt => Policy::CentralIt,
            Policy::Department { units, .. } => Policy::Department {
                units: units.clone(),
                shares: false,
            },
            Policy::Council => Policy::Council,
            Policy::Public => Policy::Public,
        }
    }
}

/// Whether a restricted field reports a permission or carries a value.
#[derive(Clone, Copy, PartialEq, Eq)]
enum FieldKind {
    /// `viewerCan...`: true exactly when allowed.
    Flag,
    /// Central IT's value when allowed, null otherwise.
    Restricted,
}

/// A field whose value depends on the viewer's rights on the row's owning unit.
struct FieldRule {
    list: &'static str,
    field: &'static str,
    kind: FieldKind,
    allowed: fn(&Policy, &Holder) -> bool,
}

const fn flag(
    list: &'static str,
    field: &'static str,
    allowed: fn(&Policy, &Holder) -> bool,
) -> FieldRule {
    FieldRule {
        list,
        field,
        kind: FieldKind::Flag,
        allowed,
    }
}

const fn restricted(
    list: &'static str,
    field: &'static str,
    allowed: fn(&Policy, &Holder) -> bool,
) -> FieldRule {
    FieldRule {
        list,
        field,
        kind: FieldKind::Restricted,
        allowed,
    }
}

const FIELD_RULES: &[FieldRule] = &[
    flag("measures", "viewerCanEdit", Policy::can_edit),
    flag("projects", "viewerCanEdit", Policy::can_edit),
    flag("subProjects", "viewerCanEdit", Policy::can_edit),
    flag(
        "measures",
        "viewerCanSeeFinancials",
        Policy::can_see_financials,
    ),
    flag(
        "projects",
        "viewerCanSeeFinancials",
        Policy::can_see_financials,
    ),
    flag(
        "subProjects",
        "viewerCanSeeFinancials",
        Policy::can_see_financials,
    ),
    restricted("projects", "budget", Policy::can_see_financials),
    restricted("projects", "budgetLines", Policy::can_see_financials),
    restricted("projects", "funding", Policy::can_see_financials),
    restricted("projects", "contact", Policy::can_see_contact),
    restricted("statusReports", "risks", Policy::can_see_internals),
    restricted("statusReports", "internalNotes", Policy::can_see_internals),
    restricted("projects", "risks", Policy::can_see_risks),
    restricted("measures", "risks", Policy::can_see_risks),
];

// ---------------------------------------------------------------------------------------------
// Talking to the server
// ---------------------------------------------------------------------------------------------

/// Who sends a request: a bearer token, or (the public) no token and the tenant header.
struct Caller {
    name: String,
    token: Option<String>,
    tenant: &'static str,
}

impl Caller {
    fn token(app: &TestApp, role: &str, tenant: &'static str, org_unit: Option<&str>) -> Self {
        let name = match org_unit {
            Some(unit) => format!("{role} {unit} of {tenant}"),
            None => format!("{role} of {tenant}"),
        };
        Self {
            name,
            token: Some(app.token(role, tenant, org_unit)),
            tenant,
        }
    }

    fn public(tenant: &'static str) -> Self {
        Self {
            name: format!("the public of {tenant}"),
            token: None,
            tenant,
        }
    }
}

impl fmt::Display for Caller {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

/// A role of the matrix: who asks, and the rules the oracle applies for it.
struct Role {
    caller: Caller,
    policy: Policy,
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.caller.fmt(f)
    }
}

/// The rows one viewer gets from every top-level list, by list and id, and what was wrong
/// with the lists themselves (rows twice, wrong counts).
#[derive(Default)]
struct Snapshot {
    rows: BTreeMap<&'static str, BTreeMap<String, Value>>,
    problems: Vec<String>,
}

impl Snapshot {
    fn rows(&self, list: &str) -> &BTreeMap<String, Value> {
        &self.rows[list]
    }

    /// Every id anywhere in the snapshot, nested rows included.
    fn every_id(&self) -> BTreeSet<String> {
        let mut ids = BTreeSet::new();
        for rows in self.rows.values() {
            for row in rows.values() {
                collect_ids(row, &mut ids);
            }
        }
        ids
    }
}

/// The server under test; counts the requests a test makes.
struct Api<'a> {
    app: &'a TestApp,
    requests: AtomicUsize,
    started: Instant,
}

impl<'a> Api<'a> {
    fn new(app: &'a TestApp) -> Self {
        Self {
            app,
            requests: AtomicUsize::new(0),
            started: Instant::now(),
        }
    }

    async fn post(&self, caller: &Caller, query: &str, variables: Value) -> (u16, Value) {
        self.requests.fetch_add(1, Ordering::Relaxed);
        let request = self
            .app
            .client
            .post(format!("{}/graphql", self.app.address))
            .json(&json!({ "query": query, "variables": variables }));
        let request = match &caller.token {
            Some(token) => request.bearer_auth(token),
            None => request.header("x-tenant", caller.tenant),
        };
        let response = request.send().await.expect("request");
        let status = response.status().as_u16();
        let text = response.text().await.expect("body");
        let body = serde_json::from_str(&text).unwrap_or_else(|_| json!({ "raw": text }));
        (status, body)
    }

    /// Runs a query that must succeed; returns `data`.
    async fn data(&self, caller: &Caller, query: &str, variables: Value) -> Value {
        let (status, body) = self.post(caller, query, variables).await;
        if status != 200 || body.get("errors").is_some() {
            let errors = body.get("errors").unwrap_or(&body).to_string();
            let errors: String = errors.chars().take(2000).collect();
            panic!("{caller}: {status} {errors}");
        }
        body["data"].clone()
    }

    /// Every row of every list the caller can see, paging through lists longer than a page.
    async fn snapshot(&self, caller: &Caller) -> Snapshot {
        let mut snapshot = Snapshot::default();
        for entity in ENTITIES {
            let list = entity.list;
            let query = list_query(entity);
            let rows = snapshot.rows.entry(list).or_default();
            let mut after = Value::Null;
            let mut totals = BTreeSet::new();
            loop {
                let data = self.data(caller, &query, json!({ "after": after })).await;
                let page = &data[list];
                totals.insert(
                    page["totalCount"]
                        .as_u64()
                        .unwrap_or_else(|| panic!("{caller}: {list} without totalCount: {page}")),
                );
                let page_rows = nodes(page);
                for row in &page_rows {
                    let id = row["id"].as_str().expect("an id").to_owned();
                    if rows.insert(id.clone(), row.clone()).is_some() {
                        snapshot
                            .problems
                            .push(format!("{caller}: {list} lists {} twice", decode(&id)));
                    }
                }
                if page["pageInfo"]["hasNextPage"] != true {
                    break;
                }
                assert!(
                    !page_rows.is_empty(),
                    "{caller}: {list} promises a page after an empty one"
                );
                after = page["pageInfo"]["endCursor"].clone();
            }
            let listed = rows.len() as u64;
            if totals != BTreeSet::from([listed]) {
                snapshot.problems.push(format!(
                    "{caller}: {list}.totalCount is {totals:?} on its pages, but they list {listed} rows"
                ));
            }
        }
        snapshot
    }

    /// `node(id:)` must return each of `ids`; all are asked for in one request.
    async fn expect_found(&self, caller: &Caller, ids: &[String], world: &World) -> Vec<String> {
        if ids.is_empty() {
            return Vec::new();
        }
        let (_, body) = self.post(caller, &node_batch(ids), json!({})).await;
        let errors = error_codes(&body);
        let mut failures = Vec::new();
        for (index, id) in ids.iter().enumerate() {
            let alias = format!("n{index}");
            let node = &body["data"][alias.as_str()];
            let kind = decode(id);
            let kind = kind.split(':').next().unwrap_or_default();
            if let Some(code) = errors.get(&alias) {
                failures.push(format!(
                    "{caller}: node(id:) on the visible {} fails with {code}",
                    world.describe(id)
                ));
            } else if node["id"] != id.as_str() || node["__typename"] != kind {
                failures.push(format!(
                    "{caller}: node(id:) on the visible {} answers {node}",
                    world.describe(id)
                ));
            }
        }
        failures
    }

    /// `node(id:)` must fail with `NOT_FOUND` for each of `ids`; all are asked for in one
    /// request, each failing on its own.
    async fn expect_not_found(
        &self,
        caller: &Caller,
        ids: &[String],
        world: &World,
    ) -> Vec<String> {
        if ids.is_empty() {
            return Vec::new();
        }
        let (status, body) = self.post(caller, &node_batch(ids), json!({})).await;
        if status >= 500 {
            return vec![format!(
                "{caller}: node(id:) on hidden rows: {status} {body}"
            )];
        }
        let errors = error_codes(&body);
        let mut failures = Vec::new();
        for (index, id) in ids.iter().enumerate() {
            let alias = format!("n{index}");
            let node = &body["data"][alias.as_str()];
            match errors.get(&alias) {
                Some(code) if code == "NOT_FOUND" && node.is_null() => {}
                Some(code) => failures.push(format!(
                    "{caller}: node(id:) on the hidden {} fails with {code}, not NOT_FOUND",
                    world.describe(id)
                )),
                None => failures.push(format!(
                    "{caller}: node(id:) on the hidden {} answers {node}",
                    world.describe(id)
                )),
            }
        }
        failures
    }

    fn report(&self, test: &str) {
        eprintln!(
            "{test}: {} requests in {:.1?}",
            self.requests.load(Ordering::Relaxed),
            self.started.elapsed()
        );
    }
}

/// `{ n0: node(id: "...") { __typename id } n1: ... }`
fn node_batch(ids: &[String]) -> String {
    let fields: Vec<String> = ids
        .iter()
        .enumerate()
        .map(|(index, id)| format!("n{index}: node(id: {}) {{ __typename id }}", json!(id)))
        .collect();
    format!("{{ {} }}", fields.join(" "))
}

/// The error code of each failed top-level field, by its alias.
fn error_codes(body: &Value) -> HashMap<String, String> {
    body["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|error| {
            let alias = error["path"][0].as_str()?.to_owned();
            let code = error["extensions"]["code"]
                .as_str()
                .unwrap_or("no code")
                .to_owned();
            Some((alias, code))
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Reading responses
// ---------------------------------------------------------------------------------------------

/// The ids a relation field leads to, whatever its shape (null, object, list, connection).
fn ids_in(value: &Value) -> Vec<String> {
    match value {
        Value::Array(items) => items.iter().flat_map(ids_in).collect(),
        Value::Object(map) if map.contains_key("edges") => {
            nodes(value).iter().flat_map(ids_in).collect()
        }
        Value::Object(map) => map
            .get("id")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .into_iter()
            .collect(),
        _ => Vec::new(),
    }
}

fn collect_ids(value: &Value, into: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                match value.as_str() {
                    Some(id) if key == "id" => {
                        into.insert(id.to_owned());
                    }
                    _ => collect_ids(value, into),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect_ids(item, into)),
        _ => {}
    }
}

/// `(row, target)` for every target a relation field of the rows leads to.
fn pairs(rows: &BTreeMap<String, Value>, field: &str) -> BTreeSet<(String, String)> {
    rows.iter()
        .flat_map(|(id, row)| {
            ids_in(&row[field])
                .into_iter()
                .map(move |target| (id.clone(), target))
        })
        .collect()
}

/// The org unit owning a row with an `orgUnit { id }`.
fn owner_unit(row: &Value) -> String {
    row["orgUnit"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("an owning unit in {row}"))
        .to_owned()
}

/// `Project:12` for a global id, for messages.
fn decode(id: &str) -> String {
    URL_SAFE_NO_PAD
        .decode(id)
        .ok()
        .and_then(|raw| String::from_utf8(raw).ok())
        .unwrap_or_else(|| id.to_owned())
}

fn encode(raw: &str) -> String {
    URL_SAFE_NO_PAD.encode(raw)
}

fn strictly_within(inner: &HashSet<String>, outer: &HashSet<String>) -> bool {
    inner.is_subset(outer) && inner.len() < outer.len()
}

fn assert_no_failures(failures: &[String]) {
    assert!(
        failures.is_empty(),
        "{} violations of the permission matrix:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// The oracle: central IT's view and what every role must see of it
// ---------------------------------------------------------------------------------------------

/// Central IT's view of the tenant.
struct World {
    central: Snapshot,
    /// Every row reachable through `node(id:)`: the listed rows and those only reachable
    /// through their parent (indicators).
    universe: BTreeSet<String>,
    /// Every listed row by id.
    index: HashMap<String, Value>,
    /// A name for each listed row, for messages.
    labels: HashMap<String, String>,
}

impl World {
    async fn load(api: &Api<'_>) -> Self {
        let central_it = Caller::token(api.app, "central_it", TENANT, None);
        let central = api.snapshot(&central_it).await;
        assert_no_failures(&central.problems);
        let mut world = Self {
            central,
            universe: BTreeSet::new(),
            index: HashMap::new(),
            labels: HashMap::new(),
        };
        for entity in ENTITIES {
            let rows = world.central.rows(entity.list);
            assert!(!rows.is_empty(), "the demo tenant has {}", entity.list);
            for (id, row) in rows {
                world.universe.insert(id.clone());
                for field in entity.owned {
                    world.universe.extend(ids_in(&row[*field]));
                }
                if let Some(label) = row[entity.label].as_str() {
                    world.labels.insert(id.clone(), label.to_owned());
                }
                world.index.insert(id.clone(), row.clone());
            }
        }
        // Central IT sees everything of its tenant, so its relations never lead outside it.
        for entity in ENTITIES {
            for (field, _) in entity.relations {
                for (row, target) in pairs(world.central.rows(entity.list), field) {
                    assert!(
                        world.universe.contains(&target),
                        "{}.{field} of {} leads to {}, which central IT cannot list",
                        entity.list,
                        world.describe(&row),
                        world.describe(&target)
                    );
                }
            }
        }
        world
    }

    fn describe(&self, id: &str) -> String {
        match self.labels.get(id) {
            Some(label) => format!("{} «{label}»", decode(id)),
            None => decode(id),
        }
    }

    fn describe_pair(&self, (row, target): &(String, String)) -> String {
        format!("{} -> {}", self.describe(row), self.describe(target))
    }

    /// The ids of every row `policy` lets its viewer see.
    fn visible_to(&self, policy: &Policy) -> HashSet<String> {
        let mut visible = HashSet::new();
        for entity in ENTITIES {
            for (id, row) in self.central.rows(entity.list) {
                let parents_visible = |fields: &[&str]| {
                    fields
                        .iter()
                        .all(|field| ids_in(&row[*field]).iter().all(|p| visible.contains(p)))
                };
                let sees = match entity.rule {
                    Rule::Frame => true,
                    Rule::Administration => policy.sees_administration(),
                    Rule::Released(parents) => {
                        policy.sees_released(row) && parents_visible(parents)
                    }
                    Rule::Dependent(parents) => parents_visible(parents),
                };
                if sees {
                    visible.insert(id.clone());
                    for field in entity.owned {
                        visible.extend(ids_in(&row[*field]));
                    }
                }
            }
        }
        visible
    }

    /// What holds a row; for a status report, what holds its subject.
    fn holder(&self, row: &Value) -> Holder {
        match ids_in(&row["subject"]).first() {
            Some(subject) => Holder::of(&self.index[subject]),
            None => Holder::of(row),
        }
    }

    /// `Kind:2000000000` for every kind of node: ids that exist in no tenant.
    fn missing_ids(&self) -> Vec<String> {
        let kinds: BTreeSet<String> = self
            .universe
            .iter()
            .filter_map(|id| decode(id).split(':').next().map(str::to_owned))
            .collect();
        kinds
            .iter()
            .map(|kind| encode(&format!("{kind}:2000000000")))
            .collect()
    }

    // -- the org-unit tree --

    fn units(&self) -> &BTreeMap<String, Value> {
        self.central.rows("orgUnits")
    }

    fn code(&self, unit: &str) -> &str {
        self.units()[unit]["code"].as_str().expect("a code")
    }

    /// The units directly below `unit`, by code.
    fn children(&self, unit: &str) -> Vec<String> {
        let mut children: Vec<String> = self
            .units()
            .iter()
            .filter(|(_, row)| row["parent"]["id"] == unit)
            .map(|(id, _)| id.clone())
            .collect();
        children.sort_by_key(|id| self.code(id).to_owned());
        children
    }

    /// `unit` and every unit below it.
    fn subtree(&self, unit: &str) -> HashSet<String> {
        let mut found = HashSet::from([unit.to_owned()]);
        let mut stack = vec![unit.to_owned()];
        while let Some(next) = stack.pop() {
            for child in self.children(&next) {
                if found.insert(child.clone()) {
                    stack.push(child);
                }
            }
        }
        found
    }

    /// The rows with an owning unit in `units`, and those of them that are drafts.
    fn owned_by(&self, units: &HashSet<String>) -> (usize, BTreeSet<String>) {
        let mut rows = 0;
        let mut drafts = BTreeSet::new();
        for entity in ENTITIES {
            if !matches!(entity.rule, Rule::Released(_)) {
                continue;
            }
            for (id, row) in self.central.rows(entity.list) {
                if units.contains(&owner_unit(row)) {
                    rows += 1;
                    if row["status"] == "DRAFT" {
                        drafts.insert(id.clone());
                    }
                }
            }
        }
        (rows, drafts)
    }

    /// A unit owning rows, a unit directly below it whose subtree owns rows, and a sibling of
    /// that one, the first by code among the best. Best: the unit below owns some but not all
    /// of the unit's drafts, the sibling owns rows, and the two own different drafts.
    fn pick_departments(&self) -> Departments {
        let mut units: Vec<&String> = self.units().keys().collect();
        units.sort_by_key(|id| self.code(id));
        let mut best: Option<(Score, Departments)> = None;
        for unit in units {
            if self.owned_by(&HashSet::from([unit.clone()])).0 == 0 {
                continue;
            }
            let unit_drafts = self.owned_by(&self.subtree(unit)).1;
            let children = self.children(unit);
            for below in &children {
                let (below_rows, below_drafts) = self.owned_by(&self.subtree(below));
                if below_rows == 0 {
                    continue;
                }
                for sibling in children.iter().filter(|s| *s != below) {
                    let (sibling_rows, sibling_drafts) = self.owned_by(&self.subtree(sibling));
                    let score = (
                        !below_drafts.is_empty() && below_drafts.len() < unit_drafts.len(),
                        sibling_rows > 0,
                        sibling_drafts != below_drafts,
                    );
                    if best.as_ref().is_none_or(|(top, _)| score > *top) {
                        let departments = Departments {
                            unit: unit.clone(),
                            below: below.clone(),
                            sibling: sibling.clone(),
                        };
                        best = Some((score, departments));
                    }
                }
            }
        }
        let (score, departments) = best.expect(
            "the demo data has a unit owning rows, with a sub-unit owning rows and a sibling of it",
        );
        if score != (true, true, true) {
            eprintln!(
                "note: the demo data offers no better departments than {}, {} and {}",
                self.code(&departments.unit),
                self.code(&departments.below),
                self.code(&departments.sibling)
            );
        }
        departments
    }

    fn department(&self, app: &TestApp, unit: &str) -> Role {
        Role {
            caller: Caller::token(app, "department", TENANT, Some(self.code(unit))),
            policy: Policy::Department {
                units: self.subtree(unit),
                shares: true,
            },
        }
    }

    fn roles(&self, app: &TestApp) -> Roles {
        let Departments {
            unit,
            below,
            sibling,
        } = self.pick_departments();
        Roles {
            central: Role {
                caller: Caller::token(app, "central_it", TENANT, None),
                policy: Policy::CentralIt,
            },
            department: self.department(app, &unit),
            below: self.department(app, &below),
            sibling: self.department(app, &sibling),
            council: Role {
                caller: Caller::token(app, "council", TENANT, None),
                policy: Policy::Council,
            },
            public: Role {
                caller: Caller::public(TENANT),
                policy: Policy::Public,
            },
        }
    }

    /// Everything `role` lists and reaches through relations, against the oracle.
    async fn check_rows(&self, api: &Api<'_>, role: &Role) -> Vec<String> {
        let visible = self.visible_to(&role.policy);
        let seen = api.snapshot(&role.caller).await;
        let mut failures = seen.problems.clone();
        failures.extend(self.compare_lists(role, &seen, &visible));
        failures.extend(self.compare_relations(role, &seen, &visible));
        failures
    }

    /// Rows listed where the oracle says otherwise, per list.
    fn compare_lists(
        &self,
        role: &Role,
        seen: &Snapshot,
        visible: &HashSet<String>,
    ) -> Vec<String> {
        let mut failures = Vec::new();
        for entity in ENTITIES {
            let expected: BTreeSet<&String> = self
                .central
                .rows(entity.list)
                .keys()
                .filter(|id| visible.contains(*id))
                .collect();
            let listed: BTreeSet<&String> = seen.rows(entity.list).keys().collect();
            for leaked in listed.difference(&expected) {
                failures.push(format!(
                    "{role}: {} lists the hidden {}",
                    entity.list,
                    self.describe(leaked)
                ));
            }
            for missing in expected.difference(&listed) {
                failures.push(format!(
                    "{role}: {} lacks the visible {}",
                    entity.list,
                    self.describe(missing)
                ));
            }
        }
        failures
    }

    /// Relations of visible rows that lead to hidden rows, or miss visible ones.
    fn compare_relations(
        &self,
        role: &Role,
        seen: &Snapshot,
        visible: &HashSet<String>,
    ) -> Vec<String> {
        let mut failures = Vec::new();
        for entity in ENTITIES {
            for &(field, shape) in entity.relations {
                let expected: BTreeSet<(String, String)> =
                    pairs(self.central.rows(entity.list), field)
                        .into_iter()
                        .filter(|(row, target)| visible.contains(row) && visible.contains(target))
                        .collect();
                // Rows listed against the rules are reported by `compare_lists`.
                let found: BTreeSet<(String, String)> = pairs(seen.rows(entity.list), field)
                    .into_iter()
                    .filter(|(row, _)| visible.contains(row))
                    .collect();
                for leaked in found.difference(&expected) {
                    failures.push(format!(
                        "{role}: {}.{field} leads to a hidden row: {}",
                        entity.list,
                        self.describe_pair(leaked)
                    ));
                }
                for missing in expected.difference(&found) {
                    failures.push(format!(
                        "{role}: {}.{field} misses a visible row: {}",
                        entity.list,
                        self.describe_pair(missing)
                    ));
                }
                if shape != Shape::Connection {
                    continue;
                }
                for (id, row) in seen.rows(entity.list) {
                    let connection = &row[field];
                    let edges = nodes(connection).len() as u64;
                    if connection["totalCount"].as_u64() != Some(edges)
                        || connection["pageInfo"]["hasNextPage"] != false
                    {
                        failures.push(format!(
                            "{role}: {}.{field} of {} counts {} but lists {edges} rows",
                            entity.list,
                            self.describe(id),
                            connection["totalCount"]
                        ));
                    }
                }
            }
        }
        failures
    }
}

/// How well a choice of departments tells them apart (see [`World::pick_departments`]).
type Score = (bool, bool, bool);

/// The org units the department roles stand for.
struct Departments {
    unit: String,
    /// Directly below `unit`.
    below: String,
    /// Directly below `unit`, next to `below`.
    sibling: String,
}

/// The roles of the demo tenant the matrix runs for.
struct Roles {
    central: Role,
    /// A department owning rows, with sub-units owning rows.
    department: Role,
    /// A unit directly below `department`.
    below: Role,
    /// Another unit directly below `department`.
    sibling: Role,
    council: Role,
    public: Role,
}

impl Roles {
    fn all(&self) -> [&Role; 6] {
        [
            &self.central,
            &self.department,
            &self.below,
            &self.sibling,
            &self.council,
            &self.public,
        ]
    }
}

async fn spawn(backend: Backend) -> Option<TestApp> {
    let app = spawn_app_with(backend, |config| {
        config.public_access = true;
        // The matrix resolves every id of a role in one request, one alias per id.
        config.limits.max_aliases = 10_000;
        config.limits.max_fields = 100_000;
    })
    .await?;
    add_participants(&app).await;
    Some(app)
}

/// Makes the departments the matrix picks participants of work they do not own (the demo
/// tenant has none): one of the unit below and its sibling takes part in a draft of the
/// other; the unit below co-leads a project elsewhere; its sibling takes part in another
/// project elsewhere, reuses a third with its budgets granted, and co-leads a sub-project.
async fn add_participants(app: &TestApp) {
    let api = Api::new(app);
    let world = World::load(&api).await;
    let Departments {
        unit,
        below,
        sibling,
    } = world.pick_departments();
    let central = Caller::token(app, "central_it", TENANT, None);
    // Work outside the whole department, so that the roles keep seeing different drafts.
    let subtree = world.subtree(&unit);
    let elsewhere = |list: &str| -> Vec<String> {
        world
            .central
            .rows(list)
            .iter()
            .filter(|(_, row)| !subtree.contains(&owner_unit(row)) && row["status"] != "DRAFT")
            .map(|(id, _)| id.clone())
            .collect()
    };
    // A draft of one of the two units that the other takes part in, where the owner has
    // another draft: the roles still see different drafts, and less than the department.
    let drafts_of = |unit: &str| world.owned_by(&world.subtree(unit)).1;
    let shared_draft = |owner: &str| {
        let drafts = drafts_of(owner);
        drafts
            .iter()
            .find(|id| decode(id).starts_with("Project:") || decode(id).starts_with("SubProject:"))
            .filter(|_| drafts.len() >= 2)
            .cloned()
    };
    let (reader, draft) = match shared_draft(&below) {
        Some(draft) => (&sibling, Some(draft)),
        None => (&below, shared_draft(&sibling)),
    };
    let field = |id: &Option<String>| match id.as_deref().map(decode) {
        Some(kind) if kind.starts_with("SubProject:") => "subProjectId",
        _ => "projectId",
    };
    let plan = [
        (field(&draft), draft.clone(), reader, "PARTICIPANT", false),
        (
            "projectId",
            elsewhere("projects").get(2).cloned(),
            &below,
            "PARTICIPANT",
            false,
        ),
        (
            "projectId",
            elsewhere("projects").first().cloned(),
            &sibling,
            "PARTICIPANT",
            false,
        ),
        (
            "projectId",
            elsewhere("projects").get(1).cloned(),
            &sibling,
            "REUSER",
            true,
        ),
        (
            "subProjectId",
            elsewhere("subProjects").first().cloned(),
            &sibling,
            "LEAD",
            false,
        ),
    ];
    let mut added = 0;
    for (field, work, unit, role, granted) in plan {
        let Some(work) = work else { continue };
        let data = api
            .data(
                &central,
                "mutation($i: AddParticipantInput!) { addParticipant(input: $i) { participant { id role } } }",
                json!({ "i": { field: work, "orgUnitId": unit, "role": role, "financialsGranted": granted } }),
            )
            .await;
        assert_eq!(data["addParticipant"]["participant"]["role"], role);
        added += 1;
    }
    assert!(
        draft.is_some() && added == 5,
        "the demo data has work for {added} participations only (a draft to share: {draft:?})"
    );
}

// ---------------------------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------------------------

/// Lists, their counts and every relation of every listed row, for every role.
async fn every_role_sees_exactly_what_the_policy_allows(backend: Backend) {
    let Some(app) = spawn(backend).await else {
        return;
    };
    let api = Api::new(&app);
    let world = World::load(&api).await;
    let roles = world.roles(&app);
    let mut failures = Vec::new();
    for role in roles.all() {
        failures.extend(world.check_rows(&api, role).await);
    }
    assert_no_failures(&failures);

    // The demo data must tell the roles apart, or the matrix proves little.
    let visible = |role: &Role| world.visible_to(&role.policy);
    let universe: HashSet<String> = world.universe.iter().cloned().collect();
    assert_eq!(visible(&roles.central), universe);
    assert!(
        strictly_within(&visible(&roles.public), &visible(&roles.council)),
        "the demo data has rows released to the council only"
    );
    assert!(
        strictly_within(&visible(&roles.council), &visible(&roles.department)),
        "the demo data has internal rows"
    );
    for role in [&roles.below, &roles.sibling] {
        assert!(
            strictly_within(&visible(role), &visible(&roles.department)),
            "{role} owns only some of the drafts of {}",
            roles.department
        );
    }
    assert_ne!(
        visible(&roles.below),
        visible(&roles.sibling),
        "sibling units see different drafts"
    );
    let projects: HashSet<String> = world.central.rows("projects").keys().cloned().collect();
    assert!(
        !visible(&roles.public).is_disjoint(&projects),
        "the public sees some project"
    );
    assert!(
        [&roles.below, &roles.sibling].iter().any(|role| {
            world.visible_to(&role.policy) != world.visible_to(&role.policy.without_shares())
        }),
        "a participation shows a department a draft it does not own"
    );
    api.report("every_role_sees_exactly_what_the_policy_allows");
}

/// Budgets, budget lines, funding, contacts, risks, internal notes and the `viewerCan...` flags
/// of every visible row, for every role.
async fn restricted_fields_are_null_exactly_where_the_policy_says(backend: Backend) {
    let Some(app) = spawn(backend).await else {
        return;
    };
    let api = Api::new(&app);
    let world = World::load(&api).await;
    let roles = world.roles(&app);
    let mut failures = Vec::new();
    // Per rule: how often the field was expected to show a value, and to withhold one.
    let mut shown = vec![0usize; FIELD_RULES.len()];
    let mut withheld = vec![0usize; FIELD_RULES.len()];
    // How many fields a participation decided (see `add_participants`).
    let mut by_participation = 0;
    for role in roles.all() {
        let seen = api.snapshot(&role.caller).await;
        failures.extend(seen.problems.iter().cloned());
        for (index, rule) in FIELD_RULES.iter().enumerate() {
            for (id, row) in seen.rows(rule.list) {
                let Some(truth) = world.index.get(id) else {
                    failures.push(format!("{role}: {} lists the unknown {id}", rule.list));
                    continue;
                };
                let holder = world.holder(truth);
                let allowed = (rule.allowed)(&role.policy, &holder);
                if allowed != (rule.allowed)(&role.policy.without_shares(), &holder) {
                    by_participation += 1;
                }
                let expected = match rule.kind {
                    FieldKind::Flag => json!(allowed),
                    FieldKind::Restricted if allowed => truth[rule.field].clone(),
                    FieldKind::Restricted => Value::Null,
                };
                if rule.kind == FieldKind::Flag || !truth[rule.field].is_null() {
                    if allowed {
                        shown[index] += 1;
                    } else {
                        withheld[index] += 1;
                    }
                }
                if row[rule.field] != expected {
                    failures.push(format!(
                        "{role}: {}.{} of {} is {}, expected {expected}",
                        rule.list,
                        rule.field,
                        world.describe(id),
                        row[rule.field]
                    ));
                }
            }
        }
    }
    assert_no_failures(&failures);
    for (index, rule) in FIELD_RULES.iter().enumerate() {
        assert!(
            shown[index] > 0 && withheld[index] > 0,
            "the demo data shows {}.{} to some roles and withholds it from others \
             (shown {} times, withheld {} times)",
            rule.list,
            rule.field,
            shown[index],
            withheld[index]
        );
    }
    assert!(
        by_participation >= 4,
        "participations decide some budgets, contacts and flags ({by_participation})"
    );
    api.report("restricted_fields_are_null_exactly_where_the_policy_says");
}

/// `node(id:)` resolves every visible row and answers `NOT_FOUND` for every hidden one, exactly
/// as for an id that does not exist.
async fn hidden_rows_are_not_found_by_id(backend: Backend) {
    let Some(app) = spawn(backend).await else {
        return;
    };
    let api = Api::new(&app);
    let world = World::load(&api).await;
    let roles = world.roles(&app);
    let missing = world.missing_ids();
    let mut failures = Vec::new();
    let mut hidden_total = 0;
    for role in roles.all() {
        let visible = world.visible_to(&role.policy);
        let (found, hidden): (Vec<String>, Vec<String>) = world
            .universe
            .iter()
            .cloned()
            .partition(|id| visible.contains(id));
        hidden_total += hidden.len();
        failures.extend(api.expect_found(&role.caller, &found, &world).await);
        let absent: Vec<String> = hidden.into_iter().chain(missing.iter().cloned()).collect();
        failures.extend(api.expect_not_found(&role.caller, &absent, &world).await);
    }
    assert_no_failures(&failures);
    assert!(hidden_total > 0, "some role has hidden rows to look for");
    api.report("hidden_rows_are_not_found_by_id");
}

/// Another tenant's central IT, council and public list none of the tenant's rows, reach none
/// through relations and resolve none by id.
async fn other_tenants_see_nothing(backend: Backend) {
    let Some(app) = spawn(backend).await else {
        return;
    };
    let api = Api::new(&app);
    let world = World::load(&api).await;
    let ours = world.central.every_id();
    let universe: Vec<String> = world.universe.iter().cloned().collect();
    let mut failures = Vec::new();
    for caller in [
        Caller::token(&app, "central_it", OTHER_TENANT, None),
        Caller::token(&app, "council", OTHER_TENANT, None),
        Caller::public(OTHER_TENANT),
    ] {
        let seen = api.snapshot(&caller).await;
        failures.extend(seen.problems.iter().cloned());
        let theirs = seen.every_id();
        assert!(
            !seen.rows("projects").is_empty(),
            "{caller} sees projects of its own"
        );
        for leaked in theirs.intersection(&ours) {
            failures.push(format!(
                "{caller} sees {} of {TENANT}",
                world.describe(leaked)
            ));
        }
        failures.extend(api.expect_not_found(&caller, &universe, &world).await);
    }
    assert_no_failures(&failures);
    api.report("other_tenants_see_nothing");
}

/// Relations to a single row (`Project.measure`, `Goal.parent`, `Strategy.predecessor`) lead
/// from a visible row to a hidden one nowhere in the demo data. Turning such parents into
/// drafts makes them: the relation must then be null for every role that may not see the
/// parent, and the matrix must hold as before.
async fn visible_rows_never_point_at_hidden_ones(backend: Backend) {
    let Some(app) = spawn(backend).await else {
        return;
    };
    let api = Api::new(&app);
    let demo = World::load(&api).await;
    let drafted = draft_parents_of_visible_rows(&app, &demo).await;
    let world = World::load(&api).await;
    let roles = world.roles(&app);
    let mut failures = Vec::new();
    let mut exercised = BTreeSet::new();
    for role in roles.all() {
        failures.extend(world.check_rows(&api, role).await);
        let visible = world.visible_to(&role.policy);
        for &(list, field, _) in PARENT_LINKS {
            let hidden_parent = pairs(world.central.rows(list), field)
                .into_iter()
                .any(|(row, parent)| visible.contains(&row) && !visible.contains(&parent));
            if hidden_parent {
                exercised.insert(format!("{list}.{field}"));
            }
        }
    }
    assert_no_failures(&failures);
    assert_eq!(
        exercised.len(),
        PARENT_LINKS.len(),
        "after drafting {drafted:?}, some role sees a row whose parent it may not see, \
         for every kind of link (found only {exercised:?})"
    );
    api.report("visible_rows_never_point_at_hidden_ones");
}

/// Relations from a row to one parent that may be hidden while the row is not: list, field
/// and the table of the parent.
const PARENT_LINKS: &[(&str, &str, &str)] = &[
    ("projects", "measure", "measure"),
    ("goals", "parent", "goal"),
    ("strategies", "predecessor", "strategy"),
];

/// Makes one parent of each [`PARENT_LINKS`] kind a draft, picked from central IT's view: the
/// parent of a non-draft row, preferably of one released to the public. Returns their names.
async fn draft_parents_of_visible_rows(app: &TestApp, world: &World) -> Vec<String> {
    use sea_orm::ConnectionTrait;

    let mut drafted = Vec::new();
    for &(list, field, table) in PARENT_LINKS {
        let candidates = world
            .central
            .rows(list)
            .values()
            .filter(|row| row["status"] != "DRAFT" && !row[field].is_null());
        let child = candidates
            .clone()
            .find(|row| row["visibility"] == "PUBLIC")
            .or_else(|| candidates.clone().next())
            .unwrap_or_else(|| panic!("the demo data has {list} with a {field}"));
        let parent = child[field]["id"].as_str().expect("a parent id");
        let row_id = decode(parent)
            .split_once(':')
            .and_then(|(_, number)| number.parse::<i32>().ok())
            .expect("a row id");
        app.state
            .db
            .execute_unprepared(&format!(
                "UPDATE {table} SET status = 'draft' WHERE id = {row_id}"
            ))
            .await
            .expect("draft the parent");
        // A change behind the API's back: move the tenants' data version on as every write
        // of the API does, so no cached response outlives it.
        app.state
            .db
            .execute_unprepared("UPDATE tenant SET data_version = data_version + 1")
            .await
            .expect("new data version");
        drafted.push(world.describe(parent));
    }
    drafted
}

/// Risks have no list of their own: they hang from the registers of projects and measures,
/// which only central IT and the owning department see. `node(id:)` finds a risk for exactly
/// the roles that see it in its work's register, and answers `NOT_FOUND` to everyone else,
/// other tenants included.
async fn risks_are_found_by_id_exactly_where_their_register_shows(backend: Backend) {
    let Some(app) = spawn(backend).await else {
        return;
    };
    let api = Api::new(&app);
    let world = World::load(&api).await;
    let roles = world.roles(&app);
    let mut risks: Vec<(String, String)> = Vec::new();
    for list in ["projects", "measures"] {
        for (work, row) in world.central.rows(list) {
            risks.extend(
                ids_in(&row["risks"])
                    .into_iter()
                    .map(|risk| (risk, work.clone())),
            );
        }
    }
    assert!(!risks.is_empty(), "the demo tenant has risks");
    let mut failures = Vec::new();
    let mut seen_by = Vec::new();
    for role in roles.all() {
        let visible = world.visible_to(&role.policy);
        let (mut found, mut hidden) = (Vec::new(), Vec::new());
        for (risk, work) in &risks {
            let holder = Holder::of(&world.index[work]);
            if visible.contains(work) && role.policy.can_see_risks(&holder) {
                found.push(risk.clone());
            } else {
                hidden.push(risk.clone());
            }
        }
        seen_by.push(found.len());
        failures.extend(api.expect_found(&role.caller, &found, &world).await);
        failures.extend(api.expect_not_found(&role.caller, &hidden, &world).await);
    }
    let ids: Vec<String> = risks.into_iter().map(|(risk, _)| risk).collect();
    for caller in [
        Caller::token(&app, "central_it", OTHER_TENANT, None),
        Caller::token(&app, "council", OTHER_TENANT, None),
        Caller::public(OTHER_TENANT),
    ] {
        failures.extend(api.expect_not_found(&caller, &ids, &world).await);
    }
    assert_no_failures(&failures);
    // Central IT, then the departments, the council and the public.
    assert_eq!(seen_by[0], ids.len());
    assert!(
        seen_by[1..4].iter().any(|&n| n > 0) && seen_by[1..4].iter().any(|&n| n < ids.len()),
        "the demo data shows some risks to some departments only: {seen_by:?}"
    );
    assert_eq!(
        &seen_by[4..],
        &[0, 0],
        "the council and the public see no risk"
    );
    api.report("risks_are_found_by_id_exactly_where_their_register_shows");
}
