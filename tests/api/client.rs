//! The SPA's plain documents (`tests/client/documents`, which `tests/client/run` compiles with
//! GraphQL Code Generator) run against the server: every operation answers without an error,
//! as the roles that use the screen.

use serde_json::{Value, json};

use crate::{
    helpers::{Backend, TestApp, nodes, spawn_app},
    on_both,
};

on_both!(the_spa_operations_run_against_the_server);

/// All documents as one, so that every operation finds the shared fragments.
fn documents() -> String {
    let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/client/documents");
    let mut files: Vec<_> = std::fs::read_dir(folder)
        .expect("tests/client/documents")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "graphql"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|path| std::fs::read_to_string(path).expect("document"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs one named operation; asserts it answers without errors and returns `data`.
async fn run(
    app: &TestApp,
    token: &str,
    document: &str,
    operation: &str,
    variables: Value,
) -> Value {
    let (status, body) = app
        .post(
            Some(token),
            json!({ "query": document, "operationName": operation, "variables": variables }),
        )
        .await;
    assert_eq!(status, 200, "{operation}: {body}");
    assert!(body.get("errors").is_none(), "{operation}: {body}");
    let data = body["data"].clone();
    for (field, value) in data.as_object().expect("data") {
        assert!(!value.is_null(), "{operation}: {field} is null");
    }
    data
}

async fn the_spa_operations_run_against_the_server(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let document = documents();
    let central = app.token("central_it", "aachen", None);
    let council = app.token("council", "aachen", None);

    run(&app, &central, &document, "Dashboard", json!({})).await;

    // A filtered, ordered list, paged on with the cursor of the first page.
    let variables = json!({ "filter": { "status": ["IN_PROGRESS", "PLANNED"] }, "orderBy": { "field": "DUE_DATE", "direction": "DESC" }, "first": 3 });
    let page = run(&app, &central, &document, "MeasureList", variables.clone()).await;
    let first = nodes(&page["measures"]);
    assert_eq!(first.len(), 3);
    assert_eq!(page["measures"]["pageInfo"]["hasNextPage"], true);
    let mut next = variables.clone();
    next["after"] = page["measures"]["pageInfo"]["endCursor"].clone();
    let second = run(&app, &central, &document, "MeasureList", next).await;
    let start = second["measures"]["pageInfo"]["startCursor"].clone();
    let second = nodes(&second["measures"]);
    assert!(second.iter().all(|m| !first.contains(m)), "pages overlap");
    // And back: the page before the second one is the first one.
    let mut previous = variables;
    previous["first"] = Value::Null;
    previous["last"] = json!(3);
    previous["before"] = start;
    let back = run(&app, &central, &document, "MeasureList", previous).await;
    assert_eq!(nodes(&back["measures"]), first);
    assert_eq!(back["measures"]["pageInfo"]["hasPreviousPage"], false);

    let measure = app.first_measure(&central).await;
    run(
        &app,
        &central,
        &document,
        "MeasureDetail",
        json!({ "id": measure["id"] }),
    )
    .await;

    let projects = app
        .query(
            &central,
            "{ projects(first: 100) { edges { node { id budgetLines { id version planned } } } } }",
            json!({}),
        )
        .await;
    let project = nodes(&projects["projects"])
        .into_iter()
        .find(|p| p["budgetLines"].as_array().is_some_and(|l| !l.is_empty()))
        .expect("a project with a budget line");
    run(
        &app,
        &central,
        &document,
        "ProjectDetail",
        json!({ "id": project["id"] }),
    )
    .await;
    let line = &project["budgetLines"][0];
    run(
        &app,
        &central,
        &document,
        "UpdateBudgetLine",
        json!({ "input": { "id": line["id"], "version": line["version"], "planned": "12345.67" } }),
    )
    .await;

    app.release_live_report(&central).await;
    run(
        &app,
        &council,
        &document,
        "CouncilReportView",
        json!({ "period": "2026" }),
    )
    .await;

    let report = run(
        &app,
        &central,
        &document,
        "SubmitStatusReport",
        json!({ "input": { "subjectId": measure["id"], "progress": 40, "rag": "AMBER", "summary": "Ausschreibung läuft." } }),
    )
    .await;
    assert_eq!(
        report["submitStatusReport"]["statusReport"]["subject"]["id"],
        measure["id"]
    );
    let current = app.first_measure(&central).await;
    run(
        &app,
        &central,
        &document,
        "UpdateMeasure",
        json!({ "input": { "id": current["id"], "version": current["version"], "title": "Digitale Bauakte" } }),
    )
    .await;
    let found = run(
        &app,
        &central,
        &document,
        "Nodes",
        json!({ "ids": [measure["id"], project["id"]] }),
    )
    .await;
    assert_eq!(found["nodes"][0]["title"], "Digitale Bauakte");
}
