//! The database connection pool's settings.

use std::time::Duration;

use clap::Args;

use super::{defaults::from_flags, seconds::parse_seconds};

/// The database connection pool.
#[derive(Args, Debug, Clone)]
pub struct PoolSettings {
    /// Longest one SQL statement may run (PostgreSQL `statement_timeout`; SQLite waits this
    /// long for a lock); 0 = no limit.
    #[arg(
        long,
        env = "DB_STATEMENT_TIMEOUT_MS",
        default_value_t = 10_000,
        global = true
    )]
    pub statement_timeout_ms: u64,
    /// Longest a request waits for a database connection before it is answered with
    /// `DATABASE_UNAVAILABLE` (seconds, fractions allowed).
    #[arg(long = "db-acquire-timeout-secs", env = "DB_ACQUIRE_TIMEOUT_SECS", default_value = "5", global = true, value_parser = parse_seconds)]
    pub acquire_timeout: Duration,
    /// Most open database connections (PostgreSQL; SQLite uses 4), per pool: the primary's and
    /// each replica's.
    #[arg(long, env = "DB_MAX_CONNECTIONS", default_value_t = 10, global = true)]
    pub max_connections: u32,
    /// The PostgreSQL URLs lead to PgBouncer in transaction pooling mode: no statement cache,
    /// no startup options, every pool checkout one transaction (see `pgbouncer`).
    #[arg(long, env = "DATABASE_PGBOUNCER", default_value_t = false, action = clap::ArgAction::Set, global = true)]
    pub pgbouncer: bool,
    /// A direct PostgreSQL URL for the one connection that hears the writes of every process
    /// (`LISTEN`, for the `dataChanged` subscription), where `DATABASE_URL` leads to PgBouncer
    /// in transaction pooling mode: a `LISTEN` there lasts one transaction. Without it behind
    /// PgBouncer, subscribers hear only of their own process's writes.
    #[arg(
        long,
        env = "DATABASE_LISTEN_URL",
        hide_env_values = true,
        global = true
    )]
    pub listen_url: Option<String>,
}

/// The defaults of the flags above, read from no environment variable.
impl Default for PoolSettings {
    fn default() -> Self {
        from_flags()
    }
}
