//! How dates, amounts and percentages read in the PDF, in German or English.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::export::labels::Lang;

/// `31.03.2026` in German, `2026-03-31` in English.
pub(super) fn date(day: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::De => day.format("%d.%m.%Y").to_string(),
        Lang::En => day.format("%Y-%m-%d").to_string(),
    }
}

/// An amount in euros: `150.000,00 €` in German, `€150,000.00` in English.
pub(super) fn money(amount: Decimal, lang: Lang) -> String {
    let text = amount.round_dp(2).abs().to_string();
    let (whole, cents) = text.split_once('.').unwrap_or((&text, "0"));
    let cents = format!("{cents:0<2}");
    let (group, point) = match lang {
        Lang::De => ('.', ','),
        Lang::En => (',', '.'),
    };
    let mut grouped = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(group);
        }
        grouped.push(digit);
    }
    let sign = if amount.is_sign_negative() && !amount.is_zero() {
        "-"
    } else {
        ""
    };
    match lang {
        Lang::De => format!("{sign}{grouped}{point}{cents} €"),
        Lang::En => format!("{sign}€{grouped}{point}{cents}"),
    }
}

fn percent(value: Option<i32>) -> String {
    value.map_or_else(|| "–".into(), |v| format!("{v} %"))
}

/// Progress at the start and at the end of the period: `20 % » 45 %`.
pub(super) fn progress(start: Option<i32>, end: Option<i32>) -> String {
    format!("{} » {}", percent(start), percent(end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_groups_digits() {
        assert_eq!(
            money(Decimal::new(123_456_789, 2), Lang::De),
            "1.234.567,89 €"
        );
        assert_eq!(money(Decimal::new(-5, 1), Lang::En), "-€0.50");
    }
}
