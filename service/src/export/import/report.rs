//! The answer of an import: what it does with each row, every error, and the totals.

use serde::Serialize;

use crate::error::ErrorCode;

/// An error in a cell (or in the file, with the header's line).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CellError {
    /// The worksheet, in a workbook of several (the portfolio).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// The file's line (1 for the first).
    pub line: u32,
    /// The column's header as the file has it.
    pub column: String,
    /// What is wrong, for people.
    pub message: String,
    /// The code, as a GraphQL error carries it.
    pub extensions: CellErrorExtensions,
}

impl CellError {
    /// An invalid value in a cell or header (the only kind of error a file has).
    pub(crate) fn bad_input(line: u32, column: impl Into<String>, message: String) -> Self {
        Self {
            sheet: None,
            line,
            column: column.into(),
            message,
            extensions: CellErrorExtensions {
                code: ErrorCode::BadUserInput,
            },
        }
    }
}

impl CellError {
    /// The error, in the worksheet `sheet`.
    pub(crate) fn in_sheet(mut self, sheet: &str) -> Self {
        self.sheet = Some(sheet.to_owned());
        self
    }
}

/// The `extensions` of a [`CellError`], shaped like those of a GraphQL error.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CellErrorExtensions {
    /// `BAD_USER_INPUT`; `CONFLICT` where a row changed while the import ran.
    pub code: ErrorCode,
}

/// A field the row changes.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Change {
    /// The field's name as in the GraphQL `Measure`.
    pub field: &'static str,
    /// The value now (`None` for a new measure or an empty field).
    pub from: Option<String>,
    /// The value the file has.
    pub to: Option<String>,
}

/// What the import does with a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RowAction {
    /// A number the tenant does not have: a new measure.
    Create,
    /// The measure of the number, with the changes listed.
    Update,
    /// The measure of the number, as the file has it already.
    Unchanged,
}

/// What the import does with one row.
#[derive(Debug, Clone, Serialize)]
pub struct RowReport {
    /// The worksheet, in a workbook of several (the portfolio).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// The file's line of the row.
    pub line: u32,
    /// The measure number, if the row has one; in the portfolio, what names the row (its
    /// code, number or name, after those of the rows it belongs to, separated by ` / `).
    pub number: Option<String>,
    /// `create`, `update` or `unchanged`.
    pub action: RowAction,
    /// The fields the row sets or changes.
    pub changes: Vec<Change>,
    /// The row's errors.
    pub errors: Vec<CellError>,
}

/// How many rows do what, and how many errors there are.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Totals {
    /// The rows read (empty ones are skipped).
    pub rows: usize,
    /// Rows that create a measure.
    pub create: usize,
    /// Rows that change a measure.
    pub update: usize,
    /// Rows that match their measure already.
    pub unchanged: usize,
    /// Errors in all rows and in the file.
    pub errors: usize,
}

impl Totals {
    fn count(rows: &[RowReport], errors: usize) -> Self {
        let count = |action: RowAction| rows.iter().filter(|r| r.action == action).count();
        Self {
            rows: rows.len(),
            create: count(RowAction::Create),
            update: count(RowAction::Update),
            unchanged: count(RowAction::Unchanged),
            errors,
        }
    }
}

/// The answer of an import.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportReport {
    /// Whether the caller asked only to see what would happen.
    pub dry_run: bool,
    /// Whether the changes were written (never with errors or on a dry run).
    pub applied: bool,
    /// Each row that is not empty.
    pub rows: Vec<RowReport>,
    /// Every error of the file and its rows.
    pub errors: Vec<CellError>,
    /// Columns of the file that the import does not read (in the portfolio `Sheet: Column`).
    pub ignored_columns: Vec<String>,
    /// Worksheets the portfolio import does not read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ignored_sheets: Option<Vec<String>>,
    /// How many rows do what.
    pub totals: Totals,
}

impl ImportReport {
    /// The answer with its totals: `errors` are those of the file and of the rows.
    pub(crate) fn new(
        dry_run: bool,
        applied: bool,
        rows: Vec<RowReport>,
        errors: Vec<CellError>,
        ignored_columns: Vec<String>,
    ) -> Self {
        let totals = Totals::count(&rows, errors.len());
        Self {
            dry_run,
            applied,
            rows,
            errors,
            ignored_columns,
            ignored_sheets: None,
            totals,
        }
    }

    /// Whether the file was refused: an import that is not a dry run and found errors writes
    /// nothing.
    pub fn refused(&self) -> bool {
        !self.dry_run && !self.errors.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_answer_keeps_its_json_shape() {
        let error = CellError::bad_input(3, "Status", "\"soon\" is not one of: draft".into());
        let row = RowReport {
            sheet: None,
            line: 3,
            number: Some("2024/01".into()),
            action: RowAction::Update,
            changes: vec![Change {
                field: "dueDate",
                from: None,
                to: Some("2026-09-30".into()),
            }],
            errors: vec![error.clone()],
        };
        let report = ImportReport::new(true, false, vec![row], vec![error], vec!["Ampel".into()]);
        assert!(!report.refused());
        assert_eq!(
            serde_json::to_string(&report).unwrap(),
            concat!(
                r#"{"dryRun":true,"applied":false,"rows":[{"line":3,"number":"2024/01","#,
                r#""action":"update","changes":[{"field":"dueDate","from":null,"#,
                r#""to":"2026-09-30"}],"errors":[{"line":3,"column":"Status","#,
                r#""message":"\"soon\" is not one of: draft","#,
                r#""extensions":{"code":"BAD_USER_INPUT"}}]}],"#,
                r#""errors":[{"line":3,"column":"Status","#,
                r#""message":"\"soon\" is not one of: draft","#,
                r#""extensions":{"code":"BAD_USER_INPUT"}}],"ignoredColumns":["Ampel"],"#,
                r#""totals":{"rows":1,"create":0,"update":1,"unchanged":0,"errors":1}}"#,
            )
        );
    }
}
