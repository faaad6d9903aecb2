//! Inputs of the indicator mutations: indicators of goals, measures and projects, their
//! target paths and measured values.

use async_graphql::{ID, InputObject, MaybeUndefined};
use rust_decimal::Decimal;

use super::command::{change, change_as_is, kept, optional_id};
use crate::{
    error::{ApiError, ApiResult},
    graphql::{enums::IndicatorDirection, id, scalar::Date},
};
use service::indicator::{
    IndicatorPatch, IndicatorValuePatch, NewIndicator, NewIndicatorValue, Parent, Point,
};

/// A point of a target path.
#[derive(InputObject)]
pub struct IndicatorTargetInput {
    /// The date by which the value should be reached: not before the baseline date, within
    /// the parent's period (the strategy's period, the measure's start and due date, the
    /// project's start and end date, where set), each date once.
    pub date: Date,
    /// The value to reach, in the indicator's unit.
    pub value: Decimal,
}

fn path(targets: Option<Vec<IndicatorTargetInput>>) -> Option<Vec<Point>> {
    targets.map(|targets| {
        targets
            .into_iter()
            .map(|t| Point {
                date: t.date.0,
                value: t.value,
            })
            .collect()
    })
}

/// A new indicator (KPI) of a goal (central IT), or of a measure or a project (central IT
/// and the department that owns it).
#[derive(InputObject)]
pub struct CreateIndicatorInput {
    /// The goal it measures (exactly one of `goalId`, `measureId` and `projectId`).
    pub goal_id: Option<ID>,
    /// The measure it measures (exactly one of `goalId`, `measureId` and `projectId`).
    pub measure_id: Option<ID>,
    /// The project it measures (exactly one of `goalId`, `measureId` and `projectId`).
    pub project_id: Option<ID>,
    /// Name, e.g. "Online verfügbare Verwaltungsleistungen" (at most 300 characters).
    pub name: String,
    /// How the indicator is measured (at most 20,000 characters).
    pub description: Option<String>,
    /// Unit of the values, e.g. "%".
    pub unit: String,
    /// Value at the start, in the indicator's unit: where the target path begins.
    pub baseline: Option<Decimal>,
    /// When the baseline was measured.
    pub baseline_date: Option<Date>,
    /// The final value to reach; with `targetDate` the path's only point.
    #[graphql(deprecation = "Use `targets`.")]
    pub target: Option<Decimal>,
    /// When the final target should be reached.
    #[graphql(deprecation = "Use `targets`.")]
    pub target_date: Option<Date>,
    /// The target path: a value to reach by each date (instead of `target` and `targetDate`).
    pub targets: Option<Vec<IndicatorTargetInput>>,
    /// Whether larger values are better (default true); `direction` says the same and wins.
    #[graphql(default = true)]
    pub higher_is_better: bool,
    /// Whether higher or lower values are better (default: as `higherIsBetter`).
    pub direction: Option<IndicatorDirection>,
}

/// Changes to an indicator (who may: as for `createIndicator`).
#[derive(InputObject)]
pub struct UpdateIndicatorInput {
    /// The indicator.
    pub id: ID,
    /// The `version` the indicator was read at.
    pub version: i32,
    /// Name (at most 300 characters).
    pub name: MaybeUndefined<String>,
    /// How the indicator is measured (at most 20,000 characters).
    pub description: MaybeUndefined<String>,
    /// Unit of the values, e.g. "%" (at most 300 characters).
    pub unit: MaybeUndefined<String>,
    /// Value at the start, in the indicator's unit.
    pub baseline: MaybeUndefined<Decimal>,
    /// When the baseline was measured (not after the first target).
    pub baseline_date: MaybeUndefined<Date>,
    /// The final value to reach: changes the last point of the path (null removes it).
    #[graphql(deprecation = "Use `targets`.")]
    pub target: MaybeUndefined<Decimal>,
    /// When the final target should be reached: moves the last point of the path.
    #[graphql(deprecation = "Use `targets`.")]
    pub target_date: MaybeUndefined<Date>,
    /// The whole new target path (an empty list removes it), in place of the old.
    pub targets: Option<Vec<IndicatorTargetInput>>,
    /// Whether larger values are better.
    pub higher_is_better: MaybeUndefined<bool>,
    /// Whether higher or lower values are better (must agree with `higherIsBetter` when both
    /// are given).
    pub direction: MaybeUndefined<IndicatorDirection>,
}

/// A measured value of an indicator (who may: as for `createIndicator`).
#[derive(InputObject)]
pub struct RecordIndicatorValueInput {
    /// The indicator.
    pub indicator_id: ID,
    /// When it was measured (not in the future).
    pub measured_on: Date,
    /// The value, in the indicator's unit.
    pub value: Decimal,
    /// Remark on the measurement (at most 20,000 characters).
    pub note: Option<String>,
}

/// A correction of a measured value (who may: as for `createIndicator`).
#[derive(InputObject)]
pub struct UpdateIndicatorValueInput {
    /// The value.
    pub id: ID,
    /// The `version` the value was read at.
    pub version: i32,
    /// When it was measured (not in the future).
    pub measured_on: MaybeUndefined<Date>,
    /// The value, in the indicator's unit.
    pub value: MaybeUndefined<Decimal>,
    /// Remark on the measurement (at most 20,000 characters).
    pub note: MaybeUndefined<String>,
}

/// Exactly one of `goalId`, `measureId` and `projectId`.
fn parent(input: &CreateIndicatorInput) -> ApiResult<Parent> {
    let goal = optional_id(input.goal_id.as_ref(), "Goal", "goalId")?.map(Parent::Goal);
    let measure =
        optional_id(input.measure_id.as_ref(), "Measure", "measureId")?.map(Parent::Measure);
    let project =
        optional_id(input.project_id.as_ref(), "Project", "projectId")?.map(Parent::Project);
    let mut given = [goal, measure, project].into_iter().flatten();
    let first = given.next().ok_or_else(|| {
        ApiError::bad_input("goalId", "give one of goalId, measureId and projectId")
    })?;
    if let Some(second) = given.next() {
        return Err(ApiError::bad_input(
            second.field(),
            format!(
                "an indicator has one parent: {} is given already",
                first.field()
            ),
        ));
    }
    Ok(first)
}

impl TryFrom<CreateIndicatorInput> for NewIndicator {
    type Error = ApiError;

    fn try_from(input: CreateIndicatorInput) -> ApiResult<Self> {
        Ok(Self {
            parent: parent(&input)?,
            name: input.name,
            description: input.description,
            unit: input.unit,
            baseline: input.baseline,
            baseline_date: input.baseline_date.map(|d| d.0),
            target: input.target,
            target_date: input.target_date.map(|d| d.0),
            targets: path(input.targets),
            higher_is_better: input
                .direction
                .map_or(input.higher_is_better, IndicatorDirection::higher_is_better),
        })
    }
}

/// `higherIsBetter` and `direction` as one change: both given must agree.
fn higher_is_better(
    higher: MaybeUndefined<bool>,
    direction: MaybeUndefined<IndicatorDirection>,
) -> ApiResult<Option<bool>> {
    let higher = kept(higher, "higherIsBetter")?;
    let direction = kept(direction, "direction")?.map(IndicatorDirection::higher_is_better);
    match (higher, direction) {
        (Some(a), Some(b)) if a != b => Err(ApiError::bad_input(
            "direction",
            "contradicts higherIsBetter: give one of them",
        )),
        (a, b) => Ok(b.or(a)),
    }
}

impl TryFrom<UpdateIndicatorInput> for IndicatorPatch {
    type Error = ApiError;

    fn try_from(input: UpdateIndicatorInput) -> ApiResult<Self> {
        Ok(Self {
            id: id::decode(&input.id, "Indicator", "id")?,
            version: input.version,
            name: kept(input.name, "name")?,
            description: change_as_is(input.description),
            unit: kept(input.unit, "unit")?,
            baseline: change_as_is(input.baseline),
            baseline_date: change(input.baseline_date, |d| d.0),
            target: change_as_is(input.target),
            target_date: change(input.target_date, |d| d.0),
            targets: path(input.targets),
            higher_is_better: higher_is_better(input.higher_is_better, input.direction)?,
        })
    }
}

impl TryFrom<RecordIndicatorValueInput> for NewIndicatorValue {
    type Error = ApiError;

    fn try_from(input: RecordIndicatorValueInput) -> ApiResult<Self> {
        Ok(Self {
            indicator_id: id::decode(&input.indicator_id, "Indicator", "indicatorId")?,
            measured_on: input.measured_on.0,
            value: input.value,
            note: input.note,
        })
    }
}

impl TryFrom<UpdateIndicatorValueInput> for IndicatorValuePatch {
    type Error = ApiError;

    fn try_from(input: UpdateIndicatorValueInput) -> ApiResult<Self> {
        Ok(Self {
            id: id::decode(&input.id, "IndicatorValue", "id")?,
            version: input.version,
            measured_on: kept(input.measured_on, "measuredOn")?.map(|d| d.0),
            value: kept(input.value, "value")?,
            note: change_as_is(input.note),
        })
    }
}
