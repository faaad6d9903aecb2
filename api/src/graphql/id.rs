//! Opaque global ids: `base64url("Measure:42")`, resolvable through `node(id:)`.

use async_graphql::ID;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};

use crate::error::{ApiError, ApiResult};

/// The global id of row `id` of GraphQL type `kind`.
pub fn encode(kind: &str, id: i32) -> ID {
    ID(tagged(kind, id))
}

/// `tag:number` in unpadded URL-safe base64, the form of global ids and cursors. Every row of
/// a page carries both: no formatter, the buffers sized at once.
pub fn tagged(tag: &str, number: impl itoa::Integer) -> String {
    let mut digits = itoa::Buffer::new();
    let digits = digits.format(number).as_bytes();
    let mut raw = Vec::with_capacity(tag.len() + 1 + digits.len());
    raw.extend_from_slice(tag.as_bytes());
    raw.push(b':');
    raw.extend_from_slice(digits);
    let mut encoded = String::with_capacity(raw.len().div_ceil(3) * 4);
    URL_SAFE_NO_PAD.encode_string(&raw, &mut encoded);
    encoded
}

/// Splits a global id into type name and row id.
pub fn decode_any(id: &ID, field: &str) -> ApiResult<(String, i32)> {
    let bad = || ApiError::bad_input(field, "not a valid id");
    let raw = URL_SAFE_NO_PAD
        .decode(id.as_str().trim_end_matches('='))
        .map_err(|_| bad())?;
    let text = String::from_utf8(raw).map_err(|_| bad())?;
    let (kind, number) = text.split_once(':').ok_or_else(bad)?;
    let number: i32 = number.parse().map_err(|_| bad())?;
    if kind.is_empty() || number <= 0 {
        return Err(bad());
    }
    Ok((kind.to_owned(), number))
}

/// The row id of a global id that must be of type `kind`.
pub fn decode(id: &ID, kind: &str, field: &str) -> ApiResult<i32> {
    let (found, number) = decode_any(id, field)?;
    if found != kind {
        return Err(ApiError::bad_input(
            field,
            format!("expected the id of a {kind}"),
        ));
    }
    Ok(number)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_garbage() {
        let id = encode("Measure", 42);
        assert_eq!(decode(&id, "Measure", "id").unwrap(), 42);
        assert!(decode(&id, "Project", "id").is_err());
        for garbage in ["", "!!!", "TWVhc3VyZQ", "TWVhc3VyZTp4", "TWVhc3VyZTotMQ"] {
            assert!(decode_any(&ID(garbage.into()), "id").is_err(), "{garbage}");
        }
    }
}
