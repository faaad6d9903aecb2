//! Opening the database and bringing its schema up to date.

pub mod failover;
pub mod hosts;

use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use migration::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr,
    TransactionTrait,
};

use self::{
    failover::Failover,
    hosts::{HostList, Want},
};
use crate::config::{DatabaseTarget, PoolSettings};

/// Counts the SQL statements a connection runs (for the statement-count tests and metrics).
#[derive(Debug, Clone, Default)]
pub struct StatementCounter(Arc<AtomicU64>);

impl StatementCounter {
    /// Statements run so far.
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// Longest a request waits for a connection of a read replica, and a new connection to one
/// may take: a replica that is down costs a request this much once, then it is skipped.
pub const REPLICA_ACQUIRE_TIMEOUT: Duration = Duration::from_secs(1);

/// Connects to the database and counts its statements.
///
/// The pool is set up to survive a database restart: a connection that sat idle is tested
/// before it is handed out (a dead one is replaced, see `ping_when_idle`), a request waits
/// at most `DB_ACQUIRE_TIMEOUT_SECS` for one (then `DATABASE_UNAVAILABLE`), and every
/// PostgreSQL session gets `statement_timeout`.
/// A `DATABASE_URL` with several hosts connects to the one that accepts writes.
pub async fn connect(
    target: &DatabaseTarget,
    pool: &PoolSettings,
) -> anyhow::Result<(DatabaseConnection, StatementCounter)> {
    let (db, counter, _) = connect_watched(target, pool).await?;
    Ok((db, counter))
}

/// Like [`connect`]; for a `DATABASE_URL` with several hosts also the [`Failover`] that finds
/// the primary again when it changes (the server starts its watcher; a CLI command does not
/// live long enough to need it).
pub async fn connect_watched(
    target: &DatabaseTarget,
    pool: &PoolSettings,
) -> anyhow::Result<(DatabaseConnection, StatementCounter, Option<Arc<Failover>>)> {
    let counter = StatementCounter::default();
    let hosts = match target {
        DatabaseTarget::Postgres(url) if hosts::names_several(url) => Some(primary_hosts(url)?),
        _ => None,
    };
    let url = hosts
        .as_ref()
        .map_or_else(|| target.url(), |hosts| hosts.url(0));
    let mut options = pool_options(url, pool, pool.acquire_timeout);
    match target {
        DatabaseTarget::Sqlite(_) => {
            // SQLite serialises writers; a small pool avoids lock contention. A writer waits
            // for the lock at most as long as a statement may run.
            options.max_connections(4);
            let statement_timeout = Duration::from_millis(pool.statement_timeout_ms);
            if !statement_timeout.is_zero() {
                options.map_sqlx_sqlite_opts(move |opts| opts.busy_timeout(statement_timeout));
            }
        }
        DatabaseTarget::Postgres(_) => postgres_session(&mut options, pool),
    }
    // Which host to connect to is known only after asking them.
    options.connect_lazy(hosts.is_some());
    let mut db = Database::connect(options)
        .await
        .map_err(|err| anyhow::anyhow!("cannot open the database: {err}"))?;
    let failover = match hosts {
        Some(hosts) => {
            let count = hosts.hosts.len();
            let failover = Failover::new("DATABASE_URL", hosts, &db);
            failover.locate().await.map_err(|why| {
                anyhow::anyhow!("none of the {count} hosts of DATABASE_URL will do: {why}")
            })?;
            tracing::info!(host = %failover.current(), "connected to the primary");
            Some(failover)
        }
        None => None,
    };
    if db.get_database_backend() == DbBackend::Sqlite {
        db.execute_unprepared("PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;")
            .await?;
    }
    count_statements(&mut db, &counter);
    Ok((db, counter, failover))
}

/// The hosts of `DATABASE_URL`: it must name a server that takes writes.
fn primary_hosts(url: &str) -> anyhow::Result<HostList> {
    let hosts = HostList::parse(url, Want::ReadWrite)
        .map_err(|why| anyhow::anyhow!("DATABASE_URL: {why}"))?;
    anyhow::ensure!(
        hosts.want.writable(),
        "DATABASE_URL must name the primary: its target_session_attrs may be read-write, primary or any"
    );
    Ok(hosts)
}

/// A pool for a PostgreSQL read replica, counting into the primary's `counter`. It connects
/// lazily, so a replica that is down does not keep the server from starting, and it gives up
/// on a connection after [`REPLICA_ACQUIRE_TIMEOUT`] rather than `DB_ACQUIRE_TIMEOUT_SECS`.
/// A URL with several hosts comes with the [`Failover`] that moves the pool among them (any
/// host that answers, unless its `target_session_attrs` says otherwise).
pub async fn connect_replica(
    url: &str,
    pool: &PoolSettings,
    counter: &StatementCounter,
) -> anyhow::Result<(DatabaseConnection, Option<Arc<Failover>>)> {
    let hosts = if hosts::names_several(url) {
        Some(
            HostList::parse(url, Want::Any)
                .map_err(|why| anyhow::anyhow!("a read replica's URL: {why}"))?,
        )
    } else {
        None
    };
    let url = hosts
        .as_ref()
        .map_or_else(|| url.to_owned(), |hosts| hosts.url(0));
    let mut options = pool_options(url, pool, REPLICA_ACQUIRE_TIMEOUT.min(pool.acquire_timeout));
    options.connect_lazy(true);
    postgres_session(&mut options, pool);
    let mut db = Database::connect(options)
        .await
        .map_err(|err| anyhow::anyhow!("cannot set up a read replica: {err}"))?;
    count_statements(&mut db, counter);
    let failover = hosts.map(|hosts| Failover::new("a read replica", hosts, &db));
    Ok((db, failover))
}

fn pool_options(url: String, pool: &PoolSettings, acquire_timeout: Duration) -> ConnectOptions {
    let mut options = ConnectOptions::new(url);
    options
        .sqlx_logging(false)
        .connect_timeout(acquire_timeout.max(Duration::from_secs(1)))
        .acquire_timeout(acquire_timeout)
        .test_before_acquire(true)
        .max_connections(pool.max_connections);
    options
}

/// A connection that went back to the pool less than this ago is handed out without a ping.
const ALIVE_WITHOUT_PING: Duration = Duration::from_millis(500);

/// Tests a PostgreSQL connection before it is handed out only when it sat idle for
/// [`ALIVE_WITHOUT_PING`] or longer, as HikariCP's `aliveBypassWindowMs` does. A ping is a
/// round trip, and the pool already pings every connection it takes back (sqlx does, always):
/// a dashboard's dozen statements paid a dozen round trips more, for connections that had
/// answered a moment before. A connection that died since is found by the statement, which
/// fails as `DATABASE_UNAVAILABLE` like any statement during an outage, and is not taken back.
fn ping_when_idle(options: &mut ConnectOptions) {
    options.test_before_acquire(false);
    options.map_sqlx_postgres_pool_opts(|pool| {
        pool.before_acquire(|conn, meta| {
            Box::pin(async move {
                if meta.idle_for < ALIVE_WITHOUT_PING {
                    return Ok(true);
                }
                sea_orm::sqlx::Connection::ping(conn).await.map(|()| true)
            })
        })
    });
}

/// `statement_timeout` on every PostgreSQL session: a startup parameter, or behind PgBouncer
/// (which refuses it) a `SET LOCAL` in the transaction of every checkout. Without PgBouncer
/// (whose checkout `BEGIN` tests a connection anyway), idle connections are pinged before use.
fn postgres_session(options: &mut ConnectOptions, pool: &PoolSettings) {
    if pool.pgbouncer {
        crate::pgbouncer::configure(options, pool.statement_timeout_ms);
        return;
    }
    ping_when_idle(options);
    if pool.statement_timeout_ms > 0 {
        let value = pool.statement_timeout_ms.to_string();
        options.map_sqlx_postgres_opts(move |opts| {
            opts.options([("statement_timeout", value.as_str())])
        });
    }
}

fn count_statements(db: &mut DatabaseConnection, counter: &StatementCounter) {
    let count = counter.0.clone();
    db.set_metric_callback(move |info| {
        // Placeholders only: bound values (which may be personal data) are not logged.
        tracing::trace!(target: "digidash::sql", sql = %info.statement.sql, elapsed = ?info.elapsed, failed = info.failed);
        count.fetch_add(1, Ordering::Relaxed);
    });
}

/// Applies every pending migration; on PostgreSQL in one transaction, all or none, and
/// without the sessions' `statement_timeout`, which is a limit for requests: a migration
/// that fills a column at state scale (1.4 million status reports) takes longer.
///
/// One transaction also keeps the migrator's bookkeeping (it creates its table outside any
/// migration) on one connection: behind PgBouncer a statement outside a transaction commits
/// only when its connection goes back to the pool, possibly after the next one has looked.
pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    let failed = |err: DbErr| anyhow::anyhow!("migrating the database failed: {err}");
    if db.get_database_backend() != DbBackend::Postgres {
        let seal_after = chain_pending(db).await.map_err(failed)?;
        Migrator::up(db, None).await.map_err(failed)?;
        return seal(db, seal_after).await;
    }
    let txn = db.begin().await.map_err(failed)?;
    txn.execute_unprepared("SET LOCAL statement_timeout = 0")
        .await
        .map_err(failed)?;
    let seal_after = chain_pending(&txn).await.map_err(failed)?;
    Migrator::up(&txn, None).await.map_err(failed)?;
    seal(&txn, seal_after).await?;
    txn.commit().await.map_err(failed)
}

/// Whether the audit chain's migration is about to run: then the entries written before it
/// are sealed after it. Later starts do not look (an entry without a hash found later is one
/// slipped in).
async fn chain_pending<C: sea_orm::ConnectionTrait>(db: &C) -> Result<bool, DbErr> {
    Ok(Migrator::get_pending_migrations(db)
        .await?
        .iter()
        .any(|m| m.name() == migration::AUDIT_CHAIN))
}

/// Chains the audit entries written before the chain existed, when its migration just ran.
async fn seal(db: &impl sea_orm::ConnectionTrait, wanted: bool) -> anyhow::Result<()> {
    if !wanted {
        return Ok(());
    }
    let sealed = service::audit::chain::seal_all(db)
        .await
        .map_err(|err| anyhow::anyhow!("sealing the audit trail failed: {err}"))?;
    if sealed > 0 {
        tracing::info!(entries = sealed, "audit entries chained");
    }
    Ok(())
}
