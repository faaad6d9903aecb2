//! The figures drawn from the risk register: the dashboards' risk matrix and `HIGH_RISK`,
//! each for the viewers who may see the risks.

use std::collections::{BTreeMap, HashSet};

use serde_json::{Value, json};

use crate::{
    helpers::{Backend, TestApp, nodes},
    on_both,
    risks::{CREATE, RISKS, UPDATE, post, spawn, work},
};

on_both!(
    dashboards_count_the_open_risks_their_reader_may_see,
    a_high_open_risk_raises_the_light_only_for_those_who_see_it,
);

const MATRIX: &str = "riskMatrix { probability impact count }";

/// The open risks of the work owned by `units` (every unit when `None`), by cell, read from
/// central IT's registers.
async fn open_risks(
    app: &TestApp,
    central: &str,
    units: Option<&HashSet<&str>>,
) -> BTreeMap<(i64, i64), i64> {
    let data = app
        .query(
            central,
            "{ projects(first: 100) { edges { node { orgUnit { code } risks { probability impact status } } } } measures(first: 100) { edges { node { orgUnit { code } risks { probability impact status } } } } }",
            json!({}),
        )
        .await;
    let mut cells = BTreeMap::new();
    for work in nodes(&data["projects"])
        .iter()
        .chain(nodes(&data["measures"]).iter())
    {
        let unit = work["orgUnit"]["code"].as_str().unwrap_or_default();
        if units.is_some_and(|units| !units.contains(unit)) {
            continue;
        }
        for risk in work["risks"].as_array().into_iter().flatten() {
            if risk["status"] == "OPEN" {
                let cell = (
                    risk["probability"].as_i64().unwrap(),
                    risk["impact"].as_i64().unwrap(),
                );
                *cells.entry(cell).or_insert(0) += 1;
            }
        }
    }
    cells
}

fn cells(matrix: &Value) -> BTreeMap<(i64, i64), i64> {
    let cells = matrix.as_array().expect("a matrix");
    assert_eq!(cells.len(), 25, "every cell, zeros included");
    cells
        .iter()
        .filter(|c| c["count"] != 0)
        .map(|c| {
            (
                (
                    c["probability"].as_i64().unwrap(),
                    c["impact"].as_i64().unwrap(),
                ),
                c["count"].as_i64().unwrap(),
            )
        })
        .collect()
}

async fn dashboards_count_the_open_risks_their_reader_may_see(backend: Backend) {
    let Some(app) = spawn(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let everything = open_risks(&app, &central, None).await;
    assert!(
        everything.values().sum::<i64>() >= 4,
        "the demo has open risks: {everything:?}"
    );
    let portfolio = app
        .query(
            &central,
            &format!("{{ portfolioDashboard {{ {MATRIX} }} }}"),
            json!({}),
        )
        .await;
    assert_eq!(
        cells(&portfolio["portfolioDashboard"]["riskMatrix"]),
        everything
    );
    assert_eq!(
        portfolio["portfolioDashboard"]["riskMatrix"][0],
        json!({ "probability": 1, "impact": 1, "count": 0 })
    );

    // A department counts its subtree's risks; central IT opening its dashboard the same.
    let board = format!("{{ departmentDashboard {{ {MATRIX} }} }}");
    for (unit, subtree) in [
        ("FB 15/200", &["FB 15/200"][..]),
        ("FB 15/300", &["FB 15/300"][..]),
        ("FB 11", &["FB 11", "FB 11/100", "FB 11/400"][..]),
    ] {
        let units: HashSet<&str> = subtree.iter().copied().collect();
        let expected = open_risks(&app, &central, Some(&units)).await;
        assert!(!expected.is_empty(), "{unit} has open risks in the demo");
        let token = app.token("department", "aachen", Some(unit));
        let seen = app.query(&token, &board, json!({})).await;
        assert_eq!(
            cells(&seen["departmentDashboard"]["riskMatrix"]),
            expected,
            "{unit}"
        );
        let unit_id = app
            .query(&central, "query($s: String!) { orgUnits(first: 1, filter: { search: $s }) { edges { node { id code } } } }", json!({ "s": unit }))
            .await;
        let unit_id = nodes(&unit_id["orgUnits"])
            .into_iter()
            .find(|u| u["code"] == unit)
            .expect("the unit")["id"]
            .clone();
        let by_central = app
            .query(
                &central,
                &format!("query($u: ID!) {{ departmentDashboard(orgUnitId: $u) {{ {MATRIX} }} }}"),
                json!({ "u": unit_id }),
            )
            .await;
        assert_eq!(
            cells(&by_central["departmentDashboard"]["riskMatrix"]),
            expected,
            "{unit} by central IT"
        );
    }
    // The council and the public open no dashboard at all.
    let council = app.token("council", "aachen", None);
    for token in [Some(council.as_str()), None] {
        for query in [
            format!("{{ portfolioDashboard {{ {MATRIX} }} }}"),
            board.clone(),
        ] {
            let body = post(&app, token, &query, json!({})).await;
            assert!(
                body["data"]
                    .as_object()
                    .is_none_or(|d| d.values().all(Value::is_null)),
                "{body}"
            );
        }
    }
    // Closing a risk takes it out of the count.
    let ids = work(&app, &central).await;
    let risk = app
        .query(&central, RISKS, json!({ "id": ids["PORTAL-50"] }))
        .await["node"]["risks"][0]
        .clone();
    app.query(
        &central,
        UPDATE,
        json!({ "i": { "id": risk["id"], "version": risk["version"], "status": "CLOSED" } }),
    )
    .await;
    let after = app
        .query(
            &central,
            &format!("{{ portfolioDashboard {{ {MATRIX} }} }}"),
            json!({}),
        )
        .await;
    let mut expected = everything.clone();
    let cell = (
        risk["probability"].as_i64().unwrap(),
        risk["impact"].as_i64().unwrap(),
    );
    *expected.get_mut(&cell).expect("its cell") -= 1;
    expected.retain(|_, n| *n > 0);
    assert_eq!(cells(&after["portfolioDashboard"]["riskMatrix"]), expected);
}

async fn a_high_open_risk_raises_the_light_only_for_those_who_see_it(backend: Backend) {
    let Some(app) = spawn(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let ids = work(&app, &central).await;
    // Planned work owes no report: no warning but the risks'.
    let measure = app
        .query(&central, "mutation($i: CreateMeasureInput!) { createMeasure(input: $i) { measure { id } } }",
            json!({ "i": { "number": "R-1", "title": "Risikotest", "orgUnitId": ids["FB 15/200"], "status": "PLANNED", "visibility": "COUNCIL" } }))
        .await["createMeasure"]["measure"]["id"]
        .clone();
    let project = app
        .query(&central, "mutation($i: CreateProjectInput!) { createProject(input: $i) { project { id rag } } }",
            json!({ "i": { "title": "Risikoprojekt", "orgUnitId": ids["FB 15/200"], "measureId": measure, "status": "PLANNED", "visibility": "COUNCIL" } }))
        .await["createProject"]["project"]
        .clone();
    assert_eq!(project["rag"], "GREEN");
    let read = "query($p: ID!, $m: ID!) { p: node(id: $p) { ... on Project { derivedRag warnings { kind count } } } m: node(id: $m) { ... on Measure { derivedRag warnings { kind count } } } }";
    let vars = json!({ "p": project["id"], "m": measure });
    let owner = app.token("department", "aachen", Some("FB 15/200"));
    let sibling = app.token("department", "aachen", Some("FB 15/300"));
    let council = app.token("council", "aachen", None);
    let state = |token: &str| {
        let app = &app;
        let token = token.to_owned();
        let vars = vars.clone();
        async move { app.query(&token, read, vars).await }
    };
    let calm = json!({ "p": { "derivedRag": "GREEN", "warnings": [] }, "m": { "derivedRag": "GREEN", "warnings": [] } });
    assert_eq!(state(&central).await, calm);

    // 3 × 4 = 12 is below the line; 3 × 5 = 15 is on it.
    let risk = |work: &Value, probability: i64, impact: i64| json!({ "i": { "subjectId": work, "title": format!("Risiko {probability}×{impact}"), "probability": probability, "impact": impact } });
    app.query(&central, CREATE, risk(&project["id"], 3, 4))
        .await;
    assert_eq!(state(&central).await, calm);
    let high = app
        .query(&central, CREATE, risk(&project["id"], 3, 5))
        .await["createRisk"]["risk"]
        .clone();
    assert_eq!(high["isHigh"], true);
    let raised = |n: i64| {
        json!({ "p": { "derivedRag": "AMBER", "warnings": [{ "kind": "HIGH_RISK", "count": 1 }] },
                "m": { "derivedRag": "AMBER", "warnings": [{ "kind": "HIGH_RISK", "count": n }] } })
    };
    // Those who see the risk see the light raised (the measure through its project); the
    // others the light as reported. The same document for two units: the response cache
    // keeps their answers apart.
    assert_eq!(state(&central).await, raised(1));
    assert_eq!(state(&owner).await, raised(1));
    assert_eq!(state(&sibling).await, calm);
    assert_eq!(state(&council).await, calm);
    assert_eq!(state(&sibling).await, calm);
    assert_eq!(state(&owner).await, raised(1));

    // The measure's own high risk counts for it.
    let own = app.query(&owner, CREATE, risk(&measure, 4, 4)).await["createRisk"]["risk"].clone();
    assert_eq!(state(&owner).await, raised(2));
    // Mitigated, closed: not open, no longer high.
    for (risk, status) in [(&high, "MITIGATED"), (&own, "CLOSED")] {
        app.query(
            &owner,
            UPDATE,
            json!({ "i": { "id": risk["id"], "version": risk["version"], "status": status } }),
        )
        .await;
    }
    assert_eq!(state(&central).await, calm);
    assert_eq!(state(&owner).await, calm);
}
