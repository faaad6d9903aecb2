//! Budget lines, funding, project links and categories: kept by central IT, refused to every
//! other role and tenant, versioned, validated and audited.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use serde_json::{Value, json};

use crate::{
    helpers::{Backend, TestApp, nodes, spawn_app},
    on_both,
};

on_both!(
    central_it_creates_changes_and_deletes,
    other_roles_and_tenants_are_refused,
    stale_versions_conflict_and_change_nothing,
    bad_input_names_the_field_and_changes_nothing,
    category_names_are_unique_per_tenant,
);

/// One kind of row the mutations keep.
struct Kind {
    /// GraphQL type, as in `createBudgetLine(input: CreateBudgetLineInput!)`.
    name: &'static str,
    /// Field of the create and update payloads.
    field: &'static str,
    /// What is read of a row.
    selection: &'static str,
    /// The `Project` field the rows show in; `None` for the tenant's `categories`.
    on_project: Option<&'static str>,
    /// A valid new row, without `projectId`.
    input: fn() -> Value,
    /// A valid change: field and new value (also the stored name in the audit trail).
    change: (&'static str, &'static str),
    /// Whether the kind has a delete mutation.
    deletable: bool,
}

const KINDS: [Kind; 4] = [
    Kind {
        name: "BudgetLine",
        field: "budgetLine",
        selection: "id year source planned approved spent note version",
        on_project: Some("budgetLines"),
        input: || json!({ "year": 2027, "source": "FUNDING", "planned": "1000.00", "approved": "800.50", "note": "Landesförderung beantragt" }),
        change: ("planned", "1500.25"),
        deletable: true,
    },
    Kind {
        name: "Funding",
        field: "funding",
        selection: "id programme funder amount rate note version",
        on_project: Some("funding"),
        input: || json!({ "programme": "Digitale Modellregionen in NRW", "funder": "Land Nordrhein-Westfalen", "amount": "120000.00", "rate": "80" }),
        change: ("amount", "150000.00"),
        deletable: true,
    },
    Kind {
        name: "ProjectLink",
        field: "projectLink",
        selection: "id kind title url",
        on_project: Some("links"),
        input: || json!({ "kind": "DOCUMENT", "title": "Projektsteckbrief", "url": "https://www.aachen.de/egov/steckbrief.pdf" }),
        change: ("url", "https://www.aachen.de/egov/steckbrief-2027.pdf"),
        deletable: true,
    },
    Kind {
        name: "Category",
        field: "category",
        selection: "id name description",
        on_project: None,
        input: || json!({ "name": "Künstliche Intelligenz", "description": "KI in der Verwaltung" }),
        change: ("name", "KI und Daten"),
        deletable: false,
    },
];

/// The operations a kind may offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Create,
    Update,
    Delete,
}

const AUDIT: &str = "query($id: ID) { auditLog(subjectId: $id, first: 10) { edges { node { action subjectType changes } } } }";

impl Kind {
    fn named(name: &str) -> &'static Kind {
        KINDS.iter().find(|k| k.name == name).expect("a known kind")
    }

    /// The mutation of `op` and the payload field it answers in; `None` if the kind has none.
    fn mutation(&self, op: Op) -> Option<(String, String)> {
        let (name, field, selection) = (self.name, self.field, self.selection);
        let verb = match op {
            Op::Create => "create",
            Op::Update => "update",
            Op::Delete if self.deletable => "delete",
            Op::Delete => return None,
        };
        let returned = match op {
            Op::Delete => format!("deleted{name}Id"),
            _ => format!("{field} {{ {selection} }}"),
        };
        let upper = format!("{}{}", verb[..1].to_uppercase(), &verb[1..]);
        Some((
            format!(
                "mutation($input: {upper}{name}Input!) {{ {verb}{name}(input: $input) {{ {returned} }} }}"
            ),
            format!("{verb}{name}"),
        ))
    }

    /// A valid input of `op`: a new row of `project`, or a change to `row` read at `version`.
    fn input(&self, op: Op, project: &Value, row: &Value, version: i64) -> Value {
        match op {
            Op::Create => {
                let mut input = (self.input)();
                if self.on_project.is_some() {
                    input["projectId"] = project["id"].clone();
                }
                input
            }
            Op::Update => {
                let (field, value) = self.change;
                json!({ "id": row["id"], "version": version, field: value })
            }
            Op::Delete => json!({ "id": row["id"], "version": version }),
        }
    }

    /// Runs `op` with `input` as central IT of aachen; returns the payload's row (or id).
    async fn run(&self, app: &TestApp, op: Op, input: Value) -> Value {
        let (mutation, payload) = self.mutation(op).expect("an offered operation");
        let token = app.token("central_it", "aachen", None);
        let data = app
            .query(&token, &mutation, json!({ "input": input }))
            .await;
        match op {
            Op::Delete => data[&payload][format!("deleted{}Id", self.name)].clone(),
            _ => data[&payload][self.field].clone(),
        }
    }

    /// Creates a row of `project` as central IT.
    async fn create(&self, app: &TestApp, project: &Value) -> Value {
        let input = self.input(Op::Create, project, &Value::Null, 0);
        self.run(app, Op::Create, input).await
    }

    /// The rows as central IT reads them where they show.
    async fn rows(&self, app: &TestApp, project: &Value) -> Vec<Value> {
        let token = app.token("central_it", "aachen", None);
        let selection = self.selection;
        match self.on_project {
            Some(field) => {
                let query = format!(
                    "query($id: ID!) {{ node(id: $id) {{ ... on Project {{ rows: {field} {{ {selection} }} }} }} }}"
                );
                let data = app
                    .query(&token, &query, json!({ "id": project["id"] }))
                    .await;
                data["node"]["rows"].as_array().cloned().unwrap_or_default()
            }
            None => {
                let query = format!(
                    "{{ rows: categories(first: 100) {{ edges {{ node {{ {selection} }} }} }} }}"
                );
                nodes(&app.query(&token, &query, json!({})).await["rows"])
            }
        }
    }

    /// One row as central IT reads it, if it exists.
    async fn find(&self, app: &TestApp, project: &Value, id: &Value) -> Option<Value> {
        self.rows(app, project)
            .await
            .into_iter()
            .find(|row| &row["id"] == id)
    }
}

/// Whether two JSON values are equal, amounts compared by value ("80" and "80.0000").
fn same(a: &Value, b: &Value) -> bool {
    let number = |v: &Value| match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.parse::<f64>().ok(),
        _ => None,
    };
    match (number(a), number(b)) {
        (Some(a), Some(b)) => (a - b).abs() < 1e-9,
        _ => a == b,
    }
}

/// A running aachen project and the code of the unit leading it.
async fn project(app: &TestApp) -> (Value, String) {
    let central = app.token("central_it", "aachen", None);
    let data = app
        .query(&central, "{ projects(first: 1, filter: { status: [IN_PROGRESS] }) { edges { node { id version orgUnit { code } budget { planned } } } } }", json!({}))
        .await;
    let project = nodes(&data["projects"])
        .into_iter()
        .next()
        .expect("aachen has a running project");
    let owner = project["orgUnit"]["code"]
        .as_str()
        .expect("code")
        .to_owned();
    (project, owner)
}

/// The actions recorded for a row, newest first, with their changes.
async fn audit(app: &TestApp, kind: &Kind, id: &Value) -> Vec<(String, Value)> {
    let central = app.token("central_it", "aachen", None);
    nodes(&app.query(&central, AUDIT, json!({ "id": id })).await["auditLog"])
        .into_iter()
        .map(|entry| {
            assert_eq!(entry["subjectType"], kind.name);
            (
                entry["action"].as_str().unwrap_or_default().to_owned(),
                entry["changes"].clone(),
            )
        })
        .collect()
}

async fn central_it_creates_changes_and_deletes(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (project, _) = project(&app).await;
    for kind in &KINDS {
        let (field, value) = kind.change;
        let original = (kind.input)()[field].clone();
        let created = kind.create(&app, &project).await;
        assert!(same(&created[field], &original), "{}: {created}", kind.name);
        let shown = kind.find(&app, &project, &created["id"]).await;
        assert!(shown.is_some(), "{} shows where it belongs", kind.name);

        let input = kind.input(Op::Update, &project, &created, 1);
        let updated = kind.run(&app, Op::Update, input).await;
        assert!(same(&updated[field], &json!(value)), "{updated}");
        let shown = kind.find(&app, &project, &created["id"]).await.unwrap();
        assert!(same(&shown[field], &json!(value)), "{shown}");

        let mut expected = vec!["update", "create"];
        if kind.deletable {
            let input = kind.input(Op::Delete, &project, &created, 2);
            let deleted = kind.run(&app, Op::Delete, input).await;
            assert_eq!(deleted, created["id"]);
            assert!(kind.find(&app, &project, &created["id"]).await.is_none());
            expected.insert(0, "delete");
        }

        let entries = audit(&app, kind, &created["id"]).await;
        let actions: Vec<&str> = entries.iter().map(|(a, _)| a.as_str()).collect();
        assert_eq!(actions, expected, "{}", kind.name);
        let changes = |action: &str| {
            entries
                .iter()
                .find(|(a, _)| a == action)
                .map(|(_, c)| c[field].clone())
                .unwrap()
        };
        let create = changes("create");
        assert!(create["before"].is_null() && same(&create["after"], &original));
        let update = changes("update");
        assert!(same(&update["before"], &original), "{update}");
        assert!(same(&update["after"], &json!(value)), "{update}");
        if kind.deletable {
            let delete = changes("delete");
            assert!(same(&delete["before"], &json!(value)) && delete["after"].is_null());
        }
    }

    // A budget line counts in the project's sums.
    let line = Kind::named("BudgetLine").create(&app, &project).await;
    let (after, _) = self::project(&app).await;
    let planned = |p: &Value| {
        p["budget"]["planned"]
            .as_str()
            .unwrap()
            .parse::<f64>()
            .unwrap()
    };
    assert!((planned(&after) - planned(&project) - 1000.0).abs() < 1e-9);
    assert_eq!(line["planned"], "1000.00");
    assert_eq!(line["spent"], "0.00", "amounts left out are zero");
}

/// Runs `op` of `kind` as `token`; returns the error code.
async fn refused(app: &TestApp, token: Option<&str>, kind: &Kind, op: Op, input: Value) -> String {
    let (mutation, _) = kind.mutation(op).expect("an offered operation");
    app.error_code(token, &mutation, json!({ "input": input }))
        .await
}

async fn other_roles_and_tenants_are_refused(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (project, owner) = project(&app).await;
    let head = app.token("department", "aachen", Some(&owner));
    let council = app.token("council", "aachen", None);
    let stranger = app.token("central_it", "kisa", None);
    for kind in &KINDS {
        let row = kind.create(&app, &project).await;
        let before = kind.rows(&app, &project).await;
        for op in [Op::Create, Op::Update, Op::Delete] {
            if kind.mutation(op).is_none() {
                continue;
            }
            let input = kind.input(op, &project, &row, 1);
            let mut callers = vec![
                (Some(head.as_str()), "FORBIDDEN"),
                (Some(council.as_str()), "FORBIDDEN"),
                (None, "UNAUTHENTICATED"),
            ];
            // Another tenant's central IT does not see aachen's rows; its own categories
            // are its own business.
            match (op, kind.on_project) {
                (Op::Create, Some(_)) => callers.push((Some(stranger.as_str()), "BAD_USER_INPUT")),
                (Op::Create, None) => {}
                _ => callers.push((Some(stranger.as_str()), "NOT_FOUND")),
            }
            for (token, expected) in callers {
                let code = refused(&app, token, kind, op, input.clone()).await;
                assert_eq!(code, expected, "{} {op:?} by {token:?}", kind.name);
            }
        }
        assert_eq!(
            kind.rows(&app, &project).await,
            before,
            "{}: a refused write changes nothing",
            kind.name
        );
        assert_eq!(
            audit(&app, kind, &row["id"]).await.len(),
            1,
            "only the creation"
        );
    }
}

async fn stale_versions_conflict_and_change_nothing(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let (project, _) = project(&app).await;
    for kind in &KINDS {
        let row = kind.create(&app, &project).await;
        let first = kind.input(Op::Update, &project, &row, 1);
        kind.run(&app, Op::Update, first).await;
        let after_first = kind.find(&app, &project, &row["id"]).await;

        let mut stale = kind.input(Op::Update, &project, &row, 1);
        stale[kind.change.0] = (kind.input)()[kind.change.0].clone();
        assert_eq!(
            refused(&app, Some(&central), kind, Op::Update, stale).await,
            "CONFLICT",
            "{}",
            kind.name
        );
        if kind.deletable {
            let stale = kind.input(Op::Delete, &project, &row, 1);
            assert_eq!(
                refused(&app, Some(&central), kind, Op::Delete, stale).await,
                "CONFLICT",
                "{}",
                kind.name
            );
        }
        assert_eq!(
            kind.find(&app, &project, &row["id"]).await,
            after_first,
            "{}: the conflict changed nothing",
            kind.name
        );
        assert_eq!(audit(&app, kind, &row["id"]).await.len(), 2);
    }
}

async fn bad_input_names_the_field_and_changes_nothing(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let (project, _) = project(&app).await;
    let unknown_project = URL_SAFE_NO_PAD.encode("Project:99999");
    let long_url = format!("https://www.aachen.de/{}", "x".repeat(2000));
    let cases = [
        (
            "BudgetLine",
            Op::Create,
            "planned",
            json!({ "planned": "-1" }),
        ),
        (
            "BudgetLine",
            Op::Create,
            "approved",
            json!({ "approved": "10.005" }),
        ),
        (
            "BudgetLine",
            Op::Create,
            "spent",
            json!({ "spent": "-0.01" }),
        ),
        ("BudgetLine", Op::Create, "year", json!({ "year": 1800 })),
        (
            "BudgetLine",
            Op::Create,
            "note",
            json!({ "note": "x".repeat(20_001) }),
        ),
        (
            "BudgetLine",
            Op::Create,
            "projectId",
            json!({ "projectId": unknown_project }),
        ),
        ("BudgetLine", Op::Update, "year", json!({ "year": 2101 })),
        (
            "BudgetLine",
            Op::Update,
            "planned",
            json!({ "planned": "1.001" }),
        ),
        (
            "BudgetLine",
            Op::Update,
            "id",
            json!({ "id": project["id"] }),
        ),
        (
            "Funding",
            Op::Create,
            "programme",
            json!({ "programme": "  " }),
        ),
        (
            "Funding",
            Op::Create,
            "funder",
            json!({ "funder": "x".repeat(301) }),
        ),
        ("Funding", Op::Create, "amount", json!({ "amount": "-5" })),
        ("Funding", Op::Create, "rate", json!({ "rate": "100.01" })),
        ("Funding", Op::Create, "rate", json!({ "rate": "12.345" })),
        (
            "Funding",
            Op::Create,
            "projectId",
            json!({ "projectId": unknown_project }),
        ),
        (
            "Funding",
            Op::Update,
            "amount",
            json!({ "amount": "5.555" }),
        ),
        ("Funding", Op::Update, "rate", json!({ "rate": "-1" })),
        ("ProjectLink", Op::Create, "title", json!({ "title": "" })),
        (
            "ProjectLink",
            Op::Create,
            "url",
            json!({ "url": "ftp://www.aachen.de/plan.pdf" }),
        ),
        ("ProjectLink", Op::Create, "url", json!({ "url": long_url })),
        (
            "ProjectLink",
            Op::Create,
            "projectId",
            json!({ "projectId": unknown_project }),
        ),
        (
            "ProjectLink",
            Op::Update,
            "url",
            json!({ "url": "www.aachen.de" }),
        ),
        (
            "ProjectLink",
            Op::Update,
            "title",
            json!({ "title": "x".repeat(301) }),
        ),
        ("Category", Op::Create, "name", json!({ "name": " " })),
        (
            "Category",
            Op::Create,
            "description",
            json!({ "description": "x".repeat(20_001) }),
        ),
        ("Category", Op::Update, "name", json!({ "name": "" })),
    ];
    let mut rows = Vec::new();
    for kind in &KINDS {
        let row = kind.create(&app, &project).await;
        rows.push((kind.rows(&app, &project).await, row));
    }
    for (name, op, field, patch) in cases {
        let index = KINDS.iter().position(|k| k.name == name).unwrap();
        let kind = &KINDS[index];
        let mut input = kind.input(op, &project, &rows[index].1, 1);
        input
            .as_object_mut()
            .unwrap()
            .extend(patch.as_object().unwrap().clone());
        let (mutation, _) = kind.mutation(op).unwrap();
        let (status, body) = app
            .post(
                Some(&central),
                json!({ "query": mutation, "variables": { "input": input } }),
            )
            .await;
        assert!(status < 500, "{body}");
        let error = &body["errors"][0]["extensions"];
        assert_eq!(
            error["code"], "BAD_USER_INPUT",
            "{name} {op:?} {field}: {body}"
        );
        assert_eq!(error["field"], field, "{name} {op:?}: {body}");
    }
    // An unknown enum value never reaches the service.
    let (mutation, _) = Kind::named("BudgetLine").mutation(Op::Create).unwrap();
    let mut input = Kind::named("BudgetLine").input(Op::Create, &project, &Value::Null, 0);
    input["source"] = json!("CASH");
    let (status, body) = app
        .post(
            Some(&central),
            json!({ "query": mutation, "variables": { "input": input } }),
        )
        .await;
    assert!(
        status < 500 && body["errors"][0]["message"].is_string(),
        "{body}"
    );
    assert!(body["data"].is_null(), "{body}");

    for (kind, (before, row)) in KINDS.iter().zip(rows) {
        assert_eq!(
            kind.rows(&app, &project).await,
            before,
            "{}: a rejected write changes nothing",
            kind.name
        );
        assert_eq!(audit(&app, kind, &row["id"]).await.len(), 1);
    }
}

async fn category_names_are_unique_per_tenant(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let kind = Kind::named("Category");
    let (project, _) = project(&app).await;
    let taken = json!({ "name": "Klima", "description": "doppelt" });
    assert_eq!(
        refused(&app, Some(&central), kind, Op::Create, taken.clone()).await,
        "CONFLICT"
    );
    let created = kind.create(&app, &project).await;
    let before = kind.rows(&app, &project).await;
    let rename = json!({ "id": created["id"], "version": 1, "name": "Open Data" });
    assert_eq!(
        refused(&app, Some(&central), kind, Op::Update, rename).await,
        "CONFLICT"
    );
    assert_eq!(kind.rows(&app, &project).await, before, "nothing changed");

    // Another tenant keeps its own names.
    let kisa = app.token("central_it", "kisa", None);
    let (mutation, payload) = kind.mutation(Op::Create).unwrap();
    let theirs = app.query(&kisa, &mutation, json!({ "input": taken })).await;
    assert_eq!(theirs[&payload]["category"]["name"], "Klima");

    // Projects are tagged with the new category.
    let tag = "mutation($input: UpdateProjectInput!) { updateProject(input: $input) { project { categories { id name } } } }";
    let input = json!({ "id": project["id"], "version": project["version"], "categoryIds": [created["id"]] });
    let tagged = app.query(&central, tag, json!({ "input": input })).await;
    assert_eq!(
        tagged["updateProject"]["project"]["categories"],
        json!([{ "id": created["id"], "name": "Künstliche Intelligenz" }])
    );
}
