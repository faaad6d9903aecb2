//! Public keys of an identity provider (JWKS), from a file or an https URL.
//!
//! Keys are cached; a token signed with a key id we do not know triggers one refetch (the
//! provider may have rotated its keys), at most once per [`MIN_REFETCH`], so a stream of
//! forged key ids cannot make us hammer the provider.

use std::{
    path::PathBuf,
    sync::Arc,
    time::{Duration, Instant},
};

use jsonwebtoken::{
    Algorithm, DecodingKey,
    jwk::{AlgorithmParameters, EllipticCurve, JwkSet, KeyAlgorithm, PublicKeyUse},
};
use tokio::sync::RwLock;

/// Shortest time between two fetches of the key set.
pub const MIN_REFETCH: Duration = Duration::from_secs(30);

/// One verification key and the one algorithm it may be used with.
#[derive(Clone)]
pub struct VerifyingKey {
    pub kid: Option<String>,
    pub algorithm: Algorithm,
    pub key: Arc<DecodingKey>,
}

enum Source {
    File(PathBuf),
    Url(String),
}

struct Cache {
    keys: Vec<VerifyingKey>,
    fetched_at: Instant,
}

/// The key set of one identity provider.
pub struct Jwks {
    source: Source,
    client: reqwest::Client,
    cache: RwLock<Cache>,
}

impl Jwks {
    /// Loads the key set; failing here stops the start-up with a clear message.
    pub async fn load(location: &str) -> anyhow::Result<Self> {
        let source = if location.starts_with("https://") || is_local_http(location) {
            Source::Url(location.to_owned())
        } else if location.starts_with("http://") {
            anyhow::bail!("JWT_JWKS must be an https URL (plain http only for localhost)");
        } else {
            Source::File(PathBuf::from(location))
        };
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(5))
            .build()
            .map_err(|err| anyhow::anyhow!("cannot set up the JWKS client: {err}"))?;
        let keys = fetch(&source, &client).await?;
        anyhow::ensure!(!keys.is_empty(), "JWT_JWKS holds no usable RS256/ES256 key");
        Ok(Self {
            source,
            client,
            cache: RwLock::new(Cache {
                keys,
                fetched_at: Instant::now(),
            }),
        })
    }

    /// The key a token with header `kid`/`alg` must be verified with, if there is one.
    pub async fn find(&self, kid: Option<&str>, alg: Algorithm) -> Option<VerifyingKey> {
        if let Some(key) = pick(&self.cache.read().await.keys, kid, alg) {
            return Some(key);
        }
        let mut cache = self.cache.write().await;
        // Another request may have refetched while we waited for the lock.
        if let Some(key) = pick(&cache.keys, kid, alg) {
            return Some(key);
        }
        if cache.fetched_at.elapsed() < MIN_REFETCH {
            return None;
        }
        cache.fetched_at = Instant::now();
        match fetch(&self.source, &self.client).await {
            Ok(keys) if !keys.is_empty() => cache.keys = keys,
            Ok(_) => tracing::warn!("the refetched JWKS holds no usable key; keeping the old keys"),
            Err(err) => {
                tracing::warn!(error = %err, "refetching the JWKS failed; keeping the old keys")
            }
        }
        pick(&cache.keys, kid, alg)
    }
}

fn is_local_http(location: &str) -> bool {
    ["http://127.0.0.1", "http://localhost", "http://[::1]"]
        .iter()
        .any(|prefix| location.starts_with(prefix))
}

/// The signing algorithms accepted from a provider; symmetric and unknown ones are not.
fn algorithm_of(alg: KeyAlgorithm) -> Option<Algorithm> {
    Some(match alg {
        KeyAlgorithm::RS256 => Algorithm::RS256,
        KeyAlgorithm::RS384 => Algorithm::RS384,
        KeyAlgorithm::RS512 => Algorithm::RS512,
        KeyAlgorithm::ES256 => Algorithm::ES256,
        KeyAlgorithm::ES384 => Algorithm::ES384,
        _ => return None,
    })
}

/// The key with this id; without an id, the only key for this algorithm.
fn pick(keys: &[VerifyingKey], kid: Option<&str>, alg: Algorithm) -> Option<VerifyingKey> {
    let mut candidates = keys.iter().filter(|key| key.algorithm == alg);
    match kid {
        Some(kid) => candidates
            .find(|key| key.kid.as_deref() == Some(kid))
            .cloned(),
        None => {
            let first = candidates.next()?;
            candidates.next().is_none().then(|| first.clone())
        }
    }
}

async fn fetch(source: &Source, client: &reqwest::Client) -> anyhow::Result<Vec<VerifyingKey>> {
    let text = match source {
        Source::File(path) => tokio::fs::read_to_string(path).await.map_err(|err| {
            anyhow::anyhow!("cannot read JWT_JWKS file {}: {err}", path.display())
        })?,
        Source::Url(url) => client
            .get(url)
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(|err| anyhow::anyhow!("cannot fetch JWT_JWKS: {err}"))?
            .text()
            .await
            .map_err(|err| anyhow::anyhow!("cannot read JWT_JWKS: {err}"))?,
    };
    let set: JwkSet = serde_json::from_str(&text)
        .map_err(|err| anyhow::anyhow!("JWT_JWKS is not a JWK set: {err}"))?;
    Ok(set
        .keys
        .iter()
        .filter(|jwk| !matches!(jwk.common.public_key_use, Some(PublicKeyUse::Encryption)))
        .filter_map(|jwk| {
            let algorithm = match (&jwk.common.key_algorithm, &jwk.algorithm) {
                (Some(alg), _) => algorithm_of(*alg)?,
                (None, AlgorithmParameters::RSA(_)) => Algorithm::RS256,
                (None, AlgorithmParameters::EllipticCurve(ec)) => match ec.curve {
                    EllipticCurve::P256 => Algorithm::ES256,
                    EllipticCurve::P384 => Algorithm::ES384,
                    _ => return None,
                },
                _ => return None,
            };
            let key = DecodingKey::from_jwk(jwk).ok()?;
            Some(VerifyingKey {
                kid: jwk.common.key_id.clone(),
                algorithm,
                key: Arc::new(key),
            })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
    use p256::elliptic_curve::sec1::ToEncodedPoint;

    use super::*;

    fn ec_jwks(kids: &[&str]) -> String {
        let keys: Vec<_> = kids
            .iter()
            .map(|kid| {
                let point = p256::SecretKey::random(&mut rand_core::OsRng)
                    .public_key()
                    .to_encoded_point(false);
                serde_json::json!({
                    "kty": "EC", "crv": "P-256", "use": "sig", "kid": kid,
                    "x": URL_SAFE_NO_PAD.encode(point.x().unwrap()),
                    "y": URL_SAFE_NO_PAD.encode(point.y().unwrap()),
                })
            })
            .collect();
        serde_json::json!({ "keys": keys }).to_string()
    }

    #[tokio::test]
    async fn unknown_key_ids_refetch_at_most_once_per_interval() {
        let file = std::env::temp_dir().join(format!("digidash-jwks-{}.json", std::process::id()));
        std::fs::write(&file, ec_jwks(&["old"])).unwrap();
        let jwks = Jwks::load(file.to_str().unwrap()).await.unwrap();
        assert!(jwks.find(Some("old"), Algorithm::ES256).await.is_some());
        assert!(
            jwks.find(Some("old"), Algorithm::RS256).await.is_none(),
            "the key fixes the algorithm"
        );

        // The provider rotates its keys.
        std::fs::write(&file, ec_jwks(&["old", "new"])).unwrap();
        assert!(
            jwks.find(Some("new"), Algorithm::ES256).await.is_none(),
            "no refetch right after loading"
        );
        jwks.cache.write().await.fetched_at -= MIN_REFETCH;
        assert!(
            jwks.find(Some("new"), Algorithm::ES256).await.is_some(),
            "an unknown kid refetches"
        );
        std::fs::write(&file, ec_jwks(&["old", "new", "newer"])).unwrap();
        assert!(
            jwks.find(Some("newer"), Algorithm::ES256).await.is_none(),
            "rate-limited"
        );
        std::fs::remove_file(&file).unwrap();
    }

    #[tokio::test]
    async fn symmetric_keys_and_plain_http_are_refused() {
        let file =
            std::env::temp_dir().join(format!("digidash-jwks-oct-{}.json", std::process::id()));
        std::fs::write(
            &file,
            r#"{"keys":[{"kty":"oct","k":"c2VjcmV0","alg":"HS256","kid":"h"}]}"#,
        )
        .unwrap();
        assert!(
            Jwks::load(file.to_str().unwrap()).await.is_err(),
            "no usable key"
        );
        std::fs::remove_file(&file).unwrap();
        assert!(Jwks::load("http://idp.example/certs").await.is_err());
    }
}
