//! Checking and planning each row: which measure it matches, whether it creates, changes or
//! leaves it, and what is wrong with it.

use std::collections::HashMap;

use chrono::NaiveDate;
use entity::measure;

use super::{
    changes,
    columns::{Columns, Field},
    grid::Raw,
    known::Known,
    report::{CellError, RowAction, RowReport},
    values::{ReadRow, Values, read_row},
};
use crate::export::labels::Lang;

/// One row, checked and compared with the tenant's measure of its number.
pub(super) struct Planned {
    pub report: RowReport,
    /// The measure the row changes; `None` for a new one.
    pub existing: Option<measure::Model>,
    pub values: Values,
}

/// Plans every row that is not empty; a number already used by an earlier row is an error.
pub(super) fn plan_rows(
    rows: &[(u32, Vec<Raw>)],
    columns: &Columns,
    known: &Known,
    lang: Lang,
) -> Vec<Planned> {
    let mut first_lines: HashMap<String, u32> = HashMap::new();
    let mut planned = Vec::new();
    for (line, cells) in rows {
        if cells.iter().all(|c| c.text().is_none()) {
            continue;
        }
        let mut row = plan_row(*line, cells, columns, known, lang);
        if let Some(number) = &row.report.number {
            if let Some(first) = first_lines.get(number) {
                row.report.errors.push(CellError::bad_input(
                    *line,
                    columns.header(Field::Number),
                    format!("the number {number} appears already in line {first}"),
                ));
            } else {
                first_lines.insert(number.clone(), *line);
            }
        }
        planned.push(row);
    }
    planned
}

/// Reads a row, matches it to the tenant's measure of its number and checks it as an update
/// of that measure or as a new one.
fn plan_row(line: u32, cells: &[Raw], columns: &Columns, known: &Known, lang: Lang) -> Planned {
    let ReadRow {
        number,
        values,
        errors,
    } = read_row(line, cells, columns, known, lang);
    let mut errors = RowErrors {
        line,
        columns,
        list: errors,
    };
    let existing = match number.as_ref().and_then(|n| known.measures.get(n)) {
        Some(found) if found.len() > 1 => {
            errors.push(
                Field::Number,
                "several measures of the tenant have this number; make it unique in the app first",
            );
            None
        }
        Some(found) => found.first().cloned(),
        None => None,
    };
    let (action, changes) = match (&existing, &number) {
        (Some(m), _) => {
            check_update(m, &values, &mut errors);
            let changes = changes::of_update(m, &values, known);
            let action = if changes.is_empty() {
                RowAction::Unchanged
            } else {
                RowAction::Update
            };
            (action, changes)
        }
        (None, Some(number)) => {
            check_new(&values, &mut errors);
            (RowAction::Create, changes::of_new(number, &values, known))
        }
        (None, None) => (RowAction::Create, Vec::new()),
    };
    Planned {
        report: RowReport {
            sheet: None,
            line,
            number,
            action,
            changes,
            errors: errors.list,
        },
        existing,
        values,
    }
}

/// The errors of a row so far.
struct RowErrors<'a> {
    line: u32,
    columns: &'a Columns,
    list: Vec<CellError>,
}

impl RowErrors<'_> {
    /// An error in the column of `field`.
    fn push(&mut self, field: Field, message: &str) {
        self.list.push(CellError::bad_input(
            self.line,
            self.columns.header(field),
            message.to_owned(),
        ));
    }

    /// Whether the column of `field` has an error already (one per cell is enough).
    fn has(&self, field: Field) -> bool {
        let header = self.columns.header(field);
        self.list.iter().any(|e| e.column == header)
    }
}

/// An update may not empty a required field, nor end before it starts.
fn check_update(m: &measure::Model, values: &Values, errors: &mut RowErrors<'_>) {
    let emptied = [
        (Field::Title, values.title.as_ref().map(Option::is_none)),
        (Field::Kind, values.kind.map(|v| v.is_none())),
        (Field::Priority, values.priority.map(|v| v.is_none())),
        (Field::Status, values.status.map(|v| v.is_none())),
        (Field::OrgUnit, values.org_unit.map(|v| v.is_none())),
        (Field::Visibility, values.visibility.map(|v| v.is_none())),
    ];
    for (field, empty) in emptied {
        if empty == Some(true) && !errors.has(field) {
            errors.push(field, "must not be empty");
        }
    }
    check_dates(values, m.start_date, m.due_date, errors);
}

/// A new measure needs a title and an org unit, and may not end before it starts.
fn check_new(values: &Values, errors: &mut RowErrors<'_>) {
    if values.title.as_ref().and_then(Option::as_ref).is_none() && !errors.has(Field::Title) {
        errors.push(Field::Title, "a new measure needs a title");
    }
    if values.org_unit.flatten().is_none() && !errors.has(Field::OrgUnit) {
        errors.push(Field::OrgUnit, "a new measure needs an org unit");
    }
    check_dates(values, None, None, errors);
}

/// The due date, as the row leaves it, may not lie before the start.
fn check_dates(
    values: &Values,
    start_now: Option<NaiveDate>,
    due_now: Option<NaiveDate>,
    errors: &mut RowErrors<'_>,
) {
    let start = values.start.unwrap_or(start_now);
    let due = values.due.unwrap_or(due_now);
    if let (Some(start), Some(due)) = (start, due)
        && due < start
    {
        errors.push(Field::Due, "the due date lies before the start");
    }
}
