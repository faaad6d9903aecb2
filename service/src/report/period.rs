//! Reporting periods: `2026-Q3`, `2026-H1`, `2026`, `2026-07` or an explicit range.

use chrono::{Datelike, NaiveDate};

use crate::error::{ApiError, ApiResult};

/// A closed range of days that a report covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    /// How the period is named in reports and file names.
    pub label: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// Reads a period name (`field` names the argument in errors).
    pub fn parse(text: &str, field: &str) -> ApiResult<Self> {
        let text = text.trim();
        let bad = || {
            ApiError::bad_input(
                field,
                "expected a period such as 2026-Q3, 2026-H1, 2026-07 or 2026",
            )
        };
        let (year, rest) = match text.split_once('-') {
            Some((year, rest)) => (year, Some(rest)),
            None => (text, None),
        };
        let year: i32 = year.parse().map_err(|_| bad())?;
        if !(2000..=2100).contains(&year) {
            return Err(ApiError::bad_input(
                field,
                "the year must be between 2000 and 2100",
            ));
        }
        let months = match rest {
            None => (1, 12),
            Some(q) if q.len() == 2 && q.starts_with(['Q', 'q']) => match &q[1..] {
                "1" => (1, 3),
                "2" => (4, 6),
                "3" => (7, 9),
                "4" => (10, 12),
                _ => return Err(bad()),
            },
            Some(h) if h.len() == 2 && h.starts_with(['H', 'h']) => match &h[1..] {
                "1" => (1, 6),
                "2" => (7, 12),
                _ => return Err(bad()),
            },
            Some(m) if m.len() == 2 => {
                let month: u32 = m.parse().map_err(|_| bad())?;
                if !(1..=12).contains(&month) {
                    return Err(bad());
                }
                (month, month)
            }
            Some(_) => return Err(bad()),
        };
        let from = NaiveDate::from_ymd_opt(year, months.0, 1).ok_or_else(bad)?;
        let to = last_day(year, months.1).ok_or_else(bad)?;
        Ok(Self {
            label: text.to_uppercase(),
            from,
            to,
        })
    }

    /// An explicit range of days.
    pub fn range(from: NaiveDate, to: NaiveDate, field: &str) -> ApiResult<Self> {
        if to < from {
            return Err(ApiError::bad_input(field, "the end lies before the start"));
        }
        if (to - from).num_days() > 366 * 10 {
            return Err(ApiError::bad_input(
                field,
                "a period spans at most ten years",
            ));
        }
        Ok(Self {
            label: format!("{from}..{to}"),
            from,
            to,
        })
    }

    /// The period of a report request: a named period, or `from` and `to`.
    pub fn from_arguments(
        period: Option<&str>,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> ApiResult<Self> {
        match (period, from, to) {
            (Some(name), None, None) => Self::parse(name, "period"),
            (None, Some(from), Some(to)) => Self::range(from, to, "to"),
            (Some(_), _, _) => Err(ApiError::bad_input(
                "period",
                "give either a period or from and to, not both",
            )),
            _ => Err(ApiError::bad_input(
                "period",
                "give a period (e.g. 2026-Q3) or both from and to",
            )),
        }
    }

    /// The budget years the period touches, for a fiscal year starting in `start_month`
    /// (1-12). A budget year is named by the calendar year it starts in: with July, the
    /// budget year 2026 runs from 1 July 2026 to 30 June 2027.
    pub fn budget_years(&self, start_month: u32) -> std::ops::RangeInclusive<i32> {
        let year = |day: NaiveDate| {
            if day.month() >= start_month {
                day.year()
            } else {
                day.year() - 1
            }
        };
        year(self.from)..=year(self.to)
    }

    /// The label as it can stand in a file name.
    pub fn file_label(&self) -> String {
        self.label.replace("..", "_")
    }
}

fn last_day(year: i32, month: u32) -> Option<NaiveDate> {
    let (next_year, next_month) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(next_year, next_month, 1)?.pred_opt()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn quarters_halves_months_and_years() {
        let q3 = Period::parse("2026-Q3", "period").unwrap();
        assert_eq!((q3.from, q3.to), (day(2026, 7, 1), day(2026, 9, 30)));
        assert_eq!(q3.label, "2026-Q3");
        let h1 = Period::parse("2024-h1", "period").unwrap();
        assert_eq!((h1.from, h1.to), (day(2024, 1, 1), day(2024, 6, 30)));
        let feb = Period::parse("2024-02", "period").unwrap();
        assert_eq!(feb.to, day(2024, 2, 29));
        let year = Period::parse("2025", "period").unwrap();
        assert_eq!((year.from, year.to), (day(2025, 1, 1), day(2025, 12, 31)));
        assert_eq!(year.budget_years(1), 2025..=2025);
        // A fiscal year from July: the calendar year 2025 touches the budget years 2024/25
        // and 2025/26; its second half only the latter.
        assert_eq!(year.budget_years(7), 2024..=2025);
        let second_half = Period::parse("2025-H2", "period").unwrap();
        assert_eq!(second_half.budget_years(7), 2025..=2025);
        let first_half = Period::parse("2025-H1", "period").unwrap();
        assert_eq!(first_half.budget_years(7), 2024..=2024);
    }

    #[test]
    fn nonsense_is_refused_with_the_field() {
        for text in [
            "", "Q3", "2026-Q5", "2026-13", "2026-Q", "99999", "2026-Q3x", "1999",
        ] {
            let err = Period::parse(text, "period").unwrap_err();
            assert_eq!(err.code(), "BAD_USER_INPUT", "{text}");
        }
        assert!(Period::range(day(2026, 2, 1), day(2026, 1, 1), "to").is_err());
        assert!(Period::from_arguments(Some("2026"), Some(day(2026, 1, 1)), None).is_err());
        assert!(Period::from_arguments(None, Some(day(2026, 1, 1)), None).is_err());
    }
}
