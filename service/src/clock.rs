//! The day everything is measured against.

use chrono::NaiveDate;

/// Today's date in UTC, the reference for "overdue".
pub fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}
