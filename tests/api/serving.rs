//! How the server treats requests around the schema: persisted queries, batches, rate limits,
//! timeouts, request ids, argument ranges and statement timeouts (the node limit: `node_limit`).

use std::time::Duration;

use api::http::persisted::sha256_hex;
use serde_json::{Value, json};

use crate::{
    helpers::{Backend, TestApp, TestDatabase, spawn_app, spawn_app_with},
    on_both,
};

on_both!(
    persisted_queries_are_registered_by_hash,
    batches_are_off_by_default_and_bounded_when_on,
    rate_limits_answer_429_with_retry_after,
    slow_requests_are_stopped_with_timeout,
    every_response_carries_a_request_id,
    integer_arguments_stay_within_32_bits
);

const ME: &str = "query Me { me { sub role } }";

/// A GET of `/graphql` with query-string parameters; returns status, headers and body.
async fn get(
    app: &TestApp,
    token: &str,
    params: &[(&str, String)],
) -> (u16, reqwest::header::HeaderMap, Value) {
    let response = app
        .client
        .get(format!("{}/graphql", app.address))
        .query(params)
        .bearer_auth(token)
        .send()
        .await
        .expect("request");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.json().await.unwrap_or(Value::Null);
    (status, headers, body)
}

fn persisted(hash: &str) -> Value {
    json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } })
}

async fn persisted_queries_are_registered_by_hash(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let token = app.token("council", "aachen", None);
    let hash = sha256_hex(ME);

    // The SPA first sends the hash alone, by GET: unknown.
    let (status, _, body) = get(
        &app,
        &token,
        &[("extensions", persisted(&hash).to_string())],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "PERSISTED_QUERY_NOT_FOUND",
        "{body}"
    );
    assert_eq!(body["errors"][0]["message"], "PersistedQueryNotFound");

    // A hash that is not the query's is refused and nothing is stored.
    let (status, body) = app
        .post(
            Some(&token),
            json!({ "query": "{ me { tenant { key } } }", "extensions": persisted(&hash) }),
        )
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        body["errors"][0]["extensions"]["code"],
        "PERSISTED_QUERY_HASH_MISMATCH"
    );
    assert!(app.state.persisted.is_empty());

    // Then the query with its hash: it runs and is stored.
    let (status, body) = app
        .post(
            Some(&token),
            json!({ "query": ME, "extensions": persisted(&hash) }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["me"]["role"], "COUNCIL", "{body}");

    // From now on the hash alone is enough, by GET and by POST.
    let (status, _, body) = get(
        &app,
        &token,
        &[("extensions", persisted(&hash).to_string())],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["me"]["role"], "COUNCIL", "{body}");
    let (_, body) = app
        .post(Some(&token), json!({ "extensions": persisted(&hash) }))
        .await;
    assert_eq!(body["data"]["me"]["sub"], "council-tester", "{body}");
    // A stored mutation still cannot run by GET.
    let mutation = "mutation { __typename }";
    let mutation_hash = sha256_hex(mutation);
    app.post(
        Some(&token),
        json!({ "query": mutation, "extensions": persisted(&mutation_hash) }),
    )
    .await;
    let (status, _, _) = get(
        &app,
        &token,
        &[("extensions", persisted(&mutation_hash).to_string())],
    )
    .await;
    assert_eq!(status, 405);
    // Unsupported versions are a bad request.
    let (status, body) = app
        .post(
            Some(&token),
            json!({ "extensions": { "persistedQuery": { "version": 2, "sha256Hash": hash } } }),
        )
        .await;
    assert_eq!(status, 400, "{body}");
}

async fn batches_are_off_by_default_and_bounded_when_on(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let token = app.token("central_it", "aachen", None);
    let two = json!([{ "query": ME }, { "query": "{ __typename }" }]);
    let (status, body) = app.post(Some(&token), two.clone()).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["errors"][0]["extensions"]["code"], "BATCH_LIMIT");
    drop(app);

    let Some(app) = spawn_app_with(backend, |config| config.serving.max_batch_size = 2).await
    else {
        return;
    };
    let token = app.token("central_it", "aachen", None);
    let (status, body) = app.post(Some(&token), two).await;
    assert_eq!(status, 200, "{body}");
    let answers = body.as_array().expect("an array of responses");
    assert_eq!(answers.len(), 2);
    assert_eq!(answers[0]["data"]["me"]["role"], "CENTRAL_IT");
    assert_eq!(answers[1]["data"]["__typename"], "Query");
    // Each operation is checked on its own: one bad document does not sink the others.
    let (status, body) = app
        .post(
            Some(&token),
            json!([{ "query": "{ notAField }" }, { "query": ME }]),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body[0]["errors"][0]["extensions"]["code"],
        "GRAPHQL_VALIDATION_FAILED"
    );
    assert_eq!(body[1]["data"]["me"]["role"], "CENTRAL_IT");
    let three = json!([{ "query": ME }, { "query": ME }, { "query": ME }]);
    let (status, body) = app.post(Some(&token), three).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["errors"][0]["extensions"]["code"], "BATCH_LIMIT");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("at most 2")
    );
    let (status, body) = app.post(Some(&token), json!([])).await;
    assert_eq!(status, 400, "{body}");
}

async fn send(app: &TestApp, token: Option<&str>, forwarded: Option<&str>) -> reqwest::Response {
    let mut request = app
        .client
        .post(format!("{}/graphql", app.address))
        .json(&json!({ "query": "{ __typename }" }));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(forwarded) = forwarded {
        request = request.header("x-forwarded-for", forwarded);
    }
    request.send().await.expect("request")
}

async fn rate_limits_answer_429_with_retry_after(backend: Backend) {
    let Some(app) = spawn_app_with(backend, |config| {
        config.serving.rate_limit_per_minute = 3;
        config.serving.rate_limit_per_address_per_minute = 0;
    })
    .await
    else {
        return;
    };
    let alice = app.token("central_it", "aachen", None);
    let other_tenant = app.token("central_it", "kisa", None);
    for _ in 0..3 {
        assert_eq!(send(&app, Some(&alice), None).await.status(), 200);
    }
    let refused = send(&app, Some(&alice), None).await;
    assert_eq!(refused.status(), 429);
    let retry_after: u64 = refused.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["errors"][0]["extensions"]["code"], "RATE_LIMITED");
    // The same subject name in another tenant is someone else.
    assert_eq!(send(&app, Some(&other_tenant), None).await.status(), 200);
    let metrics = app
        .client
        .get(format!("{}/metrics", app.address))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics
            .lines()
            .any(|line| line.contains("RATE_LIMITED") && line.ends_with(" 1")),
        "refusals are counted by code:\n{metrics}"
    );
    drop(app);

    // Per client address: X-Forwarded-For counts only from a trusted proxy.
    let Some(app) = spawn_app_with(backend, |config| {
        config.serving.rate_limit_per_minute = 0;
        config.serving.rate_limit_per_address_per_minute = 2;
    })
    .await
    else {
        return;
    };
    for forwarded in ["203.0.113.1", "203.0.113.2"] {
        assert_eq!(send(&app, None, Some(forwarded)).await.status(), 200);
    }
    assert_eq!(
        send(&app, None, Some("203.0.113.3")).await.status(),
        429,
        "an untrusted peer cannot pick its address"
    );
    drop(app);
    let Some(app) = spawn_app_with(backend, |config| {
        config.serving.rate_limit_per_minute = 0;
        config.serving.rate_limit_per_address_per_minute = 2;
        config.serving.trusted_proxies = "127.0.0.1".parse().unwrap();
    })
    .await
    else {
        return;
    };
    for _ in 0..2 {
        assert_eq!(
            send(&app, None, Some("6.6.6.6, 203.0.113.1"))
                .await
                .status(),
            200
        );
    }
    let refused = send(&app, None, Some("7.7.7.7, 203.0.113.1")).await;
    assert_eq!(
        refused.status(),
        429,
        "the right-most untrusted hop counts, not the forgeable first one"
    );
    assert_eq!(
        send(&app, None, Some("203.0.113.2")).await.status(),
        200,
        "another client behind the same proxy"
    );
}

async fn slow_requests_are_stopped_with_timeout(backend: Backend) {
    let Some(app) = spawn_app_with(backend, |config| {
        config.serving.request_timeout = Duration::from_millis(1);
    })
    .await
    else {
        return;
    };
    let token = app.token("central_it", "aachen", None);
    let heavy = "{ measures(first: 100) { edges { node { id number projects(first: 100) { edges { node { id measure { id } } } } goals { id measures(first: 100) { edges { node { id } } } } } } } }";
    let (status, body) = app.post(Some(&token), json!({ "query": heavy })).await;
    assert_eq!(status, 504, "{body}");
    assert_eq!(body["errors"][0]["extensions"]["code"], "TIMEOUT");
    // The server is fine afterwards.
    let response = app
        .client
        .get(format!("{}/healthz", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

async fn every_response_carries_a_request_id(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let response = send(&app, None, None).await;
    let id = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(id.len(), 36, "a UUID: {id}");
    let response = app
        .client
        .post(format!("{}/graphql", app.address))
        .header("x-request-id", "trace-me-42")
        .json(&json!({ "query": "{ __typename }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["x-request-id"], "trace-me-42");
    let other = send(&app, None, None).await;
    assert_ne!(other.headers()["x-request-id"].to_str().unwrap(), id);
    // An id too long (or with spaces) is replaced by a new one.
    for unusable in ["x".repeat(300), "two words".to_owned()] {
        let response = app
            .client
            .post(format!("{}/graphql", app.address))
            .header("x-request-id", unusable.as_str())
            .json(&json!({ "query": "{ __typename }" }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.headers()["x-request-id"].len(), 36, "{unusable}");
    }
}

async fn integer_arguments_stay_within_32_bits(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let token = app.token("central_it", "aachen", None);
    for (query, variables) in [
        ("{ measures(first: 3000000000) { totalCount } }", json!({})),
        ("{ measures(first: -3000000000) { totalCount } }", json!({})),
        (
            "query($n: Int) { measures(first: $n) { totalCount } }",
            json!({ "n": 3_000_000_000_u64 }),
        ),
        (
            "query($n: Int) { measures(first: $n) { totalCount } }",
            json!({ "n": 1.5 }),
        ),
    ] {
        let (status, body) = app
            .post(
                Some(&token),
                json!({ "query": query, "variables": variables }),
            )
            .await;
        assert!(status < 500, "{status}: {body}");
        let code = body["errors"][0]["extensions"]["code"].as_str().unwrap();
        assert!(
            ["GRAPHQL_VALIDATION_FAILED", "BAD_USER_INPUT"].contains(&code),
            "{query}: {body}"
        );
    }
}

/// `DB_STATEMENT_TIMEOUT_MS` reaches every PostgreSQL connection of the pool: a statement
/// running longer is cancelled and maps to `TIMEOUT`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn statements_running_past_the_timeout_are_cancelled() {
    use sea_orm::ConnectionTrait;
    let Some(database) = TestDatabase::create(Backend::Postgres).await else {
        return;
    };
    let pool = api::config::PoolSettings {
        statement_timeout_ms: 200,
        max_connections: 2,
        ..api::config::PoolSettings::default()
    };
    let target = api::config::DatabaseTarget::Postgres(database.url.clone());
    let (db, _) = api::db::connect(&target, &pool).await.expect("connect");
    // Every connection of the pool has it, not only the first.
    for _ in 0..3 {
        let err = db
            .execute_unprepared("SELECT pg_sleep(1)")
            .await
            .expect_err("cancelled by statement_timeout");
        let mapped = api::error::ApiError::from(err);
        assert_eq!(mapped.code(), "TIMEOUT", "{mapped:?}");
    }
    db.execute_unprepared("SELECT pg_sleep(0.01)")
        .await
        .expect("a short statement runs");
    db.close().await.unwrap();
}

on_both!(hostile_documents_are_refused_without_harm);

/// Shapes a schema-driven fuzzer does not produce: documents nested thousands of levels deep,
/// strings near the body limit, fragment bombs, lists of nulls, unicode everywhere. Each gets
/// a coded refusal (or an answer), never a 5xx, and the server keeps serving.
async fn hostile_documents_are_refused_without_harm(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let token = app.token("central_it", "aachen", None);
    let deep_selection = format!("{{ me {}{}", "{ a ".repeat(5_000), "}".repeat(5_001));
    let deep_list = format!(
        "{{ measures(filter: {{ status: {}ACTIVE{} }}) {{ totalCount }} }}",
        "[".repeat(5_000),
        "]".repeat(5_000)
    );
    let deep_object = format!(
        "{{ measures(filter: {}{}) {{ totalCount }} }}",
        "{ search: { a: ".repeat(3_000),
        "}".repeat(6_000)
    );
    let fragments = format!(
        "{{ ...F0 }} {}",
        (0..2_000)
            .map(|i| format!("fragment F{i} on Query {{ ...F{} __typename }}", i + 1))
            .collect::<Vec<_>>()
            .join(" ")
    );
    let long_string = "ä".repeat(450_000);
    let cases = [
        ("deep selection", json!({ "query": deep_selection })),
        ("deep list", json!({ "query": deep_list })),
        ("deep input object", json!({ "query": deep_object })),
        ("fragment chain", json!({ "query": fragments })),
        (
            "long string variable",
            json!({ "query": "query($q: String) { measures(filter: { search: $q }) { totalCount } }", "variables": { "q": long_string } }),
        ),
        (
            "nested variables",
            json!({ "query": "query($v: JSON) { __typename }", "variables": { "v": serde_json::from_str::<Value>(&format!("{}1{}", "[".repeat(2_000), "]".repeat(2_000))).unwrap_or(Value::Null) } }),
        ),
        (
            "null everywhere",
            json!({ "query": "query($a: String, $f: Int) { measures(first: $f, after: $a, filter: null, orderBy: null) { totalCount } }", "variables": { "a": null, "f": null } }),
        ),
        (
            "unicode names",
            json!({ "query": "{ mé { sub } \u{202e}x }", "operationName": "\u{0000}\u{ffff}" }),
        ),
    ];
    for (case, body) in cases {
        let (status, body) = app.post(Some(&token), body).await;
        assert!(status < 500, "{case}: {status} {body}");
        if status != 413 {
            assert!(
                body["errors"][0]["extensions"]["code"].is_string() || body["data"].is_object(),
                "{case}: {body}"
            );
        }
    }
    app.query(&token, ME, json!({})).await;
}

/// On SQLite `DB_STATEMENT_TIMEOUT_MS` is how long a writer waits for the lock: then the
/// statement fails with `TIMEOUT` instead of waiting on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_writers_wait_for_the_lock_no_longer_than_the_statement_timeout() {
    use sea_orm::{ConnectionTrait, TransactionTrait};
    let database = TestDatabase::create(Backend::Sqlite).await.expect("sqlite");
    let target =
        api::config::DatabaseTarget::Sqlite(database.url.trim_start_matches("sqlite://").into());
    let pool = api::config::PoolSettings {
        statement_timeout_ms: 300,
        ..api::config::PoolSettings::default()
    };
    let (db, _) = api::db::connect(&target, &pool).await.expect("connect");
    db.execute_unprepared("CREATE TABLE lock_probe (n INTEGER)")
        .await
        .unwrap();
    let (other, _) = api::db::connect(&target, &pool).await.expect("connect");
    let holder = other.begin().await.unwrap();
    holder
        .execute_unprepared("INSERT INTO lock_probe VALUES (1)")
        .await
        .unwrap();
    let started = std::time::Instant::now();
    let err = db
        .execute_unprepared("INSERT INTO lock_probe VALUES (2)")
        .await
        .expect_err("the lock is held");
    let waited = started.elapsed();
    assert_eq!(api::error::ApiError::from(err).code(), "TIMEOUT");
    assert!(
        waited >= Duration::from_millis(250) && waited < Duration::from_secs(3),
        "{waited:?}"
    );
    holder.rollback().await.unwrap();
    db.execute_unprepared("INSERT INTO lock_probe VALUES (3)")
        .await
        .expect("free again");
}
