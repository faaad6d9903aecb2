//! Budget lines and funding of projects: central IT keeps them.

use std::ops::RangeInclusive;

use entity::{budget_line, enums as db, funding};
use rust_decimal::Decimal;
use sea_orm::{ActiveValue::Set, DatabaseConnection};

use crate::{
    audit::Action,
    error::{ApiError, ApiResult},
    policy::writes,
    project_part::{self, subject},
    validate,
    viewer::Viewer,
    write::{Change, Write},
};

/// A new budget line of a project: the money of one year from one source, in euros.
#[derive(Debug, Clone)]
pub struct NewBudgetLine {
    pub project_id: i32,
    pub year: i32,
    pub source: db::FundingSource,
    pub planned: Decimal,
    pub approved: Decimal,
    pub spent: Decimal,
    pub note: Option<String>,
}

/// Changes to a budget line read at `version`.
#[derive(Debug, Clone, Default)]
pub struct BudgetLinePatch {
    pub id: i32,
    pub version: i32,
    pub year: Option<i32>,
    pub source: Option<db::FundingSource>,
    pub planned: Option<Decimal>,
    pub approved: Option<Decimal>,
    pub spent: Option<Decimal>,
    pub note: Change<String>,
}

/// New funding of a project by a programme.
#[derive(Debug, Clone)]
pub struct NewFunding {
    pub project_id: i32,
    pub programme: String,
    pub funder: String,
    pub amount: Decimal,
    pub rate: Option<Decimal>,
    pub note: Option<String>,
}

/// Changes to funding read at `version`.
#[derive(Debug, Clone, Default)]
pub struct FundingPatch {
    pub id: i32,
    pub version: i32,
    pub programme: Option<String>,
    pub funder: Option<String>,
    pub amount: Option<Decimal>,
    pub rate: Change<Decimal>,
    pub note: Change<String>,
}

/// The budget years the portfolio plans in.
const YEARS: RangeInclusive<i32> = 2000..=2100;

/// A budget year.
fn year(value: i32) -> ApiResult<i32> {
    if YEARS.contains(&value) {
        Ok(value)
    } else {
        Err(ApiError::bad_input(
            "year",
            format!("must be between {} and {}", YEARS.start(), YEARS.end()),
        ))
    }
}

/// A funding rate in percent: between 0 and 100, at most two decimals.
fn rate(value: Option<Decimal>) -> ApiResult<Option<Decimal>> {
    let Some(value) = value else { return Ok(None) };
    let value = validate::money("rate", value)?;
    if value > Decimal::ONE_HUNDRED {
        return Err(ApiError::bad_input("rate", "must be between 0 and 100"));
    }
    Ok(Some(value))
}

/// Adds a budget line to a project (central IT).
#[tracing::instrument(skip_all, fields(tenant = viewer.tenant_id))]
pub async fn create_budget_line(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: NewBudgetLine,
) -> ApiResult<budget_line::Model> {
    crate::write::single!(db, viewer, |w| create_budget_line_in(&w, input))
}

/// [`create_budget_line`] within a write that others share (an import of many rows).
pub async fn create_budget_line_in(
    w: &Write<'_>,
    input: NewBudgetLine,
) -> ApiResult<budget_line::Model> {
    let viewer = w.viewer;
    writes::require_central_it(viewer, "plan budgets")?;
    let project = project_part::parent(w, input.project_id).await?;
    let row = budget_line::ActiveModel {
        tenant_id: Set(viewer.tenant_id),
        project_id: Set(project.id),
        year: Set(year(input.year)?),
        source: Set(input.source),
        planned: Set(validate::money("planned", input.planned)?),
        approved: Set(validate::money("approved", input.approved)?),
        spent: Set(validate::money("spent", input.spent)?),
        note: Set(validate::text("note", input.note)?),
        ..Default::default()
    };
    let line = w
        .insert(row, subject::<budget_line::Entity>(project.org_unit_id))
        .await?;
    Ok(line)
}

/// Changes a budget line (central IT).
#[tracing::instrument(skip_all, fields(tenant = viewer.tenant_id))]
pub async fn update_budget_line(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: BudgetLinePatch,
) -> ApiResult<budget_line::Model> {
    crate::write::single!(db, viewer, |w| update_budget_line_in(&w, input))
}

/// [`update_budget_line`] within a write that others share (an import of many rows).
pub async fn update_budget_line_in(
    w: &Write<'_>,
    input: BudgetLinePatch,
) -> ApiResult<budget_line::Model> {
    let viewer = w.viewer;
    writes::require_central_it(viewer, "change budgets")?;
    let (before, subject) = project_part::load::<budget_line::Entity>(w, input.id).await?;
    let mut c = <budget_line::ActiveModel as Default>::default();
    if let Some(v) = input.year {
        c.year = Set(year(v)?);
    }
    if let Some(v) = input.source {
        c.source = Set(v);
    }
    if let Some(v) = input.planned {
        c.planned = Set(validate::money("planned", v)?);
    }
    if let Some(v) = input.approved {
        c.approved = Set(validate::money("approved", v)?);
    }
    if let Some(v) = input.spent {
        c.spent = Set(validate::money("spent", v)?);
    }
    if let Some(v) = input.note {
        c.note = Set(validate::text("note", v)?);
    }
    let after = w
        .update(&before, input.version, c, Action::Update, subject)
        .await?;
    Ok(after)
}

/// Adds funding to a project (central IT).
#[tracing::instrument(skip_all, fields(tenant = viewer.tenant_id))]
pub async fn create_funding(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: NewFunding,
) -> ApiResult<funding::Model> {
    crate::write::single!(db, viewer, |w| create_funding_in(&w, input))
}

/// [`create_funding`] within a write that others share (an import of many rows).
pub async fn create_funding_in(w: &Write<'_>, input: NewFunding) -> ApiResult<funding::Model> {
    let viewer = w.viewer;
    writes::require_central_it(viewer, "record funding")?;
    let project = project_part::parent(w, input.project_id).await?;
    let row = funding::ActiveModel {
        tenant_id: Set(viewer.tenant_id),
        project_id: Set(project.id),
        programme: Set(validate::title("programme", &input.programme)?),
        funder: Set(validate::title("funder", &input.funder)?),
        amount: Set(validate::money("amount", input.amount)?),
        rate: Set(rate(input.rate)?),
        note: Set(validate::text("note", input.note)?),
        ..Default::default()
    };
    let funding = w
        .insert(row, subject::<funding::Entity>(project.org_unit_id))
        .await?;
    Ok(funding)
}

/// Changes funding (central IT).
#[tracing::instrument(skip_all, fields(tenant = viewer.tenant_id))]
pub async fn update_funding(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: FundingPatch,
) -> ApiResult<funding::Model> {
    crate::write::single!(db, viewer, |w| update_funding_in(&w, input))
}

/// [`update_funding`] within a write that others share (an import of many rows).
pub async fn update_funding_in(w: &Write<'_>, input: FundingPatch) -> ApiResult<funding::Model> {
    let viewer = w.viewer;
    writes::require_central_it(viewer, "change funding")?;
    let (before, subject) = project_part::load::<funding::Entity>(w, input.id).await?;
    let mut c = <funding::ActiveModel as Default>::default();
    if let Some(v) = &input.programme {
        c.programme = Set(validate::title("programme", v)?);
    }
    if let Some(v) = &input.funder {
        c.funder = Set(validate::title("funder", v)?);
    }
    if let Some(v) = input.amount {
        c.amount = Set(validate::money("amount", v)?);
    }
    if let Some(v) = input.rate {
        c.rate = Set(rate(v)?);
    }
    if let Some(v) = input.note {
        c.note = Set(validate::text("note", v)?);
    }
    let after = w
        .update(&before, input.version, c, Action::Update, subject)
        .await?;
    Ok(after)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_and_rates_are_bounded() {
        assert!(year(2000).is_ok() && year(2100).is_ok());
        assert!(year(1800).is_err() && year(2101).is_err());
        assert_eq!(rate(None).unwrap(), None);
        assert!(rate(Some(Decimal::ONE_HUNDRED)).is_ok());
        assert!(rate(Some(Decimal::new(10001, 2))).is_err());
        assert!(rate(Some(Decimal::new(-1, 0))).is_err());
        assert!(rate(Some(Decimal::new(8_0125, 3))).is_err());
    }
}
