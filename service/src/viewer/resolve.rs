//! Turning a verified identity into a [`Viewer`] of one tenant.

use std::{collections::HashSet, sync::Arc};

use entity::{org_unit, tenant};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::{
    error::{ApiError, ApiResult},
    org_tree,
    tenant::Settings,
    viewer::{Identity, Role, Shares, Standings, Viewer},
};

async fn tenant_by_key(db: &DatabaseConnection, key: &str) -> ApiResult<tenant::Model> {
    tenant::Entity::find()
        .filter(tenant::Column::Key.eq(key))
        .one(db)
        .await?
        .ok_or_else(|| ApiError::Unauthenticated("token names an unknown tenant".into()))
}

/// Resolves the tenant and org unit a token names: one statement for the tenant, and for a
/// unit its standing, read again only after a write of the tenant ([`Standings`]).
#[tracing::instrument(skip_all, fields(tenant = %identity.tenant_key, role = identity.role.as_str()))]
pub async fn resolve(
    db: &DatabaseConnection,
    standings: &Standings,
    identity: Identity,
) -> ApiResult<Viewer> {
    let tenant = tenant_by_key(db, &identity.tenant_key).await?;
    let settings = Arc::new(Settings::of(&tenant));
    let (unit, units, shares) = match &identity.org_unit_code {
        Some(code) => {
            let standing = standings
                .of(db, tenant.id, tenant.data_version, code, identity.role)
                .await?;
            (
                Some(standing.unit.clone()),
                standing.units.clone(),
                standing.shares.clone(),
            )
        }
        None => (None, Arc::new(HashSet::new()), Arc::new(Shares::default())),
    };
    Ok(Viewer {
        sub: identity.sub,
        name: identity.name,
        role: identity.role,
        tenant_id: tenant.id,
        tenant_key: tenant.key,
        org_unit_id: unit.as_ref().map(|unit| unit.id),
        units,
        data_version: tenant.data_version,
        settings,
        shares,
        unit,
    })
}

/// What a department's subtree takes part in; nothing for the other roles, whose rules do not
/// depend on units (central IT sees and edits everything already).
async fn department_shares(
    db: &DatabaseConnection,
    role: Role,
    tenant_id: i32,
    units: &HashSet<i32>,
) -> ApiResult<Arc<Shares>> {
    Ok(Arc::new(if role == Role::Department {
        Shares::load(db, tenant_id, units).await?
    } else {
        Shares::default()
    }))
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
        shares: Default::default(),
        unit: None,
    })
}

/// Who someone was when they left a standing grant behind (a calendar feed): their subject,
/// name, role and unit as stored, with the tenant's settings and the unit's subtree as they
/// are now. `None` when that can no longer be anyone: a role not of a tenant, a unit gone.
pub async fn stored(
    db: &DatabaseConnection,
    tenant: &tenant::Model,
    sub: &str,
    name: Option<&str>,
    role: &str,
    org_unit_id: Option<i32>,
) -> ApiResult<Option<Viewer>> {
    let Some(role) = Role::from_claim(role) else {
        return Ok(None);
    };
    let units = match org_unit_id {
        Some(unit) => {
            let exists = org_unit::Entity::find_by_id(unit)
                .filter(org_unit::Column::TenantId.eq(tenant.id))
                .one(db)
                .await?
                .is_some();
            if !exists {
                return Ok(None);
            }
            org_tree::subtree(db, tenant.id, unit).await?
        }
        None => HashSet::new(),
    };
    let shares = department_shares(db, role, tenant.id, &units).await?;
    Ok(Some(Viewer {
        sub: sub.to_owned(),
        name: name.map(str::to_owned),
        role,
        tenant_id: tenant.id,
        tenant_key: tenant.key.clone(),
        org_unit_id,
        units: Arc::new(units),
        data_version: tenant.data_version,
        settings: Arc::new(Settings::of(tenant)),
        shares,
        unit: None,
    }))
}
