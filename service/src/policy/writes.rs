//! Write rules: who may change what.
//!
//! Central IT maintains everything of its tenant. A department reports on, and keeps the
//! status, milestones and sub-projects of, what its unit subtree owns or leads with the owner
//! (a `LEAD` participant), and submits project applications. The council and the public never write.

use crate::{
    error::{ApiError, ApiResult},
    viewer::{Role, Viewer},
};

/// Creating and changing master data: strategies, goals, measures, projects, org units,
/// budgets, visibility; deciding applications.
pub fn require_central_it(viewer: &Viewer, what: &str) -> ApiResult<()> {
    match viewer.role {
        Role::CentralIt => Ok(()),
        _ => Err(ApiError::Forbidden(format!(
            "only the central IT steering unit may {what}"
        ))),
    }
}

/// Whether a status report of `viewer` waits for central IT's approval before it counts: where
/// the tenant reviews reports, everyone's but central IT's own.
pub fn report_needs_review(viewer: &Viewer) -> bool {
    viewer.settings.report_review && viewer.role != Role::CentralIt
}

/// Status reports, status, milestones and sub-projects of a row held by `held` (see
/// [`super::Held`]: its owning unit, and the co-leading units of a project or sub-project).
pub fn require_edit(viewer: &Viewer, held: impl Into<super::Held>, what: &str) -> ApiResult<()> {
    if super::can_edit(viewer, held) {
        Ok(())
    } else {
        Err(ApiError::Forbidden(format!(
            "you may not {what}: it belongs to another unit"
        )))
    }
}

/// Work of the administration (central IT and departments), never of the council or public.
pub fn require_administration(viewer: &Viewer, what: &str) -> ApiResult<()> {
    match viewer.role {
        Role::CentralIt | Role::Department => Ok(()),
        Role::Council | Role::Public => Err(ApiError::Forbidden(format!(
            "only the administration may {what}"
        ))),
    }
}

/// Project applications, submitted for a unit the viewer belongs to.
pub fn require_submit(viewer: &Viewer, org_unit: i32) -> ApiResult<()> {
    match viewer.role {
        Role::CentralIt => Ok(()),
        Role::Department if viewer.owns(org_unit) => Ok(()),
        Role::Department => Err(ApiError::Forbidden(
            "you may submit applications only for your own unit".into(),
        )),
        Role::Council | Role::Public => Err(ApiError::Forbidden(
            "only the administration submits applications".into(),
        )),
    }
}

/// The lead unit of a sub-project: a department may name only units of its own subtree.
pub fn require_lead(viewer: &Viewer, unit: i32) -> ApiResult<()> {
    match viewer.role {
        Role::Department if !viewer.owns(unit) => Err(ApiError::Forbidden(
            "a department may name only its own units as lead".into(),
        )),
        _ => Ok(()),
    }
}

/// Indicators, their target paths and measured values. A goal's (`editor` none) belong to the
/// strategy, which central IT alone maintains; a measure's or project's also to the unit
/// `editor` that owns the work, as its status does.
pub fn require_indicator_edit(viewer: &Viewer, editor: Option<i32>) -> ApiResult<()> {
    match editor {
        None => require_central_it(viewer, "maintain the strategy's indicators"),
        Some(owner) => require_edit(viewer, owner, "change this indicator"),
    }
}
