//! A PostgreSQL primary of a test's own (`initdb` in a temporary directory, on a free port),
//! which the test may stop as a failing machine stops, with a streaming replica that commits
//! wait for (synchronous replication, as a deployment that promises no loss configures it).

use std::{
    io::Write,
    path::PathBuf,
    time::{Duration, Instant},
};

use crate::local_postgres::{
    StreamingReplica, check, free_port, missing, pg_ctl, postgres_bin, run_as_postgres, server_dir,
    sql, write_config,
};

/// The superuser `initdb` makes.
const USER: &str = "postgres";

/// A primary and its synchronous standby; both are stopped and removed when dropped.
pub struct ReplicatedPair {
    pub primary: Primary,
    pub standby: StreamingReplica,
}

impl ReplicatedPair {
    /// Starts a primary, creates `database` on it, and starts its standby; `None` (outside CI)
    /// when PostgreSQL's server programs are missing.
    pub async fn start(database: &str) -> Option<Self> {
        let primary = Primary::start().await?;
        sql(
            &primary.url("postgres"),
            &format!("CREATE DATABASE {database}"),
        )
        .await;
        let standby =
            StreamingReplica::start_of("127.0.0.1", primary.port, USER, &primary.url("postgres"))
                .await?;
        // Only now: with no standby yet, every commit (CREATE DATABASE too) would wait.
        sql(
            &primary.url("postgres"),
            "ALTER SYSTEM SET synchronous_standby_names = '*'",
        )
        .await;
        sql(&primary.url("postgres"), "SELECT pg_reload_conf()").await;
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let rows = sql(
                &primary.url("postgres"),
                "SELECT count(*) AS n FROM pg_stat_replication WHERE sync_state = 'sync'",
            )
            .await;
            if rows[0].try_get::<i64>("", "n").expect("count") == 1 {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "the standby does not become synchronous"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Some(Self { primary, standby })
    }

    /// `database` as libpq names a pair: both hosts, the one that takes writes wanted.
    pub fn url(&self, database: &str) -> String {
        format!(
            "postgres://{USER}@127.0.0.1:{},127.0.0.1:{}/{database}?target_session_attrs=read-write",
            self.primary.port, self.standby.port
        )
    }
}

/// A primary server of its own.
pub struct Primary {
    pub port: u16,
    bin: PathBuf,
    dir: PathBuf,
}

impl Primary {
    async fn start() -> Option<Self> {
        let Some(bin) = postgres_bin() else {
            missing("PostgreSQL's server programs (/usr/lib/postgresql/*/bin) are missing");
            return None;
        };
        let primary = Self {
            port: free_port(),
            dir: server_dir("digidash-primary"),
            bin,
        };
        let data = primary.data();
        check(
            run_as_postgres(
                &primary.bin.join("initdb"),
                &[
                    "-D",
                    data.to_str().expect("utf-8 path"),
                    "-U",
                    USER,
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--locale=C",
                    "--no-sync",
                ],
            ),
            "initdb",
        );
        // Later lines win over initdb's.
        let mut conf = std::fs::OpenOptions::new()
            .append(true)
            .open(data.join("postgresql.conf"))
            .expect("postgresql.conf");
        writeln!(
            conf,
            "listen_addresses = '127.0.0.1'\nport = {}\nunix_socket_directories = '{}'\nwal_level = replica\nmax_wal_senders = 4\nmax_connections = 60\nshared_buffers = 16MB\nfsync = off",
            primary.port,
            primary.dir.display()
        )
        .expect("postgresql.conf");
        write_config(
            &data.join("pg_hba.conf"),
            "local all all trust\nhost all all 127.0.0.1/32 trust\nhost replication all 127.0.0.1/32 trust\n",
        );
        primary.pg_ctl(&["-w", "-t", "60", "start"]);
        Some(primary)
    }

    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    fn pg_ctl(&self, args: &[&str]) {
        pg_ctl(&self.bin, &self.dir, args);
    }

    /// `database` on this server alone.
    pub fn url(&self, database: &str) -> String {
        format!("postgres://{USER}@127.0.0.1:{}/{database}", self.port)
    }

    /// Stops the server as a crash does (`immediate`: no shutdown checkpoint, connections cut).
    pub fn crash(&self) {
        self.pg_ctl(&["-m", "immediate", "-w", "stop"]);
    }
}

impl Drop for Primary {
    fn drop(&mut self) {
        let data = self.data();
        // Stopped already when the test crashed it; an error here is no news.
        let _ = run_as_postgres(
            &self.bin.join("pg_ctl"),
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
