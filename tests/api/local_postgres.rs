//! The production topology in miniature, on this machine: a streaming replica of the local
//! PostgreSQL server (a second cluster made with `pg_basebackup`) and a PgBouncer in
//! transaction pooling mode, each on a free port in a temporary directory, run as the
//! `postgres` user, and stopped and removed when dropped (also when a test fails).
//!
//! Outside CI a missing program skips the test; with `CI=true` it fails it (`.ci/run` installs
//! PgBouncer and allows replication connections).

use std::{
    path::{Path, PathBuf},
    process::{Command, Output},
    sync::atomic::{AtomicU32, Ordering},
    time::{Duration, Instant},
};

use sea_orm::{ConnectionTrait, Database, DbBackend, Statement};

use crate::helpers::postgres_admin_url;

static DIRS: AtomicU32 = AtomicU32::new(0);

/// Says that a test is skipped because `what` is missing; fails it in CI.
pub(crate) fn missing(what: &str) {
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "the topology tests must run in CI, but {what}"
    );
    eprintln!("skipping a topology test: {what}");
}

/// A free TCP port on the loopback address (free when asked; nothing else here takes ports).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port()
}

/// Whether this process runs as root, so that the servers must run as `postgres`.
fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
}

/// Runs `program` as the `postgres` user (as ourselves when we are not root).
pub(crate) fn run_as_postgres(program: &Path, args: &[&str]) -> Output {
    let mut command = if is_root() {
        let mut command = Command::new("runuser");
        command.args(["-u", "postgres", "--"]).arg(program);
        command
    } else {
        Command::new(program)
    };
    command
        .args(args)
        .output()
        .unwrap_or_else(|err| panic!("cannot run {}: {err}", program.display()))
}

pub(crate) fn check(output: Output, what: &str) {
    assert!(
        output.status.success(),
        "{what} failed: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A new directory for one server, owned by `postgres` with mode 0700.
pub(crate) fn server_dir(prefix: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "{prefix}-{}-{}",
        std::process::id(),
        DIRS.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).expect("server directory");
    if is_root() {
        check(
            Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(&dir)
                .output()
                .expect("chown"),
            "chown",
        );
    }
    check(
        Command::new("chmod")
            .arg("700")
            .arg(&dir)
            .output()
            .expect("chmod"),
        "chmod",
    );
    dir
}

/// Writes `content` to `path` as a file the servers (running as `postgres`) can read.
pub(crate) fn write_config(path: &Path, content: &str) {
    std::fs::write(path, content).expect("config file");
    if is_root() {
        let _ = Command::new("chown")
            .args(["postgres:postgres"])
            .arg(path)
            .output();
    }
}

/// Host, port and user of the PostgreSQL server the tests use (`TEST_POSTGRES_URL`).
fn primary_address() -> (String, u16, String) {
    let url = postgres_admin_url();
    let rest = url.split_once("://").map_or(url.as_str(), |(_, rest)| rest);
    let (user, rest) = rest.rsplit_once('@').unwrap_or(("postgres", rest));
    let user = user.split(':').next().unwrap_or("postgres").to_owned();
    let host_port = rest.split('/').next().unwrap_or(rest);
    let (host, port) = host_port
        .rsplit_once(':')
        .map_or((host_port, 5432), |(host, port)| {
            (host, port.parse().unwrap_or(5432))
        });
    (host.to_owned(), port, user)
}

/// `url` (a database on the primary) on another port of this machine.
pub fn on_port(url: &str, port: u16) -> String {
    let (_, _, user) = primary_address();
    let name = url.rsplit('/').next().expect("a database name");
    format!("postgres://{user}@127.0.0.1:{port}/{name}")
}

/// The directory of PostgreSQL's server programs (`pg_ctl`, `pg_basebackup`), newest first.
pub(crate) fn postgres_bin() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let version = entry.file_name().to_string_lossy().parse().ok()?;
            let bin = entry.path().join("bin");
            bin.join("pg_ctl").exists().then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

/// Whether the test PostgreSQL server answers (outside CI a test may run without it).
pub(crate) async fn reachable(admin: &str) -> bool {
    match Database::connect(admin).await {
        Ok(db) => {
            let _ = db.close().await;
            true
        }
        Err(err) => {
            missing(&format!("PostgreSQL is not reachable: {err}"));
            false
        }
    }
}

/// Runs one statement on `url`.
pub async fn sql(url: &str, statement: &str) -> Vec<sea_orm::QueryResult> {
    let db = Database::connect(url)
        .await
        .unwrap_or_else(|err| panic!("connect for `{statement}`: {err}"));
    let rows = db
        .query_all_raw(Statement::from_string(DbBackend::Postgres, statement))
        .await
        .unwrap_or_else(|err| panic!("`{statement}`: {err}"));
    let _ = db.close().await;
    rows
}

/// Runs `pg_ctl` on the server in `dir` (its data in `dir/data`, its log `dir/postgresql.log`);
/// a failure shows the log.
pub(crate) fn pg_ctl(bin: &Path, dir: &Path, args: &[&str]) {
    let data = dir.join("data");
    let log = dir.join("postgresql.log");
    let mut all = vec![
        "-D",
        data.to_str().expect("utf-8 path"),
        "-l",
        log.to_str().expect("utf-8 path"),
    ];
    all.extend_from_slice(args);
    let output = run_as_postgres(&bin.join("pg_ctl"), &all);
    if !output.status.success() {
        let log = std::fs::read_to_string(&log).unwrap_or_default();
        panic!(
            "pg_ctl {args:?} failed: {}{}\n{log}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

/// A hot-standby streaming replica of the test PostgreSQL server.
pub struct StreamingReplica {
    pub port: u16,
    bin: PathBuf,
    dir: PathBuf,
}

impl StreamingReplica {
    /// Takes a base backup of the primary and starts it as a replica; `None` (outside CI)
    /// when PostgreSQL's server programs are missing.
    pub async fn start() -> Option<Self> {
        let (host, port, user) = primary_address();
        Self::start_of(&host, port, &user, &postgres_admin_url()).await
    }

    /// A replica of the server at `host:primary_port`, whose `postgres` database is `admin`.
    pub async fn start_of(host: &str, primary_port: u16, user: &str, admin: &str) -> Option<Self> {
        let Some(bin) = postgres_bin() else {
            missing("PostgreSQL's server programs (/usr/lib/postgresql/*/bin) are missing");
            return None;
        };
        if !reachable(admin).await {
            return None;
        }
        // A standby refuses to start with fewer of these than its primary has.
        let mut settings = String::new();
        for name in [
            "max_connections",
            "max_worker_processes",
            "max_wal_senders",
            "max_prepared_transactions",
            "max_locks_per_transaction",
        ] {
            let rows = sql(admin, &format!("SELECT current_setting('{name}') AS v")).await;
            let value: String = rows[0].try_get("", "v").expect("setting");
            settings.push_str(&format!("{name} = {value}\n"));
        }
        let port = free_port();
        let replica = Self {
            port,
            dir: server_dir("digidash-replica"),
            bin,
        };
        let data = replica.data();
        let data = data.to_str().expect("utf-8 path");
        check(
            run_as_postgres(
                &replica.bin.join("pg_basebackup"),
                &[
                    "-h",
                    host,
                    "-p",
                    &primary_port.to_string(),
                    "-U",
                    user,
                    "-D",
                    data,
                    "-R",
                    "-X",
                    "stream",
                    // A spread checkpoint can take minutes on a busy server, and a throw-away
                    // copy need not wait for the disk.
                    "-c",
                    "fast",
                    "--no-sync",
                ],
            ),
            "pg_basebackup (does pg_hba.conf allow replication from 127.0.0.1? .ci/run sets it)",
        );
        // Debian keeps the configuration outside the data directory: the replica gets its own.
        write_config(
            &replica.data().join("postgresql.conf"),
            &format!(
                "listen_addresses = '127.0.0.1'\nport = {port}\nunix_socket_directories = '{}'\nhot_standby = on\nfsync = off\nshared_buffers = 16MB\n{settings}",
                replica.dir.display()
            ),
        );
        write_config(
            &replica.data().join("pg_hba.conf"),
            "local all all trust\nhost all all 127.0.0.1/32 trust\n",
        );
        write_config(&replica.data().join("pg_ident.conf"), "");
        replica.pg_ctl(&["-w", "-t", "60", "start"]);
        // Accepting connections: the replica has reached a consistent state.
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            match Database::connect(replica.url("postgres")).await {
                Ok(db) => {
                    let _ = db.close().await;
                    break;
                }
                Err(err) if Instant::now() > deadline => {
                    panic!("the replica does not answer: {err}")
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
        Some(replica)
    }

    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    fn pg_ctl(&self, args: &[&str]) {
        pg_ctl(&self.bin, &self.dir, args);
    }

    /// `database` on the replica.
    pub fn url(&self, database: &str) -> String {
        let (_, _, user) = primary_address();
        format!("postgres://{user}@127.0.0.1:{}/{database}", self.port)
    }

    /// Stops the replica (fast shutdown: connections are cut).
    pub fn stop(&self) {
        self.pg_ctl(&["-m", "fast", "-w", "stop"]);
    }

    /// Promotes the replica to a primary (as a failover manager would), and waits for it.
    pub fn promote(&self) {
        self.pg_ctl(&["-w", "-t", "60", "promote"]);
    }

    /// Waits until the replica has replayed everything the primary has written so far.
    pub async fn wait_for_replay(&self) {
        let rows = sql(
            &postgres_admin_url(),
            "SELECT pg_current_wal_lsn()::text AS lsn",
        )
        .await;
        let lsn: String = rows[0].try_get("", "lsn").expect("lsn");
        let replica = Database::connect(self.url("postgres"))
            .await
            .expect("replica");
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let row = replica
                .query_one_raw(Statement::from_string(
                    DbBackend::Postgres,
                    format!("SELECT pg_last_wal_replay_lsn() >= '{lsn}'::pg_lsn AS done"),
                ))
                .await
                .expect("replay position")
                .expect("a row");
            if row.try_get::<bool>("", "done").expect("done") {
                break;
            }
            assert!(Instant::now() < deadline, "the replica does not catch up");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let _ = replica.close().await;
    }
}

impl Drop for StreamingReplica {
    fn drop(&mut self) {
        let data = self.data();
        let pg_ctl = self.bin.join("pg_ctl");
        // Stopped already when a test stopped it; an error here is no news.
        let _ = run_as_postgres(
            &pg_ctl,
            &[
                "-D",
                data.to_str().unwrap_or_default(),
                "-m",
                "immediate",
                "-w",
                "stop",
            ],
        );
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A PgBouncer in transaction pooling mode in front of the test PostgreSQL server, with fewer
/// server connections than the app's pool has clients, so that clients share servers.
pub struct PgBouncer {
    pub port: u16,
    dir: PathBuf,
}

impl PgBouncer {
    /// Starts PgBouncer; `None` (outside CI) when it is not installed.
    pub async fn start() -> Option<Self> {
        let Some(program) = ["/usr/sbin/pgbouncer", "/usr/bin/pgbouncer"]
            .into_iter()
            .map(PathBuf::from)
            .find(|path| path.exists())
        else {
            missing("pgbouncer is not installed (apt-get install pgbouncer; .ci/run does)");
            return None;
        };
        let (host, primary_port, user) = primary_address();
        if !reachable(&postgres_admin_url()).await {
            return None;
        }
        let port = free_port();
        let bouncer = Self {
            port,
            dir: server_dir("digidash-pgbouncer"),
        };
        let config = bouncer.dir.join("pgbouncer.ini");
        write_config(
            &config,
            &format!(
                "[databases]\n* = host={host} port={primary_port} user={user}\n\n[pgbouncer]\nlisten_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\nauth_type = any\npool_mode = transaction\ndefault_pool_size = 3\nmax_client_conn = 200\nlogfile = {dir}/pgbouncer.log\npidfile = {dir}/pgbouncer.pid\n",
                dir = bouncer.dir.display()
            ),
        );
        check(
            run_as_postgres(&program, &["-d", config.to_str().expect("utf-8 path")]),
            "pgbouncer",
        );
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            // PgBouncer refuses startup parameters it does not know, such as sqlx's default
            // `extra_float_digits`.
            let mut options = sea_orm::ConnectOptions::new(format!(
                "postgres://{user}@127.0.0.1:{port}/postgres"
            ));
            options.map_sqlx_postgres_opts(|opts| opts.extra_float_digits(None));
            match Database::connect(options).await {
                Ok(db) => {
                    let _ = db.close().await;
                    break;
                }
                Err(err) if Instant::now() > deadline => {
                    panic!("pgbouncer does not answer: {err}\n{}", bouncer.log())
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
        Some(bouncer)
    }

    /// PgBouncer's log.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("pgbouncer.log")).unwrap_or_default()
    }
}

impl Drop for PgBouncer {
    fn drop(&mut self) {
        // Only the PgBouncer this fixture started, by the id it wrote.
        if let Ok(pid) = std::fs::read_to_string(self.dir.join("pgbouncer.pid")) {
            let pid = pid.trim().to_owned();
            let _ = Command::new("kill").args(["-TERM", &pid]).output();
            let deadline = Instant::now() + Duration::from_secs(10);
            while Path::new(&format!("/proc/{pid}")).exists() && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
