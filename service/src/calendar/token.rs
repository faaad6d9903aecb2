//! The secret of a feed: 32 random bytes in the URL, base64url without padding (43
//! characters), and only their SHA-256 in the database, so a leaked backup or replica holds no
//! working URL. The token is long and random enough that its hash needs no salt or slow KDF:
//! nobody can guess one to look up.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use rand::Rng;
use sha2::{Digest, Sha256};

/// Characters of a token: 32 bytes in base64url without padding.
pub const TOKEN_LEN: usize = 43;

/// A new token.
pub fn generate() -> String {
    let bytes: [u8; 32] = rand::rng().random();
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What is stored of a token: its SHA-256 in hex.
pub fn hash(token: &str) -> String {
    format!("{:x}", Sha256::digest(token.as_bytes()))
}

/// Whether `token` has the shape of one we issue: anything else is not looked up at all.
pub fn well_formed(token: &str) -> bool {
    token.len() == TOKEN_LEN
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        && URL_SAFE_NO_PAD
            .decode(token)
            .is_ok_and(|bytes| bytes.len() == 32)
}

/// The path a calendar client subscribes to.
pub fn path(token: &str) -> String {
    format!("/calendar/{token}.ics")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_well_formed_and_hashed() {
        let (a, b) = (generate(), generate());
        assert_ne!(a, b);
        assert!(well_formed(&a), "{a}");
        assert_eq!(hash(&a).len(), 64);
        assert_ne!(hash(&a), hash(&b));
        assert!(!hash(&a).contains(&a));
        assert_eq!(path("x"), "/calendar/x.ics");
    }

    #[test]
    fn malformed_tokens_are_refused() {
        for token in [
            "",
            "abc",
            &"a".repeat(44),
            &format!("{}!", "a".repeat(42)),
            "ä",
        ] {
            assert!(!well_formed(token), "{token}");
        }
    }
}
