//! Who may read which dashboard and council report.
//!
//! The portfolio dashboard is central IT's alone. A department sees the dashboard of its
//! unit subtree; central IT that of any unit. The council report is written for the
//! council: it is built from what the council may see, whoever asks. Central IT reads and
//! publishes it; the council reads published reports, and the live one only when central IT
//! allows it for the tenant. Published reports are read by central IT and the council.

use crate::{
    error::{ApiError, ApiResult},
    viewer::{Role, Viewer},
};

/// The portfolio dashboard.
pub fn require_portfolio(viewer: &Viewer) -> ApiResult<()> {
    match viewer.role {
        Role::CentralIt => Ok(()),
        _ => Err(ApiError::Forbidden(
            "the portfolio dashboard is for the central IT steering unit".into(),
        )),
    }
}

/// The unit whose dashboard (with its subtree) the viewer may open: `asked`, or without it
/// the viewer's own unit.
pub fn department_dashboard_unit(viewer: &Viewer, asked: Option<i32>) -> ApiResult<i32> {
    if matches!(viewer.role, Role::Council | Role::Public) {
        return Err(ApiError::Forbidden(
            "department dashboards are for the administration".into(),
        ));
    }
    let unit = match asked.or(viewer.org_unit_id) {
        Some(unit) => unit,
        None => {
            return Err(ApiError::bad_input(
                "orgUnitId",
                "you have no unit of your own: name one",
            ));
        }
    };
    match viewer.role {
        Role::Department if !viewer.owns(unit) => Err(ApiError::Forbidden(
            "a department sees the dashboard of its own units only".into(),
        )),
        _ => Ok(unit),
    }
}

/// The live council report; `live_allowed` is the tenant's setting for the council.
pub fn require_live_council_report(viewer: &Viewer, live_allowed: bool) -> ApiResult<()> {
    match viewer.role {
        Role::CentralIt => Ok(()),
        Role::Council if live_allowed => Ok(()),
        Role::Council => Err(ApiError::Forbidden(
            "the council reads published council reports; central IT has not released the live report".into(),
        )),
        Role::Department | Role::Public => Err(ApiError::Forbidden(
            "the council report is for the council and central IT".into(),
        )),
    }
}

/// Published council reports.
pub fn require_published_council_reports(viewer: &Viewer) -> ApiResult<()> {
    match viewer.role {
        Role::CentralIt | Role::Council => Ok(()),
        Role::Department | Role::Public => Err(ApiError::Forbidden(
            "published council reports are for the council and central IT".into(),
        )),
    }
}

/// The viewer whose view a council report shows: the council of the caller's tenant.
pub fn council_view(viewer: &Viewer) -> Viewer {
    Viewer {
        sub: viewer.sub.clone(),
        name: viewer.name.clone(),
        role: Role::Council,
        tenant_id: viewer.tenant_id,
        tenant_key: viewer.tenant_key.clone(),
        org_unit_id: None,
        units: Default::default(),
        data_version: viewer.data_version,
        settings: viewer.settings.clone(),
        shares: Default::default(),
        unit: None,
    }
}
