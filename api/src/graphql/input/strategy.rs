//! Inputs of the strategy mutations: strategy versions and goals (indicators: `indicator.rs`).

use async_graphql::{ID, InputObject, MaybeUndefined};
use entity::strategy;
use rust_decimal::Decimal;

use super::command::{change, change_as_is, change_id, kept, optional_id};
use crate::{
    error::{ApiError, ApiResult},
    graphql::{
        enums::{Status, StrategyStatus, Visibility},
        id,
        scalar::Date,
    },
};
use service::{
    archive::ArchiveTarget,
    goal::{GoalPatch, NewGoal},
    strategy::{NewStrategy, NewStrategyVersion, StrategyPatch},
};

/// A new strategy (central IT).
#[derive(InputObject)]
pub struct CreateStrategyInput {
    /// Title, e.g. "Digitale Strategie der Stadt Aachen".
    pub title: String,
    /// What the strategy is about (at most 20,000 characters).
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
    /// Title (at most 300 characters).
    pub title: MaybeUndefined<String>,
    /// What the strategy is about (at most 20,000 characters).
    pub description: MaybeUndefined<String>,
    /// Hands the strategy to another unit to maintain.
    pub org_unit_id: MaybeUndefined<ID>,
    /// First day of the period covered.
    pub period_start: MaybeUndefined<Date>,
    /// Last day of the period covered (not before the start).
    pub period_end: MaybeUndefined<Date>,
    /// Draft, adopted or superseded; adopting this version supersedes the one adopted before.
    pub status: MaybeUndefined<StrategyStatus>,
    /// When the council adopted it (default: today, when the status becomes ADOPTED).
    pub adopted_on: MaybeUndefined<Date>,
    /// Who may read it.
    pub visibility: MaybeUndefined<Visibility>,
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
    /// Last day of the new version's period (default: the old one's; not before the start).
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
    /// Title (at most 300 characters).
    pub title: String,
    /// What the goal means (at most 20,000 characters).
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
    /// Weight in the parent's roll-up when the tenant weighs by `WEIGHT`: 0 (counts for
    /// nothing) to 1000, at most two decimals (default 1).
    pub weight: Option<Decimal>,
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
    /// Moves the responsibility to another org unit.
    pub org_unit_id: MaybeUndefined<ID>,
    /// Code, e.g. "Z2.1" (at most 300 characters).
    pub code: MaybeUndefined<String>,
    /// Title (at most 300 characters).
    pub title: MaybeUndefined<String>,
    /// What the goal means (at most 20,000 characters).
    pub description: MaybeUndefined<String>,
    /// Life-cycle state.
    pub status: MaybeUndefined<Status>,
    /// Who may read it.
    pub visibility: MaybeUndefined<Visibility>,
    /// Sort position among its siblings.
    pub position: MaybeUndefined<i32>,
    /// Weight in the parent's roll-up when the tenant weighs by `WEIGHT`: 0 (counts for
    /// nothing) to 1000, at most two decimals.
    pub weight: MaybeUndefined<Decimal>,
}

/// Archives (or restores) a row: archived rows keep their history and can be restored.
#[derive(InputObject)]
pub struct ArchiveInput {
    /// An org unit, strategy, goal, indicator, measure, project, sub-project or milestone.
    pub id: ID,
    /// The `version` the row was read at.
    pub version: i32,
}

impl TryFrom<CreateStrategyInput> for NewStrategy {
    type Error = ApiError;

    fn try_from(input: CreateStrategyInput) -> ApiResult<Self> {
        Ok(Self {
            org_unit_id: id::decode(&input.org_unit_id, "OrgUnit", "orgUnitId")?,
            title: input.title,
            description: input.description,
            period_start: input.period_start.0,
            period_end: input.period_end.0,
            visibility: input.visibility.into(),
        })
    }
}

impl TryFrom<UpdateStrategyInput> for StrategyPatch {
    type Error = ApiError;

    fn try_from(input: UpdateStrategyInput) -> ApiResult<Self> {
        Ok(Self {
            id: id::decode(&input.id, "Strategy", "id")?,
            version: input.version,
            org_unit_id: optional_id(
                kept(input.org_unit_id, "orgUnitId")?.as_ref(),
                "OrgUnit",
                "orgUnitId",
            )?,
            title: kept(input.title, "title")?,
            description: change_as_is(input.description),
            period_start: kept(input.period_start, "periodStart")?.map(|d| d.0),
            period_end: kept(input.period_end, "periodEnd")?.map(|d| d.0),
            status: kept(input.status, "status")?.map(Into::into),
            adopted_on: change(input.adopted_on, |d| d.0),
            visibility: kept(input.visibility, "visibility")?.map(Into::into),
        })
    }
}

impl TryFrom<CreateStrategyVersionInput> for NewStrategyVersion {
    type Error = ApiError;

    fn try_from(input: CreateStrategyVersionInput) -> ApiResult<Self> {
        Ok(Self {
            strategy_id: id::decode(&input.strategy_id, "Strategy", "strategyId")?,
            title: input.title,
            period_start: input.period_start.map(|d| d.0),
            period_end: input.period_end.map(|d| d.0),
        })
    }
}

impl TryFrom<CreateGoalInput> for NewGoal {
    type Error = ApiError;

    fn try_from(input: CreateGoalInput) -> ApiResult<Self> {
        Ok(Self {
            strategy_id: id::decode(&input.strategy_id, "Strategy", "strategyId")?,
            parent_id: optional_id(input.parent_id.as_ref(), "Goal", "parentId")?,
            org_unit_id: id::decode(&input.org_unit_id, "OrgUnit", "orgUnitId")?,
            code: input.code,
            title: input.title,
            description: input.description,
            status: input.status.into(),
            visibility: input.visibility.into(),
            position: input.position,
            weight: input.weight,
        })
    }
}

impl TryFrom<UpdateGoalInput> for GoalPatch {
    type Error = ApiError;

    fn try_from(input: UpdateGoalInput) -> ApiResult<Self> {
        Ok(Self {
            id: id::decode(&input.id, "Goal", "id")?,
            version: input.version,
            parent_id: change_id(input.parent_id, "Goal", "parentId")?,
            org_unit_id: optional_id(
                kept(input.org_unit_id, "orgUnitId")?.as_ref(),
                "OrgUnit",
                "orgUnitId",
            )?,
            code: kept(input.code, "code")?,
            title: kept(input.title, "title")?,
            description: change_as_is(input.description),
            status: kept(input.status, "status")?.map(Into::into),
            visibility: kept(input.visibility, "visibility")?.map(Into::into),
            position: kept(input.position, "position")?,
            weight: kept(input.weight, "weight")?,
        })
    }
}

impl TryFrom<ArchiveInput> for ArchiveTarget {
    type Error = ApiError;

    fn try_from(input: ArchiveInput) -> ApiResult<Self> {
        let (kind, id) = id::decode_any(&input.id, "id")?;
        Ok(Self {
            kind,
            id,
            version: input.version,
        })
    }
}

order_input! {
    /// Sort order of `strategies` (default: newest period first, then by revision).
    StrategyOrder, StrategyOrderField on strategy {
        /// Start of the period the strategy covers.
        PeriodStart => PeriodStart,
        /// Title.
        Title => Title,
        /// Revision number.
        Revision => Revision,
        /// The day it was adopted.
        AdoptedOn => AdoptedOn,
        /// Last change.
        UpdatedAt => UpdatedAt,
    }
}
