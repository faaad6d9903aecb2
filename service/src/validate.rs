//! Checks on input values; every refusal names the field (`BAD_USER_INPUT`).

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::error::{ApiError, ApiResult};

/// Longest title, in characters.
pub const TITLE_MAX: usize = 300;
/// Longest free text, in characters.
pub const TEXT_MAX: usize = 20_000;

/// A required single-line text: trimmed, not empty, at most [`TITLE_MAX`] characters.
pub fn title(field: &str, value: &str) -> ApiResult<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(ApiError::bad_input(field, "must not be empty"));
    }
    if value.chars().count() > TITLE_MAX {
        return Err(ApiError::bad_input(
            field,
            format!("at most {TITLE_MAX} characters"),
        ));
    }
    Ok(value.to_owned())
}

/// An optional free text of at most [`TEXT_MAX`] characters; blank means none.
pub fn text(field: &str, value: Option<String>) -> ApiResult<Option<String>> {
    let Some(value) = value else { return Ok(None) };
    if value.chars().count() > TEXT_MAX {
        return Err(ApiError::bad_input(
            field,
            format!("at most {TEXT_MAX} characters"),
        ));
    }
    let trimmed = value.trim();
    Ok((!trimmed.is_empty()).then(|| trimmed.to_owned()))
}

/// An optional single-line text of at most [`TITLE_MAX`] characters; blank means none.
pub fn short_text(field: &str, value: Option<String>) -> ApiResult<Option<String>> {
    value
        .filter(|v| !v.trim().is_empty())
        .map(|v| title(field, &v))
        .transpose()
}

/// Longest e-mail address (RFC 5321: 254 characters in a path).
pub const EMAIL_MAX: usize = 254;

/// An e-mail address that mail can be sent to: trimmed, one `@` between a local part and a
/// domain with a dot, no blanks, at most [`EMAIL_MAX`] characters. (The mail server has the
/// last word; this catches what is clearly not an address.)
pub fn email(field: &str, value: &str) -> ApiResult<String> {
    let value = value.trim();
    let bad = || ApiError::bad_input(field, "must be an e-mail address such as name@example.org");
    if value.chars().count() > EMAIL_MAX {
        return Err(ApiError::bad_input(
            field,
            format!("at most {EMAIL_MAX} characters"),
        ));
    }
    let (local, domain) = value.split_once('@').ok_or_else(bad)?;
    let domain_ok = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@');
    if local.is_empty() || !domain_ok || value.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(bad());
    }
    Ok(value.to_owned())
}

/// Progress in percent.
pub fn progress(field: &str, value: i32) -> ApiResult<i32> {
    if (0..=100).contains(&value) {
        Ok(value)
    } else {
        Err(ApiError::bad_input(field, "must be between 0 and 100"))
    }
}

/// The end of a period must not come before its start.
pub fn period(field: &str, start: Option<NaiveDate>, end: Option<NaiveDate>) -> ApiResult<()> {
    match (start, end) {
        (Some(start), Some(end)) if end < start => Err(ApiError::bad_input(
            field,
            "must not be before the start date",
        )),
        _ => Ok(()),
    }
}

/// An amount of money in euros: not negative, at most two decimals, below a trillion.
pub fn money(field: &str, value: Decimal) -> ApiResult<Decimal> {
    if value.is_sign_negative() && !value.is_zero() {
        return Err(ApiError::bad_input(field, "must not be negative"));
    }
    if value.normalize().scale() > 2 {
        return Err(ApiError::bad_input(field, "at most two decimals (cents)"));
    }
    if value >= Decimal::from(1_000_000_000_000_i64) {
        return Err(ApiError::bad_input(field, "is too large"));
    }
    Ok(value)
}

/// Largest weight of a row in its parent's roll-up: a thousand times the default weight is
/// plenty; more is a slip (an amount of money in the wrong column).
pub const WEIGHT_MAX: i64 = 1000;

/// A row's weight in its parent's roll-up: 0 (counts for nothing) to [`WEIGHT_MAX`], at most
/// two decimals; none given means 1.
pub fn weight(field: &str, value: Option<Decimal>) -> ApiResult<Decimal> {
    let Some(value) = value else {
        return Ok(Decimal::ONE);
    };
    if value.is_sign_negative() && !value.is_zero() {
        return Err(ApiError::bad_input(field, "must not be negative"));
    }
    if value.normalize().scale() > 2 {
        return Err(ApiError::bad_input(field, "at most two decimals"));
    }
    if value > Decimal::from(WEIGHT_MAX) {
        return Err(ApiError::bad_input(field, format!("at most {WEIGHT_MAX}")));
    }
    Ok(value.normalize())
}

/// A non-negative quantity such as effort in person-days (at most two decimals).
pub fn quantity(field: &str, value: Option<Decimal>) -> ApiResult<Option<Decimal>> {
    value.map(|v| money(field, v)).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_need_a_local_part_and_a_domain() {
        assert_eq!(
            email("lead.email", " anna.schmidt@mail.aachen.de ").unwrap(),
            "anna.schmidt@mail.aachen.de"
        );
        for bad in [
            "",
            "anna",
            "@aachen.de",
            "anna@",
            "anna@aachen",
            "anna@.de",
            "a b@aachen.de",
            "a@b@c.de",
        ] {
            assert!(email("lead.email", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn limits_are_enforced_with_the_field_named() {
        assert_eq!(title("title", "  Breitband  ").unwrap(), "Breitband");
        assert!(title("title", " ").is_err());
        assert!(title("title", &"x".repeat(301)).is_err());
        assert!(text("description", Some("x".repeat(20_001))).is_err());
        assert_eq!(text("description", Some("  ".into())).unwrap(), None);
        assert!(progress("progress", 101).is_err());
        assert!(progress("progress", -1).is_err());
        let day = |d| NaiveDate::from_ymd_opt(2026, 1, d);
        assert!(period("dueDate", day(5), day(4)).is_err());
        assert!(period("dueDate", day(5), day(5)).is_ok());
        assert!(money("amount", Decimal::new(-1, 0)).is_err());
        assert_eq!(weight("weight", None).unwrap(), Decimal::ONE);
        assert_eq!(
            weight("weight", Some(Decimal::ZERO)).unwrap(),
            Decimal::ZERO
        );
        assert_eq!(
            weight("weight", Some(Decimal::new(25, 1))).unwrap(),
            Decimal::new(25, 1)
        );
        assert!(weight("weight", Some(Decimal::new(-1, 2))).is_err());
        assert!(weight("weight", Some(Decimal::new(1001, 0))).is_err());
        assert!(weight("weight", Some(Decimal::new(1, 3))).is_err());
        assert!(money("amount", Decimal::new(1001, 3)).is_err());
        assert_eq!(
            money("amount", Decimal::new(150, 2)).unwrap(),
            Decimal::new(150, 2)
        );
        match money("amount", Decimal::new(1, 3)).unwrap_err() {
            ApiError::BadInput { field, .. } => assert_eq!(field, "amount"),
            other => panic!("{other:?}"),
        }
    }
}
