//! One sending run at a time in a deployment: on PostgreSQL a transaction-scoped advisory
//! lock, held by a transaction that stays open for the run (it works through PgBouncer's
//! transaction pooling, where a session lock would not, and ends with the process should it
//! die); with the embedded SQLite database there is one process, and nothing to lock.
//!
//! The lock spares the processes of a deployment from composing the same digests at once;
//! that each digest goes out once a day is the sent-log's to ensure
//! ([`service::notify::log`]).

use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, Statement,
    TransactionTrait,
};

/// The advisory lock's key: "digimail" in ASCII.
const KEY: i64 = 0x6469_6769_6d61_696c;

/// The run's lock; dropping it ends the transaction and so frees the lock.
pub struct RunLock {
    _txn: Option<DatabaseTransaction>,
}

/// Takes the lock if no other process holds it; `None` when one does.
pub async fn try_acquire(db: &DatabaseConnection) -> anyhow::Result<Option<RunLock>> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(Some(RunLock { _txn: None }));
    }
    let txn = db.begin().await?;
    let row = txn
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_try_advisory_xact_lock($1) AS locked",
            [KEY.into()],
        ))
        .await?;
    let locked = match row {
        Some(row) => row.try_get::<bool>("", "locked")?,
        None => false,
    };
    if locked {
        Ok(Some(RunLock { _txn: Some(txn) }))
    } else {
        txn.rollback().await?;
        Ok(None)
    }
}
