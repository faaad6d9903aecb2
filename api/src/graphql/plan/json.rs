//! JSON written straight into a planned page's buffer, byte for byte as serde_json encodes
//! the `Value` the resolvers would have made.

use async_graphql::{ID, ScalarType, Value};
use chrono::{DateTime, Utc};

use crate::graphql::{
    enums::{MeasureKind, OrgUnitKind, Priority, Rag, Status, Visibility},
    scalar::Date,
};

/// A column's output type, written as JSON.
pub(crate) trait Json {
    /// Appends the value's JSON to `out`.
    fn write_json(self, out: &mut Vec<u8>);
}

/// Appends `value` as serde_json encodes it (writing to a `Vec` cannot fail).
pub(crate) fn value(out: &mut Vec<u8>, value: &Value) {
    let _ = serde_json::to_writer(out, value);
}

/// Appends `text` as a JSON string, escaped as serde_json escapes it.
pub(crate) fn string(out: &mut Vec<u8>, text: &str) {
    let _ = serde_json::to_writer(out, text);
}

/// Appends `"key":`. Keys are response keys, GraphQL names (`[_A-Za-z][_0-9A-Za-z]*`), which
/// need no escaping.
pub(crate) fn key(out: &mut Vec<u8>, key: &str) {
    out.push(b'"');
    out.extend_from_slice(key.as_bytes());
    out.extend_from_slice(b"\":");
}

/// Appends an integer.
pub(crate) fn int(out: &mut Vec<u8>, number: impl itoa::Integer) {
    out.extend_from_slice(itoa::Buffer::new().format(number).as_bytes());
}

/// Appends `true` or `false`.
pub(crate) fn boolean(out: &mut Vec<u8>, flag: bool) {
    out.extend_from_slice(if flag { b"true" } else { b"false" });
}

impl Json for &str {
    fn write_json(self, out: &mut Vec<u8>) {
        string(out, self);
    }
}

impl Json for i32 {
    fn write_json(self, out: &mut Vec<u8>) {
        int(out, self);
    }
}

impl Json for bool {
    fn write_json(self, out: &mut Vec<u8>) {
        boolean(out, self);
    }
}

impl Json for ID {
    fn write_json(self, out: &mut Vec<u8>) {
        string(out, &self.0);
    }
}

impl Json for Date {
    fn write_json(self, out: &mut Vec<u8>) {
        value(out, &self.to_value());
    }
}

impl Json for DateTime<Utc> {
    fn write_json(self, out: &mut Vec<u8>) {
        value(out, &self.to_value());
    }
}

impl<T: Json> Json for Option<T> {
    fn write_json(self, out: &mut Vec<u8>) {
        match self {
            Some(inner) => inner.write_json(out),
            None => out.extend_from_slice(b"null"),
        }
    }
}

/// The enums of the columns, by their GraphQL names.
macro_rules! enum_json {
    ($($name:ident),+) => {
        $(impl Json for $name {
            fn write_json(self, out: &mut Vec<u8>) {
                value(out, &self.value());
            }
        })+
    };
}
enum_json!(MeasureKind, OrgUnitKind, Priority, Rag, Status, Visibility);

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    fn written(value: impl Json) -> String {
        let mut out = Vec::new();
        value.write_json(&mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn columns_are_written_as_serde_json_encodes_their_values() {
        let text = "Bürgerportal \"Phase 2\"\n\\ \u{1}";
        assert_eq!(
            written(text),
            serde_json::to_string(&Value::from(text)).unwrap()
        );
        assert_eq!(written(-17), "-17");
        assert_eq!(written(Some(true)), "true");
        assert_eq!(written(None::<&str>), "null");
        assert_eq!(written(Rag::Amber), "\"AMBER\"");
        let date = Date(NaiveDate::from_ymd_opt(2026, 3, 9).unwrap());
        assert_eq!(written(date), "\"2026-03-09\"");
    }
}
