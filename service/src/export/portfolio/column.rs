//! The columns of the workbook's sheets: what a cell holds, how it is read and how it is
//! written.
//!
//! Every value has one canonical text, whichever way a cell wrote it: enums as their GraphQL
//! names, dates as `2026-09-30`, numbers without trailing zeros, yes/no as `true`/`false`,
//! references as the code the row refers to. Rows of the file and rows of the tenant are
//! compared in that form, and the import's answer shows it.

use entity::enums::{
    FundingSource, LinkKind, MeasureKind, OrgUnitKind, ParticipantRole, Priority, RiskStatus,
    Status, StrategyStatus, Visibility,
};
use rust_decimal::Decimal;

use super::sheet::Sheet;
use crate::export::{
    import::grid::Raw,
    labels::{Header, Labelled, Lang},
    table::Cell,
};

/// How an enum column reads and writes its values.
#[derive(Clone, Copy)]
pub struct EnumFns {
    /// The GraphQL name of a label of either language or a GraphQL name.
    parse: fn(&str) -> Option<&'static str>,
    /// The label of a GraphQL name.
    label: fn(&str, Lang) -> Option<&'static str>,
    /// The labels, for an error message.
    expected: fn(Lang) -> String,
}

fn parse<T: Labelled>(text: &str) -> Option<&'static str> {
    T::from_label(text).map(Labelled::api_name)
}

fn label<T: Labelled>(name: &str, lang: Lang) -> Option<&'static str> {
    T::ALL
        .iter()
        .find(|v| v.api_name() == name)
        .map(|v| v.label(lang))
}

const fn fns<T: Labelled>() -> EnumFns {
    EnumFns {
        parse: parse::<T>,
        label: label::<T>,
        expected: T::expected,
    }
}

pub const STATUS: EnumFns = fns::<Status>();
pub const VISIBILITY: EnumFns = fns::<Visibility>();
pub const MEASURE_KIND: EnumFns = fns::<MeasureKind>();
pub const PRIORITY: EnumFns = fns::<Priority>();
pub const ORG_UNIT_KIND: EnumFns = fns::<OrgUnitKind>();
pub const STRATEGY_STATUS: EnumFns = fns::<StrategyStatus>();
pub const FUNDING_SOURCE: EnumFns = fns::<FundingSource>();
pub const LINK_KIND: EnumFns = fns::<LinkKind>();
pub const RISK_STATUS: EnumFns = fns::<RiskStatus>();
pub const PARTICIPANT_ROLE: EnumFns = fns::<ParticipantRole>();

/// What a column holds.
#[derive(Clone, Copy)]
pub enum Kind {
    /// Text (a title, a name, a note).
    Text,
    /// One of the values of an enum.
    Enum(EnumFns),
    /// A day.
    Date,
    /// A number with decimals.
    Number,
    /// An amount of euros.
    Money,
    /// A whole number.
    Int,
    /// Yes or no.
    Bool,
    /// A row of another sheet (or of the same), by the last part of its key; the columns
    /// listed give the first parts from this row (a goal's parent is a goal of the same
    /// strategy).
    Ref(Sheet, &'static [usize]),
    /// Rows of another sheet by their keys, separated by commas.
    Refs(Sheet),
    /// Goals by their codes, separated by commas; a code several strategies use is written
    /// `G1 (strategy title)`.
    Goals,
    /// Written for people (a traffic light, a percentage), never read.
    Shown,
}

/// A column of a sheet.
#[derive(Clone, Copy)]
pub struct Col {
    pub header: Header,
    /// The field's name in the import's answer (as in GraphQL).
    pub field: &'static str,
    pub kind: Kind,
    /// A new row needs a value; an existing one cannot be emptied.
    pub required: bool,
    /// The canonical value a new row gets when the file leaves the cell empty.
    pub default: Option<&'static str>,
    /// Width in the worksheet, in characters.
    pub width: f64,
}

impl Col {
    pub const fn new(de: &'static str, en: &'static str, field: &'static str, kind: Kind) -> Self {
        Self {
            header: Header::new(de, en),
            field,
            kind,
            required: false,
            default: None,
            width: 16.0,
        }
    }

    pub const fn required(mut self) -> Self {
        self.required = true;
        self
    }

    pub const fn default(mut self, value: &'static str) -> Self {
        self.default = Some(value);
        self
    }

    pub const fn width(mut self, width: f64) -> Self {
        self.width = width;
        self
    }

    /// Whether the import reads the column.
    pub fn read(&self) -> bool {
        !matches!(self.kind, Kind::Shown)
    }

    /// The canonical value of a cell, `None` when empty, or what is wrong with it.
    /// References are read as written; [`super::plan`] checks what they name.
    pub fn parse(&self, raw: &Raw, lang: Lang) -> Result<Option<String>, String> {
        if let Raw::Date(_) = raw
            && !matches!(self.kind, Kind::Date)
        {
            return Err("a date, where this column expects no date".into());
        }
        let Some(text) = raw.text() else {
            return Ok(None);
        };
        let value = match self.kind {
            Kind::Text | Kind::Ref(..) | Kind::Shown => text,
            Kind::Refs(_) | Kind::Goals => {
                let mut items = split_list(&text);
                items.sort_unstable();
                items.dedup();
                if items.is_empty() {
                    return Ok(None);
                }
                items.join(", ")
            }
            Kind::Enum(fns) => (fns.parse)(&text)
                .ok_or_else(|| format!("\"{text}\" is not one of: {}", (fns.expected)(lang)))?
                .to_owned(),
            Kind::Date => raw.date()?.map(|d| d.to_string()).unwrap_or_default(),
            Kind::Number | Kind::Money => number(raw, &text)?.to_string(),
            Kind::Int => {
                let value = number(raw, &text)?;
                if !value.fract().is_zero() {
                    return Err(format!("\"{text}\" is not a whole number"));
                }
                rust_decimal::prelude::ToPrimitive::to_i32(&value)
                    .ok_or_else(|| format!("{text} is too large"))?
                    .to_string()
            }
            Kind::Bool => match text.to_lowercase().as_str() {
                "ja" | "yes" | "true" | "x" | "1" | "wahr" => "true".to_owned(),
                "nein" | "no" | "false" | "0" | "falsch" | "-" => "false".to_owned(),
                _ => return Err(format!("\"{text}\" is not one of: ja, nein (yes, no)")),
            },
        };
        Ok(Some(value))
    }

    /// The cell a canonical value becomes in the workbook.
    pub fn cell(&self, value: Option<&str>, lang: Lang) -> Cell {
        let Some(value) = value else {
            return Cell::Empty;
        };
        let decimal = || value.parse::<Decimal>().ok();
        match self.kind {
            Kind::Enum(fns) => Cell::text(Some((fns.label)(value, lang).unwrap_or(value))),
            Kind::Date => Cell::date(value.parse().ok()),
            Kind::Number => decimal().map_or(Cell::Empty, Cell::Number),
            Kind::Money => Cell::money(decimal()),
            Kind::Int => value.parse().map_or(Cell::Empty, Cell::Int),
            Kind::Bool => Cell::text(Some(match (value, lang) {
                ("true", Lang::De) => "ja",
                ("true", Lang::En) => "yes",
                (_, Lang::De) => "nein",
                (_, Lang::En) => "no",
            })),
            Kind::Text | Kind::Ref(..) | Kind::Refs(_) | Kind::Goals | Kind::Shown => {
                Cell::text(Some(value))
            }
        }
    }
}

/// A number cell, or text as `1234.5` or `1.234,50` (German), or what is wrong with it.
fn number(raw: &Raw, text: &str) -> Result<Decimal, String> {
    let not_a_number = || format!("\"{text}\" is not a number");
    let value = match raw {
        Raw::Number(value) => Decimal::from_f64_retain(*value)
            .map(|d| d.round_dp(6))
            .ok_or_else(not_a_number)?,
        _ => {
            let plain = text.replace([' ', '€', '\u{a0}'], "");
            let plain = if plain.contains(',') {
                plain.replace('.', "").replace(',', ".")
            } else {
                plain
            };
            plain.parse::<Decimal>().map_err(|_| not_a_number())?
        }
    };
    Ok(value.normalize())
}

/// The items of a list cell: separated by commas, semicolons or line breaks, except inside
/// parentheses (a strategy's title after a goal code may hold a comma).
pub fn split_list(text: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut depth = 0usize;
    let mut item = String::new();
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' | ';' | '\n' if depth == 0 => {
                items.push(std::mem::take(&mut item));
                continue;
            }
            _ => {}
        }
        item.push(c);
    }
    items.push(item);
    items
        .into_iter()
        .map(|i| i.trim().to_owned())
        .filter(|i| !i.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_read_to_one_canonical_text() {
        let lang = Lang::De;
        let status = Col::new("Status", "Status", "status", Kind::Enum(STATUS));
        assert_eq!(
            status.parse(&Raw::Text("in Umsetzung".into()), lang),
            Ok(Some("IN_PROGRESS".into()))
        );
        assert!(status.parse(&Raw::Text("bald".into()), lang).is_err());
        let amount = Col::new("Betrag", "Amount", "amount", Kind::Money);
        assert_eq!(
            amount.parse(&Raw::Text("1.234,50 €".into()), lang),
            Ok(Some("1234.5".into()))
        );
        assert_eq!(
            amount.parse(&Raw::Number(1234.5), lang),
            Ok(Some("1234.5".into()))
        );
        assert!(amount.parse(&Raw::Text("viel".into()), lang).is_err());
        let year = Col::new("Jahr", "Year", "year", Kind::Int);
        assert_eq!(
            year.parse(&Raw::Number(2026.0), lang),
            Ok(Some("2026".into()))
        );
        assert!(year.parse(&Raw::Text("2026.5".into()), lang).is_err());
        let yes = Col::new("Übertragbar", "Transferable", "transferable", Kind::Bool);
        assert_eq!(
            yes.parse(&Raw::Text("Ja".into()), lang),
            Ok(Some("true".into()))
        );
        assert_eq!(yes.cell(Some("false"), Lang::En), Cell::Text("no".into()));
        let goals = Col::new("Ziele", "Goals", "goals", Kind::Goals);
        assert_eq!(
            goals.parse(&Raw::Text("Z2; Z1 (Strategie, neu), Z1".into()), lang),
            Ok(Some("Z1, Z1 (Strategie, neu), Z2".into()))
        );
        let title = Col::new("Titel", "Title", "title", Kind::Text);
        let day = chrono::NaiveDate::from_ymd_opt(2026, 9, 30).unwrap();
        assert!(title.parse(&Raw::Date(day), lang).is_err());
    }
}
