//! `POST /imports/measures`: the spreadsheet round trip.
//!
//! Cities keep measure lists in Excel. The import takes the CSV or XLSX that
//! `/exports/measures` writes (headers in German or English, enum labels of either language or
//! the GraphQL names), matches rows by measure number within the tenant, and answers row by row
//! what it would create and change, with every error (line, column, message). Without
//! `dryRun` it applies everything in one transaction through the measure service (versions
//! and audit entries as for any write), or nothing if any row has an error.
//!
//! Importable columns: number, title, kind, priority, status, org unit (code), goals (codes
//! separated by commas), start, due, visibility. Traffic light and progress follow the status
//! reports and are ignored, as is any other column; the answer lists the ignored columns.
//! A number not in the tenant creates a measure (title and org unit required; kind, priority,
//! status and visibility default to implementation, medium, draft and internal). An empty
//! start or due cell clears the date, an empty goals cell removes all goals; title, kind,
//! priority, status, org unit and visibility cannot be emptied. Measure numbers cannot be
//! changed by import (a new number is a new measure).
//!
//! The pipeline of [`run`]: the upload becomes a grid of cells with their lines (`grid`, from
//! `csv` or `xlsx`); its headers name the `columns` read; each row is read (`values`),
//! matched against what the tenant has (`known`) and planned with its `changes` and errors
//! (`plan`); without errors and dry run, `apply` writes the plan; `report` is the answer.

mod apply;
mod changes;
mod columns;
mod csv;
pub(crate) mod grid;
mod known;
mod plan;
pub(crate) mod report;
mod values;
pub(crate) mod xlsx;

use sea_orm::DatabaseConnection;

pub use self::report::{
    CellError, CellErrorExtensions, Change, ImportReport, RowAction, RowReport, Totals,
};
use self::{columns::Columns, grid::Grid, known::Known};
use super::labels::Lang;
use crate::{error::ApiResult, policy::writes, viewer::Viewer};

/// Largest file accepted.
pub const MAX_IMPORT_BYTES: usize = 10 * 1024 * 1024;

/// Most data rows in one file.
pub const MAX_IMPORT_ROWS: usize = 5_000;

/// An uploaded file.
pub enum ImportFile {
    /// A CSV file (UTF-8 or Windows-1252; semicolons, tabs or commas).
    Csv(Vec<u8>),
    /// An XLSX workbook; its first worksheet is read.
    Xlsx(Vec<u8>),
}

/// Reads, checks and (unless `dry_run` or anything is wrong) applies an import.
/// The report says whether it was refused ([`ImportReport::refused`]).
#[tracing::instrument(skip_all, fields(tenant = viewer.tenant_id, dry_run))]
pub async fn run(
    db: &DatabaseConnection,
    viewer: &Viewer,
    file: ImportFile,
    dry_run: bool,
    lang: Lang,
) -> ApiResult<ImportReport> {
    writes::require_central_it(viewer, "import measures")?;
    let grid = Grid::read(file)?;
    let columns = Columns::of(&grid, lang);
    let known = Known::load(db, viewer).await?;
    // A file whose headers are wrong has no rows worth reading.
    let planned = if columns.errors.is_empty() {
        plan::plan_rows(&grid.rows, &columns, &known, lang)
    } else {
        Vec::new()
    };
    let mut errors = columns.errors;
    errors.extend(planned.iter().flat_map(|p| p.report.errors.iter().cloned()));
    let applied = !dry_run && errors.is_empty();
    if applied {
        apply::apply(db, viewer, &planned).await?;
    }
    Ok(ImportReport::new(
        dry_run,
        applied,
        planned.into_iter().map(|p| p.report).collect(),
        errors,
        columns.ignored,
    ))
}
