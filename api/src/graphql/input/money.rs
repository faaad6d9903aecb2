//! Inputs of the budget-line and funding mutations (central IT).

use async_graphql::{ID, InputObject, MaybeUndefined};
use rust_decimal::Decimal;

use super::command::{change_as_is, kept};
use crate::{
    error::{ApiError, ApiResult},
    graphql::{enums::FundingSource, id},
};
use service::money::{BudgetLinePatch, FundingPatch, NewBudgetLine, NewFunding};

/// A new budget line of a project: the money of one year from one source, in euros.
#[derive(InputObject)]
pub struct CreateBudgetLineInput {
    /// The project the budget belongs to.
    pub project_id: ID,
    /// Budget year (2000-2100).
    pub year: i32,
    /// Own funds or funding.
    pub source: FundingSource,
    /// Planned amount (not negative, at most two decimals).
    pub planned: Decimal,
    /// Approved amount (default 0).
    #[graphql(default)]
    pub approved: Decimal,
    /// Amount spent so far (default 0).
    #[graphql(default)]
    pub spent: Decimal,
    /// Remark (at most 20,000 characters).
    pub note: Option<String>,
}

/// Changes to a budget line; fields left out stay as they are, `null` clears the note.
#[derive(InputObject)]
pub struct UpdateBudgetLineInput {
    /// The budget line.
    pub id: ID,
    /// The `version` the budget line was read at.
    pub version: i32,
    /// Budget year (2000-2100).
    pub year: MaybeUndefined<i32>,
    /// Own funds or funding.
    pub source: MaybeUndefined<FundingSource>,
    /// Planned amount (not negative, at most two decimals).
    pub planned: MaybeUndefined<Decimal>,
    /// Approved amount (not negative, at most two decimals).
    pub approved: MaybeUndefined<Decimal>,
    /// Amount spent (not negative, at most two decimals).
    pub spent: MaybeUndefined<Decimal>,
    /// Remark (at most 20,000 characters).
    pub note: MaybeUndefined<String>,
}

/// A budget line to delete.
#[derive(InputObject)]
pub struct DeleteBudgetLineInput {
    /// The budget line.
    pub id: ID,
    /// The `version` the budget line was read at.
    pub version: i32,
}

/// New funding of a project by a programme.
#[derive(InputObject)]
pub struct CreateFundingInput {
    /// The funded project.
    pub project_id: ID,
    /// Funding programme, e.g. "Digitale Modellregionen NRW" (at most 300 characters).
    pub programme: String,
    /// Who provides the money, e.g. a state ministry (at most 300 characters).
    pub funder: String,
    /// Amount granted in euros (not negative, at most two decimals).
    pub amount: Decimal,
    /// Funding rate in percent (0-100, at most two decimals).
    pub rate: Option<Decimal>,
    /// Remark (at most 20,000 characters).
    pub note: Option<String>,
}

/// Changes to funding; fields left out stay as they are, `null` clears rate or note.
#[derive(InputObject)]
pub struct UpdateFundingInput {
    /// The funding.
    pub id: ID,
    /// The `version` the funding was read at.
    pub version: i32,
    /// Funding programme (at most 300 characters).
    pub programme: MaybeUndefined<String>,
    /// Who provides the money (at most 300 characters).
    pub funder: MaybeUndefined<String>,
    /// Amount granted in euros (not negative, at most two decimals).
    pub amount: MaybeUndefined<Decimal>,
    /// Funding rate in percent (0-100, at most two decimals).
    pub rate: MaybeUndefined<Decimal>,
    /// Remark (at most 20,000 characters).
    pub note: MaybeUndefined<String>,
}

/// Funding to delete.
#[derive(InputObject)]
pub struct DeleteFundingInput {
    /// The funding.
    pub id: ID,
    /// The `version` the funding was read at.
    pub version: i32,
}

impl TryFrom<CreateBudgetLineInput> for NewBudgetLine {
    type Error = ApiError;

    fn try_from(input: CreateBudgetLineInput) -> ApiResult<Self> {
        Ok(Self {
            project_id: id::decode(&input.project_id, "Project", "projectId")?,
            year: input.year,
            source: input.source.into(),
            planned: input.planned,
            approved: input.approved,
            spent: input.spent,
            note: input.note,
        })
    }
}

impl TryFrom<UpdateBudgetLineInput> for BudgetLinePatch {
    type Error = ApiError;

    fn try_from(input: UpdateBudgetLineInput) -> ApiResult<Self> {
        Ok(Self {
            id: id::decode(&input.id, "BudgetLine", "id")?,
            version: input.version,
            year: kept(input.year, "year")?,
            source: kept(input.source, "source")?.map(Into::into),
            planned: kept(input.planned, "planned")?,
            approved: kept(input.approved, "approved")?,
            spent: kept(input.spent, "spent")?,
            note: change_as_is(input.note),
        })
    }
}

impl TryFrom<CreateFundingInput> for NewFunding {
    type Error = ApiError;

    fn try_from(input: CreateFundingInput) -> ApiResult<Self> {
        Ok(Self {
            project_id: id::decode(&input.project_id, "Project", "projectId")?,
            programme: input.programme,
            funder: input.funder,
            amount: input.amount,
            rate: input.rate,
            note: input.note,
        })
    }
}

impl TryFrom<UpdateFundingInput> for FundingPatch {
    type Error = ApiError;

    fn try_from(input: UpdateFundingInput) -> ApiResult<Self> {
        Ok(Self {
            id: id::decode(&input.id, "Funding", "id")?,
            version: input.version,
            programme: kept(input.programme, "programme")?,
            funder: kept(input.funder, "funder")?,
            amount: kept(input.amount, "amount")?,
            rate: change_as_is(input.rate),
            note: change_as_is(input.note),
        })
    }
}
