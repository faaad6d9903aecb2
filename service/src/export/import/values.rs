//! Reading a row's cells into the values of a measure, with an error for each cell that does
//! not read.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use entity::enums::{MeasureKind, Priority, Status, Visibility};

use super::{
    columns::{Columns, Field},
    grid::Raw,
    known::Known,
    report::CellError,
};
use crate::{
    error::ApiError,
    export::labels::{Labelled, Lang},
};

/// The values of a row, each `Some` when the file has the column.
#[derive(Default)]
pub(super) struct Values {
    pub title: Option<Option<String>>,
    pub kind: Option<Option<MeasureKind>>,
    pub priority: Option<Option<Priority>>,
    pub status: Option<Option<Status>>,
    pub org_unit: Option<Option<i32>>,
    pub goals: Option<BTreeSet<i32>>,
    pub start: Option<Option<NaiveDate>>,
    pub due: Option<Option<NaiveDate>>,
    pub visibility: Option<Option<Visibility>>,
}

impl Values {
    /// The kind of a new measure: the row's, else implementation.
    pub fn new_kind(&self) -> MeasureKind {
        self.kind.flatten().unwrap_or(MeasureKind::Implementation)
    }

    /// The priority of a new measure: the row's, else medium.
    pub fn new_priority(&self) -> Priority {
        self.priority.flatten().unwrap_or(Priority::Medium)
    }

    /// The status of a new measure: the row's, else draft.
    pub fn new_status(&self) -> Status {
        self.status.flatten().unwrap_or(Status::Draft)
    }

    /// The visibility of a new measure: the row's, else internal.
    pub fn new_visibility(&self) -> Visibility {
        self.visibility.flatten().unwrap_or(Visibility::Internal)
    }
}

/// A row as read from its cells.
pub(super) struct ReadRow {
    /// The measure number, unless its cell is empty.
    pub number: Option<String>,
    pub values: Values,
    /// One for each cell that does not read, in the order of the columns.
    pub errors: Vec<CellError>,
}

/// Reads the cells of the row on `line`.
pub(super) fn read_row(
    line: u32,
    cells: &[Raw],
    columns: &Columns,
    known: &Known,
    lang: Lang,
) -> ReadRow {
    // The goals the row's measure is linked to now, to read ambiguous goal codes.
    let linked = columns
        .cell(Field::Number, cells)
        .and_then(Raw::text)
        .map(|number| known.linked_goals(&number))
        .unwrap_or_default();
    let mut row = ReadRow {
        number: None,
        values: Values::default(),
        errors: Vec::new(),
    };
    for column in &columns.read {
        let raw = cells.get(column.index).unwrap_or(&Raw::Empty);
        let mut err = |message: String| {
            row.errors
                .push(CellError::bad_input(line, column.header.clone(), message));
        };
        let values = &mut row.values;
        match column.field {
            Field::Number => match raw.text() {
                Some(text) => row.number = Some(text),
                None => err("the measure number must not be empty".into()),
            },
            Field::Title => values.title = Some(title_cell(raw, &mut err)),
            Field::Kind => values.kind = Some(enum_cell(raw, lang, &mut err)),
            Field::Priority => values.priority = Some(enum_cell(raw, lang, &mut err)),
            Field::Status => values.status = Some(enum_cell(raw, lang, &mut err)),
            Field::Visibility => values.visibility = Some(enum_cell(raw, lang, &mut err)),
            Field::OrgUnit => values.org_unit = Some(org_unit_cell(raw, known, &mut err)),
            Field::Goals => values.goals = Some(goals_cell(raw, known, &linked, &mut err)),
            Field::Start => values.start = Some(date_cell(raw, &mut err)),
            Field::Due => values.due = Some(date_cell(raw, &mut err)),
        }
    }
    row
}

/// A title, checked as any title is.
fn title_cell(raw: &Raw, err: &mut dyn FnMut(String)) -> Option<String> {
    let text = raw.text()?;
    crate::validate::title("title", &text)
        .map_err(|e| err(message_of(&e)))
        .ok()
}

/// The message of a validation error, without the field the file does not name.
fn message_of(err: &ApiError) -> String {
    match err {
        ApiError::BadInput { message, .. } => message.clone(),
        other => other.to_string(),
    }
}

/// A label of either language or a GraphQL name.
fn enum_cell<T: Labelled>(raw: &Raw, lang: Lang, err: &mut dyn FnMut(String)) -> Option<T> {
    let text = raw.text()?;
    let value = T::from_label(&text);
    if value.is_none() {
        err(format!("\"{text}\" is not one of: {}", T::expected(lang)));
    }
    value
}

/// An org unit by its code.
fn org_unit_cell(raw: &Raw, known: &Known, err: &mut dyn FnMut(String)) -> Option<i32> {
    let code = raw.text()?;
    let unit = known.units.get(&code.to_lowercase()).copied();
    if unit.is_none() {
        err(format!("there is no org unit with the code \"{code}\""));
    }
    unit
}

/// Goals by their codes, separated by commas, semicolons or line breaks; an error for each
/// code that names no goal or several.
fn goals_cell(
    raw: &Raw,
    known: &Known,
    linked: &BTreeSet<i32>,
    err: &mut dyn FnMut(String),
) -> BTreeSet<i32> {
    let mut goals = BTreeSet::new();
    for code in raw
        .text()
        .unwrap_or_default()
        .split([',', ';', '\n'])
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        match known.goals_of(code, linked) {
            Ok(found) => goals.extend(found),
            Err(message) => err(message),
        }
    }
    goals
}

/// A day, or `None` for an empty cell or one that is not a date.
fn date_cell(raw: &Raw, err: &mut dyn FnMut(String)) -> Option<NaiveDate> {
    raw.date().unwrap_or_else(|message| {
        err(message);
        None
    })
}
