//! Scalars of the API beyond GraphQL's own.

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::NaiveDate;

/// A calendar date in ISO 8601 form, `2026-06-30`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct Date(pub NaiveDate);

#[Scalar(name = "Date")]
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
