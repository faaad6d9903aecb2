//! The shape every tabular export shares: sheets of typed cells, rendered as CSV or XLSX.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::labels::{Header, Lang};

/// One value of a table, typed so that spreadsheets get real numbers, dates and percentages.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Nothing (also what a field the viewer may not see becomes).
    Empty,
    Text(String),
    Int(i64),
    /// An amount of euros.
    Money(Decimal),
    /// A percentage given in whole percent (`45` is 45 %).
    Percent(i32),
    Date(NaiveDate),
    /// A plain number (an indicator's value, a rate).
    Number(Decimal),
}

impl Cell {
    /// Text, or empty for `None`.
    pub fn text(value: Option<impl Into<String>>) -> Self {
        value.map_or(Self::Empty, |v| Self::Text(v.into()))
    }

    /// A date, or empty for `None`.
    pub fn date(value: Option<NaiveDate>) -> Self {
        value.map_or(Self::Empty, Self::Date)
    }

    /// A percentage, or empty for `None`.
    pub fn percent(value: Option<i32>) -> Self {
        value.map_or(Self::Empty, Self::Percent)
    }

    /// An amount, or empty for `None`.
    pub fn money(value: Option<Decimal>) -> Self {
        value.map_or(Self::Empty, Self::Money)
    }

    /// The cell as CSV text: ISO dates, whole percent, amounts with the decimal separator of
    /// the language (German Excel reads `1234,50` as a number, `1234.50` not).
    pub fn csv_text(&self, lang: Lang) -> String {
        match self {
            Self::Empty => String::new(),
            Self::Text(text) => text.clone(),
            Self::Int(value) => value.to_string(),
            Self::Percent(value) => value.to_string(),
            Self::Money(amount) => {
                let text = amount.round_dp(2).to_string();
                match lang {
                    Lang::De => text.replace('.', ","),
                    Lang::En => text,
                }
            }
            Self::Date(day) => day.format("%Y-%m-%d").to_string(),
            Self::Number(value) => {
                let text = value.normalize().to_string();
                match lang {
                    Lang::De => text.replace('.', ","),
                    Lang::En => text,
                }
            }
        }
    }
}

/// A column: its header and its width in a spreadsheet (in characters).
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub header: Header,
    pub width: f64,
}

impl Column {
    pub const fn new(de: &'static str, en: &'static str, width: f64) -> Self {
        Self {
            header: Header::new(de, en),
            width,
        }
    }
}

/// A section of an export: one worksheet in XLSX.
#[derive(Debug, Clone)]
pub struct Sheet {
    /// Worksheet name (at most 31 characters, Excel's limit).
    pub name: &'static str,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
}
