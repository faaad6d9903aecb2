//! Read replicas (`DATABASE_REPLICA_URLS`): which database the reads of a request go to.
//!
//! The viewer, and with it the tenant's `data_version`, is always read from the primary.
//! Every committed write increments that version in its own transaction, and a streaming
//! replica replays commits in order: a replica whose `tenant.data_version` has reached the
//! version the viewer was read at holds every write of the tenant the primary had committed
//! then. So a query asks one replica (round robin among those not marked down) for that
//! version, one cheap statement, and reads from it when it has caught up; otherwise it reads
//! from the primary. A read that follows a write, on any API process, therefore sees it, and
//! the response cache never stores an older answer under a newer version. Mutations, and
//! whatever follows one in the same request, never come here: they use the primary.
//!
//! A replica that fails while it serves a request (a connection lost, a query cancelled by
//! the replica's recovery) is marked down too, and the request's operation runs again on the
//! primary, once: the client gets its answer, not the replica's failure.
//!
//! A replica whose check fails or takes longer than [`CHECK_TIMEOUT`] is marked down for
//! [`RETRY_AFTER`] and skipped meanwhile; its pool waits at most
//! [`crate::db::REPLICA_ACQUIRE_TIMEOUT`] for a connection, so a dead replica costs a request
//! about a second once, then nothing until it is tried again.

use std::{
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use entity::tenant;
use sea_orm::{DatabaseConnection, EntityTrait, QuerySelect};

use crate::{
    config::PoolSettings,
    db::{self, StatementCounter, failover::Failover},
};

/// Longest the catch-up check on a replica may take before the replica counts as down.
pub const CHECK_TIMEOUT: Duration = Duration::from_secs(1);

/// How long a replica that failed is skipped before it is tried again.
pub const RETRY_AFTER: Duration = Duration::from_secs(5);

/// Which database may serve the reads of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Consistency {
    /// The primary: a mutation, or anything after one in the same request.
    Primary,
    /// A replica that has caught up with the viewer's data version, else the primary.
    CaughtUp,
}

/// Why a read that could have gone to a replica went to the primary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fallback {
    /// The replica asked had not replayed the viewer's data version yet.
    Behind,
    /// Every replica is marked down, or the one asked failed its check.
    Down,
}

impl Fallback {
    /// The label in `/metrics`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Behind => "behind",
            Self::Down => "down",
        }
    }
}

struct Replica {
    /// Host, port and database, for logs (never user or password).
    label: String,
    db: DatabaseConnection,
    /// For a URL with several hosts: moves the pool to one that answers.
    failover: Option<Arc<Failover>>,
    down_until: Mutex<Option<Instant>>,
}

impl Replica {
    fn is_up(&self, now: Instant) -> bool {
        self.down_until
            .lock()
            .map_or(true, |until| until.is_none_or(|until| until <= now))
    }

    fn mark_down(&self, why: &str) {
        tracing::warn!(replica = %self.label, reason = why, retry_after_secs = RETRY_AFTER.as_secs(), "read replica skipped");
        if let Ok(mut until) = self.down_until.lock() {
            *until = Some(Instant::now() + RETRY_AFTER);
        }
        // A URL with several hosts may have another that answers by the time it is tried again.
        if let Some(failover) = &self.failover {
            let failover = Arc::clone(failover);
            tokio::spawn(async move {
                let _ = failover.locate().await;
            });
        }
    }

    /// The tenant's data version on this replica; `None` while the tenant is not there yet.
    async fn data_version(&self, tenant_id: i32) -> Result<Option<i64>, String> {
        let query = tenant::Entity::find_by_id(tenant_id)
            .select_only()
            .column(tenant::Column::DataVersion)
            .into_tuple::<i64>()
            .one(&self.db);
        match tokio::time::timeout(CHECK_TIMEOUT, query).await {
            Ok(Ok(version)) => Ok(version),
            Ok(Err(err)) => Err(err.to_string()),
            Err(_) => Err(format!("no answer within {} ms", CHECK_TIMEOUT.as_millis())),
        }
    }
}

/// The read replicas of this process, with their pools and health.
pub struct Replicas {
    members: Vec<Replica>,
    next: AtomicUsize,
}

impl Replicas {
    /// No replicas: everything reads the primary.
    pub fn none() -> Self {
        Self {
            members: Vec::new(),
            next: AtomicUsize::new(0),
        }
    }

    /// Pools for `urls`, counting their statements into the primary's `counter`. Nothing is
    /// connected yet: a replica that is down at start-up is skipped like one that goes down
    /// later.
    pub async fn connect(
        urls: &[String],
        pool: &PoolSettings,
        counter: &StatementCounter,
    ) -> anyhow::Result<Self> {
        let mut members = Vec::with_capacity(urls.len());
        for url in urls {
            let (db, failover) = db::connect_replica(url, pool, counter).await?;
            members.push(Replica {
                label: label(url),
                db,
                failover,
                down_until: Mutex::new(None),
            });
        }
        Ok(Self {
            members,
            next: AtomicUsize::new(0),
        })
    }

    /// How many replicas are configured.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// Whether there are no replicas.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// A replica (its number and pool) that holds `tenant_id` at `data_version` or later, or
    /// why there is none. `Ok(None)` when no replica is configured.
    pub async fn caught_up(
        &self,
        tenant_id: i32,
        data_version: i64,
    ) -> Result<Option<(usize, &DatabaseConnection)>, Fallback> {
        if self.members.is_empty() {
            return Ok(None);
        }
        let now = Instant::now();
        let start = self.next.fetch_add(1, Ordering::Relaxed);
        let count = self.members.len();
        let Some(index) = (0..count)
            .map(|offset| (start + offset) % count)
            .find(|index| self.members[*index].is_up(now))
        else {
            return Err(Fallback::Down);
        };
        let replica = &self.members[index];
        match replica.data_version(tenant_id).await {
            Ok(Some(version)) if version >= data_version => Ok(Some((index, &replica.db))),
            Ok(_) => Err(Fallback::Behind),
            Err(why) => {
                replica.mark_down(&why);
                Err(Fallback::Down)
            }
        }
    }

    /// Marks replica `index` down: it failed while serving a request.
    pub fn mark_down(&self, index: usize, why: &str) {
        if let Some(replica) = self.members.get(index) {
            replica.mark_down(why);
        }
    }

    /// Closes the replicas' pools.
    pub async fn close(&self) {
        for replica in &self.members {
            if let Err(err) = replica.db.close_by_ref().await {
                tracing::warn!(replica = %replica.label, error = %err, "closing a replica pool failed");
            }
        }
    }
}

/// `host:port/db` of a PostgreSQL URL: what a log line may say about a replica.
fn label(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let rest = rest.rsplit_once('@').map_or(rest, |(_, host)| host);
    rest.split('?').next().unwrap_or(rest).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_never_carry_credentials() {
        assert_eq!(
            label("postgres://digidash:s3cret@replica-1:5432/digidash?sslmode=require"),
            "replica-1:5432/digidash"
        );
        assert_eq!(label("postgresql://replica-2/db"), "replica-2/db");
    }

    #[tokio::test]
    async fn a_replica_that_cannot_answer_is_skipped_for_a_while() {
        // Nothing listens on port 1: every connection is refused at once.
        let replicas = Replicas::connect(
            &["postgres://nobody@127.0.0.1:1/none".to_owned()],
            &PoolSettings::default(),
            &StatementCounter::default(),
        )
        .await
        .expect("a lazy pool connects to nothing");
        assert!(matches!(
            replicas.caught_up(1, 0).await,
            Err(Fallback::Down)
        ));
        let started = Instant::now();
        assert!(matches!(
            replicas.caught_up(1, 0).await,
            Err(Fallback::Down)
        ));
        assert!(
            started.elapsed() < Duration::from_millis(200),
            "marked down, it is not asked again"
        );
    }

    #[tokio::test]
    async fn without_replicas_everything_reads_the_primary() {
        let replicas = Replicas::none();
        assert!(replicas.is_empty());
        assert!(matches!(replicas.caught_up(1, 7).await, Ok(None)));
    }
}
