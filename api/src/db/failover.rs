//! Finding the server of a URL with several hosts, and finding it again when it fails.
//!
//! libpq tries a URL's hosts in order and takes the first that is what
//! `target_session_attrs` asks for; sqlx knows one host per pool. So the pool of such a URL
//! starts on the host that was found, and a [`Failover`] moves it: every
//! [`CHECK_EVERY`] the watcher asks the pool's server what it is, and when it does not answer
//! or is no longer what is wanted (a primary that was demoted), it asks every host, points the
//! pool at the one that will do and closes the pool's idle connections to the old one. A
//! promoted standby is therefore found within about a second and without a restart; while no
//! host will do, [`Failover::available`] is false and requests are refused at once with
//! `DATABASE_UNAVAILABLE` (and `/readyz` answers 503) instead of waiting for a connection.

use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicUsize, Ordering},
    },
    time::Duration,
};

use sea_orm::{
    DatabaseConnection,
    sqlx::{
        self, Connection,
        postgres::{PgConnectOptions, PgConnection, PgPool},
    },
};

use super::hosts::{HostList, ServerState, Want};

/// How often the watcher asks the current server what it is.
pub const CHECK_EVERY: Duration = Duration::from_secs(1);

/// Longest one host may take to connect and answer before the next is asked.
pub const PROBE_TIMEOUT: Duration = Duration::from_secs(2);

/// One question, the two answers libpq's `target_session_attrs` looks at.
const STATE_SQL: &str =
    "SELECT pg_is_in_recovery(), current_setting('transaction_read_only') = 'on'";

/// The hosts of one URL and the one its pool talks to.
pub struct Failover {
    /// What the URL is, for logs: `DATABASE_URL` or a replica's label.
    role: String,
    list: HostList,
    pool: PgPool,
    current: AtomicUsize,
    available: AtomicBool,
    /// One search at a time; a second caller waits for the first one's result.
    search: tokio::sync::Mutex<()>,
}

impl Failover {
    /// Watches `db`, a pool on the first host of `list` (nothing is connected yet).
    pub fn new(role: impl Into<String>, list: HostList, db: &DatabaseConnection) -> Arc<Self> {
        Arc::new(Self {
            role: role.into(),
            list,
            pool: db.get_postgres_connection_pool().clone(),
            current: AtomicUsize::new(0),
            available: AtomicBool::new(true),
            search: tokio::sync::Mutex::new(()),
        })
    }

    /// Whether a host that will do was found at the last look.
    pub fn available(&self) -> bool {
        self.available.load(Ordering::Relaxed)
    }

    /// The host the pool talks to, as `host:port`.
    pub fn current(&self) -> String {
        self.list.hosts[self.current.load(Ordering::Relaxed)].to_string()
    }

    /// Checks the hosts now and points the pool at the first that will do; `Err` names what
    /// each host said when none will.
    pub async fn locate(&self) -> Result<(), String> {
        let _one = self.search.lock().await;
        let found = self.find().await;
        match found {
            Ok(index) => {
                let before = self.current.swap(index, Ordering::Relaxed);
                if before != index {
                    self.move_pool(index);
                    tracing::warn!(
                        database = %self.role,
                        from = %self.list.hosts[before],
                        to = %self.list.hosts[index],
                        "database server changed"
                    );
                }
                if !self.available.swap(true, Ordering::Relaxed) {
                    tracing::info!(database = %self.role, host = %self.list.hosts[index], "database server available again");
                }
                Ok(())
            }
            Err(why) => {
                if self.available.swap(false, Ordering::Relaxed) {
                    tracing::error!(database = %self.role, hosts = %why, "no database server will do; requests are refused until one does");
                }
                Err(why)
            }
        }
    }

    /// Every [`CHECK_EVERY`], asks the current server; searches the hosts when it fails.
    pub fn watch(self: &Arc<Self>) -> tokio::task::JoinHandle<()> {
        let this = Arc::clone(self);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(CHECK_EVERY);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                let state = tokio::time::timeout(PROBE_TIMEOUT, current_state(&this.pool)).await;
                let fine = matches!(state, Ok(Ok(state)) if this.list.want.accepts(state));
                if fine && this.available() {
                    continue;
                }
                // Logged by `locate` when the outcome changes.
                let _ = this.locate().await;
            }
        })
    }

    /// The index of the first host that will do (for `prefer-standby`, a standby first).
    async fn find(&self) -> Result<usize, String> {
        let base = self.pool.connect_options();
        let mut states = Vec::with_capacity(self.list.hosts.len());
        for (index, host) in self.list.hosts.iter().enumerate() {
            let options = (*base).clone().host(&host.host).port(host.port);
            let state = probe(&options).await;
            if let Ok(state) = state
                && self.list.want.accepts(state)
            {
                return Ok(index);
            }
            states.push(state);
        }
        if self.list.want == Want::PreferStandby
            && let Some(index) = states.iter().position(Result::is_ok)
        {
            return Ok(index);
        }
        Err(self
            .list
            .hosts
            .iter()
            .zip(&states)
            .map(|(host, state)| match state {
                Ok(state) if state.in_recovery => format!("{host}: a standby"),
                Ok(state) if state.read_only => format!("{host}: read-only"),
                Ok(_) => format!("{host}: a primary"),
                Err(err) => format!("{host}: {err}"),
            })
            .collect::<Vec<_>>()
            .join("; "))
    }

    /// Points the pool at host `index`: new connections go there, idle ones to the old host
    /// are closed (one in use is closed by the failure of its request, or its next test).
    fn move_pool(&self, index: usize) {
        let host = &self.list.hosts[index];
        let options = (*self.pool.connect_options())
            .clone()
            .host(&host.host)
            .port(host.port);
        self.pool.set_connect_options(options);
        for _ in 0..self.pool.size() {
            let Some(mut idle) = self.pool.try_acquire() else {
                break;
            };
            idle.close_on_drop();
        }
    }
}

/// What the pool's server is, on a connection of the pool.
async fn current_state(pool: &PgPool) -> Result<ServerState, sqlx::Error> {
    let (in_recovery, read_only) = sqlx::query_as::<_, (bool, bool)>(STATE_SQL)
        .fetch_one(pool)
        .await?;
    Ok(ServerState {
        in_recovery,
        read_only,
    })
}

/// What one host is, on a connection of its own (closed again).
async fn probe(options: &PgConnectOptions) -> Result<ServerState, String> {
    let asked = async {
        let mut conn = PgConnection::connect_with(options).await?;
        let (in_recovery, read_only) = sqlx::query_as::<_, (bool, bool)>(STATE_SQL)
            .fetch_one(&mut conn)
            .await?;
        let _ = conn.close().await;
        Ok::<_, sqlx::Error>(ServerState {
            in_recovery,
            read_only,
        })
    };
    match tokio::time::timeout(PROBE_TIMEOUT, asked).await {
        Ok(Ok(state)) => Ok(state),
        Ok(Err(err)) => Err(short_error(&err)),
        Err(_) => Err(format!("no answer within {} s", PROBE_TIMEOUT.as_secs())),
    }
}

/// The reason a host did not answer, without connection details.
fn short_error(err: &sqlx::Error) -> String {
    match err {
        sqlx::Error::Io(io) => io.kind().to_string(),
        sqlx::Error::Database(db) => db.message().to_owned(),
        other => other.to_string().chars().take(120).collect(),
    }
}
