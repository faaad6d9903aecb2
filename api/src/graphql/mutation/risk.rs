//! `createRisk`, `updateRisk`, `deleteRisk`: the risk register of projects and measures
//! (central IT, or the department owning the work).

use async_graphql::{Context, ID, Object, SimpleObject};

use crate::error::or_null;

use crate::graphql::{
    context::scope,
    id,
    input::parsed::Parsed,
    input::risk::{CreateRiskInput, DeleteRiskInput, UpdateRiskInput},
    object::{Risk, WorkItem, risk::subject_of},
};

#[derive(Default)]
pub struct RiskMutation;

/// The risk recorded.
#[derive(SimpleObject)]
pub struct CreateRiskPayload {
    /// The new risk.
    pub risk: Risk,
    /// The project or measure, with its register as changed.
    pub subject: Option<WorkItem>,
}

/// The risk as changed.
#[derive(SimpleObject)]
pub struct UpdateRiskPayload {
    /// The risk after the change.
    pub risk: Risk,
    /// The project or measure, with its register as changed.
    pub subject: Option<WorkItem>,
}

/// The risk deleted.
#[derive(SimpleObject)]
pub struct DeleteRiskPayload {
    /// Global id of the risk that was deleted.
    pub deleted_risk_id: ID,
    /// The project or measure, with its register as changed.
    pub subject: Option<WorkItem>,
}

#[Object]
impl RiskMutation {
    /// Records a risk of a project or measure (central IT, or the department owning it).
    async fn create_risk(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The risk to record.")] input: Parsed<CreateRiskInput>,
    ) -> Option<CreateRiskPayload> {
        or_null(ctx, async {
            let input = input.read()?;
            let s = scope(ctx)?;
            let risk = service::risk::create(&s.db, &s.viewer, input.try_into()?).await?;
            Ok(CreateRiskPayload {
                subject: subject_of(ctx, &risk).await?,
                risk: Risk(risk),
            })
        })
        .await
    }

    /// Changes a risk (central IT, or the department owning its work).
    async fn update_risk(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The risk, the version it was read at and the changes.")] input: Parsed<
            UpdateRiskInput,
        >,
    ) -> Option<UpdateRiskPayload> {
        or_null(ctx, async {
            let input = input.read()?;
            let s = scope(ctx)?;
            let risk = service::risk::update(&s.db, &s.viewer, input.try_into()?).await?;
            Ok(UpdateRiskPayload {
                subject: subject_of(ctx, &risk).await?,
                risk: Risk(risk),
            })
        })
        .await
    }

    /// Deletes a risk (central IT, or the department owning its work).
    async fn delete_risk(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The risk and the version it was read at.")] input: Parsed<
            DeleteRiskInput,
        >,
    ) -> Option<DeleteRiskPayload> {
        or_null(ctx, async {
            let input = input.read()?;
            let s = scope(ctx)?;
            let deleted = service::risk::delete(
                &s.db,
                &s.viewer,
                id::decode(&input.id, "Risk", "id")?,
                input.version,
            )
            .await?;
            Ok(DeleteRiskPayload {
                deleted_risk_id: id::encode("Risk", deleted.id),
                subject: subject_of(ctx, &deleted).await?,
            })
        })
        .await
    }
}
