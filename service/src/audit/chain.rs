//! The audit trail as a hash chain per tenant, so that a change made to it behind the API's
//! back shows.
//!
//! Each entry carries the hash of the tenant's entry before it (`prev_hash`) and its own
//! `hash`: SHA-256 over that previous hash and the entry's content (tenant, time, actor, role,
//! action, subject, owner, changes; not its own id, which the order of the chain stands for).
//! A tenant imported from a file gets new ids, and its chain is sealed anew. The tenant row
//! keeps the hash of its last entry, the chain's head
//! (`audit_head`). Writes of a tenant take the head in their transaction, locked
//! (`FOR UPDATE` on PostgreSQL; SQLite's writes are serial anyway), so the chain is serial per
//! tenant and needs no lock across tenants.
//!
//! [`verify`] walks a tenant's chain and names the first entry that was changed, removed or
//! inserted out of order; [`seal`] chains entries that have no hash yet (written before the
//! chain existed, or copied in by a tenant import).

use chrono::{DateTime, SubsecRound, Utc};
use entity::{audit_entry, tenant};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::error::{ApiError, ApiResult};

/// The time of an entry as stored: both databases keep microseconds.
pub fn stored_time(at: DateTime<Utc>) -> DateTime<Utc> {
    at.trunc_subsecs(6)
}

/// The hash of an entry that follows `prev`.
pub fn hash(prev: Option<&str>, e: &audit_entry::Model) -> String {
    let content = serde_json::json!([
        prev,
        e.tenant_id,
        stored_time(e.at).to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        e.actor,
        e.actor_name,
        e.role,
        e.action,
        e.subject_type,
        e.subject_id,
        e.org_unit_id,
        canonical(&e.changes),
    ]);
    format!("{:x}", Sha256::digest(content.to_string().as_bytes()))
}

/// JSON with the keys of every object sorted, whatever order the database gives them back
/// in (PostgreSQL's `jsonb` has its own).
fn canonical(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            // Written as an array of pairs: the order survives any map type.
            Value::Array(
                keys.into_iter()
                    .map(|k| Value::Array(vec![Value::String(k.clone()), canonical(&map[k])]))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(items.iter().map(canonical).collect()),
        other => other.clone(),
    }
}

/// The head of a tenant's chain, locked for the rest of the transaction on PostgreSQL.
pub async fn head<C: ConnectionTrait>(txn: &C, tenant_id: i32) -> ApiResult<Option<String>> {
    let mut select = tenant::Entity::find_by_id(tenant_id)
        .select_only()
        .column(tenant::Column::AuditHead);
    if txn.get_database_backend() == DbBackend::Postgres {
        select = select.lock_exclusive();
    }
    Ok(select
        .into_tuple::<Option<String>>()
        .one(txn)
        .await?
        .flatten())
}

/// Stores a new head.
pub async fn set_head<C: ConnectionTrait>(txn: &C, tenant_id: i32, head: &str) -> ApiResult<()> {
    tenant::Entity::update_many()
        .col_expr(tenant::Column::AuditHead, Some(head.to_owned()).into())
        .filter(tenant::Column::Id.eq(tenant_id))
        .exec(txn)
        .await?;
    Ok(())
}

/// Chains the entries of a tenant that have no hash yet, in the order of their ids, after
/// the last one that has; returns how many were sealed.
pub async fn seal<C: ConnectionTrait>(txn: &C, tenant_id: i32) -> ApiResult<usize> {
    let unsealed = audit_entry::Entity::find()
        .filter(audit_entry::Column::TenantId.eq(tenant_id))
        .filter(audit_entry::Column::Hash.is_null())
        .order_by_asc(audit_entry::Column::Id)
        .all(txn)
        .await?;
    if unsealed.is_empty() {
        return Ok(0);
    }
    let mut prev = head(txn, tenant_id).await?;
    for entry in &unsealed {
        let h = hash(prev.as_deref(), entry);
        audit_entry::Entity::update_many()
            .col_expr(audit_entry::Column::PrevHash, prev.clone().into())
            .col_expr(audit_entry::Column::Hash, Some(h.clone()).into())
            .filter(audit_entry::Column::Id.eq(entry.id))
            .exec(txn)
            .await?;
        prev = Some(h);
    }
    if let Some(head) = &prev {
        set_head(txn, tenant_id, head).await?;
    }
    Ok(unsealed.len())
}

/// Seals the entries of the tenants whose chain has not begun: once, after the migration that
/// brought the chain. A tenant with a head is never sealed again here, so an entry slipped
/// into its trail later stays unsealed, and [`verify`] names it.
pub async fn seal_all<C: ConnectionTrait>(db: &C) -> ApiResult<usize> {
    let unchained: Vec<i32> = tenant::Entity::find()
        .select_only()
        .column(tenant::Column::Id)
        .filter(tenant::Column::AuditHead.is_null())
        .into_tuple()
        .all(db)
        .await?;
    let tenants: Vec<i32> = audit_entry::Entity::find()
        .select_only()
        .column(audit_entry::Column::TenantId)
        .filter(audit_entry::Column::Hash.is_null())
        .filter(audit_entry::Column::TenantId.is_in(unchained))
        .distinct()
        .into_tuple()
        .all(db)
        .await?;
    let mut sealed = 0;
    for tenant in tenants {
        sealed += seal(db, tenant).await?;
    }
    Ok(sealed)
}

/// Re-chains every entry of a tenant from the first (a tenant imported under new ids).
pub async fn reseal<C: ConnectionTrait>(txn: &C, tenant_id: i32) -> ApiResult<usize> {
    audit_entry::Entity::update_many()
        .col_expr(audit_entry::Column::PrevHash, None::<String>.into())
        .col_expr(audit_entry::Column::Hash, None::<String>.into())
        .filter(audit_entry::Column::TenantId.eq(tenant_id))
        .exec(txn)
        .await?;
    tenant::Entity::update_many()
        .col_expr(tenant::Column::AuditHead, None::<String>.into())
        .filter(tenant::Column::Id.eq(tenant_id))
        .exec(txn)
        .await?;
    seal(txn, tenant_id).await
}

/// What [`verify`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Every entry verifies and the head names the last one.
    Intact {
        entries: usize,
        head: Option<String>,
    },
    /// The first place where the chain does not hold, for people.
    Broken { entry: Option<i32>, problem: String },
}

/// Walks a tenant's chain from its first entry.
pub async fn verify<C: ConnectionTrait>(db: &C, tenant_id: i32) -> ApiResult<Verdict> {
    let head = tenant::Entity::find_by_id(tenant_id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("tenant"))?
        .audit_head;
    let entries = audit_entry::Entity::find()
        .filter(audit_entry::Column::TenantId.eq(tenant_id))
        .order_by_asc(audit_entry::Column::Id)
        .all(db)
        .await?;
    let mut prev: Option<String> = None;
    let mut prev_id: Option<i32> = None;
    for e in &entries {
        let Some(stored) = &e.hash else {
            return Ok(broken(e.id, "has no hash: it was inserted behind the API's back, or the chain was never sealed (run `digidash migrate`)".into()));
        };
        if e.prev_hash != prev {
            let after = prev_id.map_or_else(|| "the start".to_owned(), |id| format!("entry {id}"));
            return Ok(broken(
                e.id,
                format!(
                    "does not follow {after}: an entry between them was removed, or this one was inserted out of order"
                ),
            ));
        }
        if &hash(prev.as_deref(), e) != stored {
            return Ok(broken(e.id, "was changed after it was written".into()));
        }
        prev = Some(stored.clone());
        prev_id = Some(e.id);
    }
    if head != prev {
        return Ok(Verdict::Broken {
            entry: prev_id,
            problem: match prev_id {
                Some(id) => format!(
                    "the chain's head is not entry {id}, the last one: entries after it were removed"
                ),
                None => "the tenant has a chain head but no entries: they were removed".into(),
            },
        });
    }
    Ok(Verdict::Intact {
        entries: entries.len(),
        head,
    })
}

fn broken(entry: i32, problem: String) -> Verdict {
    Verdict::Broken {
        entry: Some(entry),
        problem: format!("entry {entry} {problem}"),
    }
}
