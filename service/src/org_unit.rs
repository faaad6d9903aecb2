//! Creating and changing org units.

use entity::{enums as db, org_unit};
use sea_orm::{ActiveValue::Set, DatabaseConnection};

use crate::{
    audit::{Action, Subject},
    error::{ApiError, ApiResult},
    org_tree,
    policy::writes,
    validate,
    viewer::Viewer,
    write::{Change, Write},
};

/// The person leading an org unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lead {
    pub name: String,
    pub email: Option<String>,
}

/// A new org unit.
#[derive(Debug, Clone)]
pub struct NewOrgUnit {
    pub code: String,
    pub name: String,
    pub kind: db::OrgUnitKind,
    /// The unit above it; none for a root.
    pub parent_id: Option<i32>,
    pub position: i32,
    pub lead: Option<Lead>,
}

/// Changes to an org unit read at `version`.
#[derive(Debug, Clone, Default)]
pub struct OrgUnitPatch {
    pub id: i32,
    pub version: i32,
    pub code: Option<String>,
    pub name: Option<String>,
    pub kind: Option<db::OrgUnitKind>,
    /// Moves the unit; `Some(None)` makes it a root.
    pub parent_id: Change<i32>,
    pub position: Option<i32>,
    /// A new lead; `Some(None)` leaves the unit without one.
    pub lead: Change<Lead>,
}

/// Name and e-mail of a lead as stored, checked.
fn lead_columns(lead: Option<Lead>) -> ApiResult<(Option<String>, Option<String>)> {
    let Some(lead) = lead else {
        return Ok((None, None));
    };
    let email = match lead.email.as_deref().map(str::trim) {
        Some("") | None => None,
        Some(email) => Some(validate::email("lead.email", email)?),
    };
    Ok((Some(validate::title("lead.name", &lead.name)?), email))
}

fn subject(unit: i32) -> Subject {
    Subject {
        kind: "OrgUnit",
        owner: Some(unit),
    }
}

/// Creates an org unit (central IT).
#[tracing::instrument(skip_all, fields(tenant = viewer.tenant_id))]
pub async fn create(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: NewOrgUnit,
) -> ApiResult<org_unit::Model> {
    crate::write::single!(db, viewer, |w| create_in(&w, input))
}

/// [`create`] within a write that others share (an import of many rows).
pub async fn create_in(w: &Write<'_>, input: NewOrgUnit) -> ApiResult<org_unit::Model> {
    let viewer = w.viewer;
    writes::require_central_it(viewer, "maintain the organisation")?;
    let parent = match input.parent_id {
        Some(parent) => Some(
            w.referenced::<org_unit::Entity>(parent, "parentId")
                .await?
                .id,
        ),
        None => None,
    };
    let (lead_name, lead_email) = lead_columns(input.lead)?;
    let row = org_unit::ActiveModel {
        tenant_id: Set(viewer.tenant_id),
        parent_id: Set(parent),
        code: Set(validate::title("code", &input.code)?),
        name: Set(validate::title("name", &input.name)?),
        kind: Set(input.kind),
        position: Set(input.position),
        lead_name: Set(lead_name),
        lead_email: Set(lead_email),
        archived_at: Set(None),
        ..Default::default()
    };
    let unit = w
        .insert(
            row,
            Subject {
                kind: "OrgUnit",
                owner: parent,
            },
        )
        .await?;
    Ok(unit)
}

/// Changes an org unit (central IT).
#[tracing::instrument(skip_all, fields(tenant = viewer.tenant_id))]
pub async fn update(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: OrgUnitPatch,
) -> ApiResult<org_unit::Model> {
    crate::write::single!(db, viewer, |w| update_in(&w, input))
}

/// [`update`] within a write that others share (an import of many rows).
pub async fn update_in(w: &Write<'_>, input: OrgUnitPatch) -> ApiResult<org_unit::Model> {
    let viewer = w.viewer;
    writes::require_central_it(viewer, "maintain the organisation")?;
    let id = input.id;
    let before = w.visible::<org_unit::Entity>(id, "org unit").await?;
    let mut c = <org_unit::ActiveModel as Default>::default();
    if let Some(code) = &input.code {
        c.code = Set(validate::title("code", code)?);
    }
    if let Some(name) = &input.name {
        c.name = Set(validate::title("name", name)?);
    }
    if let Some(kind) = input.kind {
        c.kind = Set(kind);
    }
    if let Some(position) = input.position {
        c.position = Set(position);
    }
    if let Some(lead) = input.lead {
        let (name, email) = lead_columns(lead)?;
        c.lead_name = Set(name);
        c.lead_email = Set(email);
    }
    if let Some(parent) = input.parent_id {
        let parent = match parent {
            Some(parent) => {
                let parent = w
                    .referenced::<org_unit::Entity>(parent, "parentId")
                    .await?
                    .id;
                if org_tree::subtree(&w.txn, viewer.tenant_id, id)
                    .await?
                    .contains(&parent)
                {
                    return Err(ApiError::bad_input(
                        "parentId",
                        "a unit cannot move below itself",
                    ));
                }
                Some(parent)
            }
            None => None,
        };
        c.parent_id = Set(parent);
    }
    let after = w
        .update(&before, input.version, c, Action::Update, subject(id))
        .await?;
    Ok(after)
}
