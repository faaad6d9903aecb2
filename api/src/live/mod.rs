//! Live updates: which data version each tenant is at, as far as this process has learnt, so
//! that the `dataChanged` subscription can tell a dashboard to refetch.
//!
//! A write bumps its tenant's `data_version` in its own transaction. On PostgreSQL a trigger
//! (migration 000032) sends `NOTIFY digidash_data_changed, '<tenant id>:<version>'` with it,
//! which PostgreSQL delivers at commit, to every process (and never for a rolled-back write);
//! [`listen`] passes it on here. On SQLite, or where no listener runs, the GraphQL endpoint
//! reads the version after a mutation of a tenant someone here is watching
//! ([`Changes::after_write`]). Either way a version only moves forward, so hearing of a write
//! twice (from both) tells the subscriber once.

pub mod listen;

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use sea_orm::{DatabaseConnection, EntityTrait, QuerySelect};
use tokio::sync::watch;

/// The PostgreSQL channel the trigger notifies.
pub const CHANNEL: &str = "digidash_data_changed";

/// The latest data version known per tenant, with the subscribers waiting on it.
#[derive(Debug, Default)]
pub struct Changes {
    tenants: Mutex<HashMap<i32, watch::Sender<i64>>>,
    /// Whether a `LISTEN` connection delivers every process's writes (PostgreSQL).
    listening: std::sync::atomic::AtomicBool,
}

impl Changes {
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    /// Watches `tenant`, whose version the caller read as `current`.
    pub fn subscribe(&self, tenant: i32, current: i64) -> watch::Receiver<i64> {
        let mut tenants = self.tenants.lock().unwrap_or_else(|e| e.into_inner());
        let sender = tenants
            .entry(tenant)
            .or_insert_with(|| watch::Sender::new(current));
        raise(sender, current);
        sender.subscribe()
    }

    /// Learns that `tenant` is at `version` (or later); subscribers hear of it when it is news.
    pub fn publish(&self, tenant: i32, version: i64) {
        let mut tenants = self.tenants.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(sender) = tenants.get(&tenant) {
            raise(sender, version);
            // Nobody watches any more: forget the tenant.
            if sender.receiver_count() == 0 {
                tenants.remove(&tenant);
            }
        }
    }

    /// Whether someone on this process watches `tenant`.
    pub fn watched(&self, tenant: i32) -> bool {
        let tenants = self.tenants.lock().unwrap_or_else(|e| e.into_inner());
        tenants.get(&tenant).is_some_and(|s| s.receiver_count() > 0)
    }

    /// Marks whether a listener delivers the writes of every process.
    pub(crate) fn set_listening(&self, on: bool) {
        self.listening
            .store(on, std::sync::atomic::Ordering::Relaxed);
    }

    /// After a mutation of `tenant` on this process: where no listener brings the news, reads
    /// the tenant's version and publishes it, when someone here watches the tenant (one
    /// statement, and none at all for a tenant nobody watches).
    pub async fn after_write(&self, db: &DatabaseConnection, tenant: i32) {
        if self.listening.load(std::sync::atomic::Ordering::Relaxed) || !self.watched(tenant) {
            return;
        }
        if let Ok(Some(version)) = version_of(db, tenant).await {
            self.publish(tenant, version);
        }
    }

    /// Reads every watched tenant's version again: after a listener (re)connects, the
    /// notifications sent while it was away are lost.
    pub async fn resync(&self, db: &DatabaseConnection) -> Result<(), sea_orm::DbErr> {
        let watched: Vec<i32> = {
            let tenants = self.tenants.lock().unwrap_or_else(|e| e.into_inner());
            tenants.keys().copied().collect()
        };
        if watched.is_empty() {
            return Ok(());
        }
        for (tenant, version) in versions(db).await? {
            if watched.contains(&tenant) {
                self.publish(tenant, version);
            }
        }
        Ok(())
    }
}

/// Moves the sender's version up to `version`, telling its receivers only when it moved.
fn raise(sender: &watch::Sender<i64>, version: i64) {
    sender.send_if_modified(|known| {
        let news = version > *known;
        if news {
            *known = version;
        }
        news
    });
}

/// The tenant's data version now.
pub async fn version_of(
    db: &DatabaseConnection,
    tenant: i32,
) -> Result<Option<i64>, sea_orm::DbErr> {
    entity::tenant::Entity::find_by_id(tenant)
        .select_only()
        .column(entity::tenant::Column::DataVersion)
        .into_tuple::<i64>()
        .one(db)
        .await
}

/// Every tenant's data version now.
async fn versions(db: &DatabaseConnection) -> Result<Vec<(i32, i64)>, sea_orm::DbErr> {
    entity::tenant::Entity::find()
        .select_only()
        .column(entity::tenant::Column::Id)
        .column(entity::tenant::Column::DataVersion)
        .into_tuple::<(i32, i64)>()
        .all(db)
        .await
}

/// Reads a notification's payload, `<tenant id>:<version>`.
pub fn parse_payload(payload: &str) -> Option<(i32, i64)> {
    let (tenant, version) = payload.split_once(':')?;
    Some((tenant.parse().ok()?, version.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_only_move_forward() {
        let changes = Changes::default();
        let mut seen = changes.subscribe(7, 3);
        changes.publish(7, 2);
        assert!(!seen.has_changed().unwrap());
        changes.publish(7, 5);
        assert!(seen.has_changed().unwrap());
        assert_eq!(*seen.borrow_and_update(), 5);
        changes.publish(7, 5);
        assert!(!seen.has_changed().unwrap());
        // Another tenant's news is not this one's.
        changes.publish(8, 9);
        assert!(!seen.has_changed().unwrap());
    }

    #[test]
    fn a_tenant_nobody_watches_is_forgotten() {
        let changes = Changes::default();
        let seen = changes.subscribe(7, 1);
        assert!(changes.watched(7));
        drop(seen);
        changes.publish(7, 2);
        assert!(!changes.watched(7));
        assert!(changes.tenants.lock().unwrap().is_empty());
    }

    #[test]
    fn payloads() {
        assert_eq!(parse_payload("12:345"), Some((12, 345)));
        assert_eq!(parse_payload("12"), None);
        assert_eq!(parse_payload("x:1"), None);
    }
}
