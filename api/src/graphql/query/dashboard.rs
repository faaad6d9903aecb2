//! `portfolioDashboard` and `departmentDashboard`.

use std::sync::Arc;

use async_graphql::{Context, ID, Object};

use crate::error::{ApiResult, or_null};

use crate::{
    error::ApiError,
    graphql::{
        context::{RequestScope, scope},
        id,
        object::dashboard::{DepartmentDashboard, PortfolioDashboard},
    },
};

use service::{org_tree, policy::reports};

#[derive(Default)]
pub struct DashboardQuery;

/// The portfolio of the viewer's tenant, if the viewer may open it.
pub(crate) fn portfolio(s: &RequestScope) -> ApiResult<PortfolioDashboard> {
    reports::require_portfolio(&s.viewer)?;
    Ok(PortfolioDashboard::default())
}

/// The dashboard of org unit `asked` (default: the viewer's own), if the viewer may open it.
pub(crate) async fn department(
    s: &RequestScope,
    asked: Option<i32>,
) -> ApiResult<DepartmentDashboard> {
    let unit = reports::department_dashboard_unit(&s.viewer, asked)?;
    // A department's own unit and subtree came with the viewer.
    let (org_unit, within) = match &s.viewer.unit {
        Some(own) if own.id == unit => ((**own).clone(), s.viewer.units.clone()),
        _ => {
            let org_unit = s
                .loaders
                .org_unit
                .load_one(unit)
                .await?
                .ok_or(ApiError::NotFound("OrgUnit"))?;
            let within = org_tree::subtree(&s.db, s.viewer.tenant_id, unit).await?;
            (org_unit, Arc::new(within))
        }
    };
    Ok(DepartmentDashboard {
        org_unit,
        within,
        tallied: Default::default(),
    })
}

#[Object]
impl DashboardQuery {
    /// The state of the tenant's whole portfolio (central IT only; others get FORBIDDEN).
    async fn portfolio_dashboard(&self, ctx: &Context<'_>) -> Option<PortfolioDashboard> {
        or_null(ctx, async { Ok(portfolio(scope(ctx)?)?) }).await
    }

    /// What an org unit and the units below it own: progress, what is late, what needs a
    /// report. Without `orgUnitId`, the viewer's own unit. Departments may ask for units of
    /// their own subtree, central IT for any.
    async fn department_dashboard(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The unit (default: the viewer's own).")] org_unit_id: Option<ID>,
    ) -> Option<DepartmentDashboard> {
        or_null(ctx, async {
            let asked = match &org_unit_id {
                Some(unit) => Some(id::decode(unit, "OrgUnit", "orgUnitId")?),
                None => None,
            };
            Ok(department(scope(ctx)?, asked).await?)
        })
        .await
    }
}
