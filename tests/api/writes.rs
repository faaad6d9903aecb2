//! Writes: who may change what, optimistic concurrency, validation and the audit trail.

use serde_json::{Value, json};

use crate::{
    helpers::{Backend, TestApp, nodes, spawn_app},
    on_both,
};

on_both!(
    measures_are_created_and_updated_by_role,
    stale_versions_conflict_and_change_nothing,
    bad_measure_input_names_the_field,
    status_reports_set_progress_and_keep_history,
);

/// A measure of aachen owned by a unit, with that unit's code and a sibling unit's code.
async fn owned_measure(app: &TestApp) -> (Value, String, String) {
    let central = app.token("central_it", "aachen", None);
    let data = app
        .query(&central, "{ measures(first: 100, filter: { status: [IN_PROGRESS] }) { edges { node { id version title status progress rag orgUnit { code parent { children { code } } } } } } }", json!({}))
        .await;
    let measure = nodes(&data["measures"])
        .into_iter()
        .next()
        .expect("an in-progress measure");
    let owner = measure["orgUnit"]["code"]
        .as_str()
        .expect("code")
        .to_owned();
    let other = measure["orgUnit"]["parent"]["children"]
        .as_array()
        .and_then(|units| {
            units
                .iter()
                .filter_map(|u| u["code"].as_str())
                .find(|code| *code != owner)
        })
        .unwrap_or("FB 11")
        .to_owned();
    (measure, owner, other)
}

const UPDATE: &str = "mutation($input: UpdateMeasureInput!) { updateMeasure(input: $input) { measure { id version title status } } }";

async fn measures_are_created_and_updated_by_role(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let units = app.query(&central, "{ orgUnits(first: 1, filter: { search: \"FB 15\" }) { edges { node { id } } } goals(first: 2) { edges { node { id } } } }", json!({})).await;
    let unit = nodes(&units["orgUnits"])[0]["id"].clone();
    let goals: Vec<Value> = nodes(&units["goals"])
        .iter()
        .map(|g| g["id"].clone())
        .collect();
    let create = "mutation($input: CreateMeasureInput!) { createMeasure(input: $input) { measure { id number title status visibility version goals { id } orgUnit { code } } } }";
    let input = json!({ "number": "M-99", "title": "Open-Data-Portal", "orgUnitId": unit, "goalIds": goals, "startDate": "2027-01-01", "dueDate": "2027-12-31" });
    let created =
        app.query(&central, create, json!({ "input": input })).await["createMeasure"]["measure"]
            .clone();
    assert_eq!(created["status"], "DRAFT");
    assert_eq!(created["visibility"], "INTERNAL");
    assert_eq!(created["version"], 1);
    assert_eq!(created["goals"].as_array().unwrap().len(), goals.len());
    let log = app
        .query(
            &central,
            "query($id: ID) { auditLog(subjectId: $id) { edges { node { action changes } } } }",
            json!({ "id": created["id"] }),
        )
        .await;
    let actions: Vec<Value> = nodes(&log["auditLog"])
        .iter()
        .map(|e| e["action"].clone())
        .collect();
    assert!(
        actions.contains(&json!("create")) && actions.contains(&json!("link")),
        "{actions:?}"
    );
    let link = nodes(&log["auditLog"])
        .into_iter()
        .find(|e| e["action"] == "link")
        .unwrap();
    assert_eq!(
        link["changes"]["goals"]["after"].as_array().unwrap().len(),
        goals.len()
    );

    for role in ["council", "department"] {
        let token = app.token(role, "aachen", (role == "department").then_some("FB 15"));
        assert_eq!(
            app.error_code(Some(&token), create, json!({ "input": input }))
                .await,
            "FORBIDDEN",
            "{role}"
        );
    }
    assert_eq!(
        app.error_code(None, create, json!({ "input": input }))
            .await,
        "UNAUTHENTICATED"
    );

    let (measure, owner, other) = owned_measure(&app).await;
    let status_only = json!({ "input": { "id": measure["id"], "version": measure["version"], "status": "ON_HOLD" } });
    let outsider = app.token("department", "aachen", Some(&other));
    assert_eq!(
        app.error_code(Some(&outsider), UPDATE, status_only.clone())
            .await,
        "FORBIDDEN"
    );
    let owner_token = app.token("department", "aachen", Some(&owner));
    let retitle =
        json!({ "input": { "id": measure["id"], "version": measure["version"], "title": "Neu" } });
    assert_eq!(
        app.error_code(Some(&owner_token), UPDATE, retitle).await,
        "FORBIDDEN",
        "departments change only the status"
    );
    let updated =
        app.query(&owner_token, UPDATE, status_only).await["updateMeasure"]["measure"].clone();
    assert_eq!(updated["status"], "ON_HOLD");
    assert_eq!(updated["version"], measure["version"].as_i64().unwrap() + 1);
    let council = app.token("council", "aachen", None);
    let again = json!({ "input": { "id": measure["id"], "version": updated["version"], "status": "IN_PROGRESS" } });
    let code = app.error_code(Some(&council), UPDATE, again).await;
    assert!(code == "FORBIDDEN" || code == "NOT_FOUND", "{code}");
}

async fn stale_versions_conflict_and_change_nothing(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let (measure, _, _) = owned_measure(&app).await;
    let first = json!({ "input": { "id": measure["id"], "version": measure["version"], "title": "Erste Änderung" } });
    app.query(&central, UPDATE, first).await;
    let stale = json!({ "input": { "id": measure["id"], "version": measure["version"], "title": "Verlorene Änderung" } });
    assert_eq!(
        app.error_code(Some(&central), UPDATE, stale).await,
        "CONFLICT"
    );
    let now = app
        .query(
            &central,
            "query($id: ID!) { node(id: $id) { ... on Measure { title version } } }",
            json!({ "id": measure["id"] }),
        )
        .await;
    assert_eq!(now["node"]["title"], "Erste Änderung");

    // Parallel writers holding the same version: exactly one wins.
    let now_version = now["node"]["version"].clone();
    let attempts = (0..6).map(|i| {
        let body = json!({ "query": UPDATE, "variables": { "input": { "id": measure["id"], "version": now_version, "title": format!("Parallel {i}") } } });
        let (app, central) = (&app, &central);
        async move { app.post(Some(central), body).await }
    });
    let results = futures_join_all(attempts).await;
    let wins = results
        .iter()
        .filter(|(_, body)| body.get("errors").is_none())
        .count();
    let conflicts = results
        .iter()
        .filter(|(_, body)| body["errors"][0]["extensions"]["code"] == "CONFLICT")
        .count();
    assert_eq!((wins, conflicts), (1, 5), "{results:?}");
}

async fn futures_join_all<F: std::future::Future>(
    futures: impl Iterator<Item = F>,
) -> Vec<F::Output> {
    let handles: Vec<_> = futures.collect();
    let mut outputs = Vec::new();
    // Started together so they race; awaited in order.
    let pinned: Vec<_> = handles.into_iter().map(Box::pin).collect();
    let mut pending = pinned;
    let mut results: Vec<Option<F::Output>> = (0..pending.len()).map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut all = true;
        for (i, fut) in pending.iter_mut().enumerate() {
            if results[i].is_none() {
                match fut.as_mut().poll(cx) {
                    std::task::Poll::Ready(out) => results[i] = Some(out),
                    std::task::Poll::Pending => all = false,
                }
            }
        }
        if all {
            std::task::Poll::Ready(())
        } else {
            std::task::Poll::Pending
        }
    })
    .await;
    outputs.extend(results.into_iter().flatten());
    outputs
}

async fn bad_measure_input_names_the_field(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let (measure, _, _) = owned_measure(&app).await;
    let cases = [
        ("title", json!({ "title": "   " })),
        ("title", json!({ "title": "x".repeat(301) })),
        ("description", json!({ "description": "x".repeat(20_001) })),
        (
            "dueDate",
            json!({ "startDate": "2027-06-01", "dueDate": "2027-05-31" }),
        ),
        ("plannedEffortDays", json!({ "plannedEffortDays": "-3" })),
        ("plannedEffortDays", json!({ "plannedEffortDays": "1.005" })),
        ("orgUnitId", json!({ "orgUnitId": "T3JnVW5pdDo5OTk5OQ" })),
        ("goalIds", json!({ "goalIds": ["R29hbDo5OTk5OQ"] })),
    ];
    for (field, changes) in cases {
        let mut input = json!({ "id": measure["id"], "version": measure["version"] });
        input
            .as_object_mut()
            .unwrap()
            .extend(changes.as_object().unwrap().clone());
        let (status, body) = app
            .post(
                Some(&central),
                json!({ "query": UPDATE, "variables": { "input": input } }),
            )
            .await;
        assert!(status < 500);
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
            "{field}: {body}"
        );
        assert_eq!(body["errors"][0]["extensions"]["field"], field, "{body}");
    }
    let unchanged = app
        .query(
            &central,
            "query($id: ID!) { node(id: $id) { ... on Measure { title version } } }",
            json!({ "id": measure["id"] }),
        )
        .await;
    assert_eq!(
        unchanged["node"]["version"], measure["version"],
        "a rejected write changes nothing"
    );
}

async fn status_reports_set_progress_and_keep_history(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    // Without review a department's report counts at once (with review: tests/api/review.rs).
    crate::review::set_report_review(&app, "aachen", false).await;
    let (measure, owner, other) = owned_measure(&app).await;
    let submit = "mutation($input: SubmitStatusReportInput!) { submitStatusReport(input: $input) { statusReport { id progress rag summary risks subject { ... on Measure { id progress rag version } } } } }";
    let input = json!({ "subjectId": measure["id"], "progress": 77, "rag": "AMBER", "summary": "Ausschreibung verzögert sich.", "risks": "Lieferengpass", "nextSteps": "Vergabe im Januar" });
    let outsider = app.token("department", "aachen", Some(&other));
    assert_eq!(
        app.error_code(Some(&outsider), submit, json!({ "input": input }))
            .await,
        "FORBIDDEN"
    );
    let council = app.token("council", "aachen", None);
    let code = app
        .error_code(Some(&council), submit, json!({ "input": input }))
        .await;
    assert!(code == "FORBIDDEN" || code == "NOT_FOUND", "{code}");
    let head = app.token("department", "aachen", Some(&owner));
    let mut bad = input.clone();
    bad["progress"] = json!(101);
    assert_eq!(
        app.error_code(Some(&head), submit, json!({ "input": bad }))
            .await,
        "BAD_USER_INPUT"
    );

    let report = app.query(&head, submit, json!({ "input": input })).await["submitStatusReport"]["statusReport"].clone();
    assert_eq!(report["subject"]["progress"], 77);
    assert_eq!(report["subject"]["rag"], "AMBER");
    assert_eq!(report["risks"], "Lieferengpass");
    assert_eq!(
        report["subject"]["version"],
        measure["version"].as_i64().unwrap() + 1
    );

    // A backdated report joins the history without overriding the latest figures.
    let mut old = input.clone();
    old["progress"] = json!(10);
    old["rag"] = json!("RED");
    old["reportedOn"] = json!("2020-01-15");
    let backdated = app.query(&head, submit, json!({ "input": old })).await["submitStatusReport"]["statusReport"].clone();
    assert_eq!(backdated["subject"]["progress"], 77);
    let history = app
        .query(&head, "query($id: ID!) { node(id: $id) { ... on Measure { statusReports(first: 100) { totalCount edges { node { progress reportedOn } } } latestStatusReport { progress } } } }", json!({ "id": measure["id"] }))
        .await;
    assert_eq!(history["node"]["latestStatusReport"]["progress"], 77);
    assert!(
        nodes(&history["node"]["statusReports"])
            .iter()
            .any(|r| r["reportedOn"] == "2020-01-15")
    );
}
