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
    let mut book = open(bytes)?;
    let first = book
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| bad_file("the XLSX file has no worksheet"))?;
    worksheet(&mut book, &first, &mut (MAX_IMPORT_ROWS, MAX_IMPORT_ROWS))
}

/// Reads every worksheet of a workbook with its name; `max_rows` bounds the rows of all sheets
/// together.
pub(crate) fn read_all(bytes: Vec<u8>, max_rows: usize) -> ApiResult<Vec<(String, Grid)>> {
    let mut book = open(bytes)?;
    let mut budget = (max_rows, max_rows);
    let mut sheets = Vec::new();
    for name in book.sheet_names() {
        let grid = worksheet(&mut book, &name, &mut budget)?;
        sheets.push((name, grid));
    }
    Ok(sheets)
}

fn open(bytes: Vec<u8>) -> ApiResult<Xlsx<std::io::Cursor<Vec<u8>>>> {
    open_workbook_from_rs(std::io::Cursor::new(bytes))
        .map_err(|err| bad_file(format!("not a readable XLSX file: {err}")))
}

/// One worksheet, cell by cell, so that a file with too many rows is refused before it fills
/// the memory; each row read is taken from `budget` (rows left, and the limit).
fn worksheet(
    book: &mut Xlsx<std::io::Cursor<Vec<u8>>>,
    name: &str,
    budget: &mut (usize, usize),
) -> ApiResult<Grid> {
    let unreadable =
        |err: calamine::XlsxError| bad_file(format!("the worksheet {name} is unreadable: {err}"));
    let mut cells = book.worksheet_cells_reader(name).map_err(unreadable)?;
    let mut rows: BTreeMap<u32, Vec<Raw>> = BTreeMap::new();
    while let Some(cell) = cells.next_cell().map_err(unreadable)? {
        let (row, col) = cell.get_position();
        let value = raw(cell.get_value());
        if col >= MAX_COLUMNS || value == Raw::Empty {
            continue;
        }
        // The header row is free; every other row is counted.
        if !rows.contains_key(&row) && !rows.is_empty() {
            let limit = budget.1;
            budget.0 = budget
                .0
                .checked_sub(1)
                .ok_or_else(|| too_many_rows(limit))?;
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
