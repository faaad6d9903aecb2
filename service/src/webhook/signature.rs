//! The Standard Webhooks signature: a per-endpoint secret `whsec_` + base64 of 32 random
//! bytes, and `v1,` + base64 of HMAC-SHA256 over `{webhook-id}.{webhook-timestamp}.{body}`
//! keyed with the secret's bytes. The secret is kept as it is (not hashed): every delivery
//! needs it to sign.

use base64::{Engine, engine::general_purpose::STANDARD};
use hmac::{Hmac, Mac};
use rand::Rng;
use sha2::Sha256;

use crate::error::{ApiError, ApiResult};

/// How every secret begins, so people and tools recognise it.
pub const SECRET_PREFIX: &str = "whsec_";

/// Random bytes in a secret (the specification asks for 24 to 64).
const SECRET_BYTES: usize = 32;

/// A new signing secret.
pub fn new_secret() -> String {
    let bytes: [u8; SECRET_BYTES] = rand::rng().random();
    format!("{SECRET_PREFIX}{}", STANDARD.encode(bytes))
}

/// A new message id (`webhook-id`): `msg_` and 16 random bytes, base64url, with no `.` that
/// could shift the signed content's fields.
pub fn new_message_id() -> String {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let bytes: [u8; 16] = rand::rng().random();
    format!("msg_{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// The `webhook-signature` header of one attempt.
pub fn sign(secret: &str, message_id: &str, timestamp: i64, body: &[u8]) -> ApiResult<String> {
    let key = secret
        .strip_prefix(SECRET_PREFIX)
        .and_then(|key| STANDARD.decode(key).ok())
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("a webhook secret without whsec_")))?;
    // HMAC takes keys of any length: `new_from_slice` cannot fail for it.
    let mut mac = Hmac::<Sha256>::new_from_slice(&key)
        .map_err(|err| ApiError::Internal(anyhow::anyhow!("HMAC key: {err}")))?;
    mac.update(message_id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    Ok(format!(
        "v1,{}",
        STANDARD.encode(mac.finalize().into_bytes())
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example of the Standard Webhooks reference libraries' test suites.
    #[test]
    fn signs_as_the_reference_libraries_do() {
        let signature = sign(
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1_614_265_330,
            br#"{"test": 2432232314}"#,
        )
        .unwrap();
        assert_eq!(signature, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    #[test]
    fn secrets_and_message_ids_are_random_and_well_formed() {
        let (a, b) = (new_secret(), new_secret());
        assert_ne!(a, b);
        assert_eq!(
            STANDARD.decode(&a[SECRET_PREFIX.len()..]).unwrap().len(),
            SECRET_BYTES
        );
        let id = new_message_id();
        assert!(id.starts_with("msg_") && !id.contains('.'), "{id}");
        assert!(sign("no-prefix", &id, 1, b"{}").is_err());
    }
}
