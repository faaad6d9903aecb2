//! What a row changes, field by field, as the answer shows it: enums by their GraphQL names,
//! org units and goals by their codes, dates as `2026-09-30`.

use chrono::NaiveDate;
use entity::measure;

use super::{columns::Field, known::Known, report::Change, values::Values};
use crate::export::labels::Labelled;

/// The fields a row changes in its measure; a column the file lacks or an empty cell of a
/// required field changes nothing.
pub(super) fn of_update(m: &measure::Model, v: &Values, known: &Known) -> Vec<Change> {
    let mut changes = Vec::new();
    let mut change = |field: Field, from: Option<String>, to: Option<String>| {
        if from != to {
            changes.push(Change {
                field: field.name(),
                from,
                to,
            });
        }
    };
    if let Some(Some(title)) = &v.title {
        change(Field::Title, Some(m.title.clone()), Some(title.clone()));
    }
    if let Some(Some(kind)) = v.kind {
        change(Field::Kind, api_name(m.kind), api_name(kind));
    }
    if let Some(Some(priority)) = v.priority {
        change(Field::Priority, api_name(m.priority), api_name(priority));
    }
    if let Some(Some(status)) = v.status {
        change(Field::Status, api_name(m.status), api_name(status));
    }
    if let Some(Some(unit)) = v.org_unit {
        change(
            Field::OrgUnit,
            known.unit_code(m.org_unit_id),
            known.unit_code(unit),
        );
    }
    if let Some(goals) = &v.goals {
        let before = known.links.get(&m.id).cloned().unwrap_or_default();
        if &before != goals {
            change(
                Field::Goals,
                Some(known.goal_codes(&before)),
                Some(known.goal_codes(goals)),
            );
        }
    }
    if let Some(start) = v.start {
        change(Field::Start, day(m.start_date), day(start));
    }
    if let Some(due) = v.due {
        change(Field::Due, day(m.due_date), day(due));
    }
    if let Some(Some(visibility)) = v.visibility {
        change(
            Field::Visibility,
            api_name(m.visibility),
            api_name(visibility),
        );
    }
    changes
}

/// The fields a new measure gets: every value the row has, and the defaults of kind,
/// priority, status and visibility.
pub(super) fn of_new(number: &str, v: &Values, known: &Known) -> Vec<Change> {
    let fields = [
        (Field::Number, Some(number.to_owned())),
        (Field::Title, v.title.clone().flatten()),
        (Field::Kind, api_name(v.new_kind())),
        (Field::Priority, api_name(v.new_priority())),
        (Field::Status, api_name(v.new_status())),
        (
            Field::OrgUnit,
            v.org_unit.flatten().and_then(|u| known.unit_code(u)),
        ),
        (
            Field::Goals,
            v.goals
                .as_ref()
                .filter(|goals| !goals.is_empty())
                .map(|goals| known.goal_codes(goals)),
        ),
        (Field::Start, day(v.start.flatten())),
        (Field::Due, day(v.due.flatten())),
        (Field::Visibility, api_name(v.new_visibility())),
    ];
    fields
        .into_iter()
        .filter(|(_, to)| to.is_some())
        .map(|(field, to)| Change {
            field: field.name(),
            from: None,
            to,
        })
        .collect()
}

fn api_name(value: impl Labelled) -> Option<String> {
    Some(value.api_name().to_owned())
}

fn day(value: Option<NaiveDate>) -> Option<String> {
    value.map(|d| d.to_string())
}
