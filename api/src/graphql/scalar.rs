//! Scalars of the API beyond GraphQL's own.

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::NaiveDate;

/// A calendar date, `2026-06-30`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct Date(pub NaiveDate);

/// A calendar date without a time or zone, as RFC 3339's `full-date`: `YYYY-MM-DD`, e.g.
/// `2026-06-30`. Sent and received as a string; dates of the municipality's calendar
/// (due dates, reporting days), not instants.
#[Scalar(
    name = "Date",
    specified_by_url = "https://datatracker.ietf.org/doc/html/rfc3339#section-5.6"
)]
impl ScalarType for Date {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map(Date)
                .map_err(|_| InputValueError::custom("expected a date as YYYY-MM-DD")),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(iso_date(self.0))
    }
}

/// `YYYY-MM-DD`, as `Display` writes it, without the formatter and its growing buffer: a
/// page's rows carry several dates each.
fn iso_date(date: NaiveDate) -> String {
    use chrono::Datelike;
    let year = date.year();
    if !(0..=9999).contains(&year) {
        return date.to_string();
    }
    let digit = |n: u32| char::from(b'0' + (n % 10) as u8);
    let year = year.unsigned_abs();
    let mut text = String::with_capacity(10);
    for n in [year / 1000, year / 100, year / 10, year] {
        text.push(digit(n));
    }
    text.push('-');
    text.push(digit(date.month() / 10));
    text.push(digit(date.month()));
    text.push('-');
    text.push(digit(date.day() / 10));
    text.push(digit(date.day()));
    text
}

impl From<NaiveDate> for Date {
    fn from(date: NaiveDate) -> Self {
        Self(date)
    }
}

pub use service::clock::today;

/// The description of `DateTime` (async-graphql's scalar for `chrono::DateTime<Utc>`, which
/// carries the `@specifiedBy` of RFC 3339 itself).
pub const DATE_TIME: &str = "An instant as RFC 3339's `date-time`, always in UTC on output: \
`2026-06-30T14:05:09.123456+00:00`. Sent and received as a string; input may carry any offset.";

/// The description of `Decimal` (rust_decimal's scalar).
pub const DECIMAL: &str = "An exact decimal number, sent and received as a string so that no \
digit is lost to floating point: `\"1250000.50\"`, `\"-3\"`, `\"0.125\"`. A dot separates the \
decimals; no exponent, no thousands separator. Amounts of money are in euros. Input also \
accepts a JSON number, which passes through a double: send a string to keep every digit.";

/// The description of `JSON`.
pub const JSON: &str = "Any JSON value (RFC 8259), as it was stored: used for the changes of \
an audit entry, `{\"field\": {\"from\": old, \"to\": new}}`.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_as_display_writes_them() {
        let days = [
            (2026, 12, 2),
            (1, 1, 1),
            (999, 10, 9),
            (9999, 12, 31),
            (2024, 2, 29),
        ];
        let edges = [(0, 1, 1), (-1, 6, 15), (10000, 1, 1)];
        for (year, month, day) in days.into_iter().chain(edges) {
            let date = NaiveDate::from_ymd_opt(year, month, day).unwrap();
            assert_eq!(iso_date(date), date.to_string());
        }
        assert_eq!(
            iso_date(NaiveDate::from_ymd_opt(7, 3, 4).unwrap()),
            "0007-03-04"
        );
    }
}
