//! The portfolio workbook: `GET /exports/portfolio.xlsx` writes the tenant's whole portfolio
//! as the caller may see it, one worksheet per kind of row; `POST /imports/portfolio` reads
//! such a workbook back and creates or changes everything in one write.
//!
//! Sheets ([`sheet::Sheet::ALL`], in this order): org units (a tree by parent code),
//! categories, strategies, goals (a tree by parent code within their strategy), measures (with
//! their goal codes), projects (the whole profile: phases, categories, contact,
//! transferability), indicators (each on a goal, a measure or a project), indicator values,
//! indicator targets (the points of the target paths), links, sub-projects, milestones,
//! budget lines, funding, the risks of projects and of measures, the units taking part in
//! projects and sub-projects. Rows name each other as people do: by codes, numbers, titles and names, never by
//! database ids, so a city can fill the workbook from the spreadsheets it keeps, and the
//! workbook of one tenant brings the same portfolio into another.
//!
//! The import matches rows by their keys ([`sheet::SheetDef::key`]): a key the tenant has is
//! an update of that row (only the columns the file has, only where they differ), any other
//! a new row. It never deletes: rows the file lacks stay. Traffic lights and progress follow
//! the status reports and are written but not read. Everything is planned first (every cell,
//! every reference, cycles in the trees); a workbook with any error changes nothing. Without
//! errors the plan is written in one transaction through the services (the same checks,
//! versions and audit entries as the API's writes); an error only a write finds (a due date
//! before the start, a row someone changed meanwhile) is reported with its sheet and line,
//! and nothing is kept. A dry run writes the same way and rolls back, so it finds those too.
//!
//! The pipeline: [`read`] finds the sheets and their columns, [`current`] reads the tenant's
//! rows in the same columns, [`plan`] matches and checks, [`apply`] writes.

mod apply;
mod column;
mod current;
mod indicators;
mod participants;
mod plan;
mod read;
mod risks;
mod sheet;

use sea_orm::DatabaseConnection;

pub use self::read::MAX_PORTFOLIO_ROWS;
use self::{current::Current, plan::Planned, sheet::Sheet};
use super::{
    import::report::{CellError, ImportReport},
    labels::Lang,
    table::Column,
    xlsx::XlsxWriter,
};
use crate::{error::ApiResult, policy::writes, viewer::Viewer, write::Write};

/// Largest workbook accepted.
pub const MAX_PORTFOLIO_BYTES: usize = 16 * 1024 * 1024;

/// The workbook of everything the viewer may see of its tenant.
#[tracing::instrument(skip_all, fields(tenant = viewer.tenant_id))]
pub async fn export(db: &DatabaseConnection, viewer: &Viewer, lang: Lang) -> ApiResult<Vec<u8>> {
    let current = Current::load(db, viewer).await?;
    let mut book = XlsxWriter::new(lang);
    for sheet in Sheet::ALL {
        let def = sheet.def();
        let columns: Vec<Column> = def
            .columns
            .iter()
            .map(|c| Column {
                header: c.header,
                width: c.width,
            })
            .collect();
        book.add_sheet(def.name.text(lang), &columns, lang)?;
        let rows: Vec<_> = current.rows[&sheet]
            .iter()
            .filter(|row| !row.archived)
            .map(|row| {
                def.columns
                    .iter()
                    .zip(&row.values)
                    .map(|(col, value)| col.cell(value.as_deref(), lang))
                    .collect()
            })
            .collect();
        book.append(&rows)?;
    }
    book.finish()
}

/// Reads, checks and (unless anything is wrong) writes a workbook; a dry run writes and
/// rolls back. The report says whether it was refused ([`ImportReport::refused`]).
#[tracing::instrument(skip_all, fields(tenant = viewer.tenant_id, dry_run))]
pub async fn import(
    db: &DatabaseConnection,
    viewer: &Viewer,
    bytes: Vec<u8>,
    dry_run: bool,
    lang: Lang,
) -> ApiResult<ImportReport> {
    writes::require_central_it(viewer, "import the portfolio")?;
    let book = read::read(bytes, lang)?;
    let w = Write::begin(db, viewer).await?;
    let current = Current::load(&w.txn, viewer).await?;
    let (mut planned, goal_codes) = if book.errors.is_empty() {
        plan::plan(&book.sheets, &current, lang)
    } else {
        (Vec::new(), current.goal_strategies())
    };
    let mut errors = book.errors;
    errors.extend(planned.iter().flat_map(|p| p.report.errors.iter().cloned()));
    let mut applied = false;
    if errors.is_empty() {
        let mut ids = apply::Ids::of(&current, goal_codes);
        let mut failed = None;
        for row in plan::in_write_order(&planned) {
            if let Err(err) = apply::apply(&w, row, &mut ids).await {
                failed = Some((row.sheet, row.line, err));
                break;
            }
        }
        match failed {
            Some((sheet, line, err)) => {
                let error = write_error(&book.sheets, sheet, line, err)?;
                if let Some(row) = planned
                    .iter_mut()
                    .find(|p| p.sheet == sheet && p.line == line)
                {
                    row.report.errors.push(error.clone());
                }
                errors.push(error);
            }
            None => applied = !dry_run,
        }
    }
    if applied {
        w.commit().await?;
    }
    // Otherwise the write rolls back when it is dropped.
    let mut report = ImportReport::new(
        dry_run,
        applied,
        planned.into_iter().map(|p: Planned| p.report).collect(),
        errors,
        book.ignored_columns,
    );
    report.ignored_sheets = Some(book.ignored_sheets);
    Ok(report)
}

/// An error a write found, as an error of the row's cell: invalid values (a due date before
/// the start) and conflicts (a row changed meanwhile) are the file's; anything else fails
/// the import as a whole.
fn write_error(
    files: &[read::FileSheet],
    sheet: Sheet,
    line: u32,
    err: crate::error::ApiError,
) -> ApiResult<CellError> {
    use crate::error::ApiError;
    let code = err.code();
    let (field, message) = match err {
        ApiError::BadInput { field, message } => (field, message),
        ApiError::Conflict(message) => (String::new(), message),
        ApiError::NotFound(what) => (String::new(), format!("{what} not found")),
        other => return Err(other),
    };
    let file = files.iter().find(|f| f.sheet == sheet);
    let column = sheet
        .def()
        .columns
        .iter()
        .position(|c| c.field == column_of(&field))
        .and_then(|col| file.map(|f| f.header(col)))
        .unwrap_or(field);
    let mut error = CellError::bad_input(line, column, message);
    error.extensions.code = code;
    Ok(match file {
        Some(f) => error.in_sheet(&f.name),
        None => error,
    })
}

/// The column of an input field a service names in an error.
fn column_of(field: &str) -> &str {
    match field {
        "endDate" => "dueDate",
        "lead.name" => "leadName",
        "lead.email" => "leadEmail",
        "contact.name" => "contactName",
        "contact.email" => "contactEmail",
        "contact.phone" => "contactPhone",
        "orgUnitId" => "orgUnit",
        "parentId" => "parent",
        "measureId" => "measure",
        "goalIds" => "goals",
        "categoryIds" => "categories",
        "subProjectId" => "subProject",
        "projectId" => "project",
        "strategyId" => "strategy",
        "goalId" => "goal",
        "indicatorId" => "indicator",
        other => other,
    }
}
