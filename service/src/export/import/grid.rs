//! The uploaded file as rows of raw cells with their line numbers, whichever format it came in.

use chrono::NaiveDate;

use super::{ImportFile, csv, xlsx};
use crate::error::{ApiError, ApiResult};

/// The file as rows of raw cells.
pub(crate) struct Grid {
    /// The first row, trimmed.
    pub headers: Vec<String>,
    /// Line of the header (1 for a file that starts with it).
    pub header_line: u32,
    /// Every later row with its line.
    pub rows: Vec<(u32, Vec<Raw>)>,
}

impl Grid {
    /// Reads the upload; a file that cannot be read, or has more than [`super::MAX_IMPORT_ROWS`]
    /// rows, is refused as a whole.
    pub fn read(file: ImportFile) -> ApiResult<Self> {
        match file {
            ImportFile::Csv(bytes) => csv::read(&bytes),
            ImportFile::Xlsx(bytes) => xlsx::read(bytes),
        }
    }
}

/// A cell as the file has it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Raw {
    /// No value (or only blanks in a CSV).
    Empty,
    /// Text as written.
    Text(String),
    /// A number cell of a worksheet.
    Number(f64),
    /// A date cell of a worksheet.
    Date(NaiveDate),
}

impl Raw {
    /// The cell as trimmed text, `None` when empty; whole numbers without decimals.
    pub fn text(&self) -> Option<String> {
        match self {
            Self::Empty => None,
            Self::Text(text) => Some(text.trim().to_owned()).filter(|t| !t.is_empty()),
            Self::Number(value) if value.fract() == 0.0 && value.abs() < 1e15 => {
                Some(format!("{value:.0}"))
            }
            Self::Number(value) => Some(value.to_string()),
            Self::Date(day) => Some(day.to_string()),
        }
    }

    /// The cell as a day: a date cell, an Excel serial number, or text as `2026-09-30` or
    /// `30.09.2026`; `None` when empty.
    pub fn date(&self) -> Result<Option<NaiveDate>, String> {
        match self {
            Self::Empty => Ok(None),
            Self::Date(day) => Ok(Some(*day)),
            Self::Number(serial) => excel_date(*serial)
                .map(Some)
                .ok_or_else(|| format!("{serial} is not a date")),
            Self::Text(text) => {
                let text = text.trim();
                if text.is_empty() {
                    return Ok(None);
                }
                NaiveDate::parse_from_str(text, "%Y-%m-%d")
                    .or_else(|_| NaiveDate::parse_from_str(text, "%d.%m.%Y"))
                    .map(Some)
                    .map_err(|_| {
                        format!("\"{text}\" is not a date (expected 2026-09-30 or 30.09.2026)")
                    })
            }
        }
    }
}

/// A day from an Excel serial number (1900 date system).
pub(super) fn excel_date(serial: f64) -> Option<NaiveDate> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    // The range check above keeps the serial well inside i64.
    #[allow(clippy::cast_possible_truncation)]
    base.checked_add_signed(chrono::Duration::days(serial.floor() as i64))
}

/// A file the import cannot read.
pub(crate) fn bad_file(message: impl Into<String>) -> ApiError {
    ApiError::bad_input("file", message)
}

/// A file with more rows than `limit`.
pub(crate) fn too_many_rows(limit: usize) -> ApiError {
    bad_file(format!("a file may have at most {limit} rows"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_come_as_iso_german_or_excel_serials() {
        let day = NaiveDate::from_ymd_opt(2026, 9, 30).unwrap();
        assert_eq!(Raw::Text("2026-09-30".into()).date(), Ok(Some(day)));
        assert_eq!(Raw::Text("30.09.2026".into()).date(), Ok(Some(day)));
        assert_eq!(Raw::Number(46295.0).date(), Ok(Some(day)));
        assert_eq!(Raw::Empty.date(), Ok(None));
        assert!(Raw::Text("next week".into()).date().is_err());
    }
}
