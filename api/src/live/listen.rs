//! The `LISTEN` connection that hears every process's writes on PostgreSQL.

use std::{str::FromStr, sync::Arc, time::Duration};

use sea_orm::{
    DatabaseConnection, DbBackend,
    sqlx::{
        ConnectOptions as _,
        postgres::{PgConnectOptions, PgListener, PgPoolOptions},
    },
};

use super::{CHANNEL, Changes, parse_payload};
use crate::config::PoolSettings;

/// Longest wait between two attempts to connect.
const MAX_BACKOFF: Duration = Duration::from_secs(10);

/// Where the listener connects: the pool's server (which follows a failover), or a URL of its
/// own where the pool goes through PgBouncer in transaction mode (a `LISTEN` there would last
/// one transaction and hear nothing).
#[derive(Clone, Debug)]
pub enum Source {
    Pool,
    Url(Box<PgConnectOptions>),
}

/// Listens on [`CHANNEL`] for as long as the process runs, passing each notification to
/// `changes`; reconnects after a lost connection and then reads the watched tenants' versions
/// again, since notifications sent meanwhile are gone.
pub fn spawn(
    db: DatabaseConnection,
    source: Source,
    changes: Arc<Changes>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut backoff = Duration::from_millis(250);
        loop {
            match listen(&db, &source, &changes).await {
                Ok(()) => backoff = Duration::from_millis(250),
                Err(err) => {
                    tracing::warn!(error = %err, "live updates: listening for writes failed; trying again");
                }
            }
            changes.set_listening(false);
            tokio::time::sleep(backoff).await;
            backoff = (backoff * 2).min(MAX_BACKOFF);
        }
    })
}

/// Where a server on `db` listens, as `settings` say: nowhere on SQLite (one process, which
/// tells itself) and behind PgBouncer without `DATABASE_LISTEN_URL`.
pub fn source(db: &DatabaseConnection, settings: &PoolSettings) -> Result<Option<Source>, String> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(None);
    }
    match &settings.listen_url {
        Some(url) => PgConnectOptions::from_str(url)
            .map(|options| Some(Source::Url(Box::new(options))))
            .map_err(|_| "DATABASE_LISTEN_URL is not a PostgreSQL URL".to_owned()),
        None if settings.pgbouncer => {
            tracing::warn!(
                "live updates: behind PgBouncer without DATABASE_LISTEN_URL, subscribers hear only of this process's writes"
            );
            Ok(None)
        }
        None => Ok(Some(Source::Pool)),
    }
}

/// One connection's life: `LISTEN`, catch up, then pass notifications on until it is lost.
async fn listen(
    db: &DatabaseConnection,
    source: &Source,
    changes: &Changes,
) -> Result<(), sea_orm::sqlx::Error> {
    let options = match source {
        // The pool's options now: after a failover, those of the new primary.
        Source::Pool => db
            .get_postgres_connection_pool()
            .connect_options()
            .as_ref()
            .clone(),
        Source::Url(options) => options.as_ref().clone(),
    };
    // A pool of one of its own, so that the listener never takes a connection from requests.
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .connect_lazy_with(options.disable_statement_logging());
    let mut listener = PgListener::connect_with(&pool).await?;
    // Reconnecting is this loop's job, so that it knows when to catch up.
    listener.eager_reconnect(false);
    listener.listen(CHANNEL).await?;
    changes.set_listening(true);
    if let Err(err) = changes.resync(db).await {
        tracing::warn!(error = %err, "live updates: reading the tenants' versions failed");
    }
    tracing::debug!("live updates: listening for writes");
    while let Some(notification) = listener.try_recv().await? {
        match parse_payload(notification.payload()) {
            Some((tenant, version)) => changes.publish(tenant, version),
            None => tracing::warn!(
                payload = notification.payload(),
                "live updates: a notification not of digidash's form"
            ),
        }
    }
    tracing::warn!("live updates: the listening connection was lost; reconnecting");
    Ok(())
}
