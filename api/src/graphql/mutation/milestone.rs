//! `createMilestone`, `updateMilestone`.

use async_graphql::{Context, Object, SimpleObject};

use crate::error::Result;

use crate::graphql::{
    context::scope,
    input::milestone::{CreateMilestoneInput, UpdateMilestoneInput},
    object::Milestone,
};

#[derive(Default)]
pub struct MilestoneMutation;

/// The milestone created.
#[derive(SimpleObject)]
pub struct CreateMilestonePayload {
    pub milestone: Milestone,
}

/// The milestone as changed.
#[derive(SimpleObject)]
pub struct UpdateMilestonePayload {
    pub milestone: Milestone,
}

#[Object]
impl MilestoneMutation {
    /// Adds a milestone to a project or sub-project.
    async fn create_milestone(
        &self,
        ctx: &Context<'_>,
        input: CreateMilestoneInput,
    ) -> Result<CreateMilestonePayload> {
        let s = scope(ctx)?;
        let milestone = service::milestone::create(&s.db, &s.viewer, input.try_into()?).await?;
        Ok(CreateMilestonePayload {
            milestone: Milestone(milestone),
        })
    }

    /// Changes a milestone; `achievedOn` marks it achieved.
    async fn update_milestone(
        &self,
        ctx: &Context<'_>,
        input: UpdateMilestoneInput,
    ) -> Result<UpdateMilestonePayload> {
        let s = scope(ctx)?;
        let milestone = service::milestone::update(&s.db, &s.viewer, input.try_into()?).await?;
        Ok(UpdateMilestonePayload {
            milestone: Milestone(milestone),
        })
    }
}
