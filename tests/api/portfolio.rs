//! The portfolio workbook: a city's whole portfolio out as one XLSX file and back in, into the
//! same tenant (nothing changes) or a new one (the same portfolio); bad workbooks are refused
//! whole, with every error named by sheet, line and column.

use std::collections::BTreeMap;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use rust_xlsxwriter::Workbook;
use serde_json::{Value, json};

use crate::{
    helpers::{Backend, TestApp, nodes, spawn_app},
    on_both,
    tenants::run,
};

on_both!(
    a_new_tenant_takes_the_portfolio_of_another,
    a_workbook_with_errors_changes_nothing,
    the_workbook_changes_what_it_names,
    the_cli_brings_a_workbook_into_a_tenant,
    the_workbook_holds_what_the_caller_may_see,
    the_workbook_carries_the_risk_registers_the_caller_may_see,
);

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A workbook as text cells: sheet name → rows.
pub(crate) type Book = Vec<(String, Vec<Vec<String>>)>;

pub(crate) async fn export(app: &TestApp, token: &str, lang: &str) -> Vec<u8> {
    let response = app
        .client
        .get(format!(
            "{}/exports/portfolio.xlsx?lang={lang}",
            app.address
        ))
        .bearer_auth(token)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers()["content-type"], XLSX);
    response.bytes().await.expect("body").to_vec()
}

pub(crate) async fn import(app: &TestApp, token: &str, query: &str, body: Vec<u8>) -> (u16, Value) {
    let response = app
        .client
        .post(format!("{}/imports/portfolio{query}", app.address))
        .bearer_auth(token)
        .header("content-type", XLSX)
        .body(body)
        .send()
        .await
        .expect("request");
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    (
        status,
        serde_json::from_str(&text).unwrap_or_else(|_| json!({ "raw": text })),
    )
}

/// Reads every sheet as text (numbers as Excel shows them without format, dates as ISO days).
pub(crate) fn read(bytes: &[u8]) -> Book {
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let names = book.sheet_names();
    names
        .into_iter()
        .map(|name| {
            let range = book.worksheet_range(&name).unwrap();
            let rows = range
                .rows()
                .map(|row| {
                    row.iter()
                        .map(|cell| match cell {
                            Data::Empty => String::new(),
                            Data::DateTime(d) => (chrono::NaiveDate::from_ymd_opt(1899, 12, 30)
                                .unwrap()
                                + chrono::Duration::days(d.as_f64() as i64))
                            .to_string(),
                            other => other.to_string(),
                        })
                        .collect()
                })
                .collect();
            (name, rows)
        })
        .collect()
}

/// Writes sheets of text cells.
pub(crate) fn write(book: &Book) -> Vec<u8> {
    let mut workbook = Workbook::new();
    for (name, rows) in book {
        let sheet = workbook.add_worksheet();
        sheet.set_name(name).unwrap();
        for (r, row) in (0u32..).zip(rows) {
            for (c, cell) in (0u16..).zip(row) {
                if !cell.is_empty() {
                    sheet.write_string(r, c, cell).unwrap();
                }
            }
        }
    }
    workbook.save_to_buffer().unwrap()
}

pub(crate) fn sheet<'a>(book: &'a mut Book, name: &str) -> &'a mut Vec<Vec<String>> {
    &mut book.iter_mut().find(|(n, _)| n == name).expect(name).1
}

pub(crate) fn col(rows: &[Vec<String>], header: &str) -> usize {
    rows[0].iter().position(|h| h == header).expect(header)
}

/// What central IT sees of a tenant's portfolio, ids aside: counts of every kind, the trees,
/// the links between rows.
async fn portfolio(app: &TestApp, token: &str) -> Value {
    let body = app
        .query(
            token,
            "{ orgUnits(first: 100) { totalCount edges { node { code name kind parent { code } lead { name email } } } }
               strategies(first: 100) { totalCount edges { node { title status adoptedOn periodStart visibility
                 goals(first: 100) { totalCount edges { node { code title parent { code } orgUnit { code }
                   indicators { name unit target direction targets { date value } values { measuredOn value } } } } } } } }
               measures(first: 100) { totalCount edges { node { code title kind priority status orgUnit { code } dueDate
                 plannedEffortDays targetGroup goals { code } indicators { name unit baseline targets { date value } values { value } }
                 risks { title description probability impact owner mitigation status reviewDate } } } }
               projects(first: 100) { totalCount edges { node { code title status orgUnit { code } measure { code }
                 indicators { name unit targets { date value } values { value } }
                 contact { name email } transferable goLiveOn categories { name } links { kind title url }
                 budgetLines { year source planned approved spent } funding { programme funder amount rate }
                 risks { title description probability impact owner mitigation status reviewDate }
                 subProjects(first: 100) { totalCount edges { node { code title orgUnit { code } dueDate } } }
                 milestones(first: 100) { totalCount edges { node { code title dueDate achievedOn subProject { code } } } } } } }
               categories(first: 100) { totalCount edges { node { name description } } } }",
            json!({}),
        )
        .await;
    let mut sorted = body.clone();
    sort_lists(&mut sorted);
    sorted
}

/// Lists in a canonical order, so that two tenants compare as sets.
fn sort_lists(value: &mut Value) {
    match value {
        Value::Array(items) => {
            for item in items.iter_mut() {
                sort_lists(item);
            }
            items.sort_by_key(ToString::to_string);
        }
        Value::Object(map) => {
            for item in map.values_mut() {
                sort_lists(item);
            }
        }
        _ => {}
    }
}

async fn new_tenant(app: &TestApp, key: &str) {
    app.query(
        &app.operator_token(),
        "mutation($i: CreateTenantInput!) { createTenant(input: $i) { tenant { id } } }",
        json!({ "i": { "key": key, "name": "Neue Stadt" } }),
    )
    .await;
}

async fn a_new_tenant_takes_the_portfolio_of_another(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let aachen = app.token("central_it", "aachen", None);
    let workbook = export(&app, &aachen, "de").await;
    let book = read(&workbook);
    let names: Vec<&str> = book.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "Organisationseinheiten",
            "Kategorien",
            "Strategien",
            "Ziele",
            "Maßnahmen",
            "Projekte",
            "Indikatoren",
            "Indikatorwerte",
            "Indikatorziele",
            "Links",
            "Teilprojekte",
            "Meilensteine",
            "Budget",
            "Förderung",
            "Projektrisiken",
            "Maßnahmenrisiken",
            "Beteiligte"
        ]
    );

    new_tenant(&app, "neustadt").await;
    let neu = app.token("central_it", "neustadt", None);

    // A dry run says what would happen and writes nothing.
    let (status, dry) = import(&app, &neu, "?dryRun=true", workbook.clone()).await;
    assert_eq!(dry["errors"], json!([]));
    assert_eq!(status, 200);
    assert_eq!(dry["applied"], false);
    assert_eq!(dry["totals"]["errors"], 0);
    assert!(
        dry["totals"]["create"].as_u64().unwrap() > 100,
        "{}",
        dry["totals"]
    );
    // The workbook's root unit is the new tenant's root: an update, not a second root.
    let root = &dry["rows"][0];
    assert_eq!(root["sheet"], "Organisationseinheiten");
    assert_eq!(root["action"], "update", "{root}");
    let counted = app
        .query(
            &neu,
            "{ measures { totalCount } orgUnits { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(counted["measures"]["totalCount"], 0);
    assert_eq!(counted["orgUnits"]["totalCount"], 1);

    let (status, done) = import(&app, &neu, "", workbook).await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["applied"], true);
    assert_eq!(done["totals"], dry["totals"]);

    // The same portfolio: every kind counted, the trees, the links, the profiles.
    let before = portfolio(&app, &aachen).await;
    let after = portfolio(&app, &neu).await;
    let diff = similar::TextDiff::from_lines(
        &serde_json::to_string_pretty(&before).unwrap(),
        &serde_json::to_string_pretty(&after).unwrap(),
    )
    .unified_diff()
    .to_string();
    assert!(diff.is_empty(), "{diff}");

    // Its own workbook, in English, comes back unchanged.
    let again = export(&app, &neu, "en").await;
    let (status, same) = import(&app, &neu, "?lang=en", again).await;
    assert_eq!(status, 200, "{same}");
    let totals = &same["totals"];
    assert_eq!(
        (totals["create"].as_u64(), totals["update"].as_u64()),
        (Some(0), Some(0)),
        "{}",
        json!(
            same["rows"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|r| r["action"] != "unchanged")
                .collect::<Vec<_>>()
        )
    );

    // The new city's first department report.
    let unit = nodes(&after["orgUnits"])
        .into_iter()
        .find(|u| u["code"] == "FB 15")
        .expect("FB 15");
    assert_eq!(unit["parent"]["code"], "DEZ II");
    let department = app.token("department", "neustadt", Some("FB 15/200"));
    let project = app
        .query(
            &department,
            "{ projects(filter: { search: \"EAKTE\" }) { edges { node { id code } } } }",
            json!({}),
        )
        .await;
    let project = &nodes(&project["projects"])[0];
    assert_eq!(project["code"], "EAKTE-ROLL");
    let report = app
        .query(
            &department,
            "mutation($i: SubmitStatusReportInput!) { submitStatusReport(input: $i) { statusReport { id } } }",
            json!({ "i": { "subjectId": project["id"], "progress": 40, "rag": "AMBER",
                           "summary": "Erster Bericht der neuen Stadt" } }),
        )
        .await;
    assert!(
        report["submitStatusReport"]["statusReport"]["id"].is_string(),
        "{report}"
    );
}

async fn a_workbook_with_errors_changes_nothing(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let workbook = export(&app, &central, "de").await;
    let before = portfolio(&app, &central).await;

    let mut book = read(&workbook);
    // A unit under itself by way of its child: a cycle.
    let units = sheet(&mut book, "Organisationseinheiten");
    let (code, parent) = (col(units, "Kürzel"), col(units, "Übergeordnet"));
    let root = units
        .iter()
        .position(|r| r[parent].is_empty() && r[code] != "Kürzel")
        .unwrap();
    let child = units
        .iter()
        .position(|r| r[parent] == units[root][code])
        .unwrap();
    units[root][parent] = units[child][code].clone();
    // A measure with a goal that does not exist, a date that is not one, a duplicate number.
    let measures = sheet(&mut book, "Maßnahmen");
    let (goals, due, title) = (
        col(measures, "Ziele"),
        col(measures, "Fällig"),
        col(measures, "Maßnahme"),
    );
    measures[1][goals] = "GIBT-ES-NICHT".into();
    measures[2][due] = "bald".into();
    let copy = measures[3].clone();
    measures.push(copy);
    measures[4][title] = String::new();
    // A number in a year column that is text, and an unknown project.
    let budget = sheet(&mut book, "Budget");
    let (year, project) = (col(budget, "Jahr"), col(budget, "Projekt"));
    budget[1][year] = "zweitausend".into();
    budget[2][project] = "P-UNBEKANNT".into();
    // A column with a default cannot be emptied on a row the tenant has.
    let projects = sheet(&mut book, "Projekte");
    let status = col(projects, "Status");
    projects[1][status] = String::new();
    // A sheet missing altogether is an error of its own.
    let mut without = book.clone();
    without.retain(|(name, _)| name != "Förderung");

    let (status, answer) = import(&app, &central, "", write(&book)).await;
    assert_eq!(status, 422, "{answer}");
    assert_eq!(answer["applied"], false);
    let errors = answer["errors"].as_array().unwrap();
    let found = |sheet: &str, column: &str, text: &str| {
        errors.iter().any(|e| {
            e["sheet"] == sheet
                && e["column"] == column
                && e["message"].as_str().unwrap().contains(text)
                && e["extensions"]["code"] == "BAD_USER_INPUT"
                && e["line"].as_u64().unwrap() > 1
        })
    };
    assert!(
        found("Organisationseinheiten", "Übergeordnet", "circle"),
        "{errors:#?}"
    );
    assert!(found("Maßnahmen", "Ziele", "GIBT-ES-NICHT"), "{errors:#?}");
    assert!(found("Maßnahmen", "Fällig", "not a date"), "{errors:#?}");
    assert!(
        found("Maßnahmen", "Nr.", "appears already in line 4"),
        "{errors:#?}"
    );
    assert!(
        found("Maßnahmen", "Maßnahme", "must not be empty"),
        "{errors:#?}"
    );
    assert!(found("Budget", "Jahr", "not a number"), "{errors:#?}");
    assert!(
        found("Projekte", "Status", "must not be empty"),
        "{errors:#?}"
    );
    assert!(found("Budget", "Projekt", "P-UNBEKANNT"), "{errors:#?}");
    assert_eq!(
        answer["totals"]["errors"].as_u64().unwrap() as usize,
        errors.len()
    );

    let (status, answer) = import(&app, &central, "", write(&without)).await;
    assert_eq!(status, 422, "{answer}");
    assert!(
        answer["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("Förderung"),
        "{answer}"
    );

    // Not a workbook at all, and CSV: refused with a code.
    let (status, answer) = import(&app, &central, "", b"not a zip".to_vec()).await;
    assert_eq!(status, 400, "{answer}");
    assert_eq!(answer["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
    let response = app
        .client
        .post(format!("{}/imports/portfolio", app.address))
        .bearer_auth(&central)
        .header("content-type", "text/csv")
        .body("Nr.;Maßnahme\n")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 415);

    // A body above the limit is refused before it is read.
    // (On a client of its own: the server closes the connection, which a pooled client
    // would try to use again.)
    let huge = vec![b'x'; 17 * 1024 * 1024];
    let response = reqwest::Client::new()
        .post(format!("{}/imports/portfolio?dryRun=true", app.address))
        .bearer_auth(&central)
        .header("content-type", XLSX)
        .body(huge)
        .send()
        .await;
    if let Ok(response) = response {
        assert_eq!(response.status().as_u16(), 413);
    }

    // Only central IT imports.
    let council = app.token("council", "aachen", None);
    let (status, _) = import(&app, &council, "", workbook.clone()).await;
    assert_eq!(status, 403);
    // Refused before the upload is read: the answer tells the client not to send its next
    // request on this connection, which the server drops with the unread rest.
    let refused = app
        .client
        .post(format!("{}/imports/portfolio", app.address))
        .bearer_auth(&council)
        .header("content-type", XLSX)
        .body(workbook.clone())
        .send()
        .await
        .expect("request");
    assert_eq!(refused.status().as_u16(), 403);
    assert_eq!(refused.headers()["connection"], "close");

    assert_eq!(portfolio(&app, &central).await, before);
}

async fn the_workbook_changes_what_it_names(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let mut book = read(&export(&app, &central, "en").await);
    let projects = sheet(&mut book, "Projects");
    let (title, status) = (col(projects, "Project"), col(projects, "Status"));
    let code = projects[1][col(projects, "Code")].clone();
    projects[1][title] = "Umbenanntes Projekt".into();
    projects[1][status] = "on hold".into();
    // A new milestone of that project, and a new sub-unit.
    let milestones = sheet(&mut book, "Milestones");
    let header = milestones[0].clone();
    let mut row = vec![String::new(); header.len()];
    row[col(milestones, "Project")] = code.clone();
    row[col(milestones, "Code")] = "M-NEU".into();
    row[col(milestones, "Milestone")] = "Neuer Meilenstein".into();
    row[col(milestones, "Due")] = "30.09.2027".into();
    milestones.push(row);
    let units = sheet(&mut book, "Org units");
    let mut unit = vec![String::new(); units[0].len()];
    unit[col(units, "Code")] = "FB 15/900".into();
    unit[col(units, "Name")] = "Neue Abteilung".into();
    unit[col(units, "Parent")] = "FB 15".into();
    units.push(unit);

    let (status, answer) = import(&app, &central, "?lang=en", write(&book)).await;
    assert_eq!(status, 200, "{answer}");
    let changed: Vec<&Value> = answer["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["action"] != "unchanged")
        .collect();
    assert_eq!(changed.len(), 3, "{changed:#?}");
    let update = changed.iter().find(|r| r["action"] == "update").unwrap();
    assert_eq!(update["sheet"], "Projects");
    let fields: BTreeMap<&str, &Value> = update["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["field"].as_str().unwrap(), &c["to"]))
        .collect();
    assert_eq!(
        fields,
        BTreeMap::from([
            ("status", &json!("ON_HOLD")),
            ("title", &json!("Umbenanntes Projekt"))
        ])
    );
    let read_back = app
        .query(
            &central,
            "query($s: String) { projects(filter: { search: $s }) { edges { node { title status
               milestones { edges { node { code dueDate } } } } } }
               units: orgUnits(filter: { search: \"Neue Abteilung\" }) { edges { node { parent { code } } } } }",
            json!({ "s": "Umbenanntes" }),
        )
        .await;
    let project = &nodes(&read_back["projects"])[0];
    assert_eq!(project["status"], "ON_HOLD");
    assert!(
        nodes(&project["milestones"])
            .iter()
            .any(|m| m["code"] == "M-NEU" && m["dueDate"] == "2027-09-30")
    );
    assert_eq!(nodes(&read_back["units"])[0]["parent"]["code"], "FB 15");
}

async fn the_cli_brings_a_workbook_into_a_tenant(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let aachen = app.token("central_it", "aachen", None);
    let dir = std::env::temp_dir().join(format!(
        "digidash-portfolio-{}-{backend:?}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("aachen.xlsx");
    let path = file.to_str().unwrap();
    let url = app.database_url();
    // The command line writes the workbook the route writes.
    let (ok, text) = run(
        url,
        &["tenant", "export", "aachen", "--workbook", "--output", path],
    );
    assert!(ok, "{text}");
    assert_eq!(
        read(&std::fs::read(&file).unwrap()),
        read(&export(&app, &aachen, "de").await)
    );

    let (ok, text) = run(url, &["tenant", "import", path, "--key", "kleve"]);
    assert!(!ok && text.contains("create it first"), "{text}");
    let (ok, text) = run(
        url,
        &[
            "tenant",
            "create",
            "--key",
            "kleve",
            "--name",
            "Stadt Kleve",
        ],
    );
    assert!(ok, "{text}");
    let (ok, text) = run(
        url,
        &["tenant", "import", path, "--key", "kleve", "--dry-run"],
    );
    assert!(ok, "{text}");
    assert!(
        text.contains("0 errors") && text.contains("dry run: nothing was written"),
        "{text}"
    );
    let kleve = app.token("central_it", "kleve", None);
    let count = "{ measures { totalCount } projects { totalCount } milestones { totalCount } }";
    assert_eq!(
        app.query(&kleve, count, json!({})).await["measures"]["totalCount"],
        0
    );
    let (ok, text) = run(url, &["tenant", "import", path, "--key", "kleve"]);
    assert!(ok && text.contains("written to tenant kleve"), "{text}");
    assert_eq!(
        app.query(&kleve, count, json!({})).await,
        app.query(&aachen, count, json!({})).await
    );

    // A workbook with an error writes nothing and says where the error is.
    let mut book = read(&std::fs::read(&file).unwrap());
    let measures = sheet(&mut book, "Maßnahmen");
    let due = col(measures, "Fällig");
    measures[1][due] = "irgendwann".into();
    std::fs::write(&file, write(&book)).unwrap();
    let (ok, text) = run(url, &["tenant", "import", path, "--key", "kleve"]);
    assert!(!ok, "{text}");
    assert!(text.contains("Maßnahmen, line 2, Fällig"), "{text}");
    assert!(text.contains("nothing was written"), "{text}");
    std::fs::remove_dir_all(&dir).ok();
}

async fn the_workbook_holds_what_the_caller_may_see(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let council = app.token("council", "aachen", None);
    let counts = "{ measures { totalCount } projects { totalCount } subProjects { totalCount } }";
    for token in [&central, &council] {
        let mut book = read(&export(&app, token, "de").await);
        let seen = app.query(token, counts, json!({})).await;
        for (sheet_name, list) in [
            ("Maßnahmen", "measures"),
            ("Projekte", "projects"),
            ("Teilprojekte", "subProjects"),
        ] {
            let rows = sheet(&mut book, sheet_name).len() - 1;
            assert_eq!(json!(rows), seen[list]["totalCount"], "{sheet_name}");
        }
        // Contact details only for central IT (and the owning department).
        let projects = sheet(&mut book, "Projekte");
        let contact = col(projects, "Ansprechperson");
        let named = projects[1..]
            .iter()
            .filter(|r| !r[contact].is_empty())
            .count();
        if token == &central {
            assert!(named > 0);
        } else {
            assert_eq!(named, 0);
        }
    }
    // The council sees fewer rows than central IT (drafts and internal rows stay hidden).
    let all = read(&export(&app, &central, "de").await);
    let some = read(&export(&app, &council, "de").await);
    let rows = |book: &Book| book.iter().map(|(_, r)| r.len()).sum::<usize>();
    assert!(rows(&some) < rows(&all));
    // Nobody without a token gets a workbook.
    let response = app
        .client
        .get(format!("{}/exports/portfolio.xlsx", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 401);
}

/// The risk registers go out on two sheets, each with the rows the caller may see, and come
/// back through the risk service: a probability of 6 is refused with its cell, and a workbook
/// written before the registers existed (without their sheets) still reads.
async fn the_workbook_carries_the_risk_registers_the_caller_may_see(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let department = app.token("department", "aachen", Some("FB 15/200"));
    let council = app.token("council", "aachen", None);
    let registers = "{ projects(first: 100) { edges { node { code orgUnit { code } risks { title } } } } measures(first: 100) { edges { node { code risks { title } } } } }";
    let count = |data: &Value, list: &str, unit: Option<&str>| {
        nodes(&data[list])
            .iter()
            .filter(|n| unit.is_none_or(|u| n["orgUnit"]["code"] == u))
            .map(|n| n["risks"].as_array().map_or(0, Vec::len))
            .sum::<usize>()
    };
    let all = app.query(&central, registers, json!({})).await;
    let mut book = read(&export(&app, &central, "de").await);
    let projects = sheet(&mut book, "Projektrisiken").clone();
    assert_eq!(projects.len() - 1, count(&all, "projects", None));
    assert_eq!(
        sheet(&mut book, "Maßnahmenrisiken").len() - 1,
        count(&all, "measures", None)
    );
    assert_eq!(
        projects[0],
        [
            "Projekt",
            "Risiko",
            "Wahrscheinlichkeit (1-5)",
            "Auswirkung (1-5)",
            "Verantwortlich",
            "Gegenmaßnahmen",
            "Status",
            "Überprüfung am",
            "Beschreibung"
        ]
    );
    let high = projects
        .iter()
        .find(|r| r[0] == "EAKTE-ROLL" && r[2] == "4")
        .expect("the high risk of EAKTE-ROLL");
    assert_eq!(
        (high[3].as_str(), high[4].as_str(), high[6].as_str()),
        ("4", "Katrin Wolters", "offen")
    );

    // A department: the registers of its own work; the council: none.
    let mut own = read(&export(&app, &department, "de").await);
    let own_projects = sheet(&mut own, "Projektrisiken");
    assert_eq!(
        own_projects.len() - 1,
        count(&all, "projects", Some("FB 15/200"))
    );
    assert!(
        own_projects[1..]
            .iter()
            .all(|r| r[0] == "EAKTE-ROLL" || r[0] == "PORTAL-50")
    );
    let mut theirs = read(&export(&app, &council, "de").await);
    assert_eq!(sheet(&mut theirs, "Projektrisiken").len(), 1);
    assert_eq!(sheet(&mut theirs, "Maßnahmenrisiken").len(), 1);

    // Back in: a changed impact and a new risk; a probability of 6 refuses the whole file.
    let rows = sheet(&mut book, "Projektrisiken");
    let at = rows
        .iter()
        .position(|r| r[0] == "PORTAL-50")
        .expect("a risk of PORTAL-50");
    rows[at][3] = "5".into();
    let mut new = rows[at].clone();
    new[1] = "Neues Risiko aus der Tabelle".into();
    new[2] = "6".into();
    rows.push(new);
    let (status, refused) = import(&app, &central, "", write(&book)).await;
    assert_eq!(status, 422, "{refused}");
    let error = &refused["errors"][0];
    assert_eq!(
        (
            &error["sheet"],
            &error["column"],
            &error["extensions"]["code"]
        ),
        (
            &json!("Projektrisiken"),
            &json!("Wahrscheinlichkeit (1-5)"),
            &json!("BAD_USER_INPUT")
        ),
        "{refused}"
    );
    assert_eq!(app.query(&central, registers, json!({})).await, all);
    let rows = sheet(&mut book, "Projektrisiken");
    let last = rows.len() - 1;
    rows[last][2] = "2".into();
    let (status, done) = import(&app, &central, "", write(&book)).await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(
        (
            done["totals"]["create"].as_u64(),
            done["totals"]["update"].as_u64()
        ),
        (Some(1), Some(1)),
        "{}",
        done["totals"]
    );
    let portal = app
        .query(&central, "{ projects(first: 100) { edges { node { code risks { title probability impact } } } } }", json!({}))
        .await;
    let portal = nodes(&portal["projects"])
        .into_iter()
        .find(|p| p["code"] == "PORTAL-50")
        .unwrap();
    let risks = portal["risks"].as_array().unwrap();
    assert!(
        risks
            .iter()
            .any(|r| r["title"] == "Neues Risiko aus der Tabelle" && r["probability"] == 2)
    );
    assert!(risks.iter().any(
        |r| r["title"] == "Hersteller liefert OZG-Schnittstelle verspätet" && r["impact"] == 5
    ));

    // A workbook of before: no risk sheets, nothing about risks changes.
    let mut old = read(&export(&app, &central, "de").await);
    old.retain(|(name, _)| !name.ends_with("risiken"));
    let (status, dry) = import(&app, &central, "?dryRun=true", write(&old)).await;
    assert_eq!((status, &dry["errors"]), (200, &json!([])), "{dry}");
    assert_eq!(dry["totals"]["update"], 0);
}
