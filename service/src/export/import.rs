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

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use entity::{
    enums::{MeasureKind, Priority, Status, StrategyStatus, Visibility},
    goal, measure, measure_goal, org_unit, strategy,
};
use sea_orm::DatabaseConnection;
use serde::Serialize;

use super::{
    labels::{Labelled, Lang},
    lists::MEASURE_COLUMNS,
};
use crate::{
    error::{ApiError, ApiResult},
    measure::{MeasurePatch, NewMeasure},
    policy::{FindVisible, writes},
    viewer::Viewer,
    write::Write,
};

/// Largest file accepted.
pub const MAX_IMPORT_BYTES: usize = 10 * 1024 * 1024;

/// Most data rows in one file.
pub const MAX_IMPORT_ROWS: usize = 5_000;

/// An uploaded file.
pub enum ImportFile {
    Csv(Vec<u8>),
    Xlsx(Vec<u8>),
}

/// A column the import reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Number,
    Title,
    Kind,
    Priority,
    Status,
    OrgUnit,
    Goals,
    Start,
    Due,
    Visibility,
}

impl Field {
    const ALL: [(Self, usize); 10] = [
        (Self::Number, 0),
        (Self::Title, 1),
        (Self::Kind, 2),
        (Self::Priority, 3),
        (Self::Status, 4),
        (Self::OrgUnit, 7),
        (Self::Goals, 8),
        (Self::Start, 9),
        (Self::Due, 10),
        (Self::Visibility, 11),
    ];

    /// The field's name in the answer (as in the GraphQL `Measure`).
    fn name(self) -> &'static str {
        match self {
            Self::Number => "number",
            Self::Title => "title",
            Self::Kind => "kind",
            Self::Priority => "priority",
            Self::Status => "status",
            Self::OrgUnit => "orgUnit",
            Self::Goals => "goals",
            Self::Start => "startDate",
            Self::Due => "dueDate",
            Self::Visibility => "visibility",
        }
    }

    fn of_header(text: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .find(|(_, index)| MEASURE_COLUMNS[*index].header.matches(text))
            .map(|(field, _)| *field)
    }
}

/// A cell as the file has it.
#[derive(Debug, Clone, PartialEq)]
enum Raw {
    Empty,
    Text(String),
    Number(f64),
    Date(NaiveDate),
}

impl Raw {
    fn text(&self) -> Option<String> {
        match self {
            Self::Empty => None,
            Self::Text(text) => Some(text.trim().to_owned()).filter(|t| !t.is_empty()),
            Self::Number(value) if value.fract() == 0.0 && value.abs() < 1e15 => {
                Some(format!("{value:.0}"))
            }
            Self::Number(value) => Some(value.to_string()),
            Self::Date(day) => Some(day.to_string()),
        }
    }

    fn date(&self) -> Result<Option<NaiveDate>, String> {
        match self {
            Self::Empty => Ok(None),
            Self::Date(day) => Ok(Some(*day)),
            Self::Number(serial) => excel_date(*serial)
                .map(Some)
                .ok_or_else(|| format!("{serial} is not a date")),
            Self::Text(text) => {
                let text = text.trim();
                if text.is_empty() {
                    return Ok(None);
                }
                NaiveDate::parse_from_str(text, "%Y-%m-%d")
                    .or_else(|_| NaiveDate::parse_from_str(text, "%d.%m.%Y"))
                    .map(Some)
                    .map_err(|_| {
                        format!("\"{text}\" is not a date (expected 2026-09-30 or 30.09.2026)")
                    })
            }
        }
    }
}

/// A day from an Excel serial number (1900 date system).
fn excel_date(serial: f64) -> Option<NaiveDate> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    // The range check above keeps the serial well inside i64.
    #[allow(clippy::cast_possible_truncation)]
    base.checked_add_signed(chrono::Duration::days(serial.floor() as i64))
}

/// The file as rows of raw cells.
struct Grid {
    headers: Vec<String>,
    /// Line of the header (1 for a file that starts with it).
    header_line: u32,
    rows: Vec<(u32, Vec<Raw>)>,
}

fn bad_file(message: impl Into<String>) -> ApiError {
    ApiError::bad_input("file", message)
}

fn read_csv(bytes: &[u8]) -> ApiResult<Grid> {
    let bytes = bytes.strip_prefix(super::csv::BOM).unwrap_or(bytes);
    // Excel's plain "CSV" is Windows-1252; its "CSV UTF-8" has the byte order mark.
    let decoded;
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(_) => {
            decoded = windows_1252(bytes);
            decoded.as_str()
        }
    };
    let first = text.lines().next().unwrap_or_default();
    let delimiter = [b';', b'\t', b',']
        .into_iter()
        .find(|d| first.contains(char::from(*d)))
        .unwrap_or(b';');
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let mut grid = Grid {
        headers: Vec::new(),
        header_line: 1,
        rows: Vec::new(),
    };
    // The reader's own line count lags behind after CRLF line ends: count from its byte
    // offsets instead, past the line ends before the record.
    let bytes = text.as_bytes();
    let mut counted = (0usize, 1u32);
    let mut line = |record: &::csv::StringRecord| {
        let mut start = record
            .position()
            .map_or(0, |p| usize::try_from(p.byte()).unwrap_or(usize::MAX))
            .min(bytes.len());
        while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        let (from, lines) = counted;
        let start = start.max(from);
        let more = bytes[from..start].iter().filter(|b| **b == b'\n').count();
        counted = (
            start,
            lines.saturating_add(u32::try_from(more).unwrap_or(u32::MAX)),
        );
        counted.1
    };
    if let Some(record) = records.next() {
        let record = record.map_err(|err| bad_file(format!("unreadable CSV: {err}")))?;
        grid.header_line = line(&record);
        grid.headers = record.iter().map(|h| h.trim().to_owned()).collect();
    }
    for record in records {
        let record = record.map_err(|err| bad_file(format!("unreadable CSV: {err}")))?;
        let cells = record
            .iter()
            .map(|c| {
                if c.trim().is_empty() {
                    Raw::Empty
                } else {
                    Raw::Text(c.to_owned())
                }
            })
            .collect();
        grid.rows.push((line(&record), cells));
        if grid.rows.len() > MAX_IMPORT_ROWS {
            return Err(too_many_rows());
        }
    }
    Ok(grid)
}

/// Text in Windows-1252, the encoding of Excel's plain CSV on German Windows.
fn windows_1252(bytes: &[u8]) -> String {
    const SPECIAL: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž',
        '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}',
        'ž', 'Ÿ',
    ];
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9F => SPECIAL[usize::from(b - 0x80)],
            _ => char::from(b),
        })
        .collect()
}

fn too_many_rows() -> ApiError {
    bad_file(format!("a file may have at most {MAX_IMPORT_ROWS} rows"))
}

/// Columns read from a worksheet; cells further right are ignored.
const MAX_COLUMNS: u32 = 256;

/// Reads the first worksheet cell by cell, so that a file with too many rows is refused
/// before it fills the memory.
fn read_xlsx(bytes: Vec<u8>) -> ApiResult<Grid> {
    use calamine::{DataRef, Reader, Xlsx, open_workbook_from_rs};
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes))
        .map_err(|err| bad_file(format!("not a readable XLSX file: {err}")))?;
    let first = book
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| bad_file("the XLSX file has no worksheet"))?;
    let mut cells = book
        .worksheet_cells_reader(&first)
        .map_err(|err| bad_file(format!("the first worksheet is unreadable: {err}")))?;
    let raw = |cell: &DataRef<'_>| match cell {
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
    };
    let mut rows: std::collections::BTreeMap<u32, Vec<Raw>> = std::collections::BTreeMap::new();
    while let Some(cell) = cells
        .next_cell()
        .map_err(|err| bad_file(format!("the first worksheet is unreadable: {err}")))?
    {
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
    Ok(Grid {
        headers,
        header_line,
        rows: rows.map(|(row, cells)| (row + 1, cells)).collect(),
    })
}

/// An error in a cell (or in the file, with the header's line).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CellError {
    pub line: u32,
    /// The column's header as the file has it.
    pub column: String,
    pub message: String,
    pub extensions: ErrorCode,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ErrorCode {
    pub code: &'static str,
}

/// A field the row changes.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Change {
    pub field: &'static str,
    pub from: Option<String>,
    pub to: Option<String>,
}

/// What the import does with one row.
#[derive(Debug, Clone, Serialize)]
pub struct RowReport {
    pub line: u32,
    pub number: Option<String>,
    /// `create`, `update` or `unchanged`.
    pub action: &'static str,
    pub changes: Vec<Change>,
    pub errors: Vec<CellError>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Totals {
    pub rows: usize,
    pub create: usize,
    pub update: usize,
    pub unchanged: usize,
    /// Errors in all rows and in the file.
    pub errors: usize,
}

/// The answer of an import.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportReport {
    pub dry_run: bool,
    /// Whether the changes were written (never with errors or on a dry run).
    pub applied: bool,
    pub rows: Vec<RowReport>,
    /// Every error of the file and its rows.
    pub errors: Vec<CellError>,
    /// Columns of the file that the import does not read.
    pub ignored_columns: Vec<String>,
    pub totals: Totals,
}

impl ImportReport {
    /// Whether the file was refused: an import that is not a dry run and found errors writes
    /// nothing.
    pub fn refused(&self) -> bool {
        !self.dry_run && !self.errors.is_empty()
    }
}

/// What the tenant has, for matching and checking the rows.
struct Known {
    measures: HashMap<String, Vec<measure::Model>>,
    units: HashMap<String, i32>,
    unit_codes: HashMap<i32, String>,
    /// Goals by lower-case code: strategy versions copy their goals with the codes.
    goals: HashMap<String, Vec<i32>>,
    goal_codes: HashMap<i32, String>,
    /// Goals of adopted strategies (the ones in force).
    adopted_goals: BTreeSet<i32>,
    links: HashMap<i32, BTreeSet<i32>>,
}

impl Known {
    /// The goals a code in a goals cell stands for: the only goal with the code; else those
    /// of them the measure is linked to already; else the one of an adopted strategy.
    fn goals_of(&self, code: &str, linked: &BTreeSet<i32>) -> Result<Vec<i32>, String> {
        let Some(candidates) = self.goals.get(&code.to_lowercase()) else {
            return Err(format!("there is no goal with the code \"{code}\""));
        };
        if let [only] = candidates.as_slice() {
            return Ok(vec![*only]);
        }
        let already: Vec<i32> = candidates
            .iter()
            .copied()
            .filter(|g| linked.contains(g))
            .collect();
        if !already.is_empty() {
            return Ok(already);
        }
        match candidates
            .iter()
            .copied()
            .filter(|g| self.adopted_goals.contains(g))
            .collect::<Vec<_>>()
            .as_slice()
        {
            [adopted] => Ok(vec![*adopted]),
            _ => Err(format!(
                "several strategy versions have a goal with the code \"{code}\"; link this measure in the app"
            )),
        }
    }
}

async fn known(db: &DatabaseConnection, viewer: &Viewer) -> ApiResult<Known> {
    let mut measures: HashMap<String, Vec<measure::Model>> = HashMap::new();
    for m in measure::Entity::find_visible_to(viewer).all(db).await? {
        measures
            .entry(m.number.trim().to_owned())
            .or_default()
            .push(m);
    }
    let units = org_unit::Entity::find_visible_to(viewer).all(db).await?;
    let goals = goal::Entity::find_visible_to(viewer).all(db).await?;
    let adopted: BTreeSet<i32> = strategy::Entity::find_visible_to(viewer)
        .all(db)
        .await?
        .into_iter()
        .filter(|s| s.status == StrategyStatus::Adopted)
        .map(|s| s.id)
        .collect();
    let mut by_code: HashMap<String, Vec<i32>> = HashMap::new();
    for g in &goals {
        by_code.entry(g.code.to_lowercase()).or_default().push(g.id);
    }
    let mut links: HashMap<i32, BTreeSet<i32>> = HashMap::new();
    for link in measure_goal::Entity::find_visible_to(viewer)
        .all(db)
        .await?
    {
        links
            .entry(link.measure_id)
            .or_default()
            .insert(link.goal_id);
    }
    Ok(Known {
        measures,
        units: units
            .iter()
            .map(|u| (u.code.to_lowercase(), u.id))
            .collect(),
        unit_codes: units.into_iter().map(|u| (u.id, u.code)).collect(),
        goals: by_code,
        adopted_goals: goals
            .iter()
            .filter(|g| adopted.contains(&g.strategy_id))
            .map(|g| g.id)
            .collect(),
        goal_codes: goals.into_iter().map(|g| (g.id, g.code)).collect(),
        links,
    })
}

/// The values of a row, each `Some` when the file has the column.
#[derive(Default)]
struct Values {
    title: Option<Option<String>>,
    kind: Option<Option<MeasureKind>>,
    priority: Option<Option<Priority>>,
    status: Option<Option<Status>>,
    org_unit: Option<Option<i32>>,
    goals: Option<BTreeSet<i32>>,
    start: Option<Option<NaiveDate>>,
    due: Option<Option<NaiveDate>>,
    visibility: Option<Option<Visibility>>,
}

/// One row, checked and compared with the tenant's measure of its number.
struct Planned {
    report: RowReport,
    existing: Option<measure::Model>,
    values: Values,
}

fn enum_cell<T: Labelled>(raw: &Raw, lang: Lang, err: &mut dyn FnMut(String)) -> Option<T> {
    let text = raw.text()?;
    let value = T::from_label(&text);
    if value.is_none() {
        err(format!("\"{text}\" is not one of: {}", T::expected(lang)));
    }
    value
}

fn plan_row(
    line: u32,
    cells: &[Raw],
    columns: &[(Field, usize, String)],
    known: &Known,
    lang: Lang,
) -> Planned {
    let mut errors = Vec::new();
    let mut values = Values::default();
    let mut number = None;
    // The goals the row's measure is linked to now, to read ambiguous goal codes.
    let linked: BTreeSet<i32> = columns
        .iter()
        .find(|(f, ..)| *f == Field::Number)
        .and_then(|(_, index, _)| cells.get(*index))
        .and_then(Raw::text)
        .and_then(|n| match known.measures.get(&n).map(Vec::as_slice) {
            Some([m]) => known.links.get(&m.id).cloned(),
            _ => None,
        })
        .unwrap_or_default();
    for (field, index, header) in columns {
        let raw = cells.get(*index).unwrap_or(&Raw::Empty);
        let mut err = |message: String| {
            errors.push(CellError {
                line,
                column: header.clone(),
                message,
                extensions: ErrorCode {
                    code: "BAD_USER_INPUT",
                },
            });
        };
        match field {
            Field::Number => match raw.text() {
                Some(text) => number = Some(text),
                None => err("the measure number must not be empty".into()),
            },
            Field::Title => {
                values.title = Some(match raw.text() {
                    Some(text) => match crate::validate::title("title", &text) {
                        Ok(title) => Some(title),
                        Err(e) => {
                            err(message_of(&e));
                            None
                        }
                    },
                    None => None,
                });
            }
            Field::Kind => values.kind = Some(enum_cell(raw, lang, &mut err)),
            Field::Priority => values.priority = Some(enum_cell(raw, lang, &mut err)),
            Field::Status => values.status = Some(enum_cell(raw, lang, &mut err)),
            Field::Visibility => values.visibility = Some(enum_cell(raw, lang, &mut err)),
            Field::OrgUnit => {
                values.org_unit = Some(raw.text().and_then(|code| {
                    let unit = known.units.get(&code.to_lowercase()).copied();
                    if unit.is_none() {
                        err(format!("there is no org unit with the code \"{code}\""));
                    }
                    unit
                }));
            }
            Field::Goals => {
                let mut goals = BTreeSet::new();
                for code in raw
                    .text()
                    .unwrap_or_default()
                    .split([',', ';', '\n'])
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
                {
                    match known.goals_of(code, &linked) {
                        Ok(found) => goals.extend(found),
                        Err(message) => err(message),
                    }
                }
                values.goals = Some(goals);
            }
            Field::Start | Field::Due => {
                let day = raw.date().unwrap_or_else(|message| {
                    err(message);
                    None
                });
                if *field == Field::Start {
                    values.start = Some(day);
                } else {
                    values.due = Some(day);
                }
            }
        }
    }
    let header_of = |wanted: Field| {
        columns
            .iter()
            .find(|(f, ..)| *f == wanted)
            .map_or_else(|| wanted.name().to_owned(), |(_, _, h)| h.clone())
    };
    let row_error = |field: Field, message: String| CellError {
        line,
        column: header_of(field),
        message,
        extensions: ErrorCode {
            code: "BAD_USER_INPUT",
        },
    };
    let existing = match number.as_ref().and_then(|n| known.measures.get(n)) {
        Some(found) if found.len() > 1 => {
            errors.push(row_error(
                Field::Number,
                "several measures of the tenant have this number; make it unique in the app first"
                    .into(),
            ));
            None
        }
        Some(found) => found.first().cloned(),
        None => None,
    };
    let mut changes = Vec::new();
    match &existing {
        Some(m) => {
            let required = [
                (Field::Title, values.title.as_ref().map(Option::is_none)),
                (Field::Kind, values.kind.map(|v| v.is_none())),
                (Field::Priority, values.priority.map(|v| v.is_none())),
                (Field::Status, values.status.map(|v| v.is_none())),
                (Field::OrgUnit, values.org_unit.map(|v| v.is_none())),
                (Field::Visibility, values.visibility.map(|v| v.is_none())),
            ];
            for (field, empty) in required {
                let header = header_of(field);
                if empty == Some(true) && !errors.iter().any(|e| e.column == header) {
                    errors.push(row_error(field, "must not be empty".into()));
                }
            }
            let mut change = |field: Field, from: Option<String>, to: Option<String>| {
                if from != to {
                    changes.push(Change {
                        field: field.name(),
                        from,
                        to,
                    });
                }
            };
            if let Some(Some(title)) = &values.title {
                change(Field::Title, Some(m.title.clone()), Some(title.clone()));
            }
            if let Some(Some(kind)) = values.kind {
                change(
                    Field::Kind,
                    Some(m.kind.api_name().into()),
                    Some(kind.api_name().into()),
                );
            }
            if let Some(Some(priority)) = values.priority {
                change(
                    Field::Priority,
                    Some(m.priority.api_name().into()),
                    Some(priority.api_name().into()),
                );
            }
            if let Some(Some(status)) = values.status {
                change(
                    Field::Status,
                    Some(m.status.api_name().into()),
                    Some(status.api_name().into()),
                );
            }
            if let Some(Some(unit)) = values.org_unit {
                change(
                    Field::OrgUnit,
                    known.unit_codes.get(&m.org_unit_id).cloned(),
                    known.unit_codes.get(&unit).cloned(),
                );
            }
            if let Some(goals) = &values.goals {
                let before = known.links.get(&m.id).cloned().unwrap_or_default();
                let codes = |ids: &BTreeSet<i32>| {
                    let mut codes: Vec<String> = ids
                        .iter()
                        .filter_map(|g| known.goal_codes.get(g).cloned())
                        .collect();
                    codes.sort();
                    Some(codes.join(", "))
                };
                if &before != goals {
                    change(Field::Goals, codes(&before), codes(goals));
                }
            }
            if let Some(start) = values.start {
                change(
                    Field::Start,
                    m.start_date.map(|d| d.to_string()),
                    start.map(|d| d.to_string()),
                );
            }
            if let Some(due) = values.due {
                change(
                    Field::Due,
                    m.due_date.map(|d| d.to_string()),
                    due.map(|d| d.to_string()),
                );
            }
            if let Some(Some(visibility)) = values.visibility {
                change(
                    Field::Visibility,
                    Some(m.visibility.api_name().into()),
                    Some(visibility.api_name().into()),
                );
            }
            let start = values.start.unwrap_or(m.start_date);
            let due = values.due.unwrap_or(m.due_date);
            if let (Some(start), Some(due)) = (start, due)
                && due < start
            {
                errors.push(row_error(
                    Field::Due,
                    "the due date lies before the start".into(),
                ));
            }
        }
        None if number.is_some() => {
            if values.title.as_ref().and_then(Option::as_ref).is_none()
                && !errors.iter().any(|e| e.column == header_of(Field::Title))
            {
                errors.push(row_error(
                    Field::Title,
                    "a new measure needs a title".into(),
                ));
            }
            if values.org_unit.flatten().is_none()
                && !errors.iter().any(|e| e.column == header_of(Field::OrgUnit))
            {
                errors.push(row_error(
                    Field::OrgUnit,
                    "a new measure needs an org unit".into(),
                ));
            }
            if let (Some(Some(start)), Some(Some(due))) = (values.start, values.due)
                && due < start
            {
                errors.push(row_error(
                    Field::Due,
                    "the due date lies before the start".into(),
                ));
            }
            let mut set = |field: Field, to: Option<String>| {
                if to.is_some() {
                    changes.push(Change {
                        field: field.name(),
                        from: None,
                        to,
                    });
                }
            };
            set(Field::Number, number.clone());
            set(Field::Title, values.title.clone().flatten());
            set(
                Field::Kind,
                Some(
                    values
                        .kind
                        .flatten()
                        .unwrap_or(MeasureKind::Implementation)
                        .api_name()
                        .into(),
                ),
            );
            set(
                Field::Priority,
                Some(
                    values
                        .priority
                        .flatten()
                        .unwrap_or(Priority::Medium)
                        .api_name()
                        .into(),
                ),
            );
            set(
                Field::Status,
                Some(
                    values
                        .status
                        .flatten()
                        .unwrap_or(Status::Draft)
                        .api_name()
                        .into(),
                ),
            );
            set(
                Field::OrgUnit,
                values
                    .org_unit
                    .flatten()
                    .and_then(|u| known.unit_codes.get(&u).cloned()),
            );
            if let Some(goals) = &values.goals
                && !goals.is_empty()
            {
                let mut codes: Vec<String> = goals
                    .iter()
                    .filter_map(|g| known.goal_codes.get(g).cloned())
                    .collect();
                codes.sort();
                set(Field::Goals, Some(codes.join(", ")));
            }
            set(Field::Start, values.start.flatten().map(|d| d.to_string()));
            set(Field::Due, values.due.flatten().map(|d| d.to_string()));
            set(
                Field::Visibility,
                Some(
                    values
                        .visibility
                        .flatten()
                        .unwrap_or(Visibility::Internal)
                        .api_name()
                        .into(),
                ),
            );
        }
        None => {}
    }
    let action = match (&existing, changes.is_empty()) {
        (None, _) => "create",
        (Some(_), true) => "unchanged",
        (Some(_), false) => "update",
    };
    Planned {
        report: RowReport {
            line,
            number,
            action,
            changes,
            errors,
        },
        existing,
        values,
    }
}

fn message_of(err: &ApiError) -> String {
    match err {
        ApiError::BadInput { message, .. } => message.clone(),
        other => other.to_string(),
    }
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
    let grid = match file {
        ImportFile::Csv(bytes) => read_csv(&bytes)?,
        ImportFile::Xlsx(bytes) => read_xlsx(bytes)?,
    };
    let mut file_errors = Vec::new();
    let mut columns: Vec<(Field, usize, String)> = Vec::new();
    let mut ignored = Vec::new();
    for (index, header) in grid.headers.iter().enumerate() {
        if header.is_empty() {
            continue;
        }
        match Field::of_header(header) {
            Some(field) if columns.iter().any(|(f, ..)| *f == field) => {
                file_errors.push(CellError {
                    line: grid.header_line,
                    column: header.clone(),
                    message: "this column appears twice".into(),
                    extensions: ErrorCode {
                        code: "BAD_USER_INPUT",
                    },
                });
            }
            Some(field) => columns.push((field, index, header.clone())),
            None => ignored.push(header.clone()),
        }
    }
    if !columns.iter().any(|(f, ..)| *f == Field::Number) {
        file_errors.push(CellError {
            line: grid.header_line,
            column: MEASURE_COLUMNS[0].header.text(lang).into(),
            message: format!(
                "the column of the measure number ({} or {}) is missing",
                MEASURE_COLUMNS[0].header.de, MEASURE_COLUMNS[0].header.en
            ),
            extensions: ErrorCode {
                code: "BAD_USER_INPUT",
            },
        });
    }
    let known = known(db, viewer).await?;
    let mut planned: Vec<Planned> = Vec::new();
    if file_errors.is_empty() {
        let mut seen: HashMap<String, u32> = HashMap::new();
        for (line, cells) in &grid.rows {
            if cells.iter().all(|c| c.text().is_none()) {
                continue;
            }
            let mut row = plan_row(*line, cells, &columns, &known, lang);
            if let Some(number) = &row.report.number {
                if let Some(first) = seen.get(number) {
                    let column = columns
                        .iter()
                        .find(|(f, ..)| *f == Field::Number)
                        .map(|(.., h)| h.clone())
                        .unwrap_or_default();
                    row.report.errors.push(CellError {
                        line: *line,
                        column,
                        message: format!("the number {number} appears already in line {first}"),
                        extensions: ErrorCode {
                            code: "BAD_USER_INPUT",
                        },
                    });
                } else {
                    seen.insert(number.clone(), *line);
                }
            }
            planned.push(row);
        }
    }
    let mut errors = file_errors;
    errors.extend(planned.iter().flat_map(|p| p.report.errors.iter().cloned()));
    let count = |action: &str| planned.iter().filter(|p| p.report.action == action).count();
    let totals = Totals {
        rows: planned.len(),
        create: count("create"),
        update: count("update"),
        unchanged: count("unchanged"),
        errors: errors.len(),
    };
    let mut applied = false;
    if !dry_run && errors.is_empty() {
        apply(db, viewer, &planned).await?;
        applied = true;
    }
    Ok(ImportReport {
        dry_run,
        applied,
        rows: planned.into_iter().map(|p| p.report).collect(),
        errors,
        ignored_columns: ignored,
        totals,
    })
}

/// Writes every planned row in one transaction: all or nothing.
async fn apply(db: &DatabaseConnection, viewer: &Viewer, planned: &[Planned]) -> ApiResult<()> {
    let w = Write::begin(db, viewer).await?;
    let goals = |ids: &BTreeSet<i32>| ids.iter().copied().collect::<Vec<_>>();
    for row in planned {
        let v = &row.values;
        match (&row.existing, row.report.action) {
            (None, _) => {
                let (Some(number), Some(Some(title)), Some(Some(org_unit))) =
                    (&row.report.number, &v.title, v.org_unit)
                else {
                    // A row without number, title or org unit has an error and is never applied.
                    return Err(ApiError::Internal(anyhow::anyhow!("incomplete import row")));
                };
                crate::measure::create_in(
                    &w,
                    NewMeasure {
                        number: number.clone(),
                        title: title.clone(),
                        description: None,
                        kind: v.kind.flatten().unwrap_or(MeasureKind::Implementation),
                        priority: v.priority.flatten().unwrap_or(Priority::Medium),
                        org_unit_id: org_unit,
                        goal_ids: v.goals.as_ref().map(goals).unwrap_or_default(),
                        visibility: v.visibility.flatten().unwrap_or(Visibility::Internal),
                        status: v.status.flatten().unwrap_or(Status::Draft),
                        start_date: v.start.flatten(),
                        due_date: v.due.flatten(),
                        planned_effort_days: None,
                        actual_effort_days: None,
                        target_group: None,
                        channel: None,
                        organiser: None,
                    },
                )
                .await?;
            }
            (Some(_), "unchanged") => {}
            (Some(m), _) => {
                let changed = |name: &str| row.report.changes.iter().any(|c| c.field == name);
                let date =
                    |value: Option<Option<NaiveDate>>, name: &str| value.filter(|_| changed(name));
                crate::measure::update_in(
                    &w,
                    MeasurePatch {
                        id: m.id,
                        version: m.version,
                        title: v.title.clone().flatten().filter(|_| changed("title")),
                        kind: v.kind.flatten().filter(|_| changed("kind")),
                        priority: v.priority.flatten().filter(|_| changed("priority")),
                        org_unit_id: v.org_unit.flatten().filter(|_| changed("orgUnit")),
                        goal_ids: v.goals.as_ref().filter(|_| changed("goals")).map(goals),
                        visibility: v.visibility.flatten().filter(|_| changed("visibility")),
                        status: v.status.flatten().filter(|_| changed("status")),
                        start_date: date(v.start, "startDate"),
                        due_date: date(v.due, "dueDate"),
                        ..MeasurePatch::default()
                    },
                )
                .await?;
            }
        }
    }
    w.commit().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_with_either_separator_and_a_bom_reads_with_lines() {
        let text = "\u{feff}Nr.;Maßnahme;Ampel\r\n2024/01;\"E-Akte; Pilot\";grün\r\n\r\n2024/02;Portal;rot\r\n";
        let grid = read_csv(text.as_bytes()).unwrap();
        assert_eq!(grid.headers, ["Nr.", "Maßnahme", "Ampel"]);
        assert_eq!(grid.rows.len(), 2);
        assert_eq!(grid.rows[0].0, 2);
        assert_eq!(grid.rows[1].0, 4);
        assert_eq!(grid.rows[0].1[1], Raw::Text("E-Akte; Pilot".into()));
        let grid = read_csv(b"No.,Measure\n7,Portal\n").unwrap();
        assert_eq!(grid.rows[0].1[0].text().as_deref(), Some("7"));
        let grid = read_csv(b"Nr.;Ma\xDFnahme\n1;Gr\xF6\xDFe \x80\n").unwrap();
        assert_eq!(grid.headers[1], "Maßnahme");
        assert_eq!(grid.rows[0].1[1], Raw::Text("Größe €".into()));
    }

    #[test]
    fn dates_come_as_iso_german_or_excel_serials() {
        let day = NaiveDate::from_ymd_opt(2026, 9, 30).unwrap();
        assert_eq!(Raw::Text("2026-09-30".into()).date(), Ok(Some(day)));
        assert_eq!(Raw::Text("30.09.2026".into()).date(), Ok(Some(day)));
        assert_eq!(Raw::Number(46295.0).date(), Ok(Some(day)));
        assert_eq!(Raw::Empty.date(), Ok(None));
        assert!(Raw::Text("next week".into()).date().is_err());
    }

    #[test]
    fn headers_of_both_languages_name_the_importable_columns() {
        assert_eq!(Field::of_header("Maßnahme"), Some(Field::Title));
        assert_eq!(Field::of_header("measure"), Some(Field::Title));
        assert_eq!(Field::of_header("Fällig"), Some(Field::Due));
        assert_eq!(Field::of_header("Org unit"), Some(Field::OrgUnit));
        assert_eq!(Field::of_header("Ampel"), None);
        assert_eq!(Field::of_header("Fortschritt"), None);
    }

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
        let grid = read_xlsx(book.save_to_buffer().unwrap()).unwrap();
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
        let err = read_xlsx(book.save_to_buffer().unwrap()).err().unwrap();
        assert_eq!(err.code(), "BAD_USER_INPUT");
        assert!(read_xlsx(b"not a zip".to_vec()).is_err());
    }
}
