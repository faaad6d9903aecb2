//! Bad input gets a clear error with a code, never a 5xx or a panic.

use serde_json::json;

use crate::{
    helpers::{Backend, spawn_app},
    on_both,
};

on_both!(bad_input_gets_a_clear_error);

async fn bad_input_gets_a_clear_error(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let token = app.token("central_it", "aachen", None);
    for (case, query, variables) in [
        (
            "first above 100",
            "{ measures(first: 101) { totalCount } }",
            json!({}),
        ),
        (
            "first below 0",
            "{ measures(first: -1) { totalCount } }",
            json!({}),
        ),
        (
            "nested first above 100",
            "{ projects(first: 1) { edges { node { subProjects(first: 500) { totalCount } } } } }",
            json!({}),
        ),
        (
            "garbage cursor",
            "{ measures(after: \"%%%\") { totalCount } }",
            json!({}),
        ),
        ("garbage id", "{ node(id: \"bm9wZQ\") { id } }", json!({})),
        (
            "id of the wrong type",
            "query($id: ID!) { measures(filter: { goalId: $id }) { totalCount } }",
            json!({ "id": "UHJvamVjdDox" }),
        ),
        (
            "overlong search",
            "query($q: String!) { measures(filter: { search: $q }) { totalCount } }",
            json!({ "q": "x".repeat(500) }),
        ),
    ] {
        let code = app.error_code(Some(&token), query, variables).await;
        assert_eq!(code, "BAD_USER_INPUT", "{case}");
    }
    for (case, body) in [
        ("malformed query", json!({ "query": "{ measures(first: " })),
        ("unknown field", json!({ "query": "{ measures { nope } }" })),
        (
            "wrong argument type",
            json!({ "query": "{ measures(first: \"ten\") { totalCount } }" }),
        ),
        (
            "bad date",
            json!({ "query": "{ measures(filter: { dueBefore: \"31.12.2026\" }) { totalCount } }" }),
        ),
    ] {
        let (status, body) = app.post(Some(&token), body).await;
        assert!(status < 500, "{case}: {status}");
        assert!(body["errors"][0]["message"].is_string(), "{case}: {body}");
        assert!(
            body["data"].is_null() || body.get("data").is_none(),
            "{case}: nothing executed"
        );
    }
    // Not JSON at all: a request error (400 for clients that speak graphql-response+json).
    let response = app
        .client
        .post(format!("{}/graphql", app.address))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .header("accept", "application/graphql-response+json")
        .body("{not json")
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 400);
}

on_both!(mutations_are_refused_over_get);

async fn mutations_are_refused_over_get(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let token = app.token("central_it", "aachen", None);
    let mutation = "mutation { createSteeringMeeting(input: { title: \"Per GET\", heldOn: \"2026-12-01\" }) { steeringMeeting { id } } }";
    let response = app
        .client
        .get(format!("{}/graphql", app.address))
        .query(&[("query", mutation)])
        .bearer_auth(&token)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 405);
    let meetings = app
        .query(
            &token,
            "{ steeringMeetings(first: 100) { edges { node { title } } } }",
            json!({}),
        )
        .await;
    assert!(
        crate::helpers::nodes(&meetings["steeringMeetings"])
            .iter()
            .all(|m| m["title"] != "Per GET"),
        "nothing was created"
    );
}

on_both!(huge_requests_are_refused);

async fn huge_requests_are_refused(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let token = app.token("central_it", "aachen", None);
    let huge = format!("{{ me {{ sub }} }} # {}", "x".repeat(2 * 1024 * 1024));
    // A client of its own: the server closes the connection of a refused body, which must not
    // be reused by the requests that follow.
    let response = reqwest::Client::new()
        .post(format!("{}/graphql", app.address))
        .bearer_auth(&token)
        .json(&json!({ "query": huge }))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 413);
    // The server is still there.
    app.query(&token, "{ me { sub } }", json!({})).await;
}
