//! A real identity provider: the npm `oidc-provider` (certified by the OpenID Foundation)
//! serves over TLS on loopback with a certificate of a throw-away CA, which digidash trusts
//! only through `JWT_JWKS_CA_FILE`. Its JWT access tokens are accepted with their claims
//! mapped; a rotated key is fetched, a withdrawn key's tokens are refused once the cache's
//! lifetime is over, and while the provider is down the cached keys keep working.
//!
//! Needs Node.js, `npm ci --prefix tests/oidc` and `openssl`; without them the test is skipped,
//! except in CI. One backend is enough: the keys never reach the database.

mod provider;

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use self::provider::{Pki, Provider, RESOURCE, kid};
use crate::process::Server;

/// `JWT_JWKS_CACHE_SECS` of the test: short, so that a withdrawal takes effect in seconds.
const LIFETIME: Duration = Duration::from_secs(2);

/// How long a change may take to show beyond what the rules allow: a debug build on a busy
/// machine answers slowly.
const SLACK: Duration = Duration::from_secs(15);

/// The settings that point digidash at the provider, with its claims mapped to ours.
fn settings<'a>(provider: &'a Provider, jwks: &'a str, ca: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("JWT_JWKS", jwks),
        ("JWT_JWKS_CA_FILE", ca),
        ("JWT_JWKS_CACHE_SECS", "2"),
        ("JWT_ISSUER", &provider.issuer),
        ("JWT_AUDIENCE", RESOURCE),
        ("JWT_ROLE_CLAIM", "digidash.roles"),
        ("JWT_TENANT_CLAIM", "digidash.tenant"),
        ("JWT_ORG_UNIT_CLAIM", "digidash.org_unit"),
        ("JWT_ROLE_MAP", "rat:council,fachbereich:department"),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_real_provider_s_tokens_are_accepted_and_its_keys_rotated_and_withdrawn() {
    if let Some(what) = provider::missing() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "the identity-provider test must run in CI, but {what}"
        );
        eprintln!("skipping the identity-provider test: {what}");
        return;
    }
    let pki = Pki::new();
    let first = pki.signing_key("key-1");
    let second = pki.signing_key("key-2");
    let port = free_port();
    let provider = Provider::start(&pki, port, &[&first]).await;
    let jwks = provider.jwks_url();
    let ca = pki.ca().display().to_string();
    let env = settings(&provider, &jwks, &ca);

    // The provider's certificate is trusted only through the setting: without it, or with a
    // file that holds no certificate, digidash does not start.
    let without_ca: Vec<_> = env
        .iter()
        .copied()
        .filter(|(name, _)| *name != "JWT_JWKS_CA_FILE")
        .collect();
    let error = start_fails(&pki, &without_ca).await;
    assert!(
        error.contains("cannot fetch JWT_JWKS") && error.contains("certificate"),
        "{error}"
    );
    let server_key = pki.dir.join("server.key").display().to_string();
    let mut bad_ca = without_ca.clone();
    bad_ca.push(("JWT_JWKS_CA_FILE", &server_key));
    let error = start_fails(&pki, &bad_ca).await;
    assert!(error.contains("JWT_JWKS_CA_FILE"), "{error}");

    let server = Server::start(&env).await;

    // Tokens as the provider issues them, claims mapped: `rat` is our council, `fachbereich`
    // a department with the org unit of the token.
    let council = provider.token("rat-aachen").await;
    assert_eq!(kid(&council), "key-1");
    assert_eq!(
        me(&server, &council).await,
        Ok(
            json!({"sub": "rat-aachen", "role": "COUNCIL", "tenant": {"key": "aachen"}, "orgUnit": null})
        )
    );
    let department = provider.token("fb15-aachen").await;
    assert_eq!(
        me(&server, &department).await,
        Ok(
            json!({"sub": "fb15-aachen", "role": "DEPARTMENT", "tenant": {"key": "aachen"}, "orgUnit": {"code": "FB 15"}})
        )
    );

    // Rotation: the provider signs with a new key and still publishes the old one. The new
    // key id is unknown to digidash, which fetches the set again.
    provider.stop().await;
    let provider = Provider::start(&pki, port, &[&second, &first]).await;
    let rotated = provider.token("rat-aachen").await;
    assert_eq!(kid(&rotated), "key-2");
    let accepted = eventually(&server, &rotated, SLACK, Result::is_ok).await;
    assert!(accepted.is_ok(), "the new key is fetched: {accepted:?}");
    assert!(
        me(&server, &council).await.is_ok(),
        "the old key still counts"
    );

    // Withdrawal: the provider publishes only the new key. Once the cache's lifetime is over,
    // the old key's tokens are refused (they have not expired: only the key is gone).
    provider.stop().await;
    let provider = Provider::start(&pki, port, &[&second]).await;
    let withdrawn = Instant::now();
    let refused = eventually(&server, &council, LIFETIME + SLACK, Result::is_err).await;
    assert_eq!(
        refused,
        Err("UNAUTHENTICATED".to_owned()),
        "the withdrawn key's token is refused after the lifetime ({:?} after the withdrawal)",
        withdrawn.elapsed()
    );
    assert!(me(&server, &rotated).await.is_ok());

    // The provider is down: after the lifetime the refetch fails, and the cached keys serve.
    provider.stop().await;
    tokio::time::sleep(LIFETIME + Duration::from_millis(500)).await;
    for _ in 0..3 {
        assert!(
            me(&server, &rotated).await.is_ok(),
            "cached keys keep working while the provider is down"
        );
        tokio::time::sleep(LIFETIME / 2).await;
    }
    assert!(
        me(&server, &council).await.is_err(),
        "the withdrawn key stays withdrawn"
    );
    let log = server.log_lines().join("\n");
    assert!(
        log.contains("refetching the JWKS failed; keeping the old keys"),
        "{log}"
    );
}

/// What `me` answers for a token, or the error code.
async fn me(server: &Server, token: &str) -> Result<Value, String> {
    let body: Value = reqwest::Client::new()
        .post(format!("{}/graphql", server.address))
        .bearer_auth(token)
        .json(&json!({ "query": "{ me { sub role tenant { key } orgUnit { code } } }" }))
        .send()
        .await
        .expect("digidash answers")
        .json()
        .await
        .expect("a JSON answer");
    match body["errors"][0]["extensions"]["code"].as_str() {
        Some(code) => Err(code.to_owned()),
        None => Ok(body["data"]["me"].clone()),
    }
}

/// Asks `me` until `done` holds for the answer or `within` has passed; the last answer.
async fn eventually(
    server: &Server,
    token: &str,
    within: Duration,
    done: impl Fn(&Result<Value, String>) -> bool,
) -> Result<Value, String> {
    let deadline = Instant::now() + within;
    loop {
        let answer = me(server, token).await;
        if done(&answer) || Instant::now() >= deadline {
            return answer;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Runs `digidash serve` with `env` (and no shared secret), expecting it to stop before it
/// listens; what it said on stderr.
async fn start_fails(pki: &Pki, env: &[(&str, &str)]) -> String {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_digidash"));
    command
        .arg("serve")
        .current_dir(&pki.dir)
        .env_remove("DATABASE_URL")
        .env_remove("JWT_SECRET")
        .env("BIND_ADDR", "127.0.0.1:0")
        .envs(env.iter().copied())
        .kill_on_drop(true);
    let out = tokio::time::timeout(Duration::from_secs(60), command.output())
        .await
        .expect("digidash stops within a minute")
        .expect("run digidash");
    assert!(
        !out.status.success(),
        "digidash must not start: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A free TCP port on loopback, kept by the provider across its restarts.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port()
}
