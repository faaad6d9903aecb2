//! Indicators (KPIs) of goals, measures and projects: their target paths and measured
//! values. A goal's indicators are central IT's; a measure's or project's also the owning
//! department's (`policy::writes::require_indicator_edit`).

pub mod parent;
pub mod path;
pub mod targets;

use chrono::NaiveDate;
use entity::{indicator, indicator_value};
use rust_decimal::Decimal;
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

pub use parent::Parent;
pub use path::Point;

use crate::{
    audit::Action,
    error::{ApiError, ApiResult},
    policy::writes,
    strategy::subject,
    validate,
    viewer::Viewer,
    write::{Change, Write},
};
use targets::Given;

/// A new indicator (KPI) of a goal, a measure or a project.
#[derive(Debug, Clone)]
pub struct NewIndicator {
    pub parent: Parent,
    pub name: String,
    pub description: Option<String>,
    pub unit: String,
    pub baseline: Option<Decimal>,
    pub baseline_date: Option<NaiveDate>,
    /// The final target alone (before target paths); with `target_date` the path's only point.
    pub target: Option<Decimal>,
    pub target_date: Option<NaiveDate>,
    /// The whole target path, instead of `target` and `target_date`.
    pub targets: Option<Vec<Point>>,
    pub higher_is_better: bool,
}

/// Changes to an indicator read at `version`.
#[derive(Debug, Clone, Default)]
pub struct IndicatorPatch {
    pub id: i32,
    pub version: i32,
    pub name: Option<String>,
    pub description: Change<String>,
    pub unit: Option<String>,
    pub baseline: Change<Decimal>,
    pub baseline_date: Change<NaiveDate>,
    /// Changes the final point of the path (before target paths: the one target).
    pub target: Change<Decimal>,
    pub target_date: Change<NaiveDate>,
    /// Replaces the whole target path.
    pub targets: Option<Vec<Point>>,
    pub higher_is_better: Option<bool>,
}

/// A measured value of an indicator.
#[derive(Debug, Clone)]
pub struct NewIndicatorValue {
    pub indicator_id: i32,
    pub measured_on: NaiveDate,
    pub value: Decimal,
    pub note: Option<String>,
}

/// A correction of a measured value read at `version`.
#[derive(Debug, Clone, Default)]
pub struct IndicatorValuePatch {
    pub id: i32,
    pub version: i32,
    pub measured_on: Option<NaiveDate>,
    pub value: Option<Decimal>,
    pub note: Change<String>,
}

fn require_indicators(viewer: &Viewer) -> ApiResult<()> {
    writes::require_administration(viewer, "maintain indicators")
}

/// `targets` and `target`/`targetDate` are two ways to say the same: one at a time.
fn either_path(targets: bool, legacy: bool) -> ApiResult<()> {
    if targets && legacy {
        return Err(ApiError::bad_input(
            "targets",
            "give either targets or target and targetDate",
        ));
    }
    Ok(())
}

/// The final target alone, as `target` and `targetDate` give it.
fn legacy_point(points: Vec<Point>) -> Given {
    Given {
        points,
        field: |_| "targetDate".to_owned(),
    }
}

/// Creates an indicator of a goal, a measure or a project.
pub async fn create(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: NewIndicator,
) -> ApiResult<indicator::Model> {
    crate::write::single!(db, viewer, |w| create_in(&w, input))
}

/// [`create`] within a write that others share (an import of many rows).
pub async fn create_in(w: &Write<'_>, input: NewIndicator) -> ApiResult<indicator::Model> {
    let viewer = w.viewer;
    require_indicators(viewer)?;
    let parent = parent::load(w, input.parent, true).await?;
    either_path(
        input.targets.is_some(),
        input.target.is_some() || input.target_date.is_some(),
    )?;
    let path = match (input.targets, input.target, input.target_date) {
        (Some(listed), _, _) => Given::listed(listed),
        (None, Some(value), Some(date)) => legacy_point(vec![Point { date, value }]),
        _ => legacy_point(Vec::new()),
    };
    let path = targets::check(&path, input.baseline_date, parent.period)?;
    let (target, target_date) = if path.is_empty() {
        (input.target, input.target_date)
    } else {
        targets::final_columns(&path)
    };
    let (goal_id, measure_id, project_id) = input.parent.columns();
    let row = indicator::ActiveModel {
        tenant_id: Set(viewer.tenant_id),
        goal_id: Set(goal_id),
        measure_id: Set(measure_id),
        project_id: Set(project_id),
        name: Set(validate::title("name", &input.name)?),
        description: Set(validate::text("description", input.description)?),
        unit: Set(validate::title("unit", &input.unit)?),
        baseline: Set(input.baseline),
        baseline_date: Set(input.baseline_date),
        target: Set(target),
        target_date: Set(target_date),
        higher_is_better: Set(input.higher_is_better),
        archived_at: Set(None),
        ..Default::default()
    };
    let indicator = w.insert(row, subject("Indicator", parent.owner)).await?;
    targets::replace(w, indicator.id, &path).await?;
    Ok(indicator)
}

/// Changes an indicator.
pub async fn update(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: IndicatorPatch,
) -> ApiResult<indicator::Model> {
    crate::write::single!(db, viewer, |w| update_in(&w, input))
}

/// [`update`] within a write that others share (an import of many rows).
pub async fn update_in(w: &Write<'_>, input: IndicatorPatch) -> ApiResult<indicator::Model> {
    let viewer = w.viewer;
    require_indicators(viewer)?;
    let before = w
        .visible::<indicator::Entity>(input.id, "indicator")
        .await?;
    let parent = parent::load(w, parent_of(&before)?, false).await?;
    let mut c = <indicator::ActiveModel as Default>::default();
    if let Some(name) = &input.name {
        c.name = Set(validate::title("name", name)?);
    }
    if let Some(v) = input.description {
        c.description = Set(validate::text("description", v)?);
    }
    if let Some(unit) = &input.unit {
        c.unit = Set(validate::title("unit", unit)?);
    }
    if let Some(v) = input.baseline {
        c.baseline = Set(v);
    }
    let baseline_date = input.baseline_date.unwrap_or(before.baseline_date);
    if let Some(v) = input.baseline_date {
        c.baseline_date = Set(v);
    }
    if let Some(v) = input.higher_is_better {
        c.higher_is_better = Set(v);
    }
    let legacy = input.target.is_some() || input.target_date.is_some();
    either_path(input.targets.is_some(), legacy)?;
    let stored = targets::stored(w, before.id).await?;
    let replaced = input.targets.is_some();
    let path = if let Some(listed) = input.targets {
        Given::listed(listed)
    } else if legacy {
        let value = input.target.unwrap_or(before.target);
        let date = input.target_date.unwrap_or(before.target_date);
        final_point_changed(stored.clone(), value, date)?
    } else {
        // Only the baseline may have moved: the stored path must still follow it.
        Given {
            points: stored.clone(),
            field: |_| "baselineDate".to_owned(),
        }
    };
    let points = targets::check(&path, baseline_date, parent.period)?;
    if points != stored {
        targets::replace(w, before.id, &points).await?;
    }
    if !points.is_empty() || !stored.is_empty() || legacy {
        // Without a path, a target without a date (from before paths) stays in its column.
        let (target, target_date) = if points.is_empty() && !replaced {
            (
                input.target.unwrap_or(before.target),
                input.target_date.unwrap_or(before.target_date),
            )
        } else {
            targets::final_columns(&points)
        };
        c.target = Set(target);
        c.target_date = Set(target_date);
    }
    let after = w
        .update(
            &before,
            input.version,
            c,
            Action::Update,
            subject("Indicator", parent.owner),
        )
        .await?;
    Ok(after)
}

/// The path with its final point replaced by `target` at `target_date` (removed when either
/// is cleared), as the fields from before target paths change it.
fn final_point_changed(
    mut points: Vec<Point>,
    value: Option<Decimal>,
    date: Option<NaiveDate>,
) -> ApiResult<Given> {
    points.pop();
    if let (Some(value), Some(date)) = (value, date) {
        if points.last().is_some_and(|p| p.date >= date) {
            return Err(ApiError::bad_input(
                "targetDate",
                "must be after the other targets of the path",
            ));
        }
        points.push(Point { date, value });
    }
    Ok(legacy_point(points))
}

/// One point of a target path, as a row of the workbook gives it.
#[derive(Debug, Clone)]
pub struct NewIndicatorTarget {
    pub indicator_id: i32,
    pub date: NaiveDate,
    pub value: Decimal,
}

/// Sets the value of one point of an indicator's path (added when its date is new), checked
/// with the rest of the path; the indicator's version moves as with any change of its path.
pub async fn put_target_in(w: &Write<'_>, input: NewIndicatorTarget) -> ApiResult<i32> {
    require_indicators(w.viewer)?;
    let before = w
        .referenced::<indicator::Entity>(input.indicator_id, "indicatorId")
        .await?;
    let parent = parent::load(w, parent_of(&before)?, false).await?;
    let mut points = targets::stored(w, before.id).await?;
    points.retain(|p| p.date != input.date);
    points.push(Point {
        date: input.date,
        value: input.value,
    });
    let given = Given {
        points,
        field: |_| "date".to_owned(),
    };
    let points = targets::check(&given, before.baseline_date, parent.period)?;
    targets::replace(w, before.id, &points).await?;
    let (target, target_date) = targets::final_columns(&points);
    let changes = indicator::ActiveModel {
        target: Set(target),
        target_date: Set(target_date),
        ..Default::default()
    };
    w.update(
        &before,
        before.version,
        changes,
        Action::Update,
        subject("Indicator", parent.owner),
    )
    .await?;
    let stored = entity::indicator_target::Entity::find()
        .filter(entity::indicator_target::Column::IndicatorId.eq(before.id))
        .filter(entity::indicator_target::Column::TargetDate.eq(input.date))
        .one(&w.txn)
        .await?
        .ok_or(ApiError::NotFound("indicator target"))?;
    Ok(stored.id)
}

/// The parent of a stored indicator.
fn parent_of(row: &indicator::Model) -> ApiResult<Parent> {
    Parent::of(row).ok_or(ApiError::NotFound("indicator"))
}

/// The indicator `id` of a value, after the write rule of its parent allowed the change.
async fn indicator_to_change(
    w: &Write<'_>,
    row: indicator::Model,
) -> ApiResult<(indicator::Model, i32)> {
    let parent = parent::load(w, parent_of(&row)?, false).await?;
    Ok((row, parent.owner))
}

fn measured_on(w: &Write<'_>, date: chrono::NaiveDate) -> ApiResult<chrono::NaiveDate> {
    if date > w.now.date_naive() {
        return Err(ApiError::bad_input(
            "measuredOn",
            "must not be in the future",
        ));
    }
    Ok(date)
}

/// Records a measured value.
pub async fn record_value(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: NewIndicatorValue,
) -> ApiResult<indicator_value::Model> {
    crate::write::single!(db, viewer, |w| record_value_in(&w, input))
}

/// [`record_value`] within a write that others share (an import of many rows).
pub async fn record_value_in(
    w: &Write<'_>,
    input: NewIndicatorValue,
) -> ApiResult<indicator_value::Model> {
    let viewer = w.viewer;
    require_indicators(viewer)?;
    let indicator = w
        .referenced::<indicator::Entity>(input.indicator_id, "indicatorId")
        .await?;
    let (indicator, owner) = indicator_to_change(w, indicator).await?;
    let row = indicator_value::ActiveModel {
        tenant_id: Set(viewer.tenant_id),
        indicator_id: Set(indicator.id),
        measured_on: Set(measured_on(w, input.measured_on)?),
        value: Set(input.value),
        note: Set(validate::text("note", input.note)?),
        ..Default::default()
    };
    let value = w.insert(row, subject("IndicatorValue", owner)).await?;
    Ok(value)
}

/// Corrects a measured value.
pub async fn update_value(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: IndicatorValuePatch,
) -> ApiResult<indicator_value::Model> {
    crate::write::single!(db, viewer, |w| update_value_in(&w, input))
}

/// [`update_value`] within a write that others share (an import of many rows).
pub async fn update_value_in(
    w: &Write<'_>,
    input: IndicatorValuePatch,
) -> ApiResult<indicator_value::Model> {
    require_indicators(w.viewer)?;
    let before = w
        .visible::<indicator_value::Entity>(input.id, "indicator value")
        .await?;
    let indicator = w
        .visible::<indicator::Entity>(before.indicator_id, "indicator")
        .await?;
    let (_, owner) = indicator_to_change(w, indicator).await?;
    let mut c = <indicator_value::ActiveModel as Default>::default();
    if let Some(date) = input.measured_on {
        c.measured_on = Set(measured_on(w, date)?);
    }
    if let Some(value) = input.value {
        c.value = Set(value);
    }
    if let Some(v) = input.note {
        c.note = Set(validate::text("note", v)?);
    }
    let after = w
        .update(
            &before,
            input.version,
            c,
            Action::Update,
            subject("IndicatorValue", owner),
        )
        .await?;
    Ok(after)
}
