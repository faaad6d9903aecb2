//! Retried writes (`Idempotency-Key`): a retry gets the first answer and writes nothing, even
//! when the retries arrive together; the key with another request is refused; a first request
//! still running makes a retry wait; one that died before its write committed is run again.

use entity::idempotency_key;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, IntoActiveModel};
use serde_json::{Value, json};

use crate::{
    helpers::{Backend, TestApp, spawn_app},
    on_both,
};

on_both!(
    a_retried_write_gets_the_first_answer,
    retries_arriving_together_write_once,
    a_retry_waits_for_a_running_request_or_takes_over_a_dead_one,
    an_import_retried_imports_once,
);

const SUBMIT: &str = "mutation($i: SubmitStatusReportInput!) { submitStatusReport(input: $i) \
                      { statusReport { id summary } } }";

/// Posts `body` to `/graphql` with `key`: status, `Idempotent-Replayed`, body.
async fn post(app: &TestApp, token: &str, key: Option<&str>, body: &Value) -> (u16, bool, Value) {
    let mut request = app
        .client
        .post(format!("{}/graphql", app.address))
        .bearer_auth(token)
        .json(body);
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    let replayed = response
        .headers()
        .get("idempotent-replayed")
        .is_some_and(|v| v == "true");
    (status, replayed, response.json().await.expect("JSON"))
}

/// A report on the first measure, with `summary`.
async fn report(app: &TestApp, token: &str, summary: &str) -> Value {
    let measure = app.first_measure(token).await;
    json!({ "query": SUBMIT, "variables": { "i": {
        "subjectId": measure["id"], "progress": 30, "rag": "GREEN", "summary": summary } } })
}

async fn reports(app: &TestApp, token: &str, summary: &str) -> usize {
    let body = app
        .query(
            token,
            "{ statusReports(first: 100) { edges { node { summary } } } }",
            json!({}),
        )
        .await;
    body["statusReports"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["node"]["summary"] == summary)
        .count()
}

async fn a_retried_write_gets_the_first_answer(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let body = report(&app, &central, "Bericht mit Schlüssel").await;
    let key = "4f1c2a9e-0b7d-4c55-9a3e-6f2d8b1e7c10";

    let (status, replayed, first) = post(&app, &central, Some(key), &body).await;
    assert_eq!((status, replayed), (200, false), "{first}");
    let (status, replayed, again) = post(&app, &central, Some(key), &body).await;
    assert_eq!((status, replayed), (200, true), "{again}");
    assert_eq!(again, first);
    assert_eq!(reports(&app, &central, "Bericht mit Schlüssel").await, 1);
    // The write marked its key in its own transaction.
    let row = idempotency_key::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.key == key)
        .expect("the key is kept");
    assert!(row.committed);

    // The key with another request is refused, and nothing is written.
    let other = report(&app, &central, "Anderer Bericht").await;
    let (status, _, refused) = post(&app, &central, Some(key), &other).await;
    assert_eq!(status, 422, "{refused}");
    assert_eq!(
        refused["errors"][0]["extensions"]["code"],
        "IDEMPOTENCY_KEY_REUSED"
    );
    assert_eq!(reports(&app, &central, "Anderer Bericht").await, 0);

    // Keys are the sender's own: another subject's key of the same text runs.
    let department = app.token("department", "aachen", Some("FB 15"));
    let (status, replayed, _) = post(&app, &department, Some(key), &body).await;
    assert_eq!((status, replayed), (200, false));

    // Without a key every request runs; a malformed key is refused.
    let (status, replayed, _) = post(&app, &central, None, &body).await;
    assert_eq!((status, replayed), (200, false));
    let long = "k".repeat(300);
    for bad in [long.as_str(), "mit Leerzeichen"] {
        let (status, _, refused) = post(&app, &central, Some(bad), &body).await;
        assert_eq!(status, 400, "{refused}");
        assert_eq!(refused["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
    }
}

async fn retries_arriving_together_write_once(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let body = report(&app, &central, "Gleichzeitig wiederholt").await;
    let key = "8b0e3f7a-55c1-4d8e-b2a0-3c9d7e6f1a24";
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let (client, address, token, body) = (
            app.client.clone(),
            app.address.clone(),
            central.clone(),
            body.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let response = client
                .post(format!("{address}/graphql"))
                .bearer_auth(token)
                .header("Idempotency-Key", key)
                .json(&body)
                .send()
                .await
                .expect("request");
            let status = response.status().as_u16();
            let replayed = response.headers().contains_key("idempotent-replayed");
            let body: Value = response.json().await.expect("JSON");
            (status, replayed, body)
        }));
    }
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.expect("task"));
    }
    let first = answers
        .iter()
        .find(|(_, replayed, _)| !replayed)
        .expect("one ran");
    for (status, _, answer) in &answers {
        assert_eq!(*status, 200, "{answer}");
        assert_eq!(answer, &first.2);
    }
    assert_eq!(
        answers.iter().filter(|(_, replayed, _)| !replayed).count(),
        1
    );
    assert_eq!(reports(&app, &central, "Gleichzeitig wiederholt").await, 1);
}

async fn a_retry_waits_for_a_running_request_or_takes_over_a_dead_one(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let body = report(&app, &central, "Abgebrochen").await;
    let key = "c3a1d2e4-0f9b-4a7c-8e6d-5b4a3c2d1e0f";
    let (status, _, _) = post(&app, &central, Some(key), &body).await;
    assert_eq!(status, 200);
    let row = idempotency_key::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.key == key)
        .unwrap();

    // As if the first request still ran, its write committed: the retry waits, then 409.
    let mut running = row.clone().into_active_model();
    running.status = Set(None);
    running.body = Set(None);
    running.locked_until = Set(chrono::Utc::now() + chrono::Duration::minutes(5));
    let running = running.update(&app.state.db).await.unwrap();
    let (status, replayed, answer) = post(&app, &central, Some(key), &body).await;
    assert_eq!((status, replayed), (409, false), "{answer}");
    assert_eq!(
        answer["errors"][0]["extensions"]["code"],
        "IDEMPOTENCY_IN_PROGRESS"
    );
    assert_eq!(reports(&app, &central, "Abgebrochen").await, 1);

    // As if it died after its write committed, before its answer was kept: the retry learns
    // that the write happened, and nothing runs.
    let mut lost = running.into_active_model();
    lost.locked_until = Set(chrono::Utc::now() - chrono::Duration::seconds(1));
    let running = lost.update(&app.state.db).await.unwrap();
    let (status, _, answer) = post(&app, &central, Some(key), &body).await;
    assert_eq!(status, 409, "{answer}");
    assert!(
        answer["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("committed"),
        "{answer}"
    );
    assert_eq!(reports(&app, &central, "Abgebrochen").await, 1);

    // As if it died before its write committed, its lease run out: the retry runs.
    let mut dead = running.into_active_model();
    dead.committed = Set(false);
    dead.locked_until = Set(chrono::Utc::now() - chrono::Duration::seconds(1));
    dead.update(&app.state.db).await.unwrap();
    let (status, replayed, answer) = post(&app, &central, Some(key), &body).await;
    assert_eq!((status, replayed), (200, false), "{answer}");
    assert_eq!(reports(&app, &central, "Abgebrochen").await, 2);
    let (_, replayed, again) = post(&app, &central, Some(key), &body).await;
    assert!(replayed);
    assert_eq!(again, answer);
}

async fn an_import_retried_imports_once(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let csv = "Nr.;Maßnahme;Organisationseinheit\nM-IDEM-1;Einmal importiert;FB 15\n";
    let send = |key: &'static str, file: &'static str| {
        app.client
            .post(format!("{}/imports/measures", app.address))
            .bearer_auth(&central)
            .header("content-type", "text/csv")
            .header("Idempotency-Key", key)
            .body(file)
            .send()
    };
    let first = send("import-1", csv).await.unwrap();
    assert_eq!(first.status().as_u16(), 200);
    let first: Value = first.json().await.unwrap();
    assert_eq!(first["totals"]["create"], 1, "{first}");
    let again = send("import-1", csv).await.unwrap();
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    let again: Value = again.json().await.unwrap();
    assert_eq!(again, first);
    let count = app
        .query(
            &central,
            "{ measures(filter: { search: \"M-IDEM-1\" }) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(count["measures"]["totalCount"], 1);
    let other = send(
        "import-1",
        "Nr.;Maßnahme;Organisationseinheit\nM-IDEM-2;Anders;FB 15\n",
    )
    .await
    .unwrap();
    assert_eq!(other.status().as_u16(), 422);
}
