//! `createBudgetLine`, `updateBudgetLine`, `deleteBudgetLine`, `createFunding`,
//! `updateFunding`, `deleteFunding`.

use async_graphql::{Context, ID, Object, SimpleObject};

use crate::error::or_null;
use entity::{budget_line, funding};

use crate::graphql::{
    context::scope,
    id,
    input::money::{
        CreateBudgetLineInput, CreateFundingInput, DeleteBudgetLineInput, DeleteFundingInput,
        UpdateBudgetLineInput, UpdateFundingInput,
    },
    input::parsed::Parsed,
    object::{BudgetLine, Funding, Project, project::parent_project},
};

#[derive(Default)]
pub struct MoneyMutation;

/// The budget line created.
#[derive(SimpleObject)]
pub struct CreateBudgetLinePayload {
    /// The new budget line.
    pub budget_line: BudgetLine,
    /// The project, with its budget as changed.
    pub project: Project,
}

/// The budget line as changed.
#[derive(SimpleObject)]
pub struct UpdateBudgetLinePayload {
    /// The budget line after the change.
    pub budget_line: BudgetLine,
    /// The project, with its budget as changed.
    pub project: Project,
}

/// The budget line deleted.
#[derive(SimpleObject)]
pub struct DeleteBudgetLinePayload {
    /// Global id of the budget line that was deleted.
    pub deleted_budget_line_id: ID,
    /// The project, with its budget as changed.
    pub project: Project,
}

/// The funding created.
#[derive(SimpleObject)]
pub struct CreateFundingPayload {
    /// The new funding.
    pub funding: Funding,
    /// The project, with its funding as changed.
    pub project: Project,
}

/// The funding as changed.
#[derive(SimpleObject)]
pub struct UpdateFundingPayload {
    /// The funding after the change.
    pub funding: Funding,
    /// The project, with its funding as changed.
    pub project: Project,
}

/// The funding deleted.
#[derive(SimpleObject)]
pub struct DeleteFundingPayload {
    /// Global id of the funding that was deleted.
    pub deleted_funding_id: ID,
    /// The project, with its funding as changed.
    pub project: Project,
}

#[Object]
impl MoneyMutation {
    /// Adds a budget line to a project (central IT).
    async fn create_budget_line(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The budget line to add.")] input: Parsed<CreateBudgetLineInput>,
    ) -> Option<CreateBudgetLinePayload> {
        or_null(ctx, async {
            let input = input.read()?;
            let s = scope(ctx)?;
            let line =
                service::money::create_budget_line(&s.db, &s.viewer, input.try_into()?).await?;
            Ok(CreateBudgetLinePayload {
                project: parent_project(ctx, line.project_id).await?,
                budget_line: BudgetLine(line),
            })
        })
        .await
    }

    /// Changes a budget line (central IT).
    async fn update_budget_line(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The budget line, the version it was read at and the changes.")]
        input: Parsed<UpdateBudgetLineInput>,
    ) -> Option<UpdateBudgetLinePayload> {
        or_null(ctx, async {
            let input = input.read()?;
            let s = scope(ctx)?;
            let line =
                service::money::update_budget_line(&s.db, &s.viewer, input.try_into()?).await?;
            Ok(UpdateBudgetLinePayload {
                project: parent_project(ctx, line.project_id).await?,
                budget_line: BudgetLine(line),
            })
        })
        .await
    }

    /// Deletes a budget line (central IT).
    async fn delete_budget_line(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The budget line and the version it was read at.")] input: Parsed<
            DeleteBudgetLineInput,
        >,
    ) -> Option<DeleteBudgetLinePayload> {
        or_null(ctx, async {
            let input = input.read()?;
            let s = scope(ctx)?;
            let deleted = service::project_part::delete::<budget_line::Entity>(
                &s.db,
                &s.viewer,
                id::decode(&input.id, "BudgetLine", "id")?,
                input.version,
            )
            .await?;
            Ok(DeleteBudgetLinePayload {
                deleted_budget_line_id: id::encode("BudgetLine", deleted.id),
                project: parent_project(ctx, deleted.project_id).await?,
            })
        })
        .await
    }

    /// Adds funding by a programme to a project (central IT).
    async fn create_funding(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The funding to add.")] input: Parsed<CreateFundingInput>,
    ) -> Option<CreateFundingPayload> {
        or_null(ctx, async {
            let input = input.read()?;
            let s = scope(ctx)?;
            let funding =
                service::money::create_funding(&s.db, &s.viewer, input.try_into()?).await?;
            Ok(CreateFundingPayload {
                project: parent_project(ctx, funding.project_id).await?,
                funding: Funding(funding),
            })
        })
        .await
    }

    /// Changes funding (central IT).
    async fn update_funding(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The funding, the version it was read at and the changes.")] input: Parsed<
            UpdateFundingInput,
        >,
    ) -> Option<UpdateFundingPayload> {
        or_null(ctx, async {
            let input = input.read()?;
            let s = scope(ctx)?;
            let funding =
                service::money::update_funding(&s.db, &s.viewer, input.try_into()?).await?;
            Ok(UpdateFundingPayload {
                project: parent_project(ctx, funding.project_id).await?,
                funding: Funding(funding),
            })
        })
        .await
    }

    /// Deletes funding (central IT).
    async fn delete_funding(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The funding and the version it was read at.")] input: Parsed<
            DeleteFundingInput,
        >,
    ) -> Option<DeleteFundingPayload> {
        or_null(ctx, async {
            let input = input.read()?;
            let s = scope(ctx)?;
            let deleted = service::project_part::delete::<funding::Entity>(
                &s.db,
                &s.viewer,
                id::decode(&input.id, "Funding", "id")?,
                input.version,
            )
            .await?;
            Ok(DeleteFundingPayload {
                deleted_funding_id: id::encode("Funding", deleted.id),
                project: parent_project(ctx, deleted.project_id).await?,
            })
        })
        .await
    }
}
