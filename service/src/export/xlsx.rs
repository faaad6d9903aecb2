//! XLSX: one worksheet per section, a bold frozen header with an auto filter, set column
//! widths, and real numbers, dates and percentages (not text) in the cells.
//!
//! Worksheets are written in `rust_xlsxwriter`'s constant-memory mode: each finished row goes to
//! a temporary file, so a long list costs disk, not memory. What stays in memory is the
//! compressed file being assembled at the end (a zip archive must be finished before it can
//! be sent), a small fraction of the data.

use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, Workbook, Worksheet, XlsxError};

use super::{
    labels::Lang,
    table::{Cell, Column, Sheet},
};
use crate::error::{ApiError, ApiResult};

/// The content type of XLSX files.
pub const CONTENT_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn failed(err: XlsxError) -> ApiError {
    ApiError::Internal(anyhow::anyhow!("xlsx: {err}"))
}

struct Formats {
    header: Format,
    date: Format,
    percent: Format,
    money: Format,
    text: Format,
}

impl Formats {
    fn new(lang: Lang) -> Self {
        Self {
            header: Format::new()
                .set_bold()
                .set_background_color(0x00DD_E5F0)
                .set_align(FormatAlign::Top)
                .set_text_wrap(),
            date: Format::new().set_num_format(lang.pick("dd.mm.yyyy", "yyyy-mm-dd")),
            percent: Format::new().set_num_format("0%"),
            money: Format::new().set_num_format("#,##0.00 [$€-407]"),
            text: Format::new().set_align(FormatAlign::Top),
        }
    }
}

struct SheetState {
    columns: u16,
    next_row: u32,
}

/// A workbook being written, sheet after sheet, row after row.
pub struct XlsxWriter {
    workbook: Workbook,
    formats: Formats,
    sheets: Vec<SheetState>,
}

impl XlsxWriter {
    pub fn new(lang: Lang) -> Self {
        Self {
            workbook: Workbook::new(),
            formats: Formats::new(lang),
            sheets: Vec::new(),
        }
    }

    /// Starts a worksheet with its header row; later rows go to it.
    pub fn add_sheet(&mut self, name: &str, columns: &[Column], lang: Lang) -> ApiResult<()> {
        let count = u16::try_from(columns.len())
            .map_err(|_| ApiError::Internal(anyhow::anyhow!("xlsx: too many columns")))?;
        let sheet = self
            .workbook
            .add_worksheet_with_constant_memory()
            .map_err(failed)?;
        sheet.set_name(name).map_err(failed)?;
        for (index, column) in (0u16..).zip(columns) {
            sheet
                .set_column_width(index, column.width)
                .map_err(failed)?;
            sheet
                .write_string_with_format(0, index, column.header.text(lang), &self.formats.header)
                .map_err(failed)?;
        }
        sheet.set_freeze_panes(1, 0).map_err(failed)?;
        self.sheets.push(SheetState {
            columns: count,
            next_row: 1,
        });
        Ok(())
    }

    /// Appends rows to the last sheet.
    pub fn append(&mut self, rows: &[Vec<Cell>]) -> ApiResult<()> {
        let index = self.sheets.len().checked_sub(1).ok_or_else(|| {
            ApiError::Internal(anyhow::anyhow!("xlsx: rows before the first sheet"))
        })?;
        let sheet = self.workbook.worksheet_from_index(index).map_err(failed)?;
        let state = &mut self.sheets[index];
        for row in rows {
            for (col, cell) in (0u16..).zip(row) {
                write(sheet, &self.formats, state.next_row, col, cell)?;
            }
            state.next_row += 1;
        }
        Ok(())
    }

    /// The finished file: every sheet gets its auto filter over the rows written.
    pub fn finish(mut self) -> ApiResult<Vec<u8>> {
        for (index, state) in self.sheets.iter().enumerate() {
            if state.columns == 0 {
                continue;
            }
            let sheet = self.workbook.worksheet_from_index(index).map_err(failed)?;
            sheet
                .autofilter(
                    0,
                    0,
                    state.next_row.saturating_sub(1).max(1),
                    state.columns - 1,
                )
                .map_err(failed)?;
        }
        self.workbook.save_to_buffer().map_err(failed)
    }
}

fn write(
    sheet: &mut Worksheet,
    formats: &Formats,
    row: u32,
    col: u16,
    cell: &Cell,
) -> ApiResult<()> {
    match cell {
        Cell::Empty => return Ok(()),
        Cell::Text(text) => sheet.write_string_with_format(row, col, text, &formats.text),
        // Counts are small; an f64 holds every i64 below 2^53 exactly.
        #[allow(clippy::cast_precision_loss)]
        Cell::Int(value) => sheet.write_number(row, col, *value as f64),
        Cell::Percent(value) => {
            sheet.write_number_with_format(row, col, f64::from(*value) / 100.0, &formats.percent)
        }
        Cell::Money(amount) => {
            use rust_decimal::prelude::ToPrimitive;
            let value = amount.round_dp(2).to_f64().unwrap_or_default();
            sheet.write_number_with_format(row, col, value, &formats.money)
        }
        Cell::Number(value) => {
            use rust_decimal::prelude::ToPrimitive;
            sheet.write_number(row, col, value.to_f64().unwrap_or_default())
        }
        Cell::Date(day) => {
            use chrono::Datelike;
            let date = u16::try_from(day.year())
                .ok()
                .zip(u8::try_from(day.month()).ok())
                .zip(u8::try_from(day.day()).ok())
                .and_then(|((y, m), d)| ExcelDateTime::from_ymd(y, m, d).ok());
            match date {
                Some(date) => sheet.write_datetime_with_format(row, col, &date, &formats.date),
                // Excel has no dates before 1900: write those as text.
                None => sheet.write_string(row, col, day.format("%Y-%m-%d").to_string()),
            }
        }
    }
    .map(|_| ())
    .map_err(failed)
}

/// A whole workbook of one or more sections.
pub fn render(sheets: &[Sheet], lang: Lang) -> ApiResult<Vec<u8>> {
    let mut writer = XlsxWriter::new(lang);
    for sheet in sheets {
        writer.add_sheet(sheet.name, &sheet.columns, lang)?;
        writer.append(&sheet.rows)?;
    }
    writer.finish()
}

#[cfg(test)]
mod tests {
    use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
    use chrono::NaiveDate;
    use rust_decimal::Decimal;

    use super::*;

    #[test]
    fn cells_are_typed_and_every_section_is_a_sheet() {
        let first = Sheet {
            name: "Maßnahmen",
            columns: vec![
                Column::new("Maßnahme", "Measure", 30.0),
                Column::new("Fortschritt", "Progress", 10.0),
                Column::new("Fällig", "Due", 12.0),
                Column::new("Budget", "Budget", 14.0),
                Column::new("Anzahl", "Count", 8.0),
            ],
            rows: vec![vec![
                Cell::Text("Bürgerportal".into()),
                Cell::Percent(45),
                Cell::Date(NaiveDate::from_ymd_opt(2026, 9, 30).unwrap()),
                Cell::Money(Decimal::new(123_450, 2)),
                Cell::Int(7),
            ]],
        };
        let mut second = first.clone();
        second.name = "Ampelwechsel";
        second.rows.push(vec![Cell::Empty, Cell::Empty]);
        let bytes = render(&[first, second], Lang::De).unwrap();
        let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(book.sheet_names(), ["Maßnahmen", "Ampelwechsel"]);
        let range = book.worksheet_range("Maßnahmen").unwrap();
        let rows: Vec<&[Data]> = range.rows().collect();
        assert_eq!(rows[0][0], Data::String("Maßnahme".into()));
        assert_eq!(rows[1][0], Data::String("Bürgerportal".into()));
        assert_eq!(rows[1][1], Data::Float(0.45));
        match &rows[1][2] {
            Data::DateTime(date) => assert!((date.as_f64() - 46295.0).abs() < 1e-9),
            other => panic!("not a date: {other:?}"),
        }
        assert_eq!(rows[1][3], Data::Float(1234.5));
        assert_eq!(rows[1][4], Data::Float(7.0));
        // The empty row does not count: the range ends at the last cell with a value.
        assert_eq!(book.worksheet_range("Ampelwechsel").unwrap().height(), 2);
    }
}
