//! Writing the planned rows through the measure service, in one transaction: all or nothing,
//! with versions and audit entries as for any write.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use entity::measure;
use sea_orm::DatabaseConnection;

use super::{columns::Field, plan::Planned, report::RowAction};
use crate::{
    error::{ApiError, ApiResult},
    measure::{MeasurePatch, NewMeasure},
    viewer::Viewer,
    write::Write,
};

/// Writes every planned row; called only when no row has an error.
pub(super) async fn apply(
    db: &DatabaseConnection,
    viewer: &Viewer,
    planned: &[Planned],
) -> ApiResult<()> {
    let w = Write::begin(db, viewer).await?;
    for row in planned {
        match (&row.existing, row.report.action) {
            (None, _) => create(&w, row).await?,
            (Some(_), RowAction::Unchanged) => {}
            (Some(m), _) => update(&w, m, row).await?,
        }
    }
    w.commit().await
}

/// Creates the measure of a row with a number the tenant does not have.
async fn create(w: &Write<'_>, row: &Planned) -> ApiResult<()> {
    let v = &row.values;
    let (Some(number), Some(Some(title)), Some(Some(org_unit))) =
        (&row.report.number, &v.title, v.org_unit)
    else {
        // A row without number, title or org unit has an error and is never applied.
        return Err(ApiError::Internal(anyhow::anyhow!("incomplete import row")));
    };
    crate::measure::create_in(
        w,
        NewMeasure {
            number: number.clone(),
            title: title.clone(),
            description: None,
            kind: v.new_kind(),
            priority: v.new_priority(),
            org_unit_id: org_unit,
            goal_ids: v.goals.as_ref().map(goal_ids).unwrap_or_default(),
            visibility: v.new_visibility(),
            status: v.new_status(),
            start_date: v.start.flatten(),
            due_date: v.due.flatten(),
            planned_effort_days: None,
            actual_effort_days: None,
            target_group: None,
            channel: None,
            organiser: None,
            weight: None,
        },
    )
    .await?;
    Ok(())
}

/// Changes the fields of a measure that the row's report lists as changed.
async fn update(w: &Write<'_>, m: &measure::Model, row: &Planned) -> ApiResult<()> {
    let v = &row.values;
    let changed = |field: Field| row.report.changes.iter().any(|c| c.field == field.name());
    let date = |value: Option<Option<NaiveDate>>, field| value.filter(|_| changed(field));
    crate::measure::update_in(
        w,
        MeasurePatch {
            id: m.id,
            version: m.version,
            title: v.title.clone().flatten().filter(|_| changed(Field::Title)),
            kind: v.kind.flatten().filter(|_| changed(Field::Kind)),
            priority: v.priority.flatten().filter(|_| changed(Field::Priority)),
            org_unit_id: v.org_unit.flatten().filter(|_| changed(Field::OrgUnit)),
            goal_ids: v
                .goals
                .as_ref()
                .filter(|_| changed(Field::Goals))
                .map(goal_ids),
            visibility: v
                .visibility
                .flatten()
                .filter(|_| changed(Field::Visibility)),
            status: v.status.flatten().filter(|_| changed(Field::Status)),
            start_date: date(v.start, Field::Start),
            due_date: date(v.due, Field::Due),
            ..MeasurePatch::default()
        },
    )
    .await?;
    Ok(())
}

fn goal_ids(ids: &BTreeSet<i32>) -> Vec<i32> {
    ids.iter().copied().collect()
}
