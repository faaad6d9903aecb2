//! Exports and the spreadsheet round trip, read back with a CSV parser and an XLSX reader and
//! compared with what GraphQL gives the same caller.

use std::collections::BTreeMap;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use serde_json::{Value, json};

use crate::{
    helpers::{Backend, TestApp, nodes, spawn_app},
    on_both,
};

on_both!(
    measures_export_matches_the_graphql_list,
    filters_and_order_of_the_list_apply_to_the_export,
    departments_and_council_get_their_rows_and_fields,
    import_round_trip_changes_exactly_one_cell,
    csv_round_trip_changes_nothing_and_multipart_works,
    invalid_cells_are_reported_and_nothing_is_applied,
    imports_are_for_central_it_only,
    imports_have_a_larger_body_limit_of_their_own,
    council_report_exports_match_the_graphql_report,
);

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A file download: status, content type, content disposition, bytes.
struct Download {
    status: u16,
    content_type: String,
    disposition: String,
    bytes: Vec<u8>,
}

async fn download(app: &TestApp, token: Option<&str>, path: &str) -> Download {
    let mut request = app.client.get(format!("{}{path}", app.address));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("request");
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    Download {
        status: response.status().as_u16(),
        content_type: header("content-type"),
        disposition: header("content-disposition"),
        bytes: response.bytes().await.expect("body").to_vec(),
    }
}

/// Posts a file to the import; returns status and JSON answer.
async fn import(
    app: &TestApp,
    token: Option<&str>,
    query: &str,
    content_type: &str,
    body: Vec<u8>,
) -> (u16, Value) {
    let mut request = app
        .client
        .post(format!("{}/imports/measures{query}", app.address))
        .header("content-type", content_type)
        .body(body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    (
        status,
        serde_json::from_str(&text).unwrap_or_else(|_| json!({ "raw": text })),
    )
}

/// The rows of an exported CSV (header first).
fn csv_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    assert!(bytes.starts_with(BOM), "CSV without byte order mark");
    csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .flexible(true)
        .from_reader(&bytes[BOM.len()..])
        .records()
        .map(|r| r.expect("CSV record").iter().map(str::to_owned).collect())
        .collect()
}

/// The cells of the first worksheet of an XLSX file.
fn xlsx_rows(bytes: &[u8]) -> (Vec<String>, Vec<Vec<Data>>) {
    let mut book: Xlsx<_> =
        open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).expect("XLSX");
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).expect("sheet");
    (
        book.sheet_names(),
        range.rows().map(<[Data]>::to_vec).collect(),
    )
}

/// A header row as the export header snapshots in `snapshots/` hold it: a column a line.
fn headers(columns: &[String]) -> String {
    columns.join("\n")
}

/// The header rows of several tables, each under its `[name]`, separated by empty lines.
fn sections(tables: &[(String, Vec<String>)]) -> String {
    tables
        .iter()
        .map(|(name, columns)| format!("[{name}]\n{}", headers(columns)))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The text of every cell of an XLSX row.
fn texts(row: &[Data]) -> Vec<String> {
    row.iter().map(ToString::to_string).collect()
}

const MEASURES: &str = "query($filter: MeasureFilter, $order: MeasureOrder) { measures(first: 100, filter: $filter, orderBy: $order) { totalCount edges { node { id version number title kind priority status rag progress visibility startDate dueDate orgUnit { code } goals { code } } } } }";

async fn measures(app: &TestApp, token: &str, filter: Value, order: Value) -> (u64, Vec<Value>) {
    let data = app
        .query(token, MEASURES, json!({ "filter": filter, "order": order }))
        .await;
    let total = data["measures"]["totalCount"].as_u64().expect("count");
    assert!(
        total <= 100,
        "the demo tenant has more measures than a page"
    );
    (total, nodes(&data["measures"]))
}

fn goal_codes(measure: &Value) -> String {
    let mut codes: Vec<&str> = measure["goals"]
        .as_array()
        .expect("goals")
        .iter()
        .filter_map(|g| g["code"].as_str())
        .collect();
    codes.sort_unstable();
    codes.join(", ")
}

fn rag_de(rag: &str) -> &'static str {
    match rag {
        "GREEN" => "grün",
        "AMBER" => "gelb",
        "RED" => "rot",
        other => panic!("unknown rag {other}"),
    }
}

async fn measures_export_matches_the_graphql_list(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let (total, list) = measures(&app, &central, Value::Null, Value::Null).await;
    assert!(total > 3);

    let csv = download(&app, Some(&central), "/exports/measures.csv").await;
    assert_eq!(csv.status, 200);
    assert_eq!(csv.content_type, "text/csv; charset=utf-8");
    let today = chrono::Utc::now().date_naive();
    assert!(
        csv.disposition.starts_with(&format!(
            "attachment; filename=\"digidash-aachen-massnahmen-{today}.csv\""
        )),
        "{}",
        csv.disposition
    );
    let rows = csv_rows(&csv.bytes);
    insta::assert_snapshot!("measures_csv_de", headers(&rows[0]));
    assert_eq!(rows.len() as u64 - 1, total);
    for (row, measure) in rows[1..].iter().zip(&list) {
        assert_eq!(row[0], measure["number"].as_str().unwrap());
        assert_eq!(row[1], measure["title"].as_str().unwrap());
        assert_eq!(row[5], rag_de(measure["rag"].as_str().unwrap()));
        assert_eq!(row[6], measure["progress"].to_string());
        assert_eq!(row[7], measure["orgUnit"]["code"].as_str().unwrap());
        assert_eq!(row[8], goal_codes(measure));
        assert_eq!(row[10], measure["dueDate"].as_str().unwrap_or_default());
    }

    let xlsx = download(&app, Some(&central), "/exports/measures.xlsx").await;
    assert_eq!(xlsx.status, 200);
    assert_eq!(xlsx.content_type, XLSX);
    assert!(
        xlsx.disposition
            .contains(&format!("massnahmen-{today}.xlsx"))
    );
    let (sheets, cells) = xlsx_rows(&xlsx.bytes);
    assert_eq!(sheets, ["Maßnahmen"]);
    let header = [(sheets[0].clone(), texts(&cells[0]))];
    insta::assert_snapshot!("measures_xlsx_de", sections(&header));
    assert_eq!(cells.len() as u64 - 1, total);
    for (row, measure) in cells[1..].iter().zip(&list) {
        assert_eq!(
            row[0],
            Data::String(measure["number"].as_str().unwrap().into())
        );
        let progress = measure["progress"].as_f64().unwrap() / 100.0;
        assert_eq!(row[6], Data::Float(progress), "progress is a percent cell");
        if let Some(due) = measure["dueDate"].as_str() {
            let Data::DateTime(cell) = &row[10] else {
                panic!("due date is not a date cell: {:?}", row[10]);
            };
            let day = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap()
                + chrono::Duration::days(cell.as_f64() as i64);
            assert_eq!(day.to_string(), due);
        }
    }

    let english = download(&app, Some(&central), "/exports/measures.csv?lang=en").await;
    let rows = csv_rows(&english.bytes);
    insta::assert_snapshot!("measures_csv_en", headers(&rows[0]));
    assert!(english.disposition.contains("digidash-aachen-measures-"));
    for (row, measure) in rows[1..].iter().zip(&list) {
        assert_eq!(row[5], measure["rag"].as_str().unwrap().to_lowercase());
    }
}

async fn filters_and_order_of_the_list_apply_to_the_export(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let filter = json!({ "status": ["IN_PROGRESS"] });
    let order = json!({ "field": "TITLE", "direction": "DESC" });
    let (total, list) = measures(&app, &central, filter.clone(), order.clone()).await;
    let path = format!(
        "/exports/measures.csv?filter={}&orderBy={}",
        urlencode(&filter.to_string()),
        urlencode(&order.to_string())
    );
    let rows = csv_rows(&download(&app, Some(&central), &path).await.bytes);
    assert_eq!(rows.len() as u64 - 1, total);
    let numbers: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    let expected: Vec<&str> = list.iter().map(|m| m["number"].as_str().unwrap()).collect();
    assert_eq!(numbers, expected);

    let bad = download(
        &app,
        Some(&central),
        "/exports/measures.csv?filter=%7Bstatus",
    )
    .await;
    assert_eq!(bad.status, 400);
    let body: Value = serde_json::from_slice(&bad.bytes).unwrap();
    assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
    let bad = download(&app, Some(&central), "/exports/measures.csv?lang=fr").await;
    assert_eq!(bad.status, 400);
    let unknown = download(&app, Some(&central), "/exports/goals.csv").await;
    assert_eq!(unknown.status, 404);
    let pdf = download(&app, Some(&central), "/exports/measures.pdf").await;
    assert_eq!(pdf.status, 404);
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

const PROJECTS: &str = "{ projects(first: 100) { totalCount edges { node { code title orgUnit { code } budget { planned approved spent } contact { name } measure { number } } } } }";

/// A German CSV amount as a number.
fn amount(text: &str) -> Option<f64> {
    (!text.is_empty()).then(|| text.replace(',', ".").parse().expect("amount"))
}

fn graphql_amount(value: &Value) -> Option<f64> {
    match value {
        Value::Null => None,
        Value::String(text) => Some(text.parse().expect("decimal")),
        other => other.as_f64(),
    }
}

/// Compares the projects export of a caller with the caller's `projects` list.
async fn projects_match(app: &TestApp, token: &str) -> Vec<Vec<String>> {
    let data = app.query(token, PROJECTS, json!({})).await;
    let list = nodes(&data["projects"]);
    let rows = csv_rows(
        &download(app, Some(token), "/exports/projects.csv")
            .await
            .bytes,
    );
    // Every role gets every column, empty where it may not see the field.
    insta::assert_snapshot!("projects_csv_de", headers(&rows[0]));
    assert_eq!(
        rows.len() as u64 - 1,
        data["projects"]["totalCount"].as_u64().unwrap()
    );
    for (row, project) in rows[1..].iter().zip(&list) {
        assert_eq!(row[1], project["title"].as_str().unwrap());
        assert_eq!(
            row[2],
            project["measure"]["number"].as_str().unwrap_or_default()
        );
        assert_eq!(
            amount(&row[9]),
            graphql_amount(&project["budget"]["planned"])
        );
        assert_eq!(
            amount(&row[10]),
            graphql_amount(&project["budget"]["approved"])
        );
        assert_eq!(
            amount(&row[11]),
            graphql_amount(&project["budget"]["spent"])
        );
        assert_eq!(
            row[12],
            project["contact"]["name"].as_str().unwrap_or_default()
        );
    }
    rows
}

async fn departments_and_council_get_their_rows_and_fields(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let all = projects_match(&app, &central).await;
    let owner = all[1][3].clone();
    let department = app.token("department", "aachen", Some(&owner));
    let council = app.token("council", "aachen", None);

    let seen = projects_match(&app, &department).await;
    assert!(
        seen[1..].iter().any(|r| r[3] != owner && r[9].is_empty()),
        "a department sees no budget of foreign projects"
    );
    assert!(seen[1..].iter().any(|r| r[3] == owner && !r[9].is_empty()));

    let seen = projects_match(&app, &council).await;
    assert!(
        seen.len() < all.len(),
        "the council sees released projects only"
    );
    assert!(
        seen[1..].iter().all(|r| r[12].is_empty()),
        "no contacts for the council"
    );

    let (total, list) = measures(&app, &council, Value::Null, Value::Null).await;
    let (all_total, _) = measures(&app, &central, Value::Null, Value::Null).await;
    assert!(total < all_total);
    let (_, cells) = xlsx_rows(
        &download(&app, Some(&council), "/exports/measures.xlsx")
            .await
            .bytes,
    );
    let numbers: Vec<Data> = cells[1..].iter().map(|r| r[0].clone()).collect();
    let expected: Vec<Data> = list
        .iter()
        .map(|m| Data::String(m["number"].as_str().unwrap().into()))
        .collect();
    assert_eq!(numbers, expected);
    assert!(
        cells[1..]
            .iter()
            .all(|r| r[11] != Data::String("intern".into()))
    );
}

/// Every measure as GraphQL shows it, by id.
async fn snapshot(app: &TestApp, token: &str) -> BTreeMap<String, Value> {
    let (_, list) = measures(app, token, json!({ "includeArchived": true }), Value::Null).await;
    list.into_iter()
        .map(|m| (m["id"].as_str().unwrap().to_owned(), m))
        .collect()
}

/// An XLSX copy of `rows` with the cells' types kept (dates as dates).
fn write_xlsx(rows: &[Vec<Data>]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let date = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match cell {
                Data::String(text) => {
                    sheet.write_string(r, c, text).unwrap();
                }
                Data::Float(value) => {
                    sheet.write_number(r, c, *value).unwrap();
                }
                Data::Int(value) => {
                    sheet.write_number(r, c, *value as f64).unwrap();
                }
                Data::DateTime(value) => {
                    sheet
                        .write_number_with_format(r, c, value.as_f64(), &date)
                        .unwrap();
                }
                Data::Empty => {}
                other => panic!("unexpected cell {other:?}"),
            }
        }
    }
    book.save_to_buffer().unwrap()
}

async fn import_round_trip_changes_exactly_one_cell(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let before = snapshot(&app, &central).await;
    let exported = download(&app, Some(&central), "/exports/measures.xlsx").await;
    let (_, mut cells) = xlsx_rows(&exported.bytes);
    let Data::String(number) = cells[2][0].clone() else {
        panic!("no number");
    };
    let Data::String(old_title) = cells[2][1].clone() else {
        panic!("no title");
    };
    let new_title = format!("{old_title} (überarbeitet)");
    cells[2][1] = Data::String(new_title.clone());
    let file = write_xlsx(&cells);

    let (status, answer) = import(&app, Some(&central), "?dryRun=true", XLSX, file.clone()).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["dryRun"], true);
    assert_eq!(answer["applied"], false);
    assert_eq!(answer["errors"], json!([]));
    let rows = answer["rows"].as_array().unwrap();
    assert_eq!(rows.len(), before.len());
    assert_eq!(answer["totals"]["update"], 1, "{answer}");
    assert_eq!(answer["totals"]["create"], 0);
    assert_eq!(answer["totals"]["unchanged"], before.len() - 1);
    let changed: Vec<&Value> = rows.iter().filter(|r| r["action"] != "unchanged").collect();
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0]["line"], 3);
    assert_eq!(changed[0]["number"], number.as_str());
    assert_eq!(changed[0]["action"], "update");
    assert_eq!(
        changed[0]["changes"],
        json!([{ "field": "title", "from": old_title, "to": new_title }])
    );
    let ignored = answer["ignoredColumns"].as_array().unwrap();
    assert!(ignored.contains(&json!("Ampel")) && ignored.contains(&json!("Fortschritt")));
    assert_eq!(
        snapshot(&app, &central).await,
        before,
        "a dry run changes nothing"
    );

    let (status, answer) = import(&app, Some(&central), "", XLSX, file).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["applied"], true);
    let after = snapshot(&app, &central).await;
    assert_eq!(after.len(), before.len());
    for (id, measure) in &before {
        let now = &after[id];
        if measure["number"] == number.as_str() {
            assert_eq!(now["title"], new_title.as_str());
            assert_eq!(now["version"], measure["version"].as_i64().unwrap() + 1);
            let mut expected = measure.clone();
            expected["title"] = json!(new_title);
            expected["version"] = now["version"].clone();
            assert_eq!(now, &expected, "only the title changed");
        } else {
            assert_eq!(now, measure, "{id} changed");
        }
    }
    let changed_id = before
        .iter()
        .find(|(_, m)| m["number"] == number.as_str())
        .map(|(id, _)| id.clone())
        .unwrap();
    let audit = app
        .query(
            &central,
            "query($id: ID!) { auditLog(subjectId: $id, first: 10) { edges { node { action subjectType } } } }",
            json!({ "id": changed_id }),
        )
        .await;
    assert!(
        nodes(&audit["auditLog"])
            .iter()
            .any(|e| e["action"] == "update" && e["subjectType"] == "Measure"),
        "the import left an audit entry: {audit}"
    );
}

async fn csv_round_trip_changes_nothing_and_multipart_works(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    // A draft strategy version copies the goals with their codes and the measure links:
    // goal codes are no longer unique, and the round trip must still change nothing.
    let adopted = app
        .query(
            &central,
            "{ strategies(filter: { status: [ADOPTED] }) { edges { node { id } } } }",
            json!({}),
        )
        .await;
    let source = nodes(&adopted["strategies"])[0]["id"].clone();
    app.query(
        &central,
        "mutation($i: CreateStrategyVersionInput!) { createStrategyVersion(input: $i) { strategy { id } } }",
        json!({ "i": { "strategyId": source, "title": "Digitale Strategie 2027" } }),
    )
    .await;
    let before = snapshot(&app, &central).await;
    assert!(
        before.values().any(|m| {
            let codes = goal_codes(m);
            let list: Vec<&str> = codes.split(", ").collect();
            list.windows(2).any(|w| w[0] == w[1])
        }),
        "a measure is linked to two goals of one code"
    );
    for lang in ["de", "en"] {
        let csv = download(
            &app,
            Some(&central),
            &format!("/exports/measures.csv?lang={lang}"),
        )
        .await;
        let (status, answer) = import(
            &app,
            Some(&central),
            "?dryRun=true",
            "text/csv; charset=utf-8",
            csv.bytes.clone(),
        )
        .await;
        assert_eq!(status, 200, "{answer}");
        assert_eq!(
            answer["totals"]["unchanged"],
            before.len(),
            "{lang}: {answer}"
        );
        assert_eq!(answer["totals"]["errors"], 0);
    }
    // A new measure through the multipart field `file`, applied.
    let text = "Nr.;Maßnahme;Art;Priorität;Status;Organisationseinheit;Ziele;Beginn;Fällig;Sichtbarkeit\r\n\
                M-IMP-1;Digitale Bauakte;Umsetzung;hoch;geplant;FB 15;DS24-Z1;01.01.2027;2027-12-31;Rat\r\n";
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(text.as_bytes().to_vec())
            .file_name("massnahmen.csv")
            .mime_str("text/csv")
            .unwrap(),
    );
    let response = app
        .client
        .post(format!("{}/imports/measures", app.address))
        .bearer_auth(&central)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let answer: Value = response.json().await.unwrap();
    assert_eq!(answer["totals"]["create"], 1, "{answer}");
    assert_eq!(answer["rows"][0]["action"], "create");
    let (_, list) = measures(&app, &central, json!({ "search": "M-IMP-1" }), Value::Null).await;
    assert_eq!(list.len(), 1);
    let created = &list[0];
    assert_eq!(created["title"], "Digitale Bauakte");
    assert_eq!(created["priority"], "HIGH");
    assert_eq!(created["status"], "PLANNED");
    assert_eq!(created["visibility"], "COUNCIL");
    assert_eq!(created["startDate"], "2027-01-01");
    assert_eq!(created["orgUnit"]["code"], "FB 15");
    assert_eq!(goal_codes(created), "DS24-Z1");
}

async fn invalid_cells_are_reported_and_nothing_is_applied(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let before = snapshot(&app, &central).await;
    let mut rows = csv_rows(
        &download(&app, Some(&central), "/exports/measures.csv")
            .await
            .bytes,
    );
    rows[1][1] = "Ein gültiger neuer Titel".into();
    rows[2][4] = "fast fertig".into();
    rows[3][10] = "morgen".into();
    let mut new_row = rows[1].clone();
    new_row[0] = "M-NEU".into();
    new_row[7] = "FB 99".into();
    rows.push(new_row);
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(BOM.to_vec());
    for row in &rows {
        writer.write_record(row).unwrap();
    }
    let file = writer.into_inner().unwrap();

    let (status, answer) = import(&app, Some(&central), "", "text/csv", file).await;
    assert_eq!(status, 422, "{answer}");
    assert_eq!(answer["applied"], false);
    let errors = answer["errors"].as_array().unwrap();
    let find = |line: usize, column: &str| {
        errors
            .iter()
            .find(|e| e["line"] == line && e["column"] == column)
            .unwrap_or_else(|| panic!("no error in line {line}, column {column}: {answer}"))
    };
    assert!(
        find(3, "Status")["message"]
            .as_str()
            .unwrap()
            .contains("fast fertig")
    );
    assert_eq!(find(3, "Status")["extensions"]["code"], "BAD_USER_INPUT");
    assert!(
        find(4, "Fällig")["message"]
            .as_str()
            .unwrap()
            .contains("morgen")
    );
    assert!(
        find(rows.len(), "Organisationseinheit")["message"]
            .as_str()
            .unwrap()
            .contains("FB 99")
    );
    assert_eq!(errors.len(), 3, "{answer}");
    assert_eq!(answer["totals"]["errors"], 3);
    assert_eq!(
        snapshot(&app, &central).await,
        before,
        "nothing was applied"
    );
}

async fn imports_are_for_central_it_only(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let csv = download(&app, Some(&central), "/exports/measures.csv")
        .await
        .bytes;
    let department = app.token("department", "aachen", Some("FB 15"));
    let council = app.token("council", "aachen", None);
    for token in [&department, &council] {
        let (status, answer) =
            import(&app, Some(token), "?dryRun=true", "text/csv", csv.clone()).await;
        assert_eq!(status, 403, "{answer}");
        assert_eq!(answer["errors"][0]["extensions"]["code"], "FORBIDDEN");
    }
    let (status, answer) = import(&app, None, "?dryRun=true", "text/csv", csv.clone()).await;
    assert_eq!(status, 401, "{answer}");
    assert_eq!(answer["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
    let (status, _) = import(
        &app,
        Some(&central),
        "?dryRun=true",
        "application/json",
        csv,
    )
    .await;
    assert_eq!(status, 415);
    let anonymous = download(&app, None, "/exports/measures.csv").await;
    assert_eq!(anonymous.status, 401);
    let body: Value = serde_json::from_slice(&anonymous.bytes).unwrap();
    assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
}

/// The council report files against the GraphQL council report of the same caller.
async fn council_report_exports_match_the_graphql_report(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let council = app.token("council", "aachen", None);
    let central = app.token("central_it", "aachen", None);
    // The council reads the live report once central IT has released it.
    let refused = download(
        &app,
        Some(&council),
        "/exports/council-report.csv?period=2026-Q3",
    )
    .await;
    assert_eq!(refused.status, 403);
    app.release_live_report(&central).await;
    let data = app
        .query(
            &council,
            "{ councilReport(period: \"2026-Q3\") { tenantName period goals { code measuresTotal measuresCompleted progressEnd measures { number } } totals { measures measuresCompleted budget { planned } } } }",
            json!({}),
        )
        .await;
    let report = &data["councilReport"];
    let goals = report["goals"].as_array().unwrap();

    let csv = download(
        &app,
        Some(&council),
        "/exports/council-report.csv?period=2026-Q3",
    )
    .await;
    assert_eq!(csv.status, 200);
    assert!(
        csv.disposition
            .contains("digidash-aachen-ratsbericht-2026-Q3.csv")
    );
    let rows = csv_rows(&csv.bytes);
    assert_eq!(rows[0], ["Übersicht"]);
    // A section starts with a line holding only its name; its header line follows.
    let names_and_headers: Vec<(String, Vec<String>)> = rows
        .iter()
        .zip(&rows[1..])
        .filter(|(name, _)| name.len() == 1)
        .map(|(name, header)| (name[0].clone(), header.clone()))
        .collect();
    insta::assert_snapshot!("council_report_csv_de", sections(&names_and_headers));
    for (row, goal) in rows[2..].iter().zip(goals) {
        assert_eq!(row[0], goal["code"].as_str().unwrap());
        assert_eq!(row[5], goal["measuresTotal"].to_string());
        assert_eq!(row[6], goal["measuresCompleted"].to_string());
    }
    let total = &rows[2 + goals.len()];
    assert_eq!(total[0], "Gesamt");
    assert_eq!(total[5], report["totals"]["measures"].to_string());

    let xlsx = download(
        &app,
        Some(&council),
        "/exports/council-report.xlsx?period=2026-Q3",
    )
    .await;
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(xlsx.bytes)).unwrap();
    assert_eq!(
        book.sheet_names(),
        ["Übersicht", "Maßnahmen", "Ampelwechsel"]
    );
    let names_and_headers: Vec<(String, Vec<String>)> = book
        .sheet_names()
        .into_iter()
        .map(|name| {
            let range = book.worksheet_range(&name).unwrap();
            let header = range.rows().next().map(texts).unwrap_or_default();
            (name, header)
        })
        .collect();
    insta::assert_snapshot!("council_report_xlsx_de", sections(&names_and_headers));
    let overview = book.worksheet_range("Übersicht").unwrap();
    for (i, goal) in goals.iter().enumerate() {
        if let Some(progress) = goal["progressEnd"].as_f64() {
            assert_eq!(
                overview.get((i + 1, 4)),
                Some(&Data::Float(progress / 100.0))
            );
        }
    }
    let measures = book.worksheet_range("Maßnahmen").unwrap();
    let expected: usize = goals
        .iter()
        .map(|g| g["measures"].as_array().unwrap().len())
        .sum();
    assert_eq!(measures.height(), expected + 1);

    let pdf = download(
        &app,
        Some(&council),
        "/exports/council-report.pdf?period=2026-Q3",
    )
    .await;
    assert_eq!(pdf.status, 200);
    assert_eq!(pdf.content_type, "application/pdf");
    let document = lopdf::Document::load_mem(&pdf.bytes).unwrap();
    let pages = document.get_pages().len() as u32;
    let text = document
        .extract_text(&(1..=pages).collect::<Vec<_>>())
        .unwrap();
    assert!(text.contains(report["tenantName"].as_str().unwrap()));
    assert!(text.contains(&format!("Seite 1 von {pages}")));
    for goal in goals {
        assert!(text.contains(goal["code"].as_str().unwrap()));
    }

    let missing = download(
        &app,
        Some(&council),
        "/exports/council-report.pdf?report=Q291bmNpbFJlcG9ydDo5OTk5",
    )
    .await;
    assert_eq!(missing.status, 404);

    // A published report exports as it was published, whatever changes later.
    let published = app
        .query(
            &central,
            "mutation { publishCouncilReport(input: { period: \"2026-Q3\" }) { report { id goals { code measuresTotal } } } }",
            json!({}),
        )
        .await["publishCouncilReport"]["report"]
        .clone();
    let path = format!(
        "/exports/council-report.csv?report={}",
        published["id"].as_str().unwrap()
    );
    let before = download(&app, Some(&council), &path).await;
    assert_eq!(before.status, 200);
    let rows = csv_rows(&before.bytes);
    for (row, goal) in rows[2..].iter().zip(published["goals"].as_array().unwrap()) {
        assert_eq!(row[0], goal["code"].as_str().unwrap());
        assert_eq!(row[5], goal["measuresTotal"].to_string());
    }
    let measure = &nodes(
        &app.query(&central, "{ measures(first: 1, filter: { visibility: [COUNCIL, PUBLIC] }) { edges { node { id version } } } }", json!({}))
            .await["measures"],
    )[0];
    app.query(
        &central,
        "mutation($i: UpdateMeasureInput!) { updateMeasure(input: $i) { measure { id } } }",
        json!({ "i": { "id": measure["id"], "version": measure["version"], "status": "CANCELLED" } }),
    )
    .await;
    let after = download(&app, Some(&council), &path).await;
    assert_eq!(csv_rows(&after.bytes), rows);
    let department = app.token("department", "aachen", Some("FB 36"));
    assert_eq!(download(&app, Some(&department), &path).await.status, 403);
}

async fn imports_have_a_larger_body_limit_of_their_own(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let rows = csv_rows(
        &download(&app, Some(&central), "/exports/measures.csv")
            .await
            .bytes,
    );
    // Two MiB of notes in a column the import ignores: above the 1 MiB of /graphql.
    let note = "x".repeat(2 * 1024 * 1024 / (rows.len() - 1) + 1);
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(BOM.to_vec());
    for (i, row) in rows.iter().enumerate() {
        let mut row = row.clone();
        row.push(if i == 0 { "Notiz".into() } else { note.clone() });
        writer.write_record(&row).unwrap();
    }
    let file = writer.into_inner().unwrap();
    assert!(file.len() > 2 * 1024 * 1024);
    let (status, answer) = import(&app, Some(&central), "?dryRun=true", "text/csv", file).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["totals"]["unchanged"], rows.len() - 1);
    assert!(
        answer["ignoredColumns"]
            .as_array()
            .unwrap()
            .contains(&json!("Notiz"))
    );

    // Above 10 MiB: 413, sent as soon as the length is known; the server may close the
    // connection before the client has written the body.
    let huge = vec![b'x'; 11 * 1024 * 1024];
    let response = app
        .client
        .post(format!("{}/imports/measures?dryRun=true", app.address))
        .bearer_auth(&central)
        .header("content-type", "text/csv")
        .body(huge)
        .send()
        .await;
    if let Ok(response) = response {
        assert_eq!(response.status().as_u16(), 413);
    }
}
