//! Tenants without SQL: the operator (`platform_admin`) creates and renames them and reads
//! nothing else; central IT sets its tenant's settings, which replace the installation's
//! defaults; the CLI creates, lists, shows and deletes them.

use std::process::Command;

use serde_json::{Value, json};

use crate::{
    helpers::{Backend, TestApp, TestDatabase, nodes, spawn_app, spawn_app_with},
    on_both,
};

on_both!(
    a_city_goes_live_without_sql,
    the_operator_manages_tenants_and_reads_nothing_else,
    settings_replace_the_installation_defaults,
    the_cli_creates_lists_shows_and_deletes_tenants,
    an_exported_tenant_imported_again_answers_the_same,
    a_tenant_moves_between_databases_and_backends,
);

const CREATE: &str = "mutation($i: CreateTenantInput!) { createTenant(input: $i) \
                      { tenant { id key name kind version settings { publicReads } } } }";

async fn answer(app: &TestApp, token: &str, query: &str, variables: Value) -> Value {
    let (status, body) = app
        .post(
            Some(token),
            json!({ "query": query, "variables": variables }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    body
}

fn code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_default()
}

async fn a_city_goes_live_without_sql(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let operator = app.operator_token();
    let created = app
        .query(
            &operator,
            CREATE,
            json!({ "i": { "key": "heinsberg", "name": "Kreis Heinsberg", "kind": "DISTRICT", "rootCode": "KV" } }),
        )
        .await["createTenant"]["tenant"]
        .clone();
    assert_eq!(created["key"], "heinsberg");
    assert_eq!(created["kind"], "DISTRICT");
    assert_eq!(created["settings"]["publicReads"], true);

    // Its first central IT token works at once: the root unit is there.
    let central = app.token("central_it", "heinsberg", None);
    let start = app
        .query(
            &central,
            "{ me { tenant { key name } } orgUnits { totalCount edges { node { id code name kind } } } \
               measures { totalCount } auditLog { edges { node { actorRole actionKind subjectKind } } } }",
            json!({}),
        )
        .await;
    assert_eq!(start["me"]["tenant"]["name"], "Kreis Heinsberg");
    assert_eq!(start["measures"]["totalCount"], 0);
    let units = nodes(&start["orgUnits"]);
    assert_eq!(units.len(), 1);
    assert_eq!(units[0]["code"], "KV");
    assert_eq!(units[0]["name"], "Kreis Heinsberg");
    // The operator's two creations open the tenant's audit trail.
    let entries = nodes(&start["auditLog"]);
    assert_eq!(entries.len(), 2, "{entries:?}");
    for entry in &entries {
        assert_eq!(entry["actorRole"], "PLATFORM_ADMIN");
        assert_eq!(entry["actionKind"], "CREATE");
    }

    // A department of a unit central IT creates can work in it: a measure and its report.
    let unit = app
        .query(
            &central,
            "mutation($i: CreateOrgUnitInput!) { createOrgUnit(input: $i) { orgUnit { id } } }",
            json!({ "i": { "code": "A 40", "name": "Amt für Digitalisierung", "kind": "DEPARTMENT", "parentId": units[0]["id"] } }),
        )
        .await["createOrgUnit"]["orgUnit"]["id"]
        .clone();
    let measure = app
        .query(
            &central,
            "mutation($i: CreateMeasureInput!) { createMeasure(input: $i) { measure { id } } }",
            json!({ "i": { "code": "M-1", "title": "E-Akte", "orgUnitId": unit, "status": "IN_PROGRESS" } }),
        )
        .await["createMeasure"]["measure"]["id"]
        .clone();
    let department = app.token("department", "heinsberg", Some("A 40"));
    let report = app
        .query(
            &department,
            "mutation($i: SubmitStatusReportInput!) { submitStatusReport(input: $i) { statusReport { progress } } }",
            json!({ "i": { "subjectId": measure, "progress": 10, "rag": "GREEN", "summary": "Gestartet" } }),
        )
        .await;
    assert_eq!(report["submitStatusReport"]["statusReport"]["progress"], 10);

    // The other tenants saw nothing of it.
    let aachen = app.token("central_it", "aachen", None);
    let units = app
        .query(
            &aachen,
            "{ orgUnits(filter: { search: \"Amt für Digitalisierung\" }) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(units["orgUnits"]["totalCount"], 0);
}

async fn the_operator_manages_tenants_and_reads_nothing_else(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let operator = app.operator_token();
    let list = app
        .query(
            &operator,
            "{ tenants(first: 100) { totalCount edges { node { id key version } } } }",
            json!({}),
        )
        .await;
    let keys: Vec<Value> = nodes(&list["tenants"])
        .iter()
        .map(|t| t["key"].clone())
        .collect();
    assert_eq!(
        keys,
        [
            json!("aachen"),
            json!("kisa"),
            json!("sachsen"),
            json!("tuk")
        ]
    );

    // Renamed at the version read; a stale version conflicts.
    let aachen = nodes(&list["tenants"])[0].clone();
    let update =
        "mutation($i: UpdateTenantInput!) { updateTenant(input: $i) { tenant { name version } } }";
    let renamed = app
        .query(
            &operator,
            update,
            json!({ "i": { "id": aachen["id"], "version": aachen["version"], "name": "Stadt Aachen (Kaiserstadt)" } }),
        )
        .await;
    assert_eq!(
        renamed["updateTenant"]["tenant"]["name"],
        "Stadt Aachen (Kaiserstadt)"
    );
    let stale = answer(
        &app,
        &operator,
        update,
        json!({ "i": { "id": aachen["id"], "version": aachen["version"], "name": "Nochmal" } }),
    )
    .await;
    assert_eq!(code(&stale), "CONFLICT", "{stale}");
    assert_eq!(stale["data"], json!({ "updateTenant": null }));

    // Bad keys and a key that exists are refused, and nothing is created.
    for key in ["", "Aachen", "aachen", "kreis heinsberg", "-x", "x--y"] {
        let body = answer(
            &app,
            &operator,
            CREATE,
            json!({ "i": { "key": key, "name": "Neu" } }),
        )
        .await;
        assert_eq!(code(&body), "BAD_USER_INPUT", "{key:?}: {body}");
    }
    let after = app
        .query(&operator, "{ tenants { totalCount } }", json!({}))
        .await;
    assert_eq!(after["tenants"]["totalCount"], 4);

    // The operator reads nothing of a tenant: no rows, no dashboard, no node, no export.
    for query in [
        "{ measures { totalCount } }",
        "{ portfolioDashboard { asOf } }",
        "{ me { sub } }",
    ] {
        let body = answer(&app, &operator, query, json!({})).await;
        assert_eq!(code(&body), "FORBIDDEN", "{query}: {body}");
    }
    let body = answer(
        &app,
        &operator,
        "query($id: ID!) { node(id: $id) { id } }",
        json!({ "id": aachen["id"] }),
    )
    .await;
    assert!(body["data"]["node"].is_null(), "{body}");
    let export = app
        .client
        .get(format!("{}/exports/measures.csv", app.address))
        .bearer_auth(&operator)
        .send()
        .await
        .expect("request");
    assert_eq!(export.status().as_u16(), 403);

    // Every role of a tenant is refused the operator's fields.
    for role in ["central_it", "council"] {
        let token = app.token(role, "aachen", None);
        let body = answer(&app, &token, "{ tenants { totalCount } }", json!({})).await;
        assert_eq!(code(&body), "FORBIDDEN", "{role}");
        let body = answer(
            &app,
            &token,
            CREATE,
            json!({ "i": { "key": "neu", "name": "Neu" } }),
        )
        .await;
        assert_eq!(code(&body), "FORBIDDEN", "{role}");
        assert_eq!(body["data"], json!({ "createTenant": null }));
    }
}

async fn settings_replace_the_installation_defaults(backend: Backend) {
    let Some(app) = spawn_app_with(backend, |config| config.public_access = true).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let read = "{ me { tenant { version settings { reportingCycleDays fiscalYearStartMonth \
                exportLanguage publicReads councilReportTitle councilReportIssuer } } } \
                portfolioDashboard { reportingCycleDays } }";
    let before = app.query(&central, read, json!({})).await;
    let settings = &before["me"]["tenant"]["settings"];
    assert_eq!(settings["reportingCycleDays"], Value::Null);
    assert_eq!(settings["fiscalYearStartMonth"], 1);
    assert_eq!(settings["exportLanguage"], "DE");
    assert_eq!(settings["publicReads"], true);
    assert_eq!(before["portfolioDashboard"]["reportingCycleDays"], 90);

    let update = "mutation($i: UpdateTenantSettingsInput!) { updateTenantSettings(input: $i) \
                  { tenant { version settings { reportingCycleDays exportLanguage publicReads \
                  councilReportTitle } } } }";
    let version = before["me"]["tenant"]["version"].clone();
    let changed = app
        .query(
            &central,
            update,
            json!({ "i": { "version": version, "reportingCycleDays": 30, "exportLanguage": "EN",
                    "publicReads": false, "councilReportTitle": "Digitalisierungsbericht",
                    "councilReportIssuer": "FB 15 – Digitale Verwaltung" } }),
        )
        .await["updateTenantSettings"]["tenant"]
        .clone();
    assert_eq!(changed["settings"]["reportingCycleDays"], 30);

    // The cycle of the dashboards, the language of exports, the report's title lines ...
    let now = app.query(&central, read, json!({})).await;
    assert_eq!(now["portfolioDashboard"]["reportingCycleDays"], 30);
    let csv = app
        .client
        .get(format!("{}/exports/measures.csv", app.address))
        .bearer_auth(&central)
        .send()
        .await
        .expect("request")
        .text()
        .await
        .expect("body");
    let english = csv.lines().next().unwrap_or_default().to_owned();
    let german = app
        .client
        .get(format!("{}/exports/measures.csv?lang=de", app.address))
        .bearer_auth(&central)
        .send()
        .await
        .expect("request")
        .text()
        .await
        .expect("body");
    assert_ne!(english, german.lines().next().unwrap_or_default());
    assert!(english.contains("Traffic light"), "{english}");
    let report = app
        .query(
            &central,
            "{ councilReport(period: \"2026-Q3\") { title issuer } }",
            json!({}),
        )
        .await;
    assert_eq!(report["councilReport"]["title"], "Digitalisierungsbericht");
    assert_eq!(
        report["councilReport"]["issuer"],
        "FB 15 – Digitale Verwaltung"
    );

    // ... and anonymous readers are turned away, though the installation allows them.
    let (status, body) = {
        let response = app
            .client
            .post(format!("{}/graphql", app.address))
            .header("x-tenant", "aachen")
            .json(&json!({ "query": "{ measures { totalCount } }" }))
            .send()
            .await
            .expect("request");
        let status = response.status().as_u16();
        (status, response.json::<Value>().await.expect("json"))
    };
    assert_eq!(code(&body), "UNAUTHENTICATED", "{status} {body}");
    let kisa = app
        .client
        .post(format!("{}/graphql", app.address))
        .header("x-tenant", "kisa")
        .json(&json!({ "query": "{ measures { totalCount } }" }))
        .send()
        .await
        .expect("request")
        .json::<Value>()
        .await
        .expect("json");
    assert!(kisa.get("errors").is_none(), "{kisa}");

    // Null returns a setting to the default; out of range and the other roles are refused.
    let version = changed["version"].clone();
    let reset = app
        .query(
            &central,
            update,
            json!({ "i": { "version": version, "reportingCycleDays": null, "exportLanguage": null } }),
        )
        .await["updateTenantSettings"]["tenant"]
        .clone();
    assert_eq!(reset["settings"]["reportingCycleDays"], Value::Null);
    assert_eq!(reset["settings"]["exportLanguage"], "DE");
    assert_eq!(reset["settings"]["publicReads"], false);
    for bad in [
        json!({ "reportingCycleDays": 0 }),
        json!({ "reportingCycleDays": -5 }),
        json!({ "fiscalYearStartMonth": 13 }),
        json!({ "publicReads": null }),
        json!({ "councilReportTitle": "x".repeat(301) }),
    ] {
        let mut input = json!({ "version": reset["version"] });
        input
            .as_object_mut()
            .unwrap()
            .extend(bad.as_object().unwrap().clone());
        let body = answer(&app, &central, update, json!({ "i": input })).await;
        assert_eq!(code(&body), "BAD_USER_INPUT", "{bad}: {body}");
    }
    let department = app.token("department", "aachen", Some("FB 36"));
    let body = answer(
        &app,
        &department,
        update,
        json!({ "i": { "version": reset["version"], "reportingCycleDays": 10 } }),
    )
    .await;
    assert_eq!(code(&body), "FORBIDDEN", "{body}");
}

fn digidash(database: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_digidash"));
    command
        .env("DATABASE_URL", database)
        .env("JWT_SECRET", crate::helpers::SECRET)
        .env("RUST_LOG", "warn");
    command
}

/// Runs `digidash ARGS` against `database`: whether it succeeded, and what it wrote.
pub(crate) fn run(database: &str, args: &[&str]) -> (bool, String) {
    let output = digidash(database)
        .args(args)
        .output()
        .expect("run digidash");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

async fn the_cli_creates_lists_shows_and_deletes_tenants(backend: Backend) {
    let Some(database) = TestDatabase::create(backend).await else {
        return;
    };
    let url = database.url.as_str();
    let (ok, text) = run(url, &["seed", "--demo"]);
    assert!(ok, "{text}");
    let (ok, text) = run(
        url,
        &[
            "tenant",
            "create",
            "--key",
            "viersen",
            "--name",
            "Kreis Viersen",
            "--kind",
            "district",
        ],
    );
    assert!(ok, "{text}");
    assert!(text.contains("viersen"), "{text}");
    for refused in [
        vec![
            "tenant",
            "create",
            "--key",
            "viersen",
            "--name",
            "Noch einmal",
        ],
        vec!["tenant", "create", "--key", "Viersen!", "--name", "X"],
        vec![
            "tenant", "create", "--key", "neu", "--name", "X", "--kind", "planet",
        ],
        vec!["tenant", "show", "gibt-es-nicht"],
    ] {
        let (ok, text) = run(url, &refused);
        assert!(!ok, "{refused:?} succeeded: {text}");
    }
    let (ok, list) = run(url, &["tenant", "list"]);
    assert!(ok, "{list}");
    let keys: Vec<&str> = list
        .lines()
        .filter_map(|line| line.split('\t').next())
        .collect();
    assert_eq!(keys, ["aachen", "kisa", "sachsen", "tuk", "viersen"]);
    let (ok, show) = run(url, &["tenant", "show", "viersen"]);
    assert!(ok, "{show}");
    assert!(show.contains("org units\t1"), "{show}");

    // The demo tenant aachen: without --yes nothing changes; with it every row of aachen
    // goes and the other tenants keep theirs.
    let counts = |key: &str| {
        let (ok, show) = run(url, &["tenant", "show", key]);
        assert!(ok, "{show}");
        show.lines()
            .filter(|line| {
                line.split('\t')
                    .nth(1)
                    .is_some_and(|n| n.parse::<u64>().is_ok())
            })
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    let aachen = counts("aachen");
    let others: Vec<Vec<String>> = ["kisa", "sachsen", "tuk", "viersen"].map(counts).into();
    assert!(
        aachen
            .iter()
            .any(|line| line.starts_with("status reports\t"))
    );
    let (ok, dry) = run(url, &["tenant", "delete", "aachen"]);
    assert!(ok && dry.contains("would delete"), "{dry}");
    assert_eq!(counts("aachen"), aachen);
    let (ok, done) = run(url, &["tenant", "delete", "aachen", "--yes"]);
    assert!(ok && done.contains("deleted tenant aachen"), "{done}");
    let (ok, _) = run(url, &["tenant", "show", "aachen"]);
    assert!(!ok, "aachen is gone");
    let after: Vec<Vec<String>> = ["kisa", "sachsen", "tuk", "viersen"].map(counts).into();
    assert_eq!(after, others);
    // Nothing of aachen is left in any table.
    use sea_orm::{ConnectionTrait, Database};
    let db = Database::connect(url).await.expect("connect");
    for table in [
        "audit_entry",
        "status_report",
        "measure",
        "goal",
        "org_unit",
        "project",
    ] {
        let row = db
            .query_one_raw(sea_orm::Statement::from_string(
                db.get_database_backend(),
                format!(
                    "SELECT COUNT(*) FROM {table} WHERE tenant_id NOT IN (SELECT id FROM tenant)"
                ),
            ))
            .await
            .expect("count")
            .expect("row");
        assert_eq!(row.try_get_by_index::<i64>(0).expect("count"), 0, "{table}");
    }
    db.close().await.expect("close");
}

/// `value` without what differs between a tenant and its import: ids (and global ids), the
/// tenant's key, cursors, and the fraction of a second of a time.
fn without_ids(value: &Value) -> Value {
    match value {
        Value::Object(fields) => Value::Object(
            fields
                .iter()
                .filter(|(name, _)| {
                    !(name.as_str() == "id"
                        || name.ends_with("_id")
                        || name.ends_with("Id")
                        || ["cursor", "endCursor", "startCursor", "tenantKey", "key"]
                            .contains(&name.as_str()))
                })
                .map(|(name, value)| (name.clone(), without_ids(value)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_ids).collect()),
        Value::String(text) => {
            if let Ok(time) = chrono::DateTime::parse_from_rfc3339(text) {
                return Value::String(time.format("%Y-%m-%dT%H:%M:%S").to_string());
            }
            // Decimals keep their scale on PostgreSQL (`180000.00`), not on SQLite.
            let numeric = !text.is_empty()
                && text
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
                && text.parse::<f64>().is_ok();
            if numeric && text.contains('.') {
                let trimmed = text.trim_end_matches('0').trim_end_matches('.');
                return Value::String(trimmed.to_owned());
            }
            value.clone()
        }
        _ => value.clone(),
    }
}

/// What central IT of a tenant reads: every list with its rows' fields and relations (in
/// parts, each within the complexity limit).
const EVERYTHING: [&str; 6] = [
    "{ me { tenant { name kind settings { reportingCycleDays exportLanguage } } } \
       orgUnits(first: 100) { totalCount edges { node { code name kind parent { code } lead { name email } } } } \
       steeringMeetings { totalCount } categories { totalCount } \
       applications(first: 100) { totalCount edges { node { title status submittedOn meeting { title heldOn } } } } }",
    "{ strategies { totalCount edges { node { title status revision goals(first: 100) { edges { node { code title \
       parent { code } indicators { name unit baseline target values { measuredOn value } } } } } } } } }",
    "{ measures(first: 100) { totalCount edges { node { code title status rag progress dueDate plannedEffortDays \
       goals { code } orgUnit { code } statusReports(first: 20) { edges { node { reportedOn progress rag summary risks } } } } } } }",
    "{ projects(first: 100) { totalCount edges { node { code title status progress dueDate measure { code } \
       categories { name } budget { planned approved spent } budgetLines { year planned approved spent } \
       funding { programme amount } links { title url } milestones(first: 20) { totalCount } } } } }",
    "{ subProjects(first: 100) { totalCount edges { node { code title project { code } \
       milestones(first: 20) { edges { node { code dueDate achievedOn } } } } } } }",
    "{ councilReports { period title goals { code goal { code } measures { code measure { code } } \
       ragChanges { subject { code } } } } \
       auditLog(first: 100) { totalCount edges { node { actor actionKind subjectKind subject { __typename } } } } }",
];

/// The answers of [`EVERYTHING`] for `token`, without ids.
async fn everything(app: &TestApp, token: &str) -> Vec<Value> {
    let mut answers = Vec::new();
    for query in EVERYTHING {
        answers.push(without_ids(&app.query(token, query, json!({})).await));
    }
    answers
}

pub(crate) fn save(text: &str) -> std::path::PathBuf {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let path = std::env::temp_dir().join(format!(
        "digidash-tenant-{}-{}.json",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::write(&path, text).expect("write");
    path
}

async fn an_exported_tenant_imported_again_answers_the_same(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let url = app.state.config.database_url.clone().expect("database url");
    let central = app.token("central_it", "aachen", None);
    // A published report, whose links must follow the rows into the copy.
    app.query(
        &central,
        "mutation { publishCouncilReport(input: { period: \"2026-Q3\" }) { report { id } } }",
        json!({}),
    )
    .await;
    let original = everything(&app, &central).await;

    let (ok, file) = run(&url, &["tenant", "export", "aachen"]);
    assert!(ok, "{file}");
    let path = save(&file);
    let (ok, text) = run(
        &url,
        &[
            "tenant",
            "import",
            path.to_str().unwrap(),
            "--key",
            "aachen-kopie",
        ],
    );
    assert!(ok, "{text}");
    let copy = app.token("central_it", "aachen-kopie", None);
    let mut imported = everything(&app, &copy).await;
    let mut original = original;
    // The import itself is the copy's one audit entry more.
    let trail = |answers: &mut Vec<Value>| {
        let log = answers[5]["auditLog"].take();
        log["totalCount"].as_i64().unwrap()
    };
    assert_eq!(trail(&mut imported), trail(&mut original) + 1);
    for (a, b) in original.iter().zip(&imported) {
        assert_eq!(a, b);
    }
    let imported = app.query(&copy, EVERYTHING[5], json!({})).await;
    // The links of the published report lead to the copy's rows.
    let links = &imported["councilReports"][0]["goals"];
    assert!(
        links
            .as_array()
            .unwrap()
            .iter()
            .any(|goal| goal["goal"]["code"].is_string()),
        "{links}"
    );

    // Bad files change nothing: another key exists, a newer version, a truncated file.
    let (ok, text) = run(&url, &["tenant", "import", path.to_str().unwrap()]);
    assert!(!ok && text.contains("exists"), "{text}");
    let mut edited: Value = serde_json::from_str(&file).expect("json");
    edited["version"] = json!(99);
    let newer = save(&edited.to_string());
    let (ok, text) = run(
        &url,
        &["tenant", "import", newer.to_str().unwrap(), "--key", "neu"],
    );
    assert!(!ok && text.contains("version 99"), "{text}");
    let truncated = save(&file[..file.len() / 2]);
    let (ok, text) = run(
        &url,
        &[
            "tenant",
            "import",
            truncated.to_str().unwrap(),
            "--key",
            "neu",
        ],
    );
    assert!(!ok && text.contains("does not parse"), "{text}");
    // A measure whose title is a number, and one that refers to a unit the file lacks.
    let mut edited: Value = serde_json::from_str(&file).expect("json");
    edited["tables"]["measure"][0]["title"] = json!(17);
    let broken = save(&edited.to_string());
    let mut edited: Value = serde_json::from_str(&file).expect("json");
    edited["tables"]["measure"][0]["org_unit_id"] = json!(999_999);
    let dangling = save(&edited.to_string());
    let (ok, text) = run(
        &url,
        &[
            "tenant",
            "import",
            dangling.to_str().unwrap(),
            "--key",
            "neu",
        ],
    );
    assert!(!ok && text.contains("lacks"), "{text}");
    let (ok, text) = run(
        &url,
        &["tenant", "import", broken.to_str().unwrap(), "--key", "neu"],
    );
    assert!(!ok && text.contains("measure: row 1"), "{text}");
    let (_, list) = run(&url, &["tenant", "list"]);
    assert!(!list.contains("neu"), "{list}");
    for path in [path, newer, truncated, broken, dangling] {
        let _ = std::fs::remove_file(path);
    }
}

async fn a_tenant_moves_between_databases_and_backends(backend: Backend) {
    // From this backend's demo database into an empty one of the other backend, and back:
    // the file read back out is the file written, ids aside.
    let other = match backend {
        Backend::Sqlite => Backend::Postgres,
        Backend::Postgres => Backend::Sqlite,
    };
    let (Some(from), Some(to)) = (
        TestDatabase::create(backend).await,
        TestDatabase::create(other).await,
    ) else {
        return;
    };
    let (ok, text) = run(&from.url, &["seed", "--demo"]);
    assert!(ok, "{text}");
    let (ok, first) = run(&from.url, &["tenant", "export", "tuk"]);
    assert!(ok, "{first}");
    let path = save(&first);
    let (ok, text) = run(&to.url, &["tenant", "import", path.to_str().unwrap()]);
    assert!(ok, "{text}");
    let (ok, second) = run(&to.url, &["tenant", "export", "tuk"]);
    assert!(ok, "{second}");
    let _ = std::fs::remove_file(path);
    let tables = |text: &str| {
        let file: Value = serde_json::from_str(text).expect("json");
        let mut tables = without_ids(&file["tables"]);
        // The import's own entry opens the moved tenant's trail.
        let trail = tables["audit_entry"].as_array_mut().unwrap();
        trail.retain(|entry| entry["actor"] != "cli:".to_owned() + &whoami());
        tables
    };
    let (a, b) = (tables(&first), tables(&second));
    for (name, rows) in a.as_object().unwrap() {
        assert_eq!(rows, &b[name], "{name}");
    }
}

fn whoami() -> String {
    std::env::var("USER").unwrap_or_else(|_| "unknown".into())
}
