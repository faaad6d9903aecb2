//! Weights and the weighting in files: the portfolio workbook and tenant files.

use serde_json::{Value, json};

use super::{example, set_weighting, weighting_of};
use crate::{
    helpers::{Backend, TestApp, nodes, spawn_app},
    on_both,
    portfolio::{self, Book},
    tenants::{run, save},
};

on_both!(
    weights_round_trip_through_the_workbook,
    weights_and_the_weighting_travel_in_tenant_files,
);

/// The weight cell of the row of `sheet` whose column `key` holds `name`.
fn weight_cell<'a>(book: &'a mut Book, sheet: &str, key: &str, name: &str) -> &'a mut String {
    let rows = portfolio::sheet(book, sheet);
    let (key, weight) = (portfolio::col(rows, key), portfolio::col(rows, "Weight"));
    let row = rows
        .iter_mut()
        .find(|r| r[key] == name)
        .unwrap_or_else(|| panic!("{name} in {sheet}"));
    &mut row[weight]
}

async fn weights_round_trip_through_the_workbook(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let e = example(&app, &central).await;
    let mut book = portfolio::read(&portfolio::export(&app, &central, "en").await);
    assert_eq!(weight_cell(&mut book, "Goals", "Code", e.goal_code), "1");
    assert_eq!(
        weight_cell(&mut book, "Sub-projects", "Sub-project", "W-S1"),
        "3"
    );
    let p2 = weight_cell(&mut book, "Projects", "Project", "W-P2");
    assert_eq!(p2, "3");
    *p2 = "2.5".into();
    *weight_cell(&mut book, "Measures", "No.", "W-M2") = "0".into();
    let (status, answer) =
        portfolio::import(&app, &central, "?lang=en", portfolio::write(&book)).await;
    assert_eq!(status, 200, "{answer}");
    let read = app
        .query(
            &central,
            "query($p: ID!, $m: ID!) { p: node(id: $p) { ... on Project { weight } } m: node(id: $m) { ... on Measure { weight } } }",
            json!({ "p": e.p2["id"], "m": e.m2["id"] }),
        )
        .await;
    assert_eq!(read["p"]["weight"], "2.5");
    assert_eq!(read["m"]["weight"], "0");
    // Out again as it went in: the same workbook changes nothing.
    let again = portfolio::export(&app, &central, "en").await;
    let (status, answer) = portfolio::import(&app, &central, "?lang=en&dryRun=true", again).await;
    assert_eq!(status, 200, "{answer}");
    assert!(
        answer["rows"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["action"] == "unchanged"),
        "{answer}"
    );
    // A negative weight in the workbook is refused, nothing applied.
    let mut book = portfolio::read(&portfolio::export(&app, &central, "en").await);
    *weight_cell(&mut book, "Projects", "Project", "W-P2") = "-2".into();
    let (status, answer) =
        portfolio::import(&app, &central, "?lang=en", portfolio::write(&book)).await;
    assert_ne!(status, 200, "{answer}");
    assert!(answer.to_string().contains("weight"), "{answer}");
    let read = app
        .query(
            &central,
            "query($p: ID!) { node(id: $p) { ... on Project { weight } } }",
            json!({ "p": e.p2["id"] }),
        )
        .await;
    assert_eq!(read["node"]["weight"], "2.5");
}

/// M1 of the example as `token` reads it: weight and roll-up.
async fn m1_in(app: &TestApp, token: &str) -> Value {
    let found = app
        .query(
            token,
            "{ measures(filter: { search: \"W-M1\" }) { edges { node { weight rolledUpProgress } } } }",
            json!({}),
        )
        .await;
    nodes(&found["measures"]).remove(0)
}

async fn weights_and_the_weighting_travel_in_tenant_files(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let url = app.state.config.database_url.clone().expect("database url");
    let central = app.token("central_it", "aachen", None);
    example(&app, &central).await;
    set_weighting(&app, &central, json!("WEIGHT")).await;
    let (ok, file) = run(&url, &["tenant", "export", "aachen"]);
    assert!(ok, "{file}");
    let (ok, text) = run(
        &url,
        &[
            "tenant",
            "import",
            save(&file).to_str().unwrap(),
            "--key",
            "aachen-gewichtet",
        ],
    );
    assert!(ok, "{text}");
    let copy = app.token("central_it", "aachen-gewichtet", None);
    assert_eq!(weighting_of(&app, &copy).await, "WEIGHT");
    assert_eq!(
        m1_in(&app, &copy).await,
        json!({ "weight": "3", "rolledUpProgress": 25 })
    );
    // A file written before weights existed: every weight 1, equal weights.
    let mut old: Value = serde_json::from_str(&file).expect("json");
    old["tenant"]
        .as_object_mut()
        .unwrap()
        .remove("rollup_weighting");
    for table in ["goal", "measure", "project", "sub_project"] {
        for row in old["tables"][table].as_array_mut().unwrap() {
            row.as_object_mut().unwrap().remove("weight");
        }
    }
    let (ok, text) = run(
        &url,
        &[
            "tenant",
            "import",
            save(&old.to_string()).to_str().unwrap(),
            "--key",
            "aachen-alt",
        ],
    );
    assert!(ok, "{text}");
    let old = app.token("central_it", "aachen-alt", None);
    assert_eq!(weighting_of(&app, &old).await, "EQUAL");
    assert_eq!(
        m1_in(&app, &old).await,
        json!({ "weight": "1", "rolledUpProgress": 35 })
    );
}
