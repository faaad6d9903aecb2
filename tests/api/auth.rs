//! Tokens: who gets in, and the code for who does not.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use serde_json::json;

use crate::{
    helpers::{Backend, spawn_app, spawn_app_with},
    on_both,
};

on_both!(
    bad_tokens_are_unauthenticated,
    public_access_is_off_by_default
);

const ME: &str = "{ me { sub } }";

/// A well-formed token signed with another secret.
fn forge(claims: serde_json::Value, secret: &str) -> String {
    let claims: api::auth::Claims = serde_json::from_value(claims).expect("claims");
    api::auth::TokenKeys::hs256(&secrecy::SecretString::from(secret.to_owned()))
        .mint(&claims)
        .expect("mint")
}

/// An unsigned token (`alg: none`).
fn unsigned(claims: serde_json::Value) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    format!("{header}.{}.", URL_SAFE_NO_PAD.encode(claims.to_string()))
}

async fn bad_tokens_are_unauthenticated(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let expired = app.token("central_it", "aachen", None);
    let good_exp = chrono::Utc::now().timestamp() + 3600;
    let mint = |claims: serde_json::Value| -> String {
        let claims: api::auth::Claims = serde_json::from_value(claims).expect("claims");
        api::auth::TokenKeys::hs256(&secrecy::SecretString::from(
            crate::helpers::SECRET.to_owned(),
        ))
        .mint(&claims)
        .expect("mint")
    };
    let cases = [
        ("no token", None),
        ("garbage", Some("not.a.jwt".to_owned())),
        (
            "unsigned",
            Some(unsigned(
                json!({"sub":"x","role":"central_it","tenant":"aachen","exp":good_exp}),
            )),
        ),
        (
            "bad signature",
            Some(forge(
                json!({"sub":"x","role":"central_it","tenant":"aachen","exp":good_exp}),
                "another-secret-of-sufficient-length",
            )),
        ),
        (
            "expired",
            Some(mint(
                json!({"sub":"x","role":"central_it","tenant":"aachen","exp": chrono::Utc::now().timestamp() - 3600}),
            )),
        ),
        (
            "unknown role",
            Some(mint(
                json!({"sub":"x","role":"admin","tenant":"aachen","exp":good_exp}),
            )),
        ),
        (
            "unknown tenant",
            Some(mint(
                json!({"sub":"x","role":"central_it","tenant":"atlantis","exp":good_exp}),
            )),
        ),
        (
            "department without org unit",
            Some(mint(
                json!({"sub":"x","role":"department","tenant":"aachen","exp":good_exp}),
            )),
        ),
        (
            "department with unknown org unit",
            Some(mint(
                json!({"sub":"x","role":"department","tenant":"aachen","org_unit":"FB 99","exp":good_exp}),
            )),
        ),
    ];
    for (case, token) in cases {
        let (status, body) = app.post(token.as_deref(), json!({ "query": ME })).await;
        assert!(status < 500, "{case}: {status}");
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
            "{case}: {body}"
        );
        let message = body["errors"][0]["message"].as_str().unwrap_or_default();
        if let Some(token) = &token {
            assert!(
                !message.contains(token.as_str()),
                "{case}: the token is not echoed"
            );
        }
    }
    // A valid token gets in.
    let (_, body) = app.post(Some(&expired), json!({ "query": ME })).await;
    assert_eq!(body["data"]["me"]["sub"], "central_it-tester");
}

async fn public_access_is_off_by_default(backend: Backend) {
    let Some(app) = spawn_app_with(backend, |config| config.public_access = true).await else {
        return;
    };
    let response = app
        .client
        .post(format!("{}/graphql", app.address))
        .header("x-tenant", "aachen")
        .json(&json!({ "query": "{ me { role } projects(first: 100) { edges { node { visibility status contact { name } budget { planned } } } } }" }))
        .send()
        .await
        .expect("request");
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(body["data"]["me"]["role"], "PUBLIC", "{body}");
    let projects = crate::helpers::nodes(&body["data"]["projects"]);
    assert!(!projects.is_empty());
    for p in projects {
        assert_eq!(p["visibility"], "PUBLIC");
        assert_ne!(p["status"], "DRAFT");
        assert!(p["contact"].is_null() && p["budget"].is_null());
    }
    let Some(closed) = spawn_app(backend).await else {
        return;
    };
    let (_, body) = closed.post(None, json!({ "query": ME })).await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
}
