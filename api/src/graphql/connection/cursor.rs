//! Cursors: where an edge stands in its list, so that the next page starts right after it
//! however many rows were added or removed meanwhile.
//!
//! A top-level list is paged in SQL by keyset: its cursor holds the order it belongs to and
//! the edge's values of the sort keys, ending in the id (`keys:["due_date.asc,id.asc",
//! "d:2027-03-31","i:42"]`). A nested list is paged over the rows its loader fetched: its
//! cursor holds the edge's row id and, should that row be gone, its position
//! (`row:42:7`). Both travel as unpadded URL-safe base64, opaque to clients.

use std::{cmp::Ordering, fmt::Write, sync::Arc};

use async_graphql::connection::CursorType;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use rust_decimal::Decimal;
use sea_orm::Value;
use serde_json::Value as Json;

/// Longest cursor accepted; a sort key is at most a title.
const MAX_CURSOR_LEN: usize = 4096;

/// Where an edge stands in its list.
#[derive(Debug, Clone, PartialEq)]
pub enum Cursor {
    /// An edge of a list paged in SQL: its order and its values of the sort keys.
    Keys {
        /// The order, as [`super::keyset::Sort::name`] writes it (shared by a page's edges).
        order: Arc<str>,
        /// The edge's values of the sort keys, in order; the last is the id.
        values: Vec<Key>,
    },
    /// An edge of a nested list: its row id and its position when the page was read.
    Row {
        /// Id of the edge's row.
        id: i32,
        /// Its position in the list, counted from 0.
        offset: usize,
    },
}

/// One sort key's value in a cursor.
#[derive(Debug, Clone, PartialEq)]
pub enum Key {
    /// An empty column (sorted last).
    Null,
    /// A yes/no column.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// Text, including the values of enums.
    Text(String),
    /// A calendar date.
    Date(NaiveDate),
    /// A point in time.
    Time(DateTime<Utc>),
    /// A decimal number.
    Decimal(Decimal),
}

impl Key {
    /// The key of a column value; `None` for a kind of column no list sorts by.
    pub fn of(value: &Value) -> Option<Self> {
        Some(match value {
            Value::Bool(None)
            | Value::TinyInt(None)
            | Value::SmallInt(None)
            | Value::Int(None)
            | Value::BigInt(None)
            | Value::String(None)
            | Value::ChronoDate(None)
            | Value::ChronoDateTimeUtc(None)
            | Value::Decimal(None) => Self::Null,
            Value::Bool(Some(value)) => Self::Bool(*value),
            Value::TinyInt(Some(value)) => Self::Int((*value).into()),
            Value::SmallInt(Some(value)) => Self::Int((*value).into()),
            Value::Int(Some(value)) => Self::Int((*value).into()),
            Value::BigInt(Some(value)) => Self::Int(*value),
            Value::String(Some(value)) => Self::Text(value.clone()),
            Value::ChronoDate(Some(value)) => Self::Date(*value),
            Value::ChronoDateTimeUtc(Some(value)) => Self::Time(*value),
            Value::Decimal(Some(value)) => Self::Decimal(*value),
            _ => return None,
        })
    }

    /// How two values of one sort key compare in a list sorted ascending or descending:
    /// empty values last either way.
    pub fn order(&self, other: &Self, descending: bool) -> Ordering {
        let ordering = match (self, other) {
            (Self::Null, Self::Null) => return Ordering::Equal,
            (Self::Null, _) => return Ordering::Greater,
            (_, Self::Null) => return Ordering::Less,
            (Self::Bool(a), Self::Bool(b)) => a.cmp(b),
            (Self::Int(a), Self::Int(b)) => a.cmp(b),
            (Self::Text(a), Self::Text(b)) => a.cmp(b),
            (Self::Date(a), Self::Date(b)) => a.cmp(b),
            (Self::Time(a), Self::Time(b)) => a.cmp(b),
            (Self::Decimal(a), Self::Decimal(b)) => a.cmp(b),
            // One column holds one kind of value.
            _ => Ordering::Equal,
        };
        if descending {
            ordering.reverse()
        } else {
            ordering
        }
    }

    /// Writes the key as an element of the cursor's JSON list: `null` or `"tag:value"`.
    /// Written straight into the cursor's text: every edge of a page has a cursor.
    fn write_json(&self, out: &mut String) {
        // `write!` into a String cannot fail.
        let _ = match self {
            Self::Null => {
                out.push_str("null");
                Ok(())
            }
            Self::Bool(value) => write!(out, "\"b:{value}\""),
            Self::Int(value) => {
                out.push_str("\"i:");
                out.push_str(itoa::Buffer::new().format(*value));
                out.push('"');
                Ok(())
            }
            Self::Text(value) => {
                push_json_string(out, &format!("s:{value}"));
                Ok(())
            }
            Self::Date(value) => write!(out, "\"d:{value}\""),
            Self::Time(value) => write!(
                out,
                "\"t:{}\"",
                value.to_rfc3339_opts(SecondsFormat::AutoSi, true)
            ),
            Self::Decimal(value) => write!(out, "\"x:{value}\""),
        };
    }

    fn from_json(json: &Json) -> Option<Self> {
        let text = match json {
            Json::Null => return Some(Self::Null),
            Json::String(text) => text,
            _ => return None,
        };
        let (tag, value) = text.split_once(':')?;
        Some(match tag {
            "b" => Self::Bool(value.parse().ok()?),
            "i" => Self::Int(value.parse().ok()?),
            "s" => Self::Text(value.to_owned()),
            "d" => Self::Date(value.parse().ok()?),
            "t" => Self::Time(DateTime::parse_from_rfc3339(value).ok()?.to_utc()),
            "x" => Self::Decimal(value.parse().ok()?),
            _ => return None,
        })
    }
}

impl Cursor {
    /// The cursor as clients see it.
    pub fn encode(&self) -> String {
        match self {
            Self::Row { id, offset } => URL_SAFE_NO_PAD.encode(format!("row:{id}:{offset}")),
            Self::Keys { order, values } => {
                let mut text = String::with_capacity(8 + order.len() + values.len() * 16);
                text.push_str("keys:[");
                push_json_string(&mut text, order);
                for value in values {
                    text.push(',');
                    value.write_json(&mut text);
                }
                text.push(']');
                URL_SAFE_NO_PAD.encode(text)
            }
        }
    }

    /// Reads a cursor a client sent back.
    pub fn decode(text: &str) -> Result<Self, &'static str> {
        const INVALID: &str = "not a cursor of this list";
        if text.len() > MAX_CURSOR_LEN {
            return Err(INVALID);
        }
        let raw = URL_SAFE_NO_PAD.decode(text).map_err(|_| INVALID)?;
        let text = std::str::from_utf8(&raw).map_err(|_| INVALID)?;
        if let Some(row) = text.strip_prefix("row:") {
            let (id, offset) = row.split_once(':').ok_or(INVALID)?;
            return Ok(Self::Row {
                id: id.parse().map_err(|_| INVALID)?,
                offset: offset.parse().map_err(|_| INVALID)?,
            });
        }
        let keys = text.strip_prefix("keys:").ok_or(INVALID)?;
        let Ok(Json::Array(list)) = serde_json::from_str::<Json>(keys) else {
            return Err(INVALID);
        };
        let mut list = list.iter();
        let Some(Json::String(order)) = list.next() else {
            return Err(INVALID);
        };
        let values = list.map(Key::from_json).collect::<Option<Vec<_>>>();
        match values {
            Some(values) if !values.is_empty() => Ok(Self::Keys {
                order: order.as_str().into(),
                values,
            }),
            _ => Err(INVALID),
        }
    }
}

/// `text` as a JSON string; plain text (column names, dates, numbers) is copied as it is.
fn push_json_string(out: &mut String, text: &str) {
    if text
        .chars()
        .all(|c| c != '"' && c != '\\' && !c.is_control())
    {
        out.push('"');
        out.push_str(text);
        out.push('"');
    } else {
        out.push_str(&Json::String(text.to_owned()).to_string());
    }
}

/// async-graphql's connection types hold the cursor of each edge; it is encoded only when a
/// client selects it.
impl CursorType for Cursor {
    type Error = &'static str;

    fn decode_cursor(s: &str) -> Result<Self, Self::Error> {
        Self::decode(s)
    }

    fn encode_cursor(&self) -> String {
        self.encode()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip() {
        let cursors = [
            Cursor::Row { id: 42, offset: 7 },
            Cursor::Row {
                id: i32::MAX,
                offset: usize::MAX,
            },
            Cursor::Keys {
                order: "due_date.asc,id.asc".into(),
                values: vec![
                    Key::Text("a \\ \n\u{1} \"quoted\"".into()),
                    Key::Null,
                    Key::Bool(true),
                    Key::Int(-3),
                    Key::Text("Bürgerportal: \"Phase 2\", 100 %".into()),
                    Key::Date(NaiveDate::from_ymd_opt(2027, 3, 31).unwrap()),
                    Key::Time("2026-12-03T08:15:00.123456Z".parse().unwrap()),
                    Key::Decimal("1234.50".parse().unwrap()),
                    Key::Int(42),
                ],
            },
        ];
        for cursor in cursors {
            assert_eq!(Cursor::decode(&cursor.encode()), Ok(cursor));
        }
    }

    #[test]
    fn empty_values_come_last_either_way() {
        let (one, two) = (Key::Int(1), Key::Int(2));
        assert_eq!(one.order(&two, false), Ordering::Less);
        assert_eq!(one.order(&two, true), Ordering::Greater);
        for descending in [false, true] {
            assert_eq!(Key::Null.order(&one, descending), Ordering::Greater);
            assert_eq!(one.order(&Key::Null, descending), Ordering::Less);
            assert_eq!(Key::Null.order(&Key::Null, descending), Ordering::Equal);
        }
    }

    #[test]
    fn cursors_are_opaque_base64() {
        let cursor = Cursor::Row { id: 42, offset: 7 }.encode();
        assert_eq!(cursor, URL_SAFE_NO_PAD.encode("row:42:7"));
    }

    #[test]
    fn anything_else_is_refused() {
        let encoded = |text: &str| URL_SAFE_NO_PAD.encode(text);
        for text in [
            String::new(),
            "garbage".into(),
            encoded("cursor:5"),
            encoded("row:5"),
            encoded("row:x:1"),
            encoded("keys:"),
            encoded("keys:[]"),
            encoded("keys:[\"id.asc\"]"),
            encoded("keys:[\"id.asc\",5]"),
            encoded("keys:[\"id.asc\",\"q:5\"]"),
            encoded("keys:[\"id.asc\",\"d:2027-02-30\"]"),
            encoded("keys:{}"),
            "A".repeat(MAX_CURSOR_LEN + 1),
        ] {
            assert!(Cursor::decode(&text).is_err(), "{text}");
        }
    }
}
