//! Limits on what one request may ask for, security headers, CORS and production settings.

use serde_json::json;

use crate::{
    helpers::{Backend, spawn_app, spawn_app_with},
    on_both,
};

on_both!(
    oversized_documents_are_refused_with_their_own_codes,
    responses_carry_security_headers_and_cors,
    production_hides_the_schema
);

async fn oversized_documents_are_refused_with_their_own_codes(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let token = app.token("central_it", "aachen", None);
    let aliases = format!(
        "{{ {} }}",
        (0..100)
            .map(|i| format!("a{i}: __typename"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    let fields = format!(
        "{{ me {{ {} }} }}",
        (0..1_200).map(|_| "sub").collect::<Vec<_>>().join(" ")
    );
    let deep = format!(
        "{{ orgUnits {{ edges {{ node {} }} }} }}",
        "{ parent ".repeat(20) + "{ code }" + &" }".repeat(20)
    );
    for (code, query) in [
        ("ALIAS_LIMIT", aliases),
        ("FIELD_LIMIT", fields),
        ("DEPTH_LIMIT", deep),
    ] {
        let (status, body) = app.post(Some(&token), json!({ "query": query })).await;
        assert!(status < 500, "{code}");
        assert_eq!(body["errors"][0]["extensions"]["code"], code, "{body}");
    }
    let (_, body) = app
        .post(Some(&token), json!({ "query": "{ notAField }" }))
        .await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"],
        "GRAPHQL_VALIDATION_FAILED"
    );
    // Within the limits all is well.
    app.query(&token, "{ a: me { sub } b: me { role } }", json!({}))
        .await;
}

async fn responses_carry_security_headers_and_cors(backend: Backend) {
    let origin = "https://digidash.aachen.de";
    let Some(app) = spawn_app_with(backend, |config| {
        config.cors_origins = Some(format!("{origin}, https://other.example"))
    })
    .await
    else {
        return;
    };
    let response = app
        .client
        .post(format!("{}/graphql", app.address))
        .header("origin", origin)
        .json(&json!({ "query": "{ __typename }" }))
        .send()
        .await
        .expect("request");
    let headers = response.headers();
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["referrer-policy"], "no-referrer");
    assert_eq!(headers["access-control-allow-origin"], origin);
    let foreign = app
        .client
        .post(format!("{}/graphql", app.address))
        .header("origin", "https://evil.example")
        .json(&json!({ "query": "{ __typename }" }))
        .send()
        .await
        .expect("request");
    assert!(
        foreign
            .headers()
            .get("access-control-allow-origin")
            .is_none(),
        "unknown origins get no CORS grant"
    );
    let preflight = app
        .client
        .request(reqwest::Method::OPTIONS, format!("{}/graphql", app.address))
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "authorization, content-type",
        )
        .send()
        .await
        .expect("request");
    assert!(preflight.status().is_success());
    assert_eq!(preflight.headers()["access-control-allow-origin"], origin);
}

async fn production_hides_the_schema(backend: Backend) {
    let Some(app) = spawn_app_with(backend, |config| {
        config.environment = api::config::Environment::Production
    })
    .await
    else {
        return;
    };
    let token = app.token("central_it", "aachen", None);
    // Introspection is refused with a code that says so, not answered with a silent null,
    // also when hidden in a fragment.
    for query in [
        "{ __schema { types { name } } }",
        "{ ...F } fragment F on Query { __type(name: \"Measure\") { name } }",
    ] {
        let (status, body) = app.post(Some(&token), json!({ "query": query })).await;
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "INTROSPECTION_DISABLED",
            "{status} {body}"
        );
        assert!(body["data"].is_null(), "{body}");
    }
    // A browser visiting /graphql gets no GraphiQL.
    let visit = app
        .client
        .get(format!("{}/graphql", app.address))
        .header("accept", "text/html")
        .send()
        .await
        .expect("request");
    let page = visit.text().await.expect("body");
    assert!(!page.contains("graphiql"), "{page}");
    let (_, body) = app
        .post(Some(&token), json!({ "query": "{ measure { id } }" }))
        .await;
    let message = body["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(
        !message.contains("Did you mean"),
        "no field suggestions in production: {message}"
    );
    app.query(&token, "{ me { sub } }", json!({})).await;
    let Some(opened) = spawn_app_with(backend, |config| {
        config.environment = api::config::Environment::Production;
        config.limits.introspection = Some(true);
    })
    .await
    else {
        return;
    };
    let token = opened.token("central_it", "aachen", None);
    opened
        .query(&token, "{ __schema { queryType { name } } }", json!({}))
        .await;
    // GRAPHIQL=true serves it in production too.
    let Some(with_graphiql) = spawn_app_with(backend, |config| {
        config.environment = api::config::Environment::Production;
        config.graphiql = Some(true);
    })
    .await
    else {
        return;
    };
    let page = with_graphiql
        .client
        .get(format!("{}/graphql", with_graphiql.address))
        .header("accept", "text/html")
        .send()
        .await
        .expect("request")
        .text()
        .await
        .expect("body");
    assert!(page.contains("graphiql"), "{page}");
}
