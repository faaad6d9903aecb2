//! Public keys of an identity provider (JWKS), from a file or an https URL.
//!
//! Fetched keys are trusted for the cache lifetime (`JWT_JWKS_CACHE_SECS`); the first lookup
//! after it fetches the set again, and keys the provider no longer publishes are dropped, so
//! the tokens of a withdrawn key stop working. A failed refetch (provider down, garbage
//! answer) keeps the old keys: an outage of the provider must not log everybody out. A token
//! signed with a key id we do not know also triggers a refetch (the provider may have
//! rotated its keys). Fetches run one at a time and at most once per [`JwksSettings::min_refetch`],
//! so a stream of forged key ids or a provider that is down is not hammered.

mod source;

use std::{
    path::PathBuf,
    sync::Arc,
    time::{Duration, Instant},
};

use jsonwebtoken::{Algorithm, DecodingKey};
use tokio::sync::RwLock;

use self::source::Source;

/// Shortest time between two fetches of the key set (with a lifetime of a minute or more).
pub const MIN_REFETCH: Duration = Duration::from_secs(30);

/// Default of `JWT_JWKS_CACHE_SECS`.
pub const DEFAULT_CACHE_LIFETIME: Duration = Duration::from_secs(300);

/// How the key set is fetched and how long it is trusted.
#[derive(Debug, Clone)]
pub struct JwksSettings {
    /// PEM certificates trusted for an https `JWT_JWKS` besides the system's roots.
    pub ca_file: Option<PathBuf>,
    /// How long fetched keys are used before the next lookup fetches the set again.
    pub cache_lifetime: Duration,
}

impl Default for JwksSettings {
    fn default() -> Self {
        Self {
            ca_file: None,
            cache_lifetime: DEFAULT_CACHE_LIFETIME,
        }
    }
}

impl JwksSettings {
    /// Shortest time between two fetches: [`MIN_REFETCH`], or half the lifetime when that is
    /// shorter, so that a short lifetime (a test's) is not outlived by the rate limit and a
    /// new key id is still fetched before the lifetime ends.
    pub fn min_refetch(&self) -> Duration {
        MIN_REFETCH.min(self.cache_lifetime / 2)
    }
}

/// One verification key and the one algorithm it may be used with.
#[derive(Clone)]
pub struct VerifyingKey {
    pub kid: Option<String>,
    pub algorithm: Algorithm,
    pub key: Arc<DecodingKey>,
}

struct Cache {
    keys: Vec<VerifyingKey>,
    /// The last successful fetch: the keys are trusted for the lifetime from here.
    fetched_at: Instant,
    /// The last fetch tried, successful or not: the next waits for the min refetch interval.
    tried_at: Instant,
}

/// The key set of one identity provider.
pub struct Jwks {
    source: Source,
    lifetime: Duration,
    min_refetch: Duration,
    cache: RwLock<Cache>,
}

impl Jwks {
    /// Loads the key set; failing here stops the start-up with a clear message.
    pub async fn load(location: &str, settings: &JwksSettings) -> anyhow::Result<Self> {
        let source = Source::new(location, settings.ca_file.as_deref())?;
        let keys = source.fetch().await?;
        anyhow::ensure!(!keys.is_empty(), "JWT_JWKS holds no usable RS256/ES256 key");
        let now = Instant::now();
        Ok(Self {
            source,
            lifetime: settings.cache_lifetime,
            min_refetch: settings.min_refetch(),
            cache: RwLock::new(Cache {
                keys,
                fetched_at: now,
                tried_at: now,
            }),
        })
    }

    /// The key a token with header `kid`/`alg` must be verified with, if there is one.
    pub async fn find(&self, kid: Option<&str>, alg: Algorithm) -> Option<VerifyingKey> {
        if let Some(key) = self.cached(&*self.cache.read().await, kid, alg) {
            return Some(key);
        }
        let mut cache = self.cache.write().await;
        // Another request may have refetched while we waited for the lock.
        if let Some(key) = self.cached(&cache, kid, alg) {
            return Some(key);
        }
        if cache.tried_at.elapsed() >= self.min_refetch {
            self.refetch(&mut cache).await;
        }
        pick(&cache.keys, kid, alg)
    }

    /// The cached key, unless the keys are due for a refetch.
    fn cached(&self, cache: &Cache, kid: Option<&str>, alg: Algorithm) -> Option<VerifyingKey> {
        if self.refetch_due(cache) {
            return None;
        }
        pick(&cache.keys, kid, alg)
    }

    /// Whether the keys have outlived their lifetime and a fetch may be tried: after a failed
    /// one the old keys serve until the next try.
    fn refetch_due(&self, cache: &Cache) -> bool {
        cache.fetched_at.elapsed() >= self.lifetime && cache.tried_at.elapsed() >= self.min_refetch
    }

    /// Replaces the keys by the provider's current set; on failure keeps them and says why.
    async fn refetch(&self, cache: &mut Cache) {
        cache.tried_at = Instant::now();
        match self.source.fetch().await {
            Ok(keys) if !keys.is_empty() => {
                cache.keys = keys;
                cache.fetched_at = cache.tried_at;
            }
            Ok(_) => tracing::warn!("the refetched JWKS holds no usable key; keeping the old keys"),
            Err(err) => {
                tracing::warn!(error = %err, "refetching the JWKS failed; keeping the old keys")
            }
        }
    }
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

    /// A JWKS file of this test's own, with the keys `kids`.
    fn jwks_file(test: &str, kids: &[&str]) -> PathBuf {
        let file =
            std::env::temp_dir().join(format!("digidash-jwks-{test}-{}.json", std::process::id()));
        std::fs::write(&file, ec_jwks(kids)).unwrap();
        file
    }

    /// Makes the cache look `by` older: its keys fetched and its last try that long ago.
    async fn age(jwks: &Jwks, by: Duration) {
        let mut cache = jwks.cache.write().await;
        cache.fetched_at -= by;
        cache.tried_at -= by;
    }

    async fn knows(jwks: &Jwks, kid: &str) -> bool {
        jwks.find(Some(kid), Algorithm::ES256).await.is_some()
    }

    /// A short lifetime, as a test sets it: a second, so the rate limit is half a second.
    fn short() -> JwksSettings {
        JwksSettings {
            cache_lifetime: Duration::from_secs(1),
            ..JwksSettings::default()
        }
    }

    #[test]
    fn the_rate_limit_never_outlasts_half_the_lifetime() {
        assert_eq!(JwksSettings::default().min_refetch(), MIN_REFETCH);
        assert_eq!(short().min_refetch(), Duration::from_millis(500));
    }

    #[tokio::test]
    async fn unknown_key_ids_refetch_at_most_once_per_interval() {
        let file = jwks_file("kid", &["old"]);
        let jwks = Jwks::load(file.to_str().unwrap(), &JwksSettings::default())
            .await
            .unwrap();
        assert!(knows(&jwks, "old").await);
        assert!(
            jwks.find(Some("old"), Algorithm::RS256).await.is_none(),
            "the key fixes the algorithm"
        );

        // The provider rotates its keys.
        std::fs::write(&file, ec_jwks(&["old", "new"])).unwrap();
        assert!(!knows(&jwks, "new").await, "no refetch right after loading");
        jwks.cache.write().await.tried_at -= MIN_REFETCH;
        assert!(knows(&jwks, "new").await, "an unknown kid refetches");
        std::fs::write(&file, ec_jwks(&["old", "new", "newer"])).unwrap();
        assert!(!knows(&jwks, "newer").await, "rate-limited");
        std::fs::remove_file(&file).unwrap();
    }

    #[tokio::test]
    async fn after_the_lifetime_withdrawn_keys_are_dropped() {
        let file = jwks_file("withdrawn", &["old", "new"]);
        let jwks = Jwks::load(file.to_str().unwrap(), &short()).await.unwrap();
        std::fs::write(&file, ec_jwks(&["new"])).unwrap();
        assert!(knows(&jwks, "old").await, "trusted within the lifetime");
        age(&jwks, Duration::from_secs(1)).await;
        assert!(
            !knows(&jwks, "old").await,
            "the lookup after the lifetime refetches"
        );
        assert!(knows(&jwks, "new").await);
        std::fs::remove_file(&file).unwrap();
    }

    #[tokio::test]
    async fn a_failed_refetch_keeps_the_old_keys_and_waits_to_try_again() {
        let file = jwks_file("down", &["old"]);
        let jwks = Jwks::load(file.to_str().unwrap(), &short()).await.unwrap();
        for garbage in [
            None,
            Some("<html>502 Bad Gateway</html>"),
            Some(r#"{"keys":[]}"#),
        ] {
            match garbage {
                None => std::fs::remove_file(&file).unwrap(),
                Some(text) => std::fs::write(&file, text).unwrap(),
            }
            age(&jwks, Duration::from_secs(1)).await;
            assert!(
                knows(&jwks, "old").await,
                "provider down or broken: {garbage:?}"
            );
        }
        // The provider is back without the key, but the last try was just now: the old keys
        // serve until the rate limit lets the next fetch through.
        std::fs::write(&file, ec_jwks(&["new"])).unwrap();
        assert!(knows(&jwks, "old").await);
        assert!(!knows(&jwks, "new").await, "rate-limited");
        jwks.cache.write().await.tried_at -= Duration::from_millis(500);
        assert!(
            !knows(&jwks, "old").await,
            "withdrawn once the fetch succeeds"
        );
        assert!(knows(&jwks, "new").await);
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
        let settings = JwksSettings::default();
        assert!(
            Jwks::load(file.to_str().unwrap(), &settings).await.is_err(),
            "no usable key"
        );
        std::fs::remove_file(&file).unwrap();
        assert!(
            Jwks::load("http://idp.example/certs", &settings)
                .await
                .is_err()
        );
    }
}
