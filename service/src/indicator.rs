//! Indicators (KPIs) of goals and their measured values (central IT).

use chrono::NaiveDate;
use entity::{goal, indicator, indicator_value};
use rust_decimal::Decimal;
use sea_orm::{ActiveValue::Set, DatabaseConnection};

use crate::{
    audit::Action,
    error::{ApiError, ApiResult},
    strategy::{require_steering, subject},
    validate,
    viewer::Viewer,
    write::{Change, Write},
};

/// A new indicator (KPI) of a goal.
#[derive(Debug, Clone)]
pub struct NewIndicator {
    pub goal_id: i32,
    pub name: String,
    pub description: Option<String>,
    pub unit: String,
    pub baseline: Option<Decimal>,
    pub baseline_date: Option<NaiveDate>,
    pub target: Option<Decimal>,
    pub target_date: Option<NaiveDate>,
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
    pub target: Change<Decimal>,
    pub target_date: Change<NaiveDate>,
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

/// Creates an indicator of a goal.
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
    require_steering(viewer)?;
    let goal = w
        .referenced::<goal::Entity>(input.goal_id, "goalId")
        .await?;
    let row = indicator::ActiveModel {
        tenant_id: Set(viewer.tenant_id),
        goal_id: Set(goal.id),
        name: Set(validate::title("name", &input.name)?),
        description: Set(validate::text("description", input.description)?),
        unit: Set(validate::title("unit", &input.unit)?),
        baseline: Set(input.baseline),
        baseline_date: Set(input.baseline_date),
        target: Set(input.target),
        target_date: Set(input.target_date),
        higher_is_better: Set(input.higher_is_better),
        archived_at: Set(None),
        ..Default::default()
    };
    let indicator = w
        .insert(row, subject("Indicator", goal.org_unit_id))
        .await?;
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
    require_steering(viewer)?;
    let before = w
        .visible::<indicator::Entity>(input.id, "indicator")
        .await?;
    let goal = w.visible::<goal::Entity>(before.goal_id, "goal").await?;
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
    if let Some(v) = input.baseline_date {
        c.baseline_date = Set(v);
    }
    if let Some(v) = input.target {
        c.target = Set(v);
    }
    if let Some(v) = input.target_date {
        c.target_date = Set(v);
    }
    if let Some(v) = input.higher_is_better {
        c.higher_is_better = Set(v);
    }
    let after = w
        .update(
            &before,
            input.version,
            c,
            Action::Update,
            subject("Indicator", goal.org_unit_id),
        )
        .await?;
    Ok(after)
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
    require_steering(viewer)?;
    let indicator = w
        .referenced::<indicator::Entity>(input.indicator_id, "indicatorId")
        .await?;
    let goal = w.visible::<goal::Entity>(indicator.goal_id, "goal").await?;
    let row = indicator_value::ActiveModel {
        tenant_id: Set(viewer.tenant_id),
        indicator_id: Set(indicator.id),
        measured_on: Set(measured_on(w, input.measured_on)?),
        value: Set(input.value),
        note: Set(validate::text("note", input.note)?),
        ..Default::default()
    };
    let value = w
        .insert(row, subject("IndicatorValue", goal.org_unit_id))
        .await?;
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
    let viewer = w.viewer;
    require_steering(viewer)?;
    let before = w
        .visible::<indicator_value::Entity>(input.id, "indicator value")
        .await?;
    let indicator = w
        .visible::<indicator::Entity>(before.indicator_id, "indicator")
        .await?;
    let goal = w.visible::<goal::Entity>(indicator.goal_id, "goal").await?;
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
            subject("IndicatorValue", goal.org_unit_id),
        )
        .await?;
    Ok(after)
}
