//! Deliveries that fail: an unreachable receiver is retried (logged, counted in `/metrics`,
//! never a failed write) until it answers or the retry window has passed, and a server that
//! died with deliveries pending leaves them to the next one.

use std::time::Duration;

use api::config::Config;
use serde_json::{Value, json};

use super::{
    CREATE, DELIVERIES, SUBMIT, check_signed, counted, deliveries_until, project,
    receiver::Receiver, receiver_and_app, register, report,
};
use crate::{
    helpers::{Backend, TestDatabase, nodes},
    on_both,
    process::Server,
    tenants::run,
};

on_both!(
    an_unreachable_receiver_is_retried_until_it_answers,
    deliveries_fail_once_the_retry_window_has_passed,
    a_restarted_server_sends_what_was_pending,
);

async fn an_unreachable_receiver_is_retried_until_it_answers(backend: Backend) {
    let Some((mut receiver, app)) = receiver_and_app(backend, false, |_| {}).await else {
        return;
    };
    register(&app, &receiver, &["REPORT_SUBMITTED"]).await;
    let central = app.token("central_it", "aachen", None);
    let (project, _) = project(&app).await;

    // Nobody listens: the write succeeds all the same, and the delivery is tried again.
    let submitted = app
        .query(
            &central,
            SUBMIT,
            report(&project, "AMBER", "Ohne Empfänger"),
        )
        .await["submitStatusReport"]["statusReport"]
        .clone();
    let failing = deliveries_until(&app, 20, |found| {
        found.len() == 1 && found[0]["attempts"].as_i64() >= Some(2)
    })
    .await;
    let delivery = &failing[0];
    assert_eq!(delivery["status"], "PENDING", "{delivery}");
    assert_eq!(delivery["subjectId"], submitted["id"]);
    assert!(delivery["lastResponseCode"].is_null(), "{delivery}");
    assert!(
        delivery["lastError"]
            .as_str()
            .is_some_and(|e| e.contains("connect")),
        "{delivery}"
    );
    assert!(delivery["nextAttemptAt"].is_string());
    assert!(counted(&app.address, "pending").await >= 2);

    // The receiver comes up: the next attempt delivers, under the same message id.
    receiver.start().await;
    let delivered = deliveries_until(&app, 30, |found| found[0]["status"] == "DELIVERED").await;
    let delivery = &delivered[0];
    assert_eq!(delivery["status"], "DELIVERED", "{delivery}");
    assert!(delivery["attempts"].as_i64() >= Some(3), "{delivery}");
    assert_eq!(delivery["lastResponseCode"], 204);
    assert!(delivery["lastError"].is_null() && delivery["nextAttemptAt"].is_null());
    let received = receiver.received();
    assert_eq!(received.len(), 1, "{received:?}");
    assert_eq!(received[0]["headers"]["webhook-id"], delivery["messageId"]);
    assert_eq!(check_signed(&received[0])["data"]["id"], submitted["id"]);
    receiver.stop().await;
}

async fn deliveries_fail_once_the_retry_window_has_passed(backend: Backend) {
    let window = |config: &mut Config| {
        config.webhooks.webhook_retry_window = Duration::from_millis(1500);
    };
    let Some((receiver, app)) = receiver_and_app(backend, false, window).await else {
        return;
    };
    register(&app, &receiver, &["REPORT_SUBMITTED"]).await;
    let central = app.token("central_it", "aachen", None);
    let (project, _) = project(&app).await;
    app.query(
        &central,
        SUBMIT,
        report(&project, "AMBER", "Niemand hört zu"),
    )
    .await;
    let found = deliveries_until(&app, 20, |found| found[0]["status"] == "FAILED").await;
    let delivery = &found[0];
    assert_eq!(delivery["status"], "FAILED", "{delivery}");
    assert!(delivery["attempts"].as_i64() >= Some(2), "{delivery}");
    assert!(delivery["nextAttemptAt"].is_null());
    assert_eq!(counted(&app.address, "failed").await, 1);
    let central = app.token("central_it", "aachen", None);
    let failed = app
        .query(
            &central,
            "{ webhookDeliveries(status: FAILED) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(failed["webhookDeliveries"]["totalCount"], 1);
}

async fn a_restarted_server_sends_what_was_pending(backend: Backend) {
    let Some(mut receiver) = Receiver::new() else {
        return;
    };
    let Some(database) = TestDatabase::create(backend).await else {
        return;
    };
    let url = database.url.clone();
    let (ok, text) = run(&url, &["seed", "--demo"]);
    assert!(ok, "{text}");
    let env = [
        ("DATABASE_URL", url.as_str()),
        ("RATE_LIMIT_PER_MINUTE", "0"),
        ("WEBHOOK_ALLOW_PRIVATE", "true"),
        ("WEBHOOK_POLL_SECS", "0.1"),
        ("WEBHOOK_RETRY_SECS", "0.3"),
        ("WEBHOOK_TIMEOUT_SECS", "2"),
    ];
    let mut server = Server::start(&env).await;
    let client = reqwest::Client::new();
    let token = server.token("central_it");
    let post = |address: String, body: Value| {
        let (client, token) = (client.clone(), token.clone());
        async move {
            let answer: Value = client
                .post(format!("{address}/graphql"))
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .expect("request")
                .json()
                .await
                .expect("JSON");
            assert!(answer["errors"].is_null(), "{answer}");
            answer["data"].clone()
        }
    };
    let created = post(
        server.address.clone(),
        json!({ "query": CREATE, "variables": { "i": { "url": receiver.url(), "events": ["REPORT_SUBMITTED"] } } }),
    )
    .await;
    receiver.set_secret(created["createWebhook"]["secret"].as_str().unwrap());
    let projects = post(
        server.address.clone(),
        json!({ "query": "{ projects(first: 1) { edges { node { id } } } }" }),
    )
    .await;
    let project = nodes(&projects["projects"]).remove(0);
    let submitted = post(
        server.address.clone(),
        json!({ "query": SUBMIT, "variables": report(&project, "GREEN", "Vor dem Neustart") }),
    )
    .await["submitStatusReport"]["statusReport"]
        .clone();
    // Tried while nobody listens, then the process dies.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let listed = post(server.address.clone(), json!({ "query": DELIVERIES })).await;
        let attempts = nodes(&listed["webhookDeliveries"])[0]["attempts"].as_i64();
        if attempts >= Some(1) || tokio::time::Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    server.kill().await;
    receiver.start().await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(receiver.received().is_empty(), "no server, no delivery");

    // The next process finds the delivery in the outbox and sends it.
    let server = Server::start(&env).await;
    let received = receiver.wait_for(1, 30).await;
    assert_eq!(received.len(), 1, "{received:?}");
    assert_eq!(check_signed(&received[0])["data"]["id"], submitted["id"]);
    // The receiver logs a request before it answers: the outcome is recorded just after.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let delivery = loop {
        let listed = post(server.address.clone(), json!({ "query": DELIVERIES })).await;
        let delivery = nodes(&listed["webhookDeliveries"]).remove(0);
        if delivery["status"] == "DELIVERED" || tokio::time::Instant::now() > deadline {
            break delivery;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(delivery["status"], "DELIVERED", "{delivery}");
    assert!(delivery["attempts"].as_i64() >= Some(2), "{delivery}");
    drop(server);
    drop(database);
}
