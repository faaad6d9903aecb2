//! CSV as German Excel opens it with a double click.
//!
//! Decisions: UTF-8 with a byte order mark (without it Excel reads umlauts as Windows-1252),
//! `;` as the separator in both languages (German Excel splits on `;`, and `;` never clashes
//! with the decimal comma), CRLF line ends (RFC 4180), ISO dates (`2026-09-30`, which Excel
//! recognises in every locale), whole percent, amounts with a decimal comma in German and a
//! decimal point in English. A council report has several sections: they follow each other,
//! each introduced by a line with its name and separated by an empty line.

use super::{
    labels::Lang,
    table::{Cell, Column, Sheet},
};
use crate::error::{ApiError, ApiResult};

/// The separator of every exported CSV file.
pub const SEPARATOR: u8 = b';';

/// The byte order mark that starts every exported CSV file.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

fn writer() -> ::csv::Writer<Vec<u8>> {
    ::csv::WriterBuilder::new()
        .delimiter(SEPARATOR)
        .terminator(::csv::Terminator::CRLF)
        .flexible(true)
        .from_writer(Vec::new())
}

fn finish(writer: ::csv::Writer<Vec<u8>>) -> ApiResult<Vec<u8>> {
    writer
        .into_inner()
        .map_err(|err| ApiError::Internal(anyhow::anyhow!("csv: {err}")))
}

fn failed(err: ::csv::Error) -> ApiError {
    ApiError::Internal(anyhow::anyhow!("csv: {err}"))
}

/// The start of a file: byte order mark and header line.
pub fn head(columns: &[Column], lang: Lang) -> ApiResult<Vec<u8>> {
    let mut out = writer();
    out.write_record(columns.iter().map(|c| c.header.text(lang)))
        .map_err(failed)?;
    let mut bytes = BOM.to_vec();
    bytes.extend(finish(out)?);
    Ok(bytes)
}

/// Data lines (a page of a streamed export).
pub fn rows(rows: &[Vec<Cell>], lang: Lang) -> ApiResult<Vec<u8>> {
    let mut out = writer();
    for row in rows {
        out.write_record(row.iter().map(|cell| cell.csv_text(lang)))
            .map_err(failed)?;
    }
    finish(out)
}

/// A whole file of one or more sections.
pub fn render(sheets: &[Sheet], lang: Lang) -> ApiResult<Vec<u8>> {
    if let [sheet] = sheets {
        let mut bytes = head(&sheet.columns, lang)?;
        bytes.extend(rows(&sheet.rows, lang)?);
        return Ok(bytes);
    }
    let mut bytes = BOM.to_vec();
    for (index, sheet) in sheets.iter().enumerate() {
        if index > 0 {
            // An empty line between sections (the csv writer would write `""`).
            bytes.extend(b"\r\n");
        }
        let mut out = writer();
        out.write_record([sheet.name]).map_err(failed)?;
        out.write_record(sheet.columns.iter().map(|c| c.header.text(lang)))
            .map_err(failed)?;
        for row in &sheet.rows {
            out.write_record(row.iter().map(|cell| cell.csv_text(lang)))
                .map_err(failed)?;
        }
        bytes.extend(finish(out)?);
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use rust_decimal::Decimal;

    use super::*;

    fn sheet() -> Sheet {
        Sheet {
            name: "Maßnahmen",
            columns: vec![
                Column::new("Maßnahme", "Measure", 30.0),
                Column::new("Fortschritt (%)", "Progress (%)", 10.0),
                Column::new("Fällig", "Due", 12.0),
                Column::new("Budget", "Budget", 12.0),
            ],
            rows: vec![
                vec![
                    Cell::Text("Bürgerportal; Öffnung \"neu\"".into()),
                    Cell::Percent(45),
                    Cell::Date(NaiveDate::from_ymd_opt(2026, 9, 30).unwrap()),
                    Cell::Money(Decimal::new(123_450, 2)),
                ],
                vec![
                    Cell::Text("Zweite".into()),
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Empty,
                ],
            ],
        }
    }

    #[test]
    fn german_csv_reads_back_with_bom_semicolons_and_decimal_comma() {
        let bytes = render(&[sheet()], Lang::De).unwrap();
        assert!(bytes.starts_with(BOM));
        let mut reader = ::csv::ReaderBuilder::new()
            .delimiter(SEPARATOR)
            .from_reader(&bytes[BOM.len()..]);
        let headers: Vec<String> = reader
            .headers()
            .unwrap()
            .iter()
            .map(str::to_owned)
            .collect();
        assert_eq!(headers, ["Maßnahme", "Fortschritt (%)", "Fällig", "Budget"]);
        let rows: Vec<::csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(&rows[0][0], "Bürgerportal; Öffnung \"neu\"");
        assert_eq!(&rows[0][1], "45");
        assert_eq!(&rows[0][2], "2026-09-30");
        assert_eq!(&rows[0][3], "1234,50");
        assert_eq!(&rows[1][1], "");
    }

    #[test]
    fn english_csv_has_english_headers_and_a_decimal_point() {
        let bytes = render(&[sheet()], Lang::En).unwrap();
        let text = String::from_utf8(bytes[BOM.len()..].to_vec()).unwrap();
        assert!(
            text.starts_with("Measure;Progress (%);Due;Budget\r\n"),
            "{text}"
        );
        assert!(text.contains(";1234.50\r\n"), "{text}");
    }

    #[test]
    fn sections_follow_each_other_with_their_names() {
        let mut second = sheet();
        second.name = "Ampelwechsel";
        let bytes = render(&[sheet(), second], Lang::De).unwrap();
        let text = String::from_utf8(bytes[BOM.len()..].to_vec()).unwrap();
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(lines[0], "Maßnahmen");
        assert_eq!(lines[1], "Maßnahme;Fortschritt (%);Fällig;Budget");
        assert_eq!(lines[4], "");
        assert_eq!(lines[5], "Ampelwechsel");
    }
}
