//! Where a token's org unit stands in its tenant: the unit, its subtree and what the subtree
//! takes part in (departments).
//!
//! Every request of a department needs them, and they change only with a write of the tenant,
//! which moves the tenant's data version (`service::write`). So they are kept per tenant and
//! unit, with the version they were read at, and read again only when the version the request
//! sees has moved: the tenant's row, read for every request anyway, tells. The response cache
//! rests on the same rule.

use std::{
    collections::{HashMap, HashSet},
    sync::{Arc, Mutex},
};

use entity::org_unit;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::{Role, Shares};
use crate::{
    error::{ApiError, ApiResult},
    org_tree,
};

/// A unit's place in its tenant, as the viewer's rules need it.
#[derive(Debug)]
pub struct Standing {
    pub unit: Arc<org_unit::Model>,
    /// The unit and every unit below it.
    pub units: Arc<HashSet<i32>>,
    /// What the subtree takes part in beyond what it owns; empty unless read for a department.
    pub shares: Arc<Shares>,
}

impl Standing {
    /// The standing of the unit with `code` in `tenant`: one statement for the unit and its
    /// subtree (the tenant's units, walked here), one for a department's participations.
    async fn load(
        db: &DatabaseConnection,
        tenant: i32,
        code: &str,
        with_shares: bool,
    ) -> ApiResult<Self> {
        let units = org_unit::Entity::find()
            .filter(org_unit::Column::TenantId.eq(tenant))
            .all(db)
            .await?;
        let edges: Vec<(i32, Option<i32>)> = units.iter().map(|u| (u.id, u.parent_id)).collect();
        let unit = units
            .into_iter()
            .find(|unit| unit.code == code)
            .ok_or_else(|| ApiError::Unauthenticated("token names an unknown org_unit".into()))?;
        let subtree = org_tree::descendants(&edges, unit.id);
        let shares = if with_shares {
            Shares::load(db, tenant, &subtree).await?
        } else {
            Shares::default()
        };
        Ok(Self {
            unit: Arc::new(unit),
            units: Arc::new(subtree),
            shares: Arc::new(shares),
        })
    }
}

/// Who: tenant, unit code, whether the participations were read.
type Key = (i32, String, bool);

/// The standings read lately, each with the tenant's data version it was read at.
#[derive(Default)]
pub struct Standings {
    read: Mutex<HashMap<Key, (i64, Arc<Standing>)>>,
}

/// Beyond this many units held, the next miss starts afresh: a bound, not an eviction order
/// (a state platform's tenants and units fit many times over).
const MOST: usize = 10_000;

impl Standings {
    /// The standing of the unit `code` in `tenant` at `version`, read from the database only
    /// when none was read at that version.
    pub async fn of(
        &self,
        db: &DatabaseConnection,
        tenant: i32,
        version: i64,
        code: &str,
        role: Role,
    ) -> ApiResult<Arc<Standing>> {
        let key = (tenant, code.to_owned(), role == Role::Department);
        if let Some(standing) = self.held(&key, version) {
            return Ok(standing);
        }
        let standing = Arc::new(Standing::load(db, tenant, code, key.2).await?);
        if let Ok(mut read) = self.read.lock() {
            if read.len() >= MOST {
                read.clear();
            }
            let newer = read.get(&key).is_some_and(|(held, _)| *held > version);
            if !newer {
                read.insert(key, (version, standing.clone()));
            }
        }
        Ok(standing)
    }

    fn held(&self, key: &Key, version: i64) -> Option<Arc<Standing>> {
        let read = self.read.lock().ok()?;
        let (held, standing) = read.get(key)?;
        (*held == version).then(|| standing.clone())
    }
}

impl std::fmt::Debug for Standings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Standings").finish_non_exhaustive()
    }
}
