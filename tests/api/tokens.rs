//! Tokens as identity providers issue them: RS256 and ES256 through a JWKS file, with
//! issuer, audience and Keycloak-style role claims.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use p256::{elliptic_curve::sec1::ToEncodedPoint, pkcs8::EncodePrivateKey};
use rsa::{pkcs1::EncodeRsaPrivateKey, pkcs8::EncodePublicKey, traits::PublicKeyParts};
use serde_json::{Value, json};

use crate::{
    helpers::{Backend, TestApp, spawn_app_with},
    on_both,
};

on_both!(provider_tokens_are_verified_against_the_jwks);

const ISSUER: &str = "https://idp.example/realms/digidash";
const AUDIENCE: &str = "digidash";

/// A provider's signing keys and the JWKS file that publishes their public halves.
struct Provider {
    rsa: EncodingKey,
    rsa_public_pem: String,
    ec: EncodingKey,
    jwks: std::path::PathBuf,
}

impl Provider {
    fn new() -> Self {
        let rsa = rsa::RsaPrivateKey::new(&mut rand_core::OsRng, 2048).expect("rsa key");
        let ec = p256::SecretKey::random(&mut rand_core::OsRng);
        let point = ec.public_key().to_encoded_point(false);
        let jwks = json!({ "keys": [
            { "kty": "RSA", "use": "sig", "alg": "RS256", "kid": "rsa-1",
              "n": URL_SAFE_NO_PAD.encode(rsa.n().to_bytes_be()), "e": URL_SAFE_NO_PAD.encode(rsa.e().to_bytes_be()) },
            { "kty": "EC", "crv": "P-256", "use": "sig", "kid": "ec-1",
              "x": URL_SAFE_NO_PAD.encode(point.x().expect("x")), "y": URL_SAFE_NO_PAD.encode(point.y().expect("y")) },
        ]});
        let path = std::env::temp_dir().join(format!(
            "digidash-test-jwks-{}-{}.json",
            std::process::id(),
            rand_core::RngCore::next_u32(&mut rand_core::OsRng)
        ));
        std::fs::write(&path, jwks.to_string()).expect("write jwks");
        Self {
            rsa: EncodingKey::from_rsa_pem(
                rsa.to_pkcs1_pem(Default::default())
                    .expect("pem")
                    .as_bytes(),
            )
            .expect("rsa pem"),
            rsa_public_pem: rsa
                .to_public_key()
                .to_public_key_pem(Default::default())
                .expect("public pem"),
            ec: EncodingKey::from_ec_pem(
                ec.to_pkcs8_pem(Default::default()).expect("pem").as_bytes(),
            )
            .expect("ec pem"),
            jwks: path,
        }
    }

    fn sign(&self, alg: Algorithm, kid: &str, claims: &Value) -> String {
        let mut header = Header::new(alg);
        header.kid = Some(kid.to_owned());
        let key = if alg == Algorithm::RS256 {
            &self.rsa
        } else {
            &self.ec
        };
        jsonwebtoken::encode(&header, claims, key).expect("sign")
    }
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.jwks);
    }
}

/// Claims shaped like Keycloak's.
fn keycloak(roles: &[&str], org_unit: Option<&str>) -> Value {
    let now = chrono::Utc::now().timestamp();
    let mut claims = json!({
        "sub": "f3a1c2d4", "iss": ISSUER, "aud": [AUDIENCE, "account"], "exp": now + 600, "iat": now,
        "name": "Petra Beispiel", "tenant": "aachen", "realm_access": { "roles": roles },
    });
    if let Some(unit) = org_unit {
        claims["org_unit"] = json!(unit);
    }
    claims
}

async fn outcome(app: &TestApp, token: &str) -> Result<String, String> {
    let (status, body) = app
        .post(
            Some(token),
            json!({ "query": "{ me { role orgUnit { code } } }" }),
        )
        .await;
    assert!(status < 500, "{body}");
    match body["errors"][0]["extensions"]["code"].as_str() {
        Some(code) => Err(format!("{code}: {}", body["errors"][0]["message"])),
        None => Ok(body["data"]["me"]["role"]
            .as_str()
            .unwrap_or_default()
            .to_owned()),
    }
}

async fn provider_tokens_are_verified_against_the_jwks(backend: Backend) {
    let provider = Provider::new();
    let jwks = provider.jwks.display().to_string();
    let Some(app) = spawn_app_with(backend, |config| {
        config.jwt_jwks = Some(jwks);
        config.jwt_issuer = Some(ISSUER.into());
        config.jwt_audience = Some(AUDIENCE.into());
        config.jwt_role_claim = "realm_access.roles".into();
        config.jwt_role_map =
            Some("digidash-admin:central_it, fachbereich:department, rat:council".into());
    })
    .await
    else {
        return;
    };

    let admin = keycloak(&["offline_access", "digidash-admin"], None);
    assert_eq!(
        outcome(&app, &provider.sign(Algorithm::RS256, "rsa-1", &admin)).await,
        Ok("CENTRAL_IT".into())
    );
    let head = keycloak(&["fachbereich", "rat"], Some("FB 36"));
    assert_eq!(
        outcome(&app, &provider.sign(Algorithm::ES256, "ec-1", &head)).await,
        Ok("DEPARTMENT".into()),
        "the strongest role wins"
    );

    let refused = |claims: Value| provider.sign(Algorithm::RS256, "rsa-1", &claims);
    let mut cases: Vec<(&str, String)> = Vec::new();
    let mut wrong_audience = admin.clone();
    wrong_audience["aud"] = json!("another-app");
    cases.push(("wrong audience", refused(wrong_audience)));
    let mut no_audience = admin.clone();
    no_audience.as_object_mut().expect("object").remove("aud");
    cases.push(("no audience", refused(no_audience)));
    let mut wrong_issuer = admin.clone();
    wrong_issuer["iss"] = json!("https://evil.example/");
    cases.push(("wrong issuer", refused(wrong_issuer)));
    let mut expired = admin.clone();
    expired["exp"] = json!(chrono::Utc::now().timestamp() - 120);
    cases.push(("expired", refused(expired)));
    let mut immature = admin.clone();
    immature["nbf"] = json!(chrono::Utc::now().timestamp() + 600);
    cases.push(("not valid yet", refused(immature)));
    let mut no_exp = admin.clone();
    no_exp.as_object_mut().expect("object").remove("exp");
    cases.push(("no exp", refused(no_exp)));
    cases.push((
        "unmapped role",
        refused(keycloak(&["offline_access"], None)),
    ));
    cases.push((
        "department without org unit",
        refused(keycloak(&["fachbereich"], None)),
    ));
    cases.push((
        "unknown key id",
        provider.sign(Algorithm::RS256, "rsa-9", &admin),
    ));
    cases.push((
        "key of another algorithm",
        provider.sign(Algorithm::ES256, "rsa-1", &admin),
    ));
    // The classic confusion attack: HMAC "signed" with the provider's public key.
    let confused = jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &admin,
        &EncodingKey::from_secret(provider.rsa_public_pem.as_bytes()),
    )
    .expect("sign");
    cases.push(("HS256 with the public key as secret", confused));
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    cases.push((
        "alg none",
        format!("{header}.{}.", URL_SAFE_NO_PAD.encode(admin.to_string())),
    ));
    for (case, token) in cases {
        let result = outcome(&app, &token).await;
        assert!(
            matches!(&result, Err(code) if code.starts_with("UNAUTHENTICATED")),
            "{case}: {result:?}"
        );
    }
}
