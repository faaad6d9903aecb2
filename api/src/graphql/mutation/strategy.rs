//! The organisation and the strategy: org units, strategy versions, goals, indicators and
//! their values, archiving and restoring (central IT).

use async_graphql::{Context, Object, SimpleObject};

use crate::error::{Result, or_null};

use crate::{
    error::ApiError,
    graphql::input::parsed::Parsed,
    graphql::{
        context::scope,
        id,
        input::{
            indicator::*,
            org_unit::{CreateOrgUnitInput, UpdateOrgUnitInput},
            strategy::*,
        },
        object::{
            Goal, Indicator, IndicatorValue, Node, OrgUnit, Strategy, indicator::parent_indicator,
        },
        query::node,
    },
};

#[derive(Default)]
pub struct StrategyMutation;

macro_rules! payload {
    ($($(#[$doc:meta])* $name:ident { $($(#[$field_doc:meta])* $field:ident: $ty:ty),+ })+) => {$(
        $(#[$doc])*
        #[derive(SimpleObject)]
        pub struct $name {
            $($(#[$field_doc])* pub $field: $ty,)+
        }
    )+};
}

payload! {
    /// The org unit created.
    CreateOrgUnitPayload {
        /// The new org unit.
        org_unit: OrgUnit
    }
    /// The org unit as changed.
    UpdateOrgUnitPayload {
        /// The org unit after the change.
        org_unit: OrgUnit
    }
    /// The strategy created.
    CreateStrategyPayload {
        /// The new strategy, a draft of revision 1.
        strategy: Strategy
    }
    /// The strategy as changed.
    UpdateStrategyPayload {
        /// The strategy after the change.
        strategy: Strategy
    }
    /// The new draft version.
    CreateStrategyVersionPayload {
        /// The new draft version; its `predecessor` is the version it started from.
        strategy: Strategy
    }
    /// The goal created.
    CreateGoalPayload {
        /// The new goal.
        goal: Goal
    }
    /// The goal as changed.
    UpdateGoalPayload {
        /// The goal after the change.
        goal: Goal
    }
    /// The indicator created.
    CreateIndicatorPayload {
        /// The new indicator.
        indicator: Indicator
    }
    /// The indicator as changed.
    UpdateIndicatorPayload {
        /// The indicator after the change.
        indicator: Indicator
    }
    /// The value recorded.
    RecordIndicatorValuePayload {
        /// The new value.
        indicator_value: IndicatorValue,
        /// The indicator, with its latest value and history as changed.
        indicator: Indicator
    }
    /// The value as corrected.
    UpdateIndicatorValuePayload {
        /// The value after the correction.
        indicator_value: IndicatorValue,
        /// The indicator, with its latest value and history as changed.
        indicator: Indicator
    }
    /// The row archived or restored.
    ArchivePayload {
        /// The row after the change (`archivedAt` set when archived, null when restored).
        node: Node
    }
}

#[Object]
impl StrategyMutation {
    /// Creates an org unit (central IT).
    async fn create_org_unit(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The unit to create.")] input: Parsed<CreateOrgUnitInput>,
    ) -> Option<CreateOrgUnitPayload> {
        or_null(ctx, async {
            let input = input.read()?;
            let s = scope(ctx)?;
            Ok(CreateOrgUnitPayload {
                org_unit: OrgUnit(
                    service::org_unit::create(&s.db, &s.viewer, input.try_into()?).await?,
                ),
            })
        })
        .await
    }

    /// Changes or moves an org unit (central IT).
    async fn update_org_unit(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The unit, the version it was read at and the changes.")] input: Parsed<
            UpdateOrgUnitInput,
        >,
    ) -> Option<UpdateOrgUnitPayload> {
        or_null(ctx, async {
            let input = input.read()?;
            let s = scope(ctx)?;
            Ok(UpdateOrgUnitPayload {
                org_unit: OrgUnit(
                    service::org_unit::update(&s.db, &s.viewer, input.try_into()?).await?,
                ),
            })
        })
        .await
    }

    /// Creates a strategy, as a draft of revision 1 (central IT).
    async fn create_strategy(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The strategy to create.")] input: Parsed<CreateStrategyInput>,
    ) -> Option<CreateStrategyPayload> {
        or_null(ctx, async {
            let input = input.read()?;
            let s = scope(ctx)?;
            Ok(CreateStrategyPayload {
                strategy: Strategy(
                    service::strategy::create(&s.db, &s.viewer, input.try_into()?).await?,
                ),
            })
        })
        .await
    }

    /// Changes a strategy; adopting a version supersedes the one adopted before (central IT).
    async fn update_strategy(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The strategy, the version it was read at and the changes.")]
        input: Parsed<UpdateStrategyInput>,
    ) -> Option<UpdateStrategyPayload> {
        or_null(ctx, async {
            let input = input.read()?;
            let s = scope(ctx)?;
            Ok(UpdateStrategyPayload {
                strategy: Strategy(
                    service::strategy::update(&s.db, &s.viewer, input.try_into()?).await?,
                ),
            })
        })
        .await
    }

    /// Starts a new version of a strategy, copying its goals, indicators and measure links
    /// (central IT).
    async fn create_strategy_version(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The version to start from, and the new one's title and period.")]
        input: Parsed<CreateStrategyVersionInput>,
    ) -> Option<CreateStrategyVersionPayload> {
        or_null(ctx, async {
            let input = input.read()?;
            let s = scope(ctx)?;
            Ok(CreateStrategyVersionPayload {
                strategy: Strategy(
                    service::strategy::new_version(&s.db, &s.viewer, input.try_into()?).await?,
                ),
            })
        })
        .await
    }

    /// Creates a goal (central IT).
    async fn create_goal(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The goal to create.")] input: Parsed<CreateGoalInput>,
    ) -> Option<CreateGoalPayload> {
        or_null(ctx, async {
            let input = input.read()?;
            let s = scope(ctx)?;
            Ok(CreateGoalPayload {
                goal: Goal(service::goal::create(&s.db, &s.viewer, input.try_into()?).await?),
            })
        })
        .await
    }

    /// Changes or moves a goal (central IT).
    async fn update_goal(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The goal, the version it was read at and the changes.")] input: Parsed<
            UpdateGoalInput,
        >,
    ) -> Option<UpdateGoalPayload> {
        or_null(ctx, async {
            let input = input.read()?;
            let s = scope(ctx)?;
            Ok(UpdateGoalPayload {
                goal: Goal(service::goal::update(&s.db, &s.viewer, input.try_into()?).await?),
            })
        })
        .await
    }

    /// Creates an indicator (KPI) of a goal (central IT), a measure or a project (central IT
    /// and the department that owns it), with its target path.
    async fn create_indicator(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The indicator to create.")] input: Parsed<CreateIndicatorInput>,
    ) -> Option<CreateIndicatorPayload> {
        or_null(ctx, async {
            let input = input.read()?;
            let s = scope(ctx)?;
            Ok(CreateIndicatorPayload {
                indicator: Indicator(
                    service::indicator::create(&s.db, &s.viewer, input.try_into()?).await?,
                ),
            })
        })
        .await
    }

    /// Changes an indicator; `targets` replaces its whole target path (who may: as for
    /// `createIndicator`).
    async fn update_indicator(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The indicator, the version it was read at and the changes.")]
        input: Parsed<UpdateIndicatorInput>,
    ) -> Option<UpdateIndicatorPayload> {
        or_null(ctx, async {
            let input = input.read()?;
            let s = scope(ctx)?;
            Ok(UpdateIndicatorPayload {
                indicator: Indicator(
                    service::indicator::update(&s.db, &s.viewer, input.try_into()?).await?,
                ),
            })
        })
        .await
    }

    /// Records a measured value of an indicator (who may: as for `createIndicator`).
    async fn record_indicator_value(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The value to record.")] input: Parsed<RecordIndicatorValueInput>,
    ) -> Option<RecordIndicatorValuePayload> {
        or_null(ctx, async {
            let input = input.read()?;
            let s = scope(ctx)?;
            let value =
                service::indicator::record_value(&s.db, &s.viewer, input.try_into()?).await?;
            Ok(RecordIndicatorValuePayload {
                indicator: parent_indicator(ctx, value.indicator_id).await?,
                indicator_value: IndicatorValue(value),
            })
        })
        .await
    }

    /// Corrects a measured value (who may: as for `createIndicator`).
    async fn update_indicator_value(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The value, the version it was read at and the corrections.")]
        input: Parsed<UpdateIndicatorValueInput>,
    ) -> Option<UpdateIndicatorValuePayload> {
        or_null(ctx, async {
            let input = input.read()?;
            let s = scope(ctx)?;
            let value =
                service::indicator::update_value(&s.db, &s.viewer, input.try_into()?).await?;
            Ok(UpdateIndicatorValuePayload {
                indicator: parent_indicator(ctx, value.indicator_id).await?,
                indicator_value: IndicatorValue(value),
            })
        })
        .await
    }

    /// Archives an org unit, strategy, goal, indicator, measure, project, sub-project or
    /// milestone: it disappears for everyone but central IT and can be restored.
    async fn archive(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The row to archive and the version it was read at.")] input: Parsed<
            ArchiveInput,
        >,
    ) -> Option<ArchivePayload> {
        or_null(ctx, async { toggled(ctx, input.read()?, true).await }).await
    }

    /// Restores an archived row (central IT).
    async fn restore(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The row to restore and the version it was read at.")] input: Parsed<
            ArchiveInput,
        >,
    ) -> Option<ArchivePayload> {
        or_null(ctx, async { toggled(ctx, input.read()?, false).await }).await
    }
}

async fn toggled(ctx: &Context<'_>, input: ArchiveInput, archive: bool) -> Result<ArchivePayload> {
    let s = scope(ctx)?;
    let done = service::archive::set_archived(&s.db, &s.viewer, input.try_into()?, archive).await?;
    let node = node::load(s, &id::encode(done.kind, done.id), "id")
        .await?
        .ok_or(ApiError::NotFound("node"))?;
    Ok(ArchivePayload { node })
}
