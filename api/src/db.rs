//! Opening the database and bringing its schema up to date.

use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend};

use crate::config::DatabaseTarget;

/// Counts the SQL statements a connection runs (for the statement-count tests and metrics).
#[derive(Debug, Clone, Default)]
pub struct StatementCounter(Arc<AtomicU64>);

impl StatementCounter {
    /// Statements run so far.
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// Connects to the database and counts its statements.
pub async fn connect(
    target: &DatabaseTarget,
) -> anyhow::Result<(DatabaseConnection, StatementCounter)> {
    let mut options = ConnectOptions::new(target.url());
    options
        .sqlx_logging(false)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10));
    if let DatabaseTarget::Sqlite(_) = target {
        // SQLite serialises writers; a small pool avoids lock contention.
        options.max_connections(4);
    }
    let mut db = Database::connect(options)
        .await
        .map_err(|err| anyhow::anyhow!("cannot open the database: {err}"))?;
    if db.get_database_backend() == DbBackend::Sqlite {
        db.execute_unprepared("PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;")
            .await?;
    }
    let counter = StatementCounter::default();
    let count = counter.0.clone();
    db.set_metric_callback(move |info| {
        // Placeholders only: bound values (which may be personal data) are not logged.
        tracing::trace!(target: "digidash::sql", sql = %info.statement.sql, elapsed = ?info.elapsed, failed = info.failed);
        count.fetch_add(1, Ordering::Relaxed);
    });
    Ok((db, counter))
}

/// Applies every pending migration.
pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None)
        .await
        .map_err(|err| anyhow::anyhow!("migrating the database failed: {err}"))
}
