//! The columns the import reads, and matching them to a file's headers.

use super::{
    grid::{Grid, Raw},
    report::CellError,
};
use crate::export::{labels::Lang, lists::MEASURE_COLUMNS};

/// A column the import reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Field {
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
    /// Each field with its column in the export ([`MEASURE_COLUMNS`]), whose headers it reads.
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
    pub fn name(self) -> &'static str {
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

    /// The field a header names, in either language and any case.
    fn of_header(text: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .find(|(_, index)| MEASURE_COLUMNS[*index].header.matches(text))
            .map(|(field, _)| *field)
    }
}

/// A column of the file that the import reads.
pub(super) struct Column {
    pub field: Field,
    /// Its position in a row.
    pub index: usize,
    /// Its header as the file has it.
    pub header: String,
}

/// The file's columns, matched by their headers.
pub(super) struct Columns {
    /// The columns read, in the order of the file.
    pub read: Vec<Column>,
    /// Headers the import does not read.
    pub ignored: Vec<String>,
    /// A column twice, or the column of the measure number missing: the rows are not read.
    pub errors: Vec<CellError>,
}

impl Columns {
    /// Matches the grid's headers to the importable fields.
    pub fn of(grid: &Grid, lang: Lang) -> Self {
        let mut columns = Self {
            read: Vec::new(),
            ignored: Vec::new(),
            errors: Vec::new(),
        };
        for (index, header) in grid.headers.iter().enumerate() {
            if header.is_empty() {
                continue;
            }
            match Field::of_header(header) {
                Some(field) if columns.column(field).is_some() => {
                    columns.errors.push(CellError::bad_input(
                        grid.header_line,
                        header.clone(),
                        "this column appears twice".into(),
                    ));
                }
                Some(field) => columns.read.push(Column {
                    field,
                    index,
                    header: header.clone(),
                }),
                None => columns.ignored.push(header.clone()),
            }
        }
        if columns.column(Field::Number).is_none() {
            let number = MEASURE_COLUMNS[0].header;
            columns.errors.push(CellError::bad_input(
                grid.header_line,
                number.text(lang),
                format!(
                    "the column of the measure number ({} or {}) is missing",
                    number.de, number.en
                ),
            ));
        }
        columns
    }

    fn column(&self, field: Field) -> Option<&Column> {
        self.read.iter().find(|c| c.field == field)
    }

    /// The header of a field's column, or the field's name if the file has none.
    pub fn header(&self, field: Field) -> String {
        self.column(field)
            .map_or_else(|| field.name().to_owned(), |c| c.header.clone())
    }

    /// A row's cell of a field, if the file has its column.
    pub fn cell<'a>(&self, field: Field, cells: &'a [Raw]) -> Option<&'a Raw> {
        self.column(field).and_then(|c| cells.get(c.index))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn a_column_twice_or_no_number_is_an_error_of_the_file() {
        let grid = |headers: &[&str]| Grid {
            headers: headers.iter().map(|h| (*h).to_owned()).collect(),
            header_line: 2,
            rows: Vec::new(),
        };
        let columns = Columns::of(
            &grid(&["Nr.", "", "Ampel", "Maßnahme", "measure"]),
            Lang::De,
        );
        assert_eq!(columns.ignored, ["Ampel"]);
        assert_eq!(columns.read.len(), 2);
        assert_eq!(columns.header(Field::Title), "Maßnahme");
        assert_eq!(columns.header(Field::Due), "dueDate");
        assert_eq!(columns.errors.len(), 1);
        assert_eq!(
            (columns.errors[0].line, columns.errors[0].column.as_str()),
            (2, "measure")
        );
        let columns = Columns::of(&grid(&["Measure"]), Lang::En);
        assert_eq!(columns.errors[0].column, "No.");
        assert_eq!(
            columns.errors[0].message,
            "the column of the measure number (Nr. or No.) is missing"
        );
    }
}
