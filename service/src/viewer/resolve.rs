//! Turning a verified identity into a [`Viewer`] of one tenant.

use std::{collections::HashSet, sync::Arc};

use entity::{org_unit, tenant};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::{
    error::{ApiError, ApiResult},
    org_tree,
    tenant::Settings,
    viewer::{Identity, Role, Viewer},
};

async fn tenant_by_key(db: &DatabaseConnection, key: &str) -> ApiResult<tenant::Model> {
    tenant::Entity::find()
        .filter(tenant::Column::Key.eq(key))
        .one(db)
        .await?
        .ok_or_else(|| ApiError::Unauthenticated("token names an unknown tenant".into()))
}

/// Resolves the tenant and org unit a token names.
#[tracing::instrument(skip_all, fields(tenant = %identity.tenant_key, role = identity.role.as_str()))]
pub async fn resolve(db: &DatabaseConnection, identity: Identity) -> ApiResult<Viewer> {
    let tenant = tenant_by_key(db, &identity.tenant_key).await?;
    let settings = Arc::new(Settings::of(&tenant));
    let (org_unit_id, units) = match &identity.org_unit_code {
        Some(code) => {
            let unit = org_unit::Entity::find()
                .filter(org_unit::Column::TenantId.eq(tenant.id))
                .filter(org_unit::Column::Code.eq(code.as_str()))
                .one(db)
                .await?
                .ok_or_else(|| {
                    ApiError::Unauthenticated("token names an unknown org_unit".into())
                })?;
            (
                Some(unit.id),
                org_tree::subtree(db, tenant.id, unit.id).await?,
            )
        }
        None => (None, HashSet::new()),
    };
    Ok(Viewer {
        sub: identity.sub,
        name: identity.name,
        role: identity.role,
        tenant_id: tenant.id,
        tenant_key: tenant.key,
        org_unit_id,
        units: Arc::new(units),
        data_version: tenant.data_version,
        settings,
    })
}

/// An anonymous reader of one tenant's public rows, if the tenant allows them.
pub async fn public(db: &DatabaseConnection, tenant_key: &str) -> ApiResult<Viewer> {
    let tenant = tenant_by_key(db, tenant_key).await?;
    let settings = Arc::new(Settings::of(&tenant));
    if !settings.public_reads {
        return Err(ApiError::Unauthenticated(
            "this tenant does not allow public reads; sign in".into(),
        ));
    }
    Ok(Viewer {
        sub: "anonymous".into(),
        name: None,
        role: Role::Public,
        tenant_id: tenant.id,
        tenant_key: tenant.key,
        org_unit_id: None,
        units: Arc::new(HashSet::new()),
        data_version: tenant.data_version,
        settings,
    })
}
