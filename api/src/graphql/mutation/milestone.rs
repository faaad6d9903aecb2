//! `createMilestone`, `updateMilestone`.

use async_graphql::{Context, Object, SimpleObject};

use crate::error::or_null;

use crate::graphql::{
    context::scope,
    input::milestone::{CreateMilestoneInput, UpdateMilestoneInput},
    input::parsed::Parsed,
    object::Milestone,
};

#[derive(Default)]
pub struct MilestoneMutation;

/// The milestone created.
#[derive(SimpleObject)]
pub struct CreateMilestonePayload {
    /// The new milestone.
    pub milestone: Milestone,
}

/// The milestone as changed.
#[derive(SimpleObject)]
pub struct UpdateMilestonePayload {
    /// The milestone after the change.
    pub milestone: Milestone,
}

#[Object]
impl MilestoneMutation {
    /// Adds a milestone to a project or sub-project.
    async fn create_milestone(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The milestone to add.")] input: Parsed<CreateMilestoneInput>,
    ) -> Option<CreateMilestonePayload> {
        or_null(ctx, async {
            let input = input.read()?;
            let s = scope(ctx)?;
            let milestone = service::milestone::create(&s.db, &s.viewer, input.try_into()?).await?;
            Ok(CreateMilestonePayload {
                milestone: Milestone(milestone),
            })
        })
        .await
    }

    /// Changes a milestone; `achievedOn` marks it achieved.
    async fn update_milestone(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The milestone, the version it was read at and the changes.")]
        input: Parsed<UpdateMilestoneInput>,
    ) -> Option<UpdateMilestonePayload> {
        or_null(ctx, async {
            let input = input.read()?;
            let s = scope(ctx)?;
            let milestone = service::milestone::update(&s.db, &s.viewer, input.try_into()?).await?;
            Ok(UpdateMilestonePayload {
                milestone: Milestone(milestone),
            })
        })
        .await
    }
}
