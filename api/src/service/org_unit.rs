//! Creating and changing org units.

use entity::org_unit;
use sea_orm::{ActiveValue::Set, DatabaseConnection};

use crate::{
    auth::Viewer,
    error::{ApiError, ApiResult},
    graphql::{
        id,
        input::org_unit::{CreateOrgUnitInput, UpdateOrgUnitInput},
    },
    policy::writes,
    service::{
        audit::Subject,
        org_tree, validate,
        write::{Write, patch},
    },
};

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
    input: CreateOrgUnitInput,
) -> ApiResult<org_unit::Model> {
    writes::require_central_it(viewer, "maintain the organisation")?;
    let w = Write::begin(db, viewer).await?;
    let parent = match &input.parent_id {
        Some(parent) => Some(
            w.referenced::<org_unit::Entity>(parent, "OrgUnit", "parentId")
                .await?
                .id,
        ),
        None => None,
    };
    let row = org_unit::ActiveModel {
        tenant_id: Set(viewer.tenant_id),
        parent_id: Set(parent),
        code: Set(validate::title("code", &input.code)?),
        name: Set(validate::title("name", &input.name)?),
        kind: Set(input.kind.into()),
        position: Set(input.position),
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
    w.commit().await?;
    Ok(unit)
}

/// Changes an org unit (central IT).
#[tracing::instrument(skip_all, fields(tenant = viewer.tenant_id))]
pub async fn update(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: UpdateOrgUnitInput,
) -> ApiResult<org_unit::Model> {
    writes::require_central_it(viewer, "maintain the organisation")?;
    let id = id::decode(&input.id, "OrgUnit", "id")?;
    let w = Write::begin(db, viewer).await?;
    let before = w.visible::<org_unit::Entity>(id, "org unit").await?;
    let mut c = <org_unit::ActiveModel as Default>::default();
    if let Some(code) = &input.code {
        c.code = Set(validate::title("code", code)?);
    }
    if let Some(name) = &input.name {
        c.name = Set(validate::title("name", name)?);
    }
    if let Some(kind) = input.kind {
        c.kind = Set(kind.into());
    }
    if let Some(position) = input.position {
        c.position = Set(position);
    }
    if let Some(parent) = patch(input.parent_id) {
        let parent = match parent {
            Some(parent) => {
                let parent = w
                    .referenced::<org_unit::Entity>(&parent, "OrgUnit", "parentId")
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
        .update(&before, input.version, c, "update", subject(id))
        .await?;
    w.commit().await?;
    Ok(after)
}
