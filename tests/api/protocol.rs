//! GraphQL over HTTP: media types, status codes and request checks, as the spec's audit suite
//! (graphql-http `serverAudits`) asks for them.

use serde_json::{Value, json};

use crate::{
    helpers::{Backend, TestApp, spawn_app},
    on_both,
};

on_both!(the_endpoint_speaks_graphql_over_http);

const GRJ: &str = "application/graphql-response+json";

/// Sends a POST with the given headers and raw body; returns status, content type and body.
async fn post(
    app: &TestApp,
    headers: &[(&str, &str)],
    body: Option<String>,
) -> (u16, String, Value) {
    let mut request = app.client.post(format!("{}/graphql", app.address));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    if let Some(body) = body {
        request = request.body(body);
    }
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = serde_json::from_str(&response.text().await.expect("body")).unwrap_or(Value::Null);
    (status, content_type, body)
}

async fn the_endpoint_speaks_graphql_over_http(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let json_ct = ("content-type", "application/json");
    let typename = Some(json!({ "query": "{ __typename }" }).to_string());

    let (status, ct, body) = post(&app, &[json_ct, ("accept", GRJ)], typename.clone()).await;
    assert_eq!((status, ct.contains(GRJ)), (200, true));
    assert_eq!(body["data"]["__typename"], "Query");
    for accept in ["application/json", "*/*"] {
        let (status, ct, _) = post(&app, &[json_ct, ("accept", accept)], typename.clone()).await;
        assert_eq!(
            (status, ct.contains("application/json")),
            (200, true),
            "{accept}"
        );
    }
    let (status, ct, _) = post(&app, &[json_ct], typename.clone()).await;
    assert_eq!(
        (status, ct.contains("application/json")),
        (200, true),
        "no Accept means application/json"
    );
    let (status, _, _) = post(
        &app,
        &[("content-type", "application/json; charset=utf-8")],
        typename.clone(),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _, _) = post(&app, &[json_ct, ("accept", "text/plain")], typename.clone()).await;
    assert_eq!(status, 406);
    for content_type in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        Some("application/json; charset=latin1"),
    ] {
        let headers: Vec<(&str, &str)> = content_type
            .map(|ct| ("content-type", ct))
            .into_iter()
            .collect();
        let (status, _, _) = post(&app, &headers, typename.clone()).await;
        assert_eq!(status, 415, "{content_type:?}");
    }

    // Requests that cannot be executed: 400 without `data` for graphql-response+json clients;
    // application/json clients get 400 for a body that is no GraphQL request and 200 with the
    // errors for a document that does not parse or validate.
    let broken = [
        ("no body", None),
        ("not JSON", Some("{ \"not a JSON".to_owned())),
        (
            "batch",
            Some(json!([{ "query": "{ __typename }" }]).to_string()),
        ),
        (
            "no query",
            Some(json!({ "notquery": "{ __typename }" }).to_string()),
        ),
        (
            "object query",
            Some(json!({ "query": { "obj": "ect" } }).to_string()),
        ),
        ("number query", Some(json!({ "query": 0 }).to_string())),
        (
            "number operationName",
            Some(json!({ "query": "{ __typename }", "operationName": 0 }).to_string()),
        ),
        (
            "string variables",
            Some(json!({ "query": "{ __typename }", "variables": "string" }).to_string()),
        ),
        (
            "array extensions",
            Some(json!({ "query": "{ __typename }", "extensions": ["array"] }).to_string()),
        ),
        (
            "unparsable document",
            Some(json!({ "query": "{" }).to_string()),
        ),
        (
            "invalid document",
            Some(json!({ "query": "{ notAField }" }).to_string()),
        ),
    ];
    for (case, body) in broken {
        let (status, ct, response) = post(&app, &[json_ct, ("accept", GRJ)], body.clone()).await;
        assert_eq!(status, 400, "{case}");
        assert!(ct.contains(GRJ), "{case}");
        assert!(
            response.get("data").is_none(),
            "{case}: no data entry: {response}"
        );
        assert!(response["errors"][0]["message"].is_string(), "{case}");
        let (status, _, response) =
            post(&app, &[json_ct, ("accept", "application/json")], body).await;
        let document_error = case.ends_with("document");
        assert_eq!(status, if document_error { 200 } else { 400 }, "{case}");
        assert!(response["errors"][0]["message"].is_string(), "{case}");
    }
    for allowed in [
        json!({ "query": "{ __typename }", "variables": null, "operationName": null, "extensions": null }),
        json!({ "query": "query Q { __typename }", "operationName": "Q", "extensions": { "some": "value" } }),
    ] {
        let (status, _, response) =
            post(&app, &[json_ct, ("accept", GRJ)], Some(allowed.to_string())).await;
        assert_eq!(status, 200, "{allowed}");
        assert!(response.get("errors").is_none(), "{response}");
    }

    // GET with URL-encoded JSON variables.
    let response = app
        .client
        .get(format!("{}/graphql", app.address))
        .query(&[
            (
                "query",
                "query T($name: String!) { __type(name: $name) { name } }",
            ),
            ("variables", "{\"name\":\"Project\"}"),
        ])
        .header("accept", GRJ)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 200);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["data"]["__type"]["name"], "Project");
}

on_both!(the_spec_audit_suite_passes);

/// The GraphQL-over-HTTP spec's own audit suite (npm `graphql-http`, `serverAudits`), run by
/// `tests/http-audit/audit.mjs` against this server: every MUST and SHOULD audit passes.
async fn the_spec_audit_suite_passes(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/http-audit");
    if !crate::helpers::npm_package_ready(&dir, "graphql-http") {
        return;
    }
    let output = tokio::process::Command::new("node")
        .arg(dir.join("audit.mjs"))
        .arg(format!("{}/graphql", app.address))
        .output()
        .await
        .expect("run node");
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "graphql-http audits failed:\n{report}{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
