//! Inputs of the strategy mutations: strategy versions, goals, indicators and their values.

use async_graphql::{ID, InputObject, MaybeUndefined};
use rust_decimal::Decimal;

use crate::graphql::{
    enums::{Status, StrategyStatus, Visibility},
    scalar::Date,
};

/// A new strategy (central IT).
#[derive(InputObject)]
pub struct CreateStrategyInput {
    /// Title, e.g. "Digitale Strategie der Stadt Aachen".
    pub title: String,
    pub description: Option<String>,
    /// The unit maintaining it.
    pub org_unit_id: ID,
    /// First day of the period covered.
    pub period_start: Date,
    /// Last day of the period covered (not before the start).
    pub period_end: Date,
    /// Who may read it (default: administration only).
    #[graphql(default_with = "Visibility::Internal")]
    pub visibility: Visibility,
}

/// Changes to a strategy (central IT). Adopting a version supersedes the adopted one.
#[derive(InputObject)]
pub struct UpdateStrategyInput {
    /// The strategy.
    pub id: ID,
    /// The `version` the strategy was read at.
    pub version: i32,
    pub title: Option<String>,
    pub description: MaybeUndefined<String>,
    pub org_unit_id: Option<ID>,
    pub period_start: Option<Date>,
    pub period_end: Option<Date>,
    pub status: Option<StrategyStatus>,
    /// When the council adopted it (default: today, when the status becomes ADOPTED).
    pub adopted_on: MaybeUndefined<Date>,
    pub visibility: Option<Visibility>,
}

/// A new version of a strategy: a draft copying its goals (with their indicators) and the
/// links of its measures to them (central IT).
#[derive(InputObject)]
pub struct CreateStrategyVersionInput {
    /// The version to start from.
    pub strategy_id: ID,
    /// Title of the new version (default: the old one's).
    pub title: Option<String>,
    /// Period of the new version (default: the old one's).
    pub period_start: Option<Date>,
    pub period_end: Option<Date>,
}

/// A new goal (central IT).
#[derive(InputObject)]
pub struct CreateGoalInput {
    /// The strategy version it belongs to.
    pub strategy_id: ID,
    /// The goal above it, of the same strategy.
    pub parent_id: Option<ID>,
    /// The unit responsible.
    pub org_unit_id: ID,
    /// Code, e.g. "Z2.1".
    pub code: String,
    pub title: String,
    pub description: Option<String>,
    /// Life-cycle state (default: planned).
    #[graphql(default_with = "Status::Planned")]
    pub status: Status,
    /// Who may read it (default: administration only).
    #[graphql(default_with = "Visibility::Internal")]
    pub visibility: Visibility,
    /// Sort position among its siblings.
    #[graphql(default)]
    pub position: i32,
}

/// Changes to a goal (central IT).
#[derive(InputObject)]
pub struct UpdateGoalInput {
    /// The goal.
    pub id: ID,
    /// The `version` the goal was read at.
    pub version: i32,
    /// Moves it below another goal of the same strategy; `null` makes it top-level.
    pub parent_id: MaybeUndefined<ID>,
    pub org_unit_id: Option<ID>,
    pub code: Option<String>,
    pub title: Option<String>,
    pub description: MaybeUndefined<String>,
    pub status: Option<Status>,
    pub visibility: Option<Visibility>,
    pub position: Option<i32>,
}

/// A new indicator (KPI) of a goal (central IT).
#[derive(InputObject)]
pub struct CreateIndicatorInput {
    /// The goal it measures.
    pub goal_id: ID,
    pub name: String,
    pub description: Option<String>,
    /// Unit of the values, e.g. "%".
    pub unit: String,
    pub baseline: Option<Decimal>,
    pub baseline_date: Option<Date>,
    pub target: Option<Decimal>,
    pub target_date: Option<Date>,
    /// Whether larger values are better (default true).
    #[graphql(default = true)]
    pub higher_is_better: bool,
}

/// Changes to an indicator (central IT).
#[derive(InputObject)]
pub struct UpdateIndicatorInput {
    /// The indicator.
    pub id: ID,
    /// The `version` the indicator was read at.
    pub version: i32,
    pub name: Option<String>,
    pub description: MaybeUndefined<String>,
    pub unit: Option<String>,
    pub baseline: MaybeUndefined<Decimal>,
    pub baseline_date: MaybeUndefined<Date>,
    pub target: MaybeUndefined<Decimal>,
    pub target_date: MaybeUndefined<Date>,
    pub higher_is_better: Option<bool>,
}

/// A measured value of an indicator (central IT).
#[derive(InputObject)]
pub struct RecordIndicatorValueInput {
    /// The indicator.
    pub indicator_id: ID,
    /// When it was measured (not in the future).
    pub measured_on: Date,
    /// The value, in the indicator's unit.
    pub value: Decimal,
    pub note: Option<String>,
}

/// A correction of a measured value (central IT).
#[derive(InputObject)]
pub struct UpdateIndicatorValueInput {
    /// The value.
    pub id: ID,
    /// The `version` the value was read at.
    pub version: i32,
    pub measured_on: Option<Date>,
    pub value: Option<Decimal>,
    pub note: MaybeUndefined<String>,
}

/// Archives (or restores) a row: archived rows keep their history and can be restored.
#[derive(InputObject)]
pub struct ArchiveInput {
    /// An org unit, strategy, goal, indicator, measure, project, sub-project or milestone.
    pub id: ID,
    /// The `version` the row was read at.
    pub version: i32,
}
