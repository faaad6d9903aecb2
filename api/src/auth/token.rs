//! Verifying bearer tokens (HS256 with a shared secret, RS256/ES256 with an identity
//! provider's JWKS) and minting HS256 tokens.
//!
//! The algorithm comes from the key, never from the token: an HS256 token is checked only
//! against the shared secret, an RS256/ES256 token only against the provider key with its id,
//! so `alg: none` and tokens "signed" with a public key as HMAC secret are refused.

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, errors::ErrorKind};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{
    Claimed,
    claims::ClaimRules,
    jwks::{Jwks, JwksSettings},
};
use crate::{config::Config, error::ApiError};

/// Clock skew tolerated on `exp` and `nbf`, in seconds.
const LEEWAY: u64 = 30;

/// The claims of the tokens digidash mints.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub role: String,
    /// The tenant; none in a `platform_admin` token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_unit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub exp: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iat: Option<i64>,
}

struct Hmac {
    decoding: DecodingKey,
    encoding: EncodingKey,
}

/// Everything needed to check a token.
pub struct TokenKeys {
    hmac: Option<Hmac>,
    jwks: Option<Jwks>,
    rules: ClaimRules,
    issuer: Option<String>,
    audience: Option<String>,
}

impl std::fmt::Debug for TokenKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenKeys")
            .field("hs256", &self.hmac.is_some())
            .field("jwks", &self.jwks.is_some())
            .field("issuer", &self.issuer)
            .field("audience", &self.audience)
            .finish_non_exhaustive()
    }
}

fn hmac(secret: &SecretString) -> Hmac {
    let bytes = secret.expose_secret().as_bytes();
    Hmac {
        decoding: DecodingKey::from_secret(bytes),
        encoding: EncodingKey::from_secret(bytes),
    }
}

impl TokenKeys {
    /// HS256 with a shared secret and the default claim names.
    pub fn hs256(secret: &SecretString) -> Self {
        Self {
            hmac: Some(hmac(secret)),
            jwks: None,
            rules: ClaimRules::default(),
            issuer: None,
            audience: None,
        }
    }

    /// The token configuration of `config`; loads the JWKS when one is configured.
    pub async fn from_config(
        config: &Config,
        secret: Option<&SecretString>,
    ) -> anyhow::Result<Self> {
        let settings = JwksSettings {
            ca_file: config.jwt_jwks_ca_file.clone(),
            cache_lifetime: config.jwt_jwks_cache,
        };
        let jwks = match &config.jwt_jwks {
            Some(location) => Some(Jwks::load(location, &settings).await?),
            None => {
                anyhow::ensure!(
                    settings.ca_file.is_none(),
                    "JWT_JWKS_CA_FILE is set, but JWT_JWKS is not"
                );
                None
            }
        };
        anyhow::ensure!(
            secret.is_some() || jwks.is_some(),
            "no token configuration: set JWT_SECRET or JWT_JWKS"
        );
        Ok(Self {
            hmac: secret.map(hmac),
            jwks,
            rules: ClaimRules::from_config(config)?,
            issuer: config.jwt_issuer.clone().filter(|s| !s.is_empty()),
            audience: config.jwt_audience.clone().filter(|s| !s.is_empty()),
        })
    }

    fn validation(&self, algorithm: Algorithm) -> Validation {
        let mut validation = Validation::new(algorithm);
        validation.leeway = LEEWAY;
        validation.validate_nbf = true;
        let mut required = vec!["exp"];
        if let Some(issuer) = &self.issuer {
            validation.set_issuer(&[issuer]);
            required.push("iss");
        }
        match &self.audience {
            Some(audience) => {
                validation.set_audience(&[audience]);
                required.push("aud");
            }
            // Providers put their own audiences in tokens; without a configured one they are
            // not ours to judge.
            None => validation.validate_aud = false,
        }
        validation.set_required_spec_claims(&required);
        validation
    }

    /// Checks a token and reads who it names.
    pub async fn verify(&self, token: &str) -> Result<Claimed, ApiError> {
        let header =
            jsonwebtoken::decode_header(token).map_err(|err| unauthenticated(err.kind()))?;
        let claims = match header.alg {
            Algorithm::HS256 => {
                let hmac = self
                    .hmac
                    .as_ref()
                    .ok_or_else(|| unauthenticated(&ErrorKind::InvalidAlgorithm))?;
                decode(token, &hmac.decoding, &self.validation(Algorithm::HS256))?
            }
            alg => {
                let jwks = self
                    .jwks
                    .as_ref()
                    .ok_or_else(|| unauthenticated(&ErrorKind::InvalidAlgorithm))?;
                let key = jwks.find(header.kid.as_deref(), alg).await.ok_or_else(|| {
                    ApiError::Unauthenticated("token is signed with an unknown key".into())
                })?;
                decode(token, &key.key, &self.validation(key.algorithm))?
            }
        };
        self.rules.identity(&claims)
    }

    /// Issues an HS256 token (the `token` command and the demo tokens of a first start).
    pub fn mint(&self, claims: &Claims) -> anyhow::Result<String> {
        let hmac = self.hmac.as_ref().ok_or_else(|| {
            anyhow::anyhow!("minting tokens needs JWT_SECRET (or the embedded development secret)")
        })?;
        Ok(jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            claims,
            &hmac.encoding,
        )?)
    }
}

/// When a token expires (its `exp`, seconds since the epoch). Read without checking the
/// signature: only for a token [`TokenKeys::verify`] has accepted.
pub fn expiry(token: &str) -> Option<i64> {
    jsonwebtoken::dangerous::insecure_decode::<Value>(token)
        .ok()?
        .claims
        .get("exp")?
        .as_i64()
}

fn decode(token: &str, key: &DecodingKey, validation: &Validation) -> Result<Value, ApiError> {
    jsonwebtoken::decode::<Value>(token, key, validation)
        .map(|data| data.claims)
        .map_err(|err| unauthenticated(err.kind()))
}

fn unauthenticated(kind: &ErrorKind) -> ApiError {
    let reason = match kind {
        ErrorKind::ExpiredSignature => "token has expired",
        ErrorKind::ImmatureSignature => "token is not valid yet",
        ErrorKind::InvalidSignature => "token signature is invalid",
        ErrorKind::InvalidAlgorithm => "token uses an algorithm that is not accepted",
        ErrorKind::MissingRequiredClaim(claim) => {
            return ApiError::Unauthenticated(format!("token lacks the required claim {claim}"));
        }
        ErrorKind::InvalidIssuer => "token has the wrong issuer",
        ErrorKind::InvalidAudience => "token has the wrong audience",
        ErrorKind::InvalidClaimFormat(_) => "token has a malformed claim",
        ErrorKind::Json(_) => "token claims are not valid JSON",
        _ => "token is malformed",
    };
    ApiError::Unauthenticated(reason.to_owned())
}
