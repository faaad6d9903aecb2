//! The organisation and the strategy: org units, strategy versions, goals, indicators and
//! their values, archiving and restoring (central IT).

use async_graphql::{Context, Object, SimpleObject};

use crate::error::Result;

use crate::{
    error::ApiError,
    graphql::{
        context::scope,
        id,
        input::{
            org_unit::{CreateOrgUnitInput, UpdateOrgUnitInput},
            strategy::*,
        },
        object::{Goal, Indicator, IndicatorValue, Node, OrgUnit, Strategy},
        query::node,
    },
};

#[derive(Default)]
pub struct StrategyMutation;

macro_rules! payload {
    ($($(#[$doc:meta])* $name:ident { $field:ident: $ty:ty })+) => {$(
        $(#[$doc])*
        #[derive(SimpleObject)]
        pub struct $name {
            pub $field: $ty,
        }
    )+};
}

payload! {
    /// The org unit created.
    CreateOrgUnitPayload { org_unit: OrgUnit }
    /// The org unit as changed.
    UpdateOrgUnitPayload { org_unit: OrgUnit }
    /// The strategy created.
    CreateStrategyPayload { strategy: Strategy }
    /// The strategy as changed.
    UpdateStrategyPayload { strategy: Strategy }
    /// The new draft version.
    CreateStrategyVersionPayload { strategy: Strategy }
    /// The goal created.
    CreateGoalPayload { goal: Goal }
    /// The goal as changed.
    UpdateGoalPayload { goal: Goal }
    /// The indicator created.
    CreateIndicatorPayload { indicator: Indicator }
    /// The indicator as changed.
    UpdateIndicatorPayload { indicator: Indicator }
    /// The value recorded.
    RecordIndicatorValuePayload { indicator_value: IndicatorValue }
    /// The value as corrected.
    UpdateIndicatorValuePayload { indicator_value: IndicatorValue }
    /// The row archived or restored.
    ArchivePayload { node: Node }
}

#[Object]
impl StrategyMutation {
    /// Creates an org unit (central IT).
    async fn create_org_unit(
        &self,
        ctx: &Context<'_>,
        input: CreateOrgUnitInput,
    ) -> Result<CreateOrgUnitPayload> {
        let s = scope(ctx)?;
        Ok(CreateOrgUnitPayload {
            org_unit: OrgUnit(
                service::org_unit::create(&s.db, &s.viewer, input.try_into()?).await?,
            ),
        })
    }

    /// Changes or moves an org unit (central IT).
    async fn update_org_unit(
        &self,
        ctx: &Context<'_>,
        input: UpdateOrgUnitInput,
    ) -> Result<UpdateOrgUnitPayload> {
        let s = scope(ctx)?;
        Ok(UpdateOrgUnitPayload {
            org_unit: OrgUnit(
                service::org_unit::update(&s.db, &s.viewer, input.try_into()?).await?,
            ),
        })
    }

    /// Creates a strategy, as a draft of revision 1 (central IT).
    async fn create_strategy(
        &self,
        ctx: &Context<'_>,
        input: CreateStrategyInput,
    ) -> Result<CreateStrategyPayload> {
        let s = scope(ctx)?;
        Ok(CreateStrategyPayload {
            strategy: Strategy(
                service::strategy::create(&s.db, &s.viewer, input.try_into()?).await?,
            ),
        })
    }

    /// Changes a strategy; adopting a version supersedes the one adopted before (central IT).
    async fn update_strategy(
        &self,
        ctx: &Context<'_>,
        input: UpdateStrategyInput,
    ) -> Result<UpdateStrategyPayload> {
        let s = scope(ctx)?;
        Ok(UpdateStrategyPayload {
            strategy: Strategy(
                service::strategy::update(&s.db, &s.viewer, input.try_into()?).await?,
            ),
        })
    }

    /// Starts a new version of a strategy, copying its goals, indicators and measure links
    /// (central IT).
    async fn create_strategy_version(
        &self,
        ctx: &Context<'_>,
        input: CreateStrategyVersionInput,
    ) -> Result<CreateStrategyVersionPayload> {
        let s = scope(ctx)?;
        Ok(CreateStrategyVersionPayload {
            strategy: Strategy(
                service::strategy::new_version(&s.db, &s.viewer, input.try_into()?).await?,
            ),
        })
    }

    /// Creates a goal (central IT).
    async fn create_goal(
        &self,
        ctx: &Context<'_>,
        input: CreateGoalInput,
    ) -> Result<CreateGoalPayload> {
        let s = scope(ctx)?;
        Ok(CreateGoalPayload {
            goal: Goal(service::goal::create(&s.db, &s.viewer, input.try_into()?).await?),
        })
    }

    /// Changes or moves a goal (central IT).
    async fn update_goal(
        &self,
        ctx: &Context<'_>,
        input: UpdateGoalInput,
    ) -> Result<UpdateGoalPayload> {
        let s = scope(ctx)?;
        Ok(UpdateGoalPayload {
            goal: Goal(service::goal::update(&s.db, &s.viewer, input.try_into()?).await?),
        })
    }

    /// Creates an indicator (KPI) of a goal (central IT).
    async fn create_indicator(
        &self,
        ctx: &Context<'_>,
        input: CreateIndicatorInput,
    ) -> Result<CreateIndicatorPayload> {
        let s = scope(ctx)?;
        Ok(CreateIndicatorPayload {
            indicator: Indicator(
                service::indicator::create(&s.db, &s.viewer, input.try_into()?).await?,
            ),
        })
    }

    /// Changes an indicator (central IT).
    async fn update_indicator(
        &self,
        ctx: &Context<'_>,
        input: UpdateIndicatorInput,
    ) -> Result<UpdateIndicatorPayload> {
        let s = scope(ctx)?;
        Ok(UpdateIndicatorPayload {
            indicator: Indicator(
                service::indicator::update(&s.db, &s.viewer, input.try_into()?).await?,
            ),
        })
    }

    /// Records a measured value of an indicator (central IT).
    async fn record_indicator_value(
        &self,
        ctx: &Context<'_>,
        input: RecordIndicatorValueInput,
    ) -> Result<RecordIndicatorValuePayload> {
        let s = scope(ctx)?;
        let value = service::indicator::record_value(&s.db, &s.viewer, input.try_into()?).await?;
        Ok(RecordIndicatorValuePayload {
            indicator_value: IndicatorValue(value),
        })
    }

    /// Corrects a measured value (central IT).
    async fn update_indicator_value(
        &self,
        ctx: &Context<'_>,
        input: UpdateIndicatorValueInput,
    ) -> Result<UpdateIndicatorValuePayload> {
        let s = scope(ctx)?;
        let value = service::indicator::update_value(&s.db, &s.viewer, input.try_into()?).await?;
        Ok(UpdateIndicatorValuePayload {
            indicator_value: IndicatorValue(value),
        })
    }

    /// Archives an org unit, strategy, goal, indicator, measure, project, sub-project or
    /// milestone: it disappears for everyone but central IT and can be restored.
    async fn archive(&self, ctx: &Context<'_>, input: ArchiveInput) -> Result<ArchivePayload> {
        toggled(ctx, input, true).await
    }

    /// Restores an archived row (central IT).
    async fn restore(&self, ctx: &Context<'_>, input: ArchiveInput) -> Result<ArchivePayload> {
        toggled(ctx, input, false).await
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
