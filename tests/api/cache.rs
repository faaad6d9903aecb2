//! The response cache: a write is visible to the very next read on any replica, and a
//! response cached for one scope is never served to another.

use serde_json::{Value, json};

use crate::{
    helpers::{Backend, TestApp, nodes, spawn_app},
    on_both,
};

on_both!(
    a_write_is_visible_to_the_next_read_on_any_replica,
    cached_responses_never_cross_scopes,
);

/// A second server ("replica") on the same database as `app`.
async fn replica(app: &TestApp) -> String {
    let config = app.state.config.as_ref().clone();
    let (state, _) = api::cli::prepare(config).await.expect("replica state");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(api::http::serve(listener, state));
    address
}

async fn post_to(
    app: &TestApp,
    address: &str,
    token: &str,
    query: &str,
    variables: Value,
) -> Value {
    let response = app
        .client
        .post(format!("{address}/graphql"))
        .bearer_auth(token)
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.expect("json");
    assert!(body.get("errors").is_none(), "{body}");
    body["data"].clone()
}

async fn a_write_is_visible_to_the_next_read_on_any_replica(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let read = "{ portfolioDashboard { measuresByRag { rag count } } measures(first: 100, filter: { status: [IN_PROGRESS] }) { edges { node { id rag progress } } } }";
    let before = app.statements();
    let first = app.query(&central, read, json!({})).await;
    let computed = app.statements() - before;
    let before = app.statements();
    let again = app.query(&central, read, json!({})).await;
    let cached = app.statements() - before;
    assert_eq!(first, again);
    // A cache hit runs only the statements that resolve the viewer.
    assert!(cached <= 3 && cached < computed, "{cached} vs {computed}");

    // A write through the other replica...
    let other = replica(&app).await;
    let measure = nodes(&first["measures"])
        .into_iter()
        .find(|m| m["rag"] != "RED")
        .expect("a running measure that is not red");
    post_to(
        &app,
        &other,
        &central,
        "mutation($i: SubmitStatusReportInput!) { submitStatusReport(input: $i) { statusReport { id } } }",
        json!({ "i": { "subjectId": measure["id"], "progress": 7, "rag": "RED", "summary": "Verzug" } }),
    )
    .await;
    // ... is in the very next read of this one.
    let after = app.query(&central, read, json!({})).await;
    let now = nodes(&after["measures"])
        .into_iter()
        .find(|m| m["id"] == measure["id"])
        .expect("the measure");
    assert_eq!(now["rag"], "RED");
    assert_eq!(now["progress"], 7);
    assert_ne!(after["portfolioDashboard"], first["portfolioDashboard"]);
    // And the other replica, which cached nothing yet, agrees.
    assert_eq!(
        post_to(&app, &other, &central, read, json!({})).await,
        after
    );
}

async fn cached_responses_never_cross_scopes(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let query = "{ measures { totalCount } projects { totalCount edges { node { budget { planned } contact { name } } } } }";
    let scopes = [
        app.token("central_it", "aachen", None),
        app.token("department", "aachen", Some("FB 36")),
        app.token("department", "aachen", Some("FB 15")),
        app.token("council", "aachen", None),
        app.token("central_it", "kisa", None),
    ];
    let mut answers = Vec::new();
    for token in &scopes {
        answers.push(app.query(token, query, json!({})).await);
    }
    // Each scope sees its own answer, and keeps seeing it when it comes from the cache.
    for (token, answer) in scopes.iter().zip(&answers) {
        assert_eq!(&app.query(token, query, json!({})).await, answer);
    }
    for (i, a) in answers.iter().enumerate() {
        for b in &answers[i + 1..] {
            assert_ne!(a, b, "two scopes got the same answer");
        }
    }
    // Identity: `me` is answered for the token that asks, even with equal scope.
    let me = "{ me { sub role } }";
    let one = app.token("council", "aachen", None);
    let first = app.query(&one, me, json!({})).await;
    assert_eq!(first["me"]["sub"], "council-tester");
    let other = app
        .keys
        .mint(&api::auth::Claims {
            sub: "another-councillor".into(),
            role: "council".into(),
            tenant: Some("aachen".into()),
            org_unit: None,
            name: None,
            exp: chrono::Utc::now().timestamp() + 600,
            iat: None,
        })
        .expect("token");
    assert_eq!(
        app.query(&other, me, json!({})).await["me"]["sub"],
        "another-councillor"
    );
}
