//! Indicators on goals, measures and projects: target paths, status, chart series, who may
//! write them, bad input, the council report's charts and the workbook.

use calamine::{Reader, Xlsx, open_workbook_from_rs};
use serde_json::{Value, json};

use crate::{
    helpers::{Backend, TestApp, nodes, spawn_app},
    on_both,
};

on_both!(
    the_target_path_gives_status_and_series,
    indicators_hang_from_goals_measures_and_projects,
    writes_follow_the_parent,
    bad_targets_are_refused_and_nothing_is_written,
    the_council_report_draws_a_chart_per_goal_indicator,
    the_workbook_names_parents_and_carries_the_path,
);

const INDICATOR: &str = "id version name target targetDate direction higherIsBetter status \
     targets { date value } goal { code } measure { number } project { code }";

fn create_query() -> String {
    format!(
        "mutation($i: CreateIndicatorInput!) {{ createIndicator(input: $i) {{ indicator {{ {INDICATOR} }} }} }}"
    )
}

fn update_query() -> String {
    format!(
        "mutation($i: UpdateIndicatorInput!) {{ updateIndicator(input: $i) {{ indicator {{ {INDICATOR} }} }} }}"
    )
}

/// The ids of a goal (by code), a measure (by number) and a project (by code) of the demo.
async fn ids(app: &TestApp, token: &str) -> (String, String, String) {
    let data = app
        .query(
            token,
            "{ goals(first: 100) { edges { node { id code } } }
               measures(first: 100) { edges { node { id number } } }
               projects(first: 100) { edges { node { id code } } } }",
            json!({}),
        )
        .await;
    let find = |list: &str, field: &str, value: &str| {
        nodes(&data[list])
            .into_iter()
            .find(|n| n[field] == value)
            .unwrap_or_else(|| panic!("{list} {value}"))["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    (
        find("goals", "code", "DS24-Z1"),
        find("measures", "number", "2024/02"),
        find("projects", "code", "EAKTE-ROLL"),
    )
}

/// The `BAD_USER_INPUT` field of a refused request.
async fn bad_field(app: &TestApp, token: &str, query: &str, input: Value) -> String {
    let (_, body) = app
        .post(
            Some(token),
            json!({ "query": query, "variables": { "i": input } }),
        )
        .await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{body}"
    );
    body["errors"][0]["extensions"]["field"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

async fn the_target_path_gives_status_and_series(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let (goal, _, _) = ids(&app, &central).await;
    let created = app
        .query(
            &central,
            &create_query(),
            json!({ "i": {
                "goalId": goal, "name": "Digitale Anträge", "unit": "%",
                "baseline": "10", "baselineDate": "2024-01-01",
                "direction": "HIGHER_IS_BETTER",
                "targets": [
                    { "date": "2026-01-01", "value": "40" },
                    { "date": "2025-01-01", "value": "20" },
                ],
            } }),
        )
        .await["createIndicator"]["indicator"]
        .clone();
    assert_eq!(
        created["targets"],
        json!([{ "date": "2025-01-01", "value": "20" }, { "date": "2026-01-01", "value": "40" }]),
        "targets in date order"
    );
    // The fields from before paths read its final point.
    assert_eq!(created["target"], "40");
    assert_eq!(created["targetDate"], "2026-01-01");
    assert_eq!(created["status"], Value::Null, "no value measured yet");
    assert_eq!(created["goal"]["code"], "DS24-Z1");
    let id = created["id"].clone();
    let record = "mutation($i: RecordIndicatorValueInput!) { recordIndicatorValue(input: $i) { indicator { status } } }";
    // Half-way through 2024 (183 of 366 days) the path expects 15.
    let status = |value: &str| json!({ "i": { "indicatorId": id, "measuredOn": "2024-07-02", "value": value } });
    let behind = app.query(&central, record, status("14")).await;
    assert_eq!(
        behind["recordIndicatorValue"]["indicator"]["status"],
        "BEHIND"
    );
    let series = app
        .query(
            &central,
            "query($id: ID!) { node(id: $id) { ... on Indicator {
                all: series { date target actual }
                late: series(from: \"2025-01-01\", to: \"2026-12-31\") { date target actual } } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        series["node"]["all"],
        json!([
            { "date": "2024-01-01", "target": "10", "actual": null },
            { "date": "2024-07-02", "target": "15", "actual": "14" },
            { "date": "2025-01-01", "target": "20", "actual": null },
            { "date": "2026-01-01", "target": "40", "actual": null },
        ])
    );
    assert_eq!(series["node"]["late"].as_array().unwrap().len(), 2);
    let on_track = json!({ "i": { "indicatorId": id, "measuredOn": "2025-07-02", "value": "31" } });
    let data = app.query(&central, record, on_track).await;
    assert_eq!(
        data["recordIndicatorValue"]["indicator"]["status"],
        "ON_TRACK"
    );
    let reached = json!({ "i": { "indicatorId": id, "measuredOn": "2025-08-01", "value": "41" } });
    let data = app.query(&central, record, reached).await;
    assert_eq!(
        data["recordIndicatorValue"]["indicator"]["status"],
        "REACHED"
    );

    // Lower is better turns the comparison around: 41 is now far from a final 40.
    let version = app
        .query(
            &central,
            "query($id: ID!) { node(id: $id) { ... on Indicator { version } } }",
            json!({ "id": id }),
        )
        .await["node"]["version"]
        .clone();
    let turned = app
        .query(
            &central,
            &update_query(),
            json!({ "i": { "id": id, "version": version, "direction": "LOWER_IS_BETTER",
                "targets": [{ "date": "2025-06-30", "value": "5" }] } }),
        )
        .await["updateIndicator"]["indicator"]
        .clone();
    assert_eq!(turned["direction"], "LOWER_IS_BETTER");
    assert_eq!(turned["higherIsBetter"], false);
    assert_eq!(
        turned["targets"],
        json!([{ "date": "2025-06-30", "value": "5" }]),
        "the path is replaced whole"
    );
    assert_eq!(turned["status"], "BEHIND");
    // `target` alone moves the final point, as before paths.
    let moved = app
        .query(
            &central,
            &update_query(),
            json!({ "i": { "id": id, "version": turned["version"], "target": "50" } }),
        )
        .await["updateIndicator"]["indicator"]
        .clone();
    assert_eq!(
        moved["targets"],
        json!([{ "date": "2025-06-30", "value": "50" }])
    );
    assert_eq!(moved["status"], "REACHED");

    // The demo's yearly targets: the share of online services is on track, the top 50 behind.
    let demo = app
        .query(
            &central,
            "{ goals(first: 100) { edges { node { indicators { name status } } } } }",
            json!({}),
        )
        .await;
    let status_of = |name: &str| {
        nodes(&demo["goals"])
            .iter()
            .flat_map(|g| g["indicators"].as_array().unwrap().clone())
            .find(|i| i["name"] == name)
            .unwrap_or_else(|| panic!("{name}"))["status"]
            .clone()
    };
    assert_eq!(
        status_of("Anteil online verfügbarer Verwaltungsleistungen"),
        "ON_TRACK"
    );
    assert_eq!(
        status_of("Ende-zu-Ende digitalisierte Top-Leistungen"),
        "BEHIND"
    );
}

async fn indicators_hang_from_goals_measures_and_projects(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let (_, measure, project) = ids(&app, &central).await;
    let on_project = app
        .query(
            &central,
            &create_query(),
            json!({ "i": { "projectId": project, "name": "Gescannte Akten", "unit": "Anzahl",
                "targets": [{ "date": "2027-12-31", "value": "1000" }] } }),
        )
        .await["createIndicator"]["indicator"]
        .clone();
    assert_eq!(on_project["project"]["code"], "EAKTE-ROLL");
    assert_eq!(on_project["goal"], Value::Null);
    assert_eq!(on_project["measure"], Value::Null);
    let lists = app
        .query(
            &central,
            "query($m: ID!, $p: ID!) {
                m: node(id: $m) { ... on Measure { indicators { name measure { number } status targets { value } } } }
                p: node(id: $p) { ... on Project { indicators { name } } } }",
            json!({ "m": measure, "p": project }),
        )
        .await;
    let of_measure = &lists["m"]["indicators"][0];
    assert_eq!(
        of_measure["name"],
        "Fachbereiche mit E-Akte im Produktivbetrieb"
    );
    assert_eq!(of_measure["measure"]["number"], "2024/02");
    // 12 in October 2026 where the path expects about 15.
    assert_eq!(of_measure["status"], "BEHIND");
    assert_eq!(of_measure["targets"].as_array().unwrap().len(), 3);
    let names: Vec<&str> = lists["p"]["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Gescannte Akten"]);

    // Exactly one parent.
    let create = create_query();
    let none = json!({ "name": "Ohne", "unit": "x" });
    assert_eq!(bad_field(&app, &central, &create, none).await, "goalId");
    let two = json!({ "measureId": measure, "projectId": project, "name": "Zwei", "unit": "x" });
    assert_eq!(bad_field(&app, &central, &create, two).await, "projectId");

    // The public sees a project's indicators only where it sees the project: EAKTE-ROLL is
    // released to the council, not to the public.
    let council = app.token("council", "aachen", None);
    let seen = app
        .query(
            &council,
            "query($p: ID!) { node(id: $p) { ... on Project { indicators { name } } } }",
            json!({ "p": project }),
        )
        .await;
    assert_eq!(seen["node"]["indicators"][0]["name"], "Gescannte Akten");
    let (_, body) = app
        .post(None, json!({ "query": "query($i: ID!) { node(id: $i) { id } }", "variables": { "i": on_project["id"] } }))
        .await;
    assert_eq!(body["data"]["node"], Value::Null, "{body}");
}

async fn writes_follow_the_parent(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let owner = app.token("department", "aachen", Some("FB 15/200"));
    let other = app.token("department", "aachen", Some("FB 36"));
    let council = app.token("council", "aachen", None);
    let (goal, measure, _) = ids(&app, &central).await;
    let create = create_query();
    let input = |parent: &str, id: &str| {
        json!({ "i": { parent: id, "name": "Schulungen", "unit": "Anzahl",
            "targets": [{ "date": "2027-06-30", "value": "40" }] } })
    };
    // A measure's indicators: central IT and the owning department.
    let mine = app
        .query(&owner, &create, input("measureId", &measure))
        .await["createIndicator"]["indicator"]
        .clone();
    assert_eq!(mine["measure"]["number"], "2024/02");
    app.query(&central, &create, input("measureId", &measure))
        .await;
    for token in [&other, &council] {
        assert_eq!(
            app.error_code(Some(token), &create, input("measureId", &measure))
                .await,
            "FORBIDDEN"
        );
    }
    // A goal's indicators belong to the strategy: central IT alone.
    assert_eq!(
        app.error_code(Some(&owner), &create, input("goalId", &goal))
            .await,
        "FORBIDDEN"
    );
    // Values and paths of a measure's indicator: the owner too, nobody else.
    let record = "mutation($i: RecordIndicatorValueInput!) { recordIndicatorValue(input: $i) { indicatorValue { value } } }";
    let value =
        json!({ "i": { "indicatorId": mine["id"], "measuredOn": "2026-06-30", "value": "12" } });
    app.query(&owner, record, value.clone()).await;
    assert_eq!(
        app.error_code(Some(&other), record, value).await,
        "FORBIDDEN"
    );
    let update = update_query();
    let change = json!({ "i": { "id": mine["id"], "version": mine["version"], "targets": [] } });
    assert_eq!(
        app.error_code(Some(&other), &update, change.clone()).await,
        "FORBIDDEN"
    );
    let cleared = app.query(&owner, &update, change).await["updateIndicator"]["indicator"].clone();
    assert_eq!(cleared["targets"], json!([]));
    assert_eq!(cleared["target"], Value::Null);
}

async fn bad_targets_are_refused_and_nothing_is_written(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let (goal, _, project) = ids(&app, &central).await;
    let create = create_query();
    let count = "{ goals(first: 100) { edges { node { indicators { id } } } } projects(first: 100) { edges { node { indicators { id } } } } }";
    let before = app.query(&central, count, json!({})).await;
    let with = |parent: &str, id: &str, targets: Value| {
        json!({ parent: id, "name": "Falsch", "unit": "x", "baseline": "1",
            "baselineDate": "2025-01-01", "targets": targets })
    };
    let twice = json!([
        { "date": "2025-06-30", "value": "2" },
        { "date": "2026-06-30", "value": "3" },
        { "date": "2025-06-30", "value": "4" },
    ]);
    assert_eq!(
        bad_field(&app, &central, &create, with("goalId", &goal, twice)).await,
        "targets[2].date"
    );
    let early = json!([{ "date": "2024-12-31", "value": "2" }]);
    assert_eq!(
        bad_field(&app, &central, &create, with("goalId", &goal, early)).await,
        "targets[0].date"
    );
    // The strategy 2024–2028 begins with 2024; EAKTE-ROLL ends with 2027.
    let before_strategy = json!({ "goalId": goal, "name": "Früh", "unit": "x",
        "targets": [{ "date": "2026-01-01", "value": "2" }, { "date": "2023-06-30", "value": "3" }] });
    assert_eq!(
        bad_field(&app, &central, &create, before_strategy).await,
        "targets[1].date"
    );
    let after_end = json!([{ "date": "2028-01-01", "value": "2" }]);
    assert_eq!(
        bad_field(
            &app,
            &central,
            &create,
            with("projectId", &project, after_end)
        )
        .await,
        "targets[0].date"
    );
    let legacy = json!({ "goalId": goal, "name": "Alt", "unit": "x", "baselineDate": "2025-01-01", "target": "3", "targetDate": "2024-06-30" });
    assert_eq!(
        bad_field(&app, &central, &create, legacy).await,
        "targetDate"
    );
    let after = app.query(&central, count, json!({})).await;
    assert_eq!(before, after, "no indicator was created");

    // A refused update leaves the path as it was.
    let indicator = app
        .query(
            &central,
            &create,
            json!({ "i": with("goalId", &goal, json!([{ "date": "2026-12-31", "value": "9" }])) }),
        )
        .await["createIndicator"]["indicator"]
        .clone();
    let update = update_query();
    let bad = json!({ "id": indicator["id"], "version": indicator["version"],
        "targets": [{ "date": "2027-12-31", "value": "1" }, { "date": "2027-12-31", "value": "2" }] });
    assert_eq!(
        bad_field(&app, &central, &update, bad).await,
        "targets[1].date"
    );
    let moved_baseline = json!({ "id": indicator["id"], "version": indicator["version"], "baselineDate": "2027-01-01" });
    assert_eq!(
        bad_field(&app, &central, &update, moved_baseline).await,
        "baselineDate"
    );
    let contradiction = json!({ "id": indicator["id"], "version": indicator["version"], "higherIsBetter": true, "direction": "LOWER_IS_BETTER" });
    assert_eq!(
        bad_field(&app, &central, &update, contradiction).await,
        "direction"
    );
    let now = app
        .query(&central, "query($id: ID!) { node(id: $id) { ... on Indicator { version targets { date value } } } }", json!({ "id": indicator["id"] }))
        .await;
    assert_eq!(now["node"]["version"], indicator["version"]);
    assert_eq!(
        now["node"]["targets"],
        json!([{ "date": "2026-12-31", "value": "9" }])
    );
}

async fn the_council_report_draws_a_chart_per_goal_indicator(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    app.release_live_report(&central).await;
    let council = app.token("council", "aachen", None);
    let report = app
        .query(
            &council,
            "{ councilReport(period: \"2026-Q3\") { goals { code indicators { name status direction
                indicator { id } series { date target actual } } } } }",
            json!({}),
        )
        .await;
    let goals = report["councilReport"]["goals"].as_array().unwrap().clone();
    let online = goals
        .iter()
        .find(|g| g["code"] == "DS24-Z1")
        .expect("the goal DS24-Z1");
    let indicator = &online["indicators"][0];
    assert_eq!(
        indicator["name"],
        "Anteil online verfügbarer Verwaltungsleistungen"
    );
    assert_eq!(indicator["status"], "ON_TRACK");
    let series = indicator["series"].as_array().unwrap();
    // Values measured after the report's day (2026-09-30) stay out; the path is whole.
    assert!(
        series
            .iter()
            .all(|p| p["actual"].is_null() || p["date"].as_str().unwrap() <= "2026-09-30")
    );
    assert!(
        series
            .iter()
            .any(|p| p["date"] == "2027-12-31" && p["target"] == "80")
    );

    let response = app
        .client
        .get(format!(
            "{}/exports/council-report.pdf?period=2026-Q3",
            app.address
        ))
        .bearer_auth(&council)
        .send()
        .await
        .expect("pdf");
    assert_eq!(response.status().as_u16(), 200);
    let bytes = response.bytes().await.unwrap();
    let document = lopdf::Document::load_mem(&bytes).unwrap();
    let pages: Vec<u32> = (1..=document.get_pages().len() as u32).collect();
    let text = document.extract_text(&pages).unwrap();
    assert!(text.contains("Zielpfad"), "the chart's legend");
    assert!(
        text.contains("Anteil online verfügbarer"),
        "the indicator's name"
    );
    // The target path is drawn in its own colour, with line segments.
    let mut path_lines = 0;
    for page in document.get_pages().values() {
        let content = document.get_and_decode_page_content(*page).unwrap();
        let mut in_target = false;
        for op in &content.operations {
            if op.operator == "RG" {
                let rgb: Vec<f32> = op
                    .operands
                    .iter()
                    .map(|o| o.as_float().unwrap_or(-1.0))
                    .collect();
                in_target = rgb == [0.2, 0.4, 0.75];
            }
            if in_target && op.operator == "l" {
                path_lines += 1;
            }
        }
    }
    assert!(path_lines >= 3, "target path segments drawn: {path_lines}");
}

async fn the_workbook_names_parents_and_carries_the_path(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let response = app
        .client
        .get(format!("{}/exports/portfolio.xlsx?lang=de", app.address))
        .bearer_auth(&central)
        .send()
        .await
        .expect("xlsx");
    assert_eq!(response.status().as_u16(), 200);
    let bytes = response.bytes().await.unwrap().to_vec();
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let indicators = sheet(&mut book, "Indikatoren");
    let header = &indicators[0];
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    let on_measure = indicators
        .iter()
        .find(|r| r[col("Indikator")] == "Fachbereiche mit E-Akte im Produktivbetrieb")
        .expect("the measure's indicator");
    assert_eq!(on_measure[col("Maßnahme")], "2024/02");
    assert_eq!(on_measure[col("Ziel")], "");
    assert_eq!(on_measure[col("Richtung")], "HIGHER_IS_BETTER");
    let targets = sheet(&mut book, "Indikatorziele");
    let of_measure: Vec<_> = targets
        .iter()
        .filter(|r| {
            r.iter()
                .any(|c| c == "Fachbereiche mit E-Akte im Produktivbetrieb")
        })
        .collect();
    assert_eq!(of_measure.len(), 3, "{targets:?}");
}

/// The cells of a sheet as text.
fn sheet(book: &mut Xlsx<std::io::Cursor<Vec<u8>>>, name: &str) -> Vec<Vec<String>> {
    book.worksheet_range(name)
        .unwrap()
        .rows()
        .map(|r| r.iter().map(ToString::to_string).collect())
        .collect()
}
