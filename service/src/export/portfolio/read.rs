//! Reading the uploaded workbook: each sheet of the portfolio found by its name, its columns
//! by their headers (either language, any case).

use super::sheet::Sheet;
use crate::{
    error::ApiResult,
    export::{
        import::{
            grid::{Grid, Raw},
            report::CellError,
            xlsx,
        },
        labels::Lang,
    },
};

/// Most data rows of all sheets together.
pub const MAX_PORTFOLIO_ROWS: usize = 50_000;

/// A sheet of the workbook, its columns matched.
pub struct FileSheet {
    pub sheet: Sheet,
    /// Its name as the file has it.
    pub name: String,
    /// Per column of the sheet: its position in the file's rows, if the file has it.
    pub columns: Vec<Option<usize>>,
    /// Per column of the sheet: its header as the file has it (or in the file's language).
    headers: Vec<String>,
    pub rows: Vec<(u32, Vec<Raw>)>,
}

impl FileSheet {
    /// The header of column `col`.
    pub fn header(&self, col: usize) -> String {
        self.headers[col].clone()
    }

    /// An error in column `col` of line `line`.
    pub fn error(&self, line: u32, col: usize, message: String) -> CellError {
        CellError::bad_input(line, self.header(col), message).in_sheet(&self.name)
    }
}

/// The workbook as read.
pub struct Workbook {
    pub sheets: Vec<FileSheet>,
    /// A sheet missing, a column twice, a key column missing: the rows are not planned.
    pub errors: Vec<CellError>,
    /// Columns not read, as `Sheet: Column`.
    pub ignored_columns: Vec<String>,
    /// Worksheets that are no sheet of the portfolio.
    pub ignored_sheets: Vec<String>,
}

/// Reads the workbook; a file that is no XLSX, or has too many rows, is refused as a whole.
pub fn read(bytes: Vec<u8>, lang: Lang) -> ApiResult<Workbook> {
    let mut found = xlsx::read_all(bytes, MAX_PORTFOLIO_ROWS)?;
    let mut book = Workbook {
        sheets: Vec::new(),
        errors: Vec::new(),
        ignored_columns: Vec::new(),
        ignored_sheets: Vec::new(),
    };
    for sheet in Sheet::ALL {
        let def = sheet.def();
        let Some(at) = found.iter().position(|(name, _)| def.name.matches(name)) else {
            if sheet.added_later() {
                book.sheets.push(FileSheet {
                    sheet,
                    name: def.name.text(lang).to_owned(),
                    columns: vec![None; def.columns.len()],
                    headers: def
                        .columns
                        .iter()
                        .map(|c| c.header.text(lang).to_owned())
                        .collect(),
                    rows: Vec::new(),
                });
                continue;
            }
            book.errors.push(
                CellError::bad_input(
                    1,
                    "",
                    format!(
                        "the worksheet \"{}\" ({}) is missing; it may be empty but for its headers",
                        def.name.de, def.name.en
                    ),
                )
                .in_sheet(def.name.text(lang)),
            );
            continue;
        };
        let (name, grid) = found.swap_remove(at);
        let matched = match_columns(sheet, name, grid, lang, &mut book);
        book.sheets.push(matched);
    }
    book.ignored_sheets = found.into_iter().map(|(name, _)| name).collect();
    Ok(book)
}

/// Matches a worksheet's headers with the columns of its sheet.
fn match_columns(
    sheet: Sheet,
    name: String,
    grid: Grid,
    lang: Lang,
    book: &mut Workbook,
) -> FileSheet {
    let def = sheet.def();
    let mut columns = vec![None; def.columns.len()];
    let mut headers: Vec<String> = def
        .columns
        .iter()
        .map(|c| c.header.text(lang).to_owned())
        .collect();
    let error = |column: &str, message: String| {
        CellError::bad_input(grid.header_line, column, message).in_sheet(&name)
    };
    for (index, header) in grid.headers.iter().enumerate() {
        if header.is_empty() {
            continue;
        }
        match def.columns.iter().position(|c| c.header.matches(header)) {
            Some(col) if columns[col].is_some() => {
                book.errors
                    .push(error(header, "this column appears twice".into()));
            }
            Some(col) => {
                columns[col] = Some(index);
                headers[col] = header.clone();
            }
            None => book.ignored_columns.push(format!("{name}: {header}")),
        }
    }
    for &k in def.key {
        if columns[k].is_none() {
            let header = def.columns[k].header;
            book.errors.push(error(
                header.text(lang),
                format!(
                    "the column {} ({}) is missing; it names the rows",
                    header.de, header.en
                ),
            ));
        }
    }
    FileSheet {
        sheet,
        name,
        columns,
        headers,
        rows: grid.rows,
    }
}
