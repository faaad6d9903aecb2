//! Status by dimension and the risk register (#19 item 3): dimensions through a report's
//! life, the register kept and read by role, bad input. The figures drawn from the register
//! are in `risk_figures.rs`, its sheets in `portfolio.rs`.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::{
    helpers::{Backend, TestApp, nodes, spawn_app_with},
    on_both,
};

on_both!(
    dimensions_come_with_the_report_and_follow_its_review,
    bad_dimensions_and_levels_change_nothing,
    the_register_is_kept_by_central_it_and_the_owning_department,
    risks_show_only_to_central_it_and_the_owning_department,
);

pub(crate) async fn spawn(backend: Backend) -> Option<TestApp> {
    spawn_app_with(backend, |config| config.public_access = true).await
}

/// Posts as `token`, or as the public of `aachen` without one; the whole body.
pub(crate) async fn post(
    app: &TestApp,
    token: Option<&str>,
    query: &str,
    variables: Value,
) -> Value {
    let mut request = app
        .client
        .post(format!("{}/graphql", app.address))
        .json(&json!({ "query": query, "variables": variables }));
    request = match token {
        Some(token) => request.bearer_auth(token),
        None => request.header("x-tenant", "aachen"),
    };
    let response = request.send().await.expect("request");
    assert!(response.status().as_u16() < 500);
    response.json().await.expect("a JSON body")
}

/// The code and field of the first error of a request that must fail.
pub(crate) async fn refusal(
    app: &TestApp,
    token: Option<&str>,
    query: &str,
    variables: Value,
) -> (String, Value) {
    let body = post(app, token, query, variables).await;
    let error = &body["errors"][0]["extensions"];
    let code = error["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no error in {body}"))
        .to_owned();
    (code, error["field"].clone())
}

/// Global ids of the demo projects of `aachen` by code, and of its measures by number.
pub(crate) async fn work(app: &TestApp, central: &str) -> BTreeMap<String, Value> {
    let data = app
        .query(
            central,
            "{ projects(first: 100) { edges { node { id code } } } measures(first: 100) { edges { node { id code } } } orgUnits(first: 100) { edges { node { id code } } } }",
            json!({}),
        )
        .await;
    let mut ids = BTreeMap::new();
    for list in ["projects", "measures", "orgUnits"] {
        for node in nodes(&data[list]) {
            if let Some(code) = node["code"].as_str() {
                ids.insert(code.to_owned(), node["id"].clone());
            }
        }
    }
    ids
}

const SUBMIT: &str = "mutation($i: SubmitStatusReportInput!) { submitStatusReport(input: $i) { statusReport { id version reviewState dimensions { dimension rag comment } } } }";
const REPORT: &str = "query($id: ID!) { statusReport(id: $id) { reviewState dimensions { dimension rag comment } } }";
pub(crate) const CREATE: &str = "mutation($i: CreateRiskInput!) { createRisk(input: $i) { risk { id version title probability impact score isHigh owner mitigation status reviewDate } subject { ... on Project { code } ... on Measure { code } } } }";
pub(crate) const UPDATE: &str = "mutation($i: UpdateRiskInput!) { updateRisk(input: $i) { risk { id version probability impact status } } }";
const DELETE: &str = "mutation($i: DeleteRiskInput!) { deleteRisk(input: $i) { deletedRiskId subject { ... on Project { code } } } }";
pub(crate) const RISKS: &str = "query($id: ID!) { node(id: $id) { ... on Project { risks { id title probability impact status version } } ... on Measure { risks { id title probability impact status version } } } }";

async fn dimensions_come_with_the_report_and_follow_its_review(backend: Backend) {
    let Some(app) = spawn(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let department = app.token("department", "aachen", Some("FB 15/200"));
    let council = app.token("council", "aachen", None);
    let ids = work(&app, &central).await;

    // Central IT's report counts at once: its dimensions, in their order, as given.
    let report = app
        .query(
            &central,
            SUBMIT,
            json!({ "i": { "subjectId": ids["PORTAL-50"], "progress": 60, "rag": "AMBER", "summary": "Welle 3 gestartet.",
                "dimensions": [
                    { "dimension": "RESOURCES", "rag": "GREEN" },
                    { "dimension": "SCHEDULE", "rag": "AMBER", "comment": "  Zwei Leistungen verschoben.  " },
                ] } }),
        )
        .await["submitStatusReport"]["statusReport"]
        .clone();
    let expected = json!([
        { "dimension": "SCHEDULE", "rag": "AMBER", "comment": "Zwei Leistungen verschoben." },
        { "dimension": "RESOURCES", "rag": "GREEN", "comment": null },
    ]);
    assert_eq!(report["dimensions"], expected);
    for token in [&central, &department, &council] {
        let read = app
            .query(token, REPORT, json!({ "id": report["id"] }))
            .await;
        assert_eq!(read["statusReport"]["dimensions"], expected);
    }
    // The public reads them with the public project's report.
    let public = post(&app, None, REPORT, json!({ "id": report["id"] })).await;
    assert_eq!(
        public["data"]["statusReport"]["dimensions"], expected,
        "{public}"
    );

    // Reports written before dimensions existed have none; the demo's newest report on
    // EAKTE-ROLL has all four.
    let history = app
        .query(
            &central,
            "query($p: ID!) { node(id: $p) { ... on Project { statusReports(first: 10) { edges { node { reportedOn dimensions { dimension rag } } } } } } }",
            json!({ "p": ids["EAKTE-ROLL"] }),
        )
        .await;
    let reports = nodes(&history["node"]["statusReports"]);
    assert_eq!(
        reports[0]["dimensions"],
        json!([
            { "dimension": "SCHEDULE", "rag": "AMBER" },
            { "dimension": "BUDGET", "rag": "RED" },
            { "dimension": "SCOPE", "rag": "GREEN" },
            { "dimension": "RESOURCES", "rag": "AMBER" },
        ])
    );
    assert!(
        reports[1..].iter().all(|r| r["dimensions"] == json!([])),
        "{reports:?}"
    );

    // A department's report waits for review: its dimensions with it, seen by central IT and
    // the department only, by everyone who sees the work once approved.
    let waiting = app
        .query(
            &department,
            SUBMIT,
            json!({ "i": { "subjectId": ids["EAKTE-ROLL"], "progress": 58, "rag": "AMBER", "summary": "Welle 2 live.",
                "dimensions": [{ "dimension": "BUDGET", "rag": "RED", "comment": "Mehrkosten Migration." }] } }),
        )
        .await["submitStatusReport"]["statusReport"]
        .clone();
    assert_eq!(waiting["reviewState"], "SUBMITTED");
    let budget =
        json!([{ "dimension": "BUDGET", "rag": "RED", "comment": "Mehrkosten Migration." }]);
    for token in [&central, &department] {
        let read = app
            .query(token, REPORT, json!({ "id": waiting["id"] }))
            .await;
        assert_eq!(read["statusReport"]["dimensions"], budget);
    }
    let (code, _) = refusal(&app, Some(&council), REPORT, json!({ "id": waiting["id"] })).await;
    assert_eq!(code, "NOT_FOUND");
    app.query(
        &central,
        "mutation($i: ApproveStatusReportInput!) { approveStatusReport(input: $i) { statusReport { reviewState } } }",
        json!({ "i": { "id": waiting["id"], "version": waiting["version"] } }),
    )
    .await;
    let read = app
        .query(&council, REPORT, json!({ "id": waiting["id"] }))
        .await;
    assert_eq!(read["statusReport"]["dimensions"], budget);
}

async fn bad_dimensions_and_levels_change_nothing(backend: Backend) {
    let Some(app) = spawn(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let ids = work(&app, &central).await;
    let count = "{ statusReports(filter: { reviewState: [APPROVED, SUBMITTED, RETURNED] }) { totalCount } }";
    let reports = app.query(&central, count, json!({})).await;

    let twice = json!({ "i": { "subjectId": ids["PORTAL-50"], "progress": 60, "rag": "GREEN", "summary": "Doppelt.",
        "dimensions": [{ "dimension": "BUDGET", "rag": "RED" }, { "dimension": "BUDGET", "rag": "GREEN" }] } });
    assert_eq!(
        refusal(&app, Some(&central), SUBMIT, twice).await,
        ("BAD_USER_INPUT".into(), json!("dimensions"))
    );
    assert_eq!(app.query(&central, count, json!({})).await, reports);

    let risks = |id: &Value| {
        let app = &app;
        let central = central.clone();
        let id = id.clone();
        async move { app.query(&central, RISKS, json!({ "id": id })).await["node"]["risks"].clone() }
    };
    let before = risks(&ids["PORTAL-50"]).await;
    for (field, probability, impact) in [
        ("probability", 6, 3),
        ("impact", 3, 0),
        ("probability", -1, 9),
    ] {
        let input = json!({ "i": { "subjectId": ids["PORTAL-50"], "title": "Zu hoch", "probability": probability, "impact": impact } });
        assert_eq!(
            refusal(&app, Some(&central), CREATE, input).await,
            ("BAD_USER_INPUT".into(), json!(field))
        );
    }
    // A risk belongs to a project or a measure, nothing else.
    let sub_project = app
        .query(
            &central,
            "{ subProjects(first: 1) { edges { node { id } } } }",
            json!({}),
        )
        .await;
    let input = json!({ "i": { "subjectId": nodes(&sub_project["subProjects"])[0]["id"], "title": "Falsch", "probability": 2, "impact": 2 } });
    assert_eq!(
        refusal(&app, Some(&central), CREATE, input).await,
        ("BAD_USER_INPUT".into(), json!("subjectId"))
    );
    assert_eq!(risks(&ids["PORTAL-50"]).await, before);

    let risk = &before[0];
    for (field, value) in [
        ("probability", json!(9)),
        ("impact", json!(0)),
        ("title", json!(" ")),
        ("status", Value::Null),
    ] {
        let input = json!({ "i": { "id": risk["id"], "version": risk["version"], field: value } });
        assert_eq!(
            refusal(&app, Some(&central), UPDATE, input).await,
            ("BAD_USER_INPUT".into(), json!(field))
        );
    }
    assert_eq!(risks(&ids["PORTAL-50"]).await, before);
}

async fn the_register_is_kept_by_central_it_and_the_owning_department(backend: Backend) {
    let Some(app) = spawn(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let owner = app.token("department", "aachen", Some("FB 15/200"));
    let sibling = app.token("department", "aachen", Some("FB 15/300"));
    let council = app.token("council", "aachen", None);
    let ids = work(&app, &central).await;
    let input = |subject: &str| {
        json!({ "i": { "subjectId": ids[subject], "title": "Rechenzentrum fällt aus", "description": "Kein Notbetrieb vereinbart.",
            "probability": 2, "impact": 5, "owner": "Jonas Albrecht", "mitigation": "Zweites Rechenzentrum anbinden.", "reviewDate": "2027-03-31" } })
    };

    // The owning department records a risk; the payload brings the project.
    let created = app.query(&owner, CREATE, input("PORTAL-50")).await["createRisk"].clone();
    let risk = created["risk"].clone();
    assert_eq!(created["subject"]["code"], "PORTAL-50");
    assert_eq!(
        (
            &risk["title"],
            &risk["probability"],
            &risk["impact"],
            &risk["score"],
            &risk["isHigh"]
        ),
        (
            &json!("Rechenzentrum fällt aus"),
            &json!(2),
            &json!(5),
            &json!(10),
            &json!(false)
        )
    );
    assert_eq!(
        (&risk["status"], &risk["reviewDate"], &risk["owner"]),
        (
            &json!("OPEN"),
            &json!("2027-03-31"),
            &json!("Jonas Albrecht")
        )
    );

    // Others may not: a sibling unit, the council, the public.
    assert_eq!(
        refusal(&app, Some(&sibling), CREATE, input("PORTAL-50"))
            .await
            .0,
        "FORBIDDEN"
    );
    assert_eq!(
        refusal(&app, Some(&council), CREATE, input("PORTAL-50"))
            .await
            .0,
        "FORBIDDEN"
    );
    assert_eq!(
        refusal(&app, None, CREATE, input("PORTAL-50")).await.0,
        "FORBIDDEN"
    );
    // A measure of its own, yes; one of another unit, no.
    app.query(&owner, CREATE, input("2024/01")).await;
    assert_eq!(
        refusal(&app, Some(&owner), CREATE, input("2024/04"))
            .await
            .0,
        "FORBIDDEN"
    );

    // For those who may not see it, the risk is not there.
    let change = |version: &Value| json!({ "i": { "id": risk["id"], "version": version, "status": "MITIGATED" } });
    for token in [Some(&sibling), Some(&council), None] {
        let (code, _) = refusal(
            &app,
            token.map(String::as_str),
            UPDATE,
            change(&risk["version"]),
        )
        .await;
        assert_eq!(code, "NOT_FOUND");
        let delete = json!({ "i": { "id": risk["id"], "version": risk["version"] } });
        assert_eq!(
            refusal(&app, token.map(String::as_str), DELETE, delete)
                .await
                .0,
            "NOT_FOUND"
        );
    }

    // Central IT changes it; the department's stale copy conflicts.
    let changed =
        app.query(&central, UPDATE, change(&risk["version"])).await["updateRisk"]["risk"].clone();
    assert_eq!(
        (&changed["status"], &changed["version"]),
        (&json!("MITIGATED"), &json!(2))
    );
    assert_eq!(
        refusal(&app, Some(&owner), UPDATE, change(&risk["version"]))
            .await
            .0,
        "CONFLICT"
    );
    let cleared = app
        .query(&owner, "mutation($i: UpdateRiskInput!) { updateRisk(input: $i) { risk { owner mitigation reviewDate title version } } }",
            json!({ "i": { "id": risk["id"], "version": 2, "owner": null, "mitigation": null, "reviewDate": null } }))
        .await["updateRisk"]["risk"]
        .clone();
    assert_eq!(
        cleared,
        json!({ "owner": null, "mitigation": null, "reviewDate": null, "title": "Rechenzentrum fällt aus", "version": 3 })
    );

    // The owning department deletes it; it is gone for everyone, its history stays.
    let deleted = app
        .query(
            &owner,
            DELETE,
            json!({ "i": { "id": risk["id"], "version": 3 } }),
        )
        .await["deleteRisk"]
        .clone();
    assert_eq!(
        (&deleted["deletedRiskId"], &deleted["subject"]["code"]),
        (&risk["id"], &json!("PORTAL-50"))
    );
    let (code, _) = refusal(
        &app,
        Some(&central),
        "query($id: ID!) { node(id: $id) { id } }",
        json!({ "id": risk["id"] }),
    )
    .await;
    assert_eq!(code, "NOT_FOUND");
    let trail = app
        .query(&central, "query($id: ID!) { auditLog(subjectId: $id) { edges { node { action subjectKind } } } }", json!({ "id": risk["id"] }))
        .await;
    let actions: Vec<Value> = nodes(&trail["auditLog"])
        .iter()
        .map(|e| e["action"].clone())
        .collect();
    assert_eq!(
        actions.len(),
        4,
        "create, two updates and the delete: {actions:?}"
    );
    assert!(
        nodes(&trail["auditLog"])
            .iter()
            .all(|e| e["subjectKind"] == "RISK")
    );
}

async fn risks_show_only_to_central_it_and_the_owning_department(backend: Backend) {
    let Some(app) = spawn(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let ids = work(&app, &central).await;
    let of = |token: Option<String>, work: &'static str| {
        let app = &app;
        let id = ids[work].clone();
        async move {
            post(app, token.as_deref(), RISKS, json!({ "id": id })).await["data"]["node"]["risks"]
                .clone()
        }
    };
    let all = of(Some(central.clone()), "EAKTE-ROLL").await;
    assert_eq!(all.as_array().map(Vec::len), Some(2), "{all}");
    // Highest score first.
    assert_eq!(
        (&all[0]["probability"], &all[0]["impact"]),
        (&json!(4), &json!(4))
    );
    let measure = of(Some(central.clone()), "2024/04").await;
    assert_eq!(measure.as_array().map(Vec::len), Some(1), "{measure}");

    let department = |unit: &str| Some(app.token("department", "aachen", Some(unit)));
    // The owning unit and the units above it see them; a sibling, the council and the public
    // see none: the list is null, as a status report's risks are.
    for (token, sees_eakte, sees_measure) in [
        (department("FB 15/200"), true, false),
        (department("FB 15"), true, false),
        (department("FB 11/100"), false, true),
        (department("FB 15/300"), false, false),
        (Some(app.token("council", "aachen", None)), false, false),
    ] {
        let eakte = of(token.clone(), "EAKTE-ROLL").await;
        assert_eq!(eakte, if sees_eakte { all.clone() } else { Value::Null });
        let m = of(token.clone(), "2024/04").await;
        assert_eq!(
            m,
            if sees_measure {
                measure.clone()
            } else {
                Value::Null
            }
        );
        // By id: found exactly where listed.
        let body = post(
            &app,
            token.as_deref(),
            "query($id: ID!) { node(id: $id) { ... on Risk { title } } }",
            json!({ "id": all[0]["id"] }),
        )
        .await;
        if sees_eakte {
            assert_eq!(body["data"]["node"]["title"], all[0]["title"], "{body}");
        } else {
            assert_eq!(
                body["errors"][0]["extensions"]["code"], "NOT_FOUND",
                "{body}"
            );
        }
    }
    // The public sees the public project, without its register.
    let public = of(None, "PORTAL-50").await;
    assert_eq!(public, Value::Null);
    let body = post(
        &app,
        None,
        "query($id: ID!) { node(id: $id) { ... on Project { title } } }",
        json!({ "id": ids["PORTAL-50"] }),
    )
    .await;
    assert!(body["data"]["node"]["title"].is_string(), "{body}");
    // Another tenant's central IT does not find them.
    let tuk = app.token("central_it", "tuk", None);
    let body = post(
        &app,
        Some(&tuk),
        "query($id: ID!) { node(id: $id) { id } }",
        json!({ "id": all[0]["id"] }),
    )
    .await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "NOT_FOUND",
        "{body}"
    );
}
