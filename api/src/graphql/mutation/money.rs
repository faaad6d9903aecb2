//! `createBudgetLine`, `updateBudgetLine`, `deleteBudgetLine`, `createFunding`,
//! `updateFunding`, `deleteFunding`.

use async_graphql::{Context, ID, Object, SimpleObject};

use crate::error::Result;
use entity::{budget_line, funding};

use crate::graphql::{
    context::scope,
    id,
    input::money::{
        CreateBudgetLineInput, CreateFundingInput, DeleteBudgetLineInput, DeleteFundingInput,
        UpdateBudgetLineInput, UpdateFundingInput,
    },
    object::{BudgetLine, Funding},
};

#[derive(Default)]
pub struct MoneyMutation;

/// The budget line created.
#[derive(SimpleObject)]
pub struct CreateBudgetLinePayload {
    /// The new budget line.
    pub budget_line: BudgetLine,
}

/// The budget line as changed.
#[derive(SimpleObject)]
pub struct UpdateBudgetLinePayload {
    /// The budget line after the change.
    pub budget_line: BudgetLine,
}

/// The budget line deleted.
#[derive(SimpleObject)]
pub struct DeleteBudgetLinePayload {
    /// Global id of the budget line that was deleted.
    pub deleted_budget_line_id: ID,
}

/// The funding created.
#[derive(SimpleObject)]
pub struct CreateFundingPayload {
    /// The new funding.
    pub funding: Funding,
}

/// The funding as changed.
#[derive(SimpleObject)]
pub struct UpdateFundingPayload {
    /// The funding after the change.
    pub funding: Funding,
}

/// The funding deleted.
#[derive(SimpleObject)]
pub struct DeleteFundingPayload {
    /// Global id of the funding that was deleted.
    pub deleted_funding_id: ID,
}

#[Object]
impl MoneyMutation {
    /// Adds a budget line to a project (central IT).
    async fn create_budget_line(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The budget line to add.")] input: CreateBudgetLineInput,
    ) -> Result<CreateBudgetLinePayload> {
        let s = scope(ctx)?;
        let line = service::money::create_budget_line(&s.db, &s.viewer, input.try_into()?).await?;
        Ok(CreateBudgetLinePayload {
            budget_line: BudgetLine(line),
        })
    }

    /// Changes a budget line (central IT).
    async fn update_budget_line(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The budget line, the version it was read at and the changes.")]
        input: UpdateBudgetLineInput,
    ) -> Result<UpdateBudgetLinePayload> {
        let s = scope(ctx)?;
        let line = service::money::update_budget_line(&s.db, &s.viewer, input.try_into()?).await?;
        Ok(UpdateBudgetLinePayload {
            budget_line: BudgetLine(line),
        })
    }

    /// Deletes a budget line (central IT).
    async fn delete_budget_line(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The budget line and the version it was read at.")]
        input: DeleteBudgetLineInput,
    ) -> Result<DeleteBudgetLinePayload> {
        let s = scope(ctx)?;
        let deleted = service::project_part::delete::<budget_line::Entity>(
            &s.db,
            &s.viewer,
            id::decode(&input.id, "BudgetLine", "id")?,
            input.version,
        )
        .await?;
        Ok(DeleteBudgetLinePayload {
            deleted_budget_line_id: id::encode("BudgetLine", deleted),
        })
    }

    /// Adds funding by a programme to a project (central IT).
    async fn create_funding(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The funding to add.")] input: CreateFundingInput,
    ) -> Result<CreateFundingPayload> {
        let s = scope(ctx)?;
        let funding = service::money::create_funding(&s.db, &s.viewer, input.try_into()?).await?;
        Ok(CreateFundingPayload {
            funding: Funding(funding),
        })
    }

    /// Changes funding (central IT).
    async fn update_funding(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The funding, the version it was read at and the changes.")]
        input: UpdateFundingInput,
    ) -> Result<UpdateFundingPayload> {
        let s = scope(ctx)?;
        let funding = service::money::update_funding(&s.db, &s.viewer, input.try_into()?).await?;
        Ok(UpdateFundingPayload {
            funding: Funding(funding),
        })
    }

    /// Deletes funding (central IT).
    async fn delete_funding(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The funding and the version it was read at.")] input: DeleteFundingInput,
    ) -> Result<DeleteFundingPayload> {
        let s = scope(ctx)?;
        let deleted = service::project_part::delete::<funding::Entity>(
            &s.db,
            &s.viewer,
            id::decode(&input.id, "Funding", "id")?,
            input.version,
        )
        .await?;
        Ok(DeleteFundingPayload {
            deleted_funding_id: id::encode("Funding", deleted),
        })
    }
}
