//! Reading an XLSX upload: the first worksheet, cell by cell.

use std::collections::BTreeMap;

use calamine::{DataRef, Reader, Xlsx, open_workbook_from_rs};
use chrono::NaiveDate;

use super::{
    MAX_IMPORT_ROWS,
    grid::{Grid, Raw, bad_file, excel_date, too_many_rows},
};
use crate::error::ApiResult;

/// Columns read from a worksheet; cells further right are ignored.
const MAX_COLUMNS: u32 = 256;

/// Reads the first worksheet cell by cell, so that a file with too many rows is refused
/// before it fills the memory. Its first row with a cell is the header.
pub(super) fn read(bytes: Vec<u8>) -> ApiResult<Grid> {
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes))
        .map_err(|err| bad_file(format!("not a readable XLSX file: {err}")))?;
    let first = book
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| bad_file("the XLSX file has no worksheet"))?;
    let unreadable =
        |err: calamine::XlsxError| bad_file(format!("the first worksheet is unreadable: {err}"));
    let mut cells = book.worksheet_cells_reader(&first).map_err(unreadable)?;
    let mut rows: BTreeMap<u32, Vec<Raw>> = BTreeMap::new();
    while let Some(cell) = cells.next_cell().map_err(unreadable)? {
        let (row, col) = cell.get_position();
        let value = raw(cell.get_value());
        if col >= MAX_COLUMNS || value == Raw::Empty {
            continue;
        }
        if !rows.contains_key(&row) && rows.len() > MAX_IMPORT_ROWS {
            return Err(too_many_rows());
        }
        let row = rows.entry(row).or_default();
        let col = col as usize;
        if row.len() <= col {
            row.resize(col + 1, Raw::Empty);
        }
        row[col] = value;
    }
    Ok(grid_of(rows))
}

/// A worksheet cell as the import reads it: dates as days, everything else as text or number.
fn raw(cell: &DataRef<'_>) -> Raw {
    match cell {
        DataRef::Empty => Raw::Empty,
        DataRef::String(text) => Raw::Text(text.clone()),
        DataRef::SharedString(text) => Raw::Text((*text).to_owned()),
        DataRef::Float(value) => Raw::Number(*value),
        // Whole numbers are exact in an f64 up to 2^53, far beyond any cell of this file.
        #[allow(clippy::cast_precision_loss)]
        DataRef::Int(value) => Raw::Number(*value as f64),
        DataRef::Bool(value) => Raw::Text(value.to_string()),
        DataRef::DateTime(value) => {
            excel_date(value.as_f64()).map_or(Raw::Number(value.as_f64()), Raw::Date)
        }
        DataRef::DateTimeIso(text) => {
            NaiveDate::parse_from_str(text.get(..10).unwrap_or(text), "%Y-%m-%d")
                .map_or_else(|_| Raw::Text(text.clone()), Raw::Date)
        }
        DataRef::DurationIso(text) => Raw::Text(text.clone()),
        DataRef::Error(err) => Raw::Text(format!("#{err:?}")),
    }
}

/// The rows by their index from 0: the first is the header, lines count from 1.
fn grid_of(rows: BTreeMap<u32, Vec<Raw>>) -> Grid {
    let mut rows = rows.into_iter();
    let (header_line, headers) = rows
        .next()
        .map(|(row, cells)| {
            (
                row + 1,
                cells.iter().map(|c| c.text().unwrap_or_default()).collect(),
            )
        })
        .unwrap_or((1, Vec::new()));
    Grid {
        headers,
        header_line,
        rows: rows.map(|(row, cells)| (row + 1, cells)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xlsx_reads_cell_by_cell_with_lines_dates_and_a_row_limit() {
        use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "Nr.").unwrap();
        sheet.write_string(0, 1, "Fällig").unwrap();
        sheet.write_number(1, 0, 7).unwrap();
        let date = Format::new().set_num_format("dd.mm.yyyy");
        let day = ExcelDateTime::from_ymd(2026, 9, 30).unwrap();
        sheet.write_datetime_with_format(3, 1, &day, &date).unwrap();
        let grid = read(book.save_to_buffer().unwrap()).unwrap();
        assert_eq!(grid.headers, ["Nr.", "Fällig"]);
        assert_eq!(grid.header_line, 1);
        assert_eq!(grid.rows[0], (2, vec![Raw::Number(7.0)]));
        assert_eq!(
            grid.rows[1],
            (
                4,
                vec![
                    Raw::Empty,
                    Raw::Date(NaiveDate::from_ymd_opt(2026, 9, 30).unwrap())
                ]
            )
        );

        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        for row in 0..=u32::try_from(MAX_IMPORT_ROWS).unwrap() + 1 {
            sheet.write_number(row, 0, row).unwrap();
        }
        let err = read(book.save_to_buffer().unwrap()).err().unwrap();
        assert_eq!(err.code(), "BAD_USER_INPUT");
        assert!(read(b"not a zip".to_vec()).is_err());
    }
}
