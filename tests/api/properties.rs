//! Property tests of the parsers that read untrusted text: bearer tokens, cursors and global
//! ids. Whatever arrives, they answer with a clean refusal, never a panic, and what we encode
//! decodes to itself.

use api::{
    auth::{Claims, TokenKeys},
    error::ApiError,
    graphql::{
        connection::{
            PageArgs, Paging,
            cursor::{Cursor, Key},
        },
        id,
    },
};
use async_graphql::ID;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use proptest::prelude::*;
use secrecy::SecretString;

use crate::helpers::SECRET;

fn keys() -> TokenKeys {
    TokenKeys::hs256(&SecretString::from(SECRET.to_owned()))
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

fn valid_token() -> String {
    keys()
        .mint(&Claims {
            sub: "prop".into(),
            role: "central_it".into(),
            tenant: Some("aachen".into()),
            org_unit: None,
            name: None,
            exp: chrono::Utc::now().timestamp() + 3600,
            iat: None,
        })
        .expect("token")
}

/// Three dot-separated base64url parts, each of arbitrary bytes: gets past the first split.
fn jwt_shaped() -> impl Strategy<Value = String> {
    (
        prop_oneof![
            any::<Vec<u8>>(),
            Just(br#"{"alg":"HS256","typ":"JWT"}"#.to_vec()),
            Just(br#"{"alg":"RS256","kid":"x"}"#.to_vec()),
            Just(br#"{"alg":"none"}"#.to_vec()),
        ],
        prop_oneof![
            any::<Vec<u8>>(),
            "[a-z\":{},0-9 ]{0,80}".prop_map(String::into_bytes),
            Just(
                br#"{"sub":"x","role":"central_it","tenant":"aachen","exp":99999999999}"#.to_vec()
            ),
        ],
        any::<Vec<u8>>(),
    )
        .prop_map(|(header, payload, signature)| {
            format!(
                "{}.{}.{}",
                URL_SAFE_NO_PAD.encode(header),
                URL_SAFE_NO_PAD.encode(payload),
                URL_SAFE_NO_PAD.encode(signature)
            )
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_tokens_are_refused_cleanly(token in prop_oneof![any::<String>(), jwt_shaped()]) {
        let result = runtime().block_on(keys().verify(&token));
        prop_assert!(matches!(result, Err(ApiError::Unauthenticated(_))), "{result:?}");
    }

    #[test]
    fn a_changed_byte_breaks_a_valid_token(position in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let token = valid_token();
        let mut bytes = token.clone().into_bytes();
        let at = position.index(bytes.len());
        prop_assume!(bytes[at] != byte);
        bytes[at] = byte;
        let changed = String::from_utf8_lossy(&bytes).into_owned();
        prop_assume!(changed != token);
        let result = runtime().block_on(keys().verify(&changed));
        // Base64 may ignore trailing bits of the last character; anything else is refused.
        if let Ok(api::auth::Claimed::Tenant(identity)) = &result {
            prop_assert_eq!(identity.sub.as_str(), "prop");
        } else {
            prop_assert!(matches!(result, Err(ApiError::Unauthenticated(_))), "{result:?}");
        }
    }

    #[test]
    fn arbitrary_cursors_never_panic(
        after in any::<String>(),
        before in any::<Option<String>>(),
        first in any::<Option<i32>>(),
        last in any::<Option<i32>>(),
    ) {
        let paging = Paging { first, after: Some(after), last, before };
        match PageArgs::new(&paging) {
            Ok(page) => prop_assert!(page.limit <= 100 && page.after.is_some()),
            Err(err) => prop_assert_eq!(err.code(), "BAD_USER_INPUT"),
        }
    }

    #[test]
    fn base64_of_arbitrary_text_is_no_cursor_unless_it_is_one(text in any::<String>()) {
        let encoded = URL_SAFE_NO_PAD.encode(&text);
        if let Ok(cursor) = Cursor::decode(&encoded) {
            prop_assert!(text.starts_with("row:") || text.starts_with("keys:"), "{text}");
            prop_assert_eq!(Cursor::decode(&cursor.encode()), Ok(cursor));
        }
    }

    #[test]
    fn row_cursors_round_trip(id in any::<i32>(), offset in any::<usize>()) {
        let cursor = Cursor::Row { id, offset };
        prop_assert_eq!(Cursor::decode(&cursor.encode()), Ok(cursor));
    }

    #[test]
    fn key_cursors_round_trip(
        order in "[a-z_.,]{1,40}",
        text in any::<String>(),
        number in any::<i64>(),
        days in -100_000i32..100_000,
    ) {
        let date = chrono::NaiveDate::from_num_days_from_ce_opt(730_000 + days).unwrap();
        let cursor = Cursor::Keys {
            order: order.into(),
            values: vec![Key::Text(text), Key::Null, Key::Date(date), Key::Int(number)],
        };
        prop_assert_eq!(Cursor::decode(&cursor.encode()), Ok(cursor));
    }

    #[test]
    fn arbitrary_global_ids_never_panic(raw in prop_oneof![
        any::<String>(),
        any::<Vec<u8>>().prop_map(|bytes| URL_SAFE_NO_PAD.encode(bytes)),
        (".{0,12}", any::<i64>()).prop_map(|(kind, n)| URL_SAFE_NO_PAD.encode(format!("{kind}:{n}"))),
    ]) {
        match id::decode_any(&ID(raw), "id") {
            Ok((kind, number)) => prop_assert!(!kind.is_empty() && number > 0),
            Err(err) => prop_assert_eq!(err.code(), "BAD_USER_INPUT"),
        }
    }

    #[test]
    fn global_ids_round_trip(kind in "[A-Z][A-Za-z]{0,20}", number in 1..=i32::MAX) {
        let encoded = id::encode(&kind, number);
        prop_assert_eq!(id::decode(&encoded, &kind, "id").ok(), Some(number));
        prop_assert_eq!(id::decode_any(&encoded, "id").ok(), Some((kind, number)));
    }
}
