//! The release digidash binary, run as a command (seeding, tokens) and as a server, and the
//! start of any server the benchmark talks to: a free port, a log file, a wait until it
//! answers.

use std::{
    process::Stdio,
    time::{Duration, Instant},
};

use serde_json::Value;
use tokio::process::{Child, Command};

use crate::{Result, options::Options};

/// The release binary cargo built for this benchmark.
const DIGIDASH: &str = env!("CARGO_BIN_EXE_digidash");

/// The digidash binary the benchmark runs: `BENCH_DIGIDASH_BIN` when set (another tree's
/// release build, to measure two trees with one benchmark program), else the one cargo built.
fn digidash() -> String {
    std::env::var("BENCH_DIGIDASH_BIN").unwrap_or_else(|_| DIGIDASH.to_owned())
}
/// Signing secret of the benchmark's server and tokens.
const JWT_SECRET: &str = "digidash-load-benchmark-secret";

/// The log of the server whose statements are captured: it reads the primary only, since the
/// capture reads the primary's log.
pub(crate) const CAPTURE_LOG: &str = "digidash-capture.log";

/// A server the benchmark started (killed when dropped).
pub(crate) struct Server {
    child: Child,
    pid: u32,
    pub(crate) url: String,
}

impl Server {
    pub(crate) async fn stop(mut self) {
        let _ = self.child.kill().await;
    }

    /// The server's GraphQL endpoint (digidash's and PostGraphile's alike).
    pub(crate) fn graphql_url(&self) -> String {
        format!("{}/graphql", self.url)
    }

    /// The server's process id, for what `/proc` says about it (see [`crate::process_stats`]).
    pub(crate) fn pid(&self) -> u32 {
        self.pid
    }
}

/// Runs the digidash binary to completion and returns its stdout.
pub(crate) async fn run_digidash_command(database_url: &str, args: &[&str]) -> Result<String> {
    let output = Command::new(digidash())
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("JWT_SECRET", JWT_SECRET)
        .env("RUST_LOG", "warn")
        .output()
        .await?;
    if !output.status.success() {
        return Err(format!(
            "digidash {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr)
        )
        .into());
    }
    Ok(String::from_utf8(output.stdout)?.trim().to_owned())
}

/// Starts the release server; `cache` turns its response cache on.
pub(crate) async fn start_digidash(
    options: &Options,
    log_name: &str,
    cache: bool,
) -> Result<Server> {
    let replicas = if log_name == CAPTURE_LOG {
        ""
    } else {
        options.replica_urls.as_deref().unwrap_or_default()
    };
    let server = spawn_server(options, log_name, "digidash", |port| {
        let mut command = Command::new(digidash());
        command
            .arg("serve")
            .env("DATABASE_URL", &options.database_url)
            .env("JWT_SECRET", JWT_SECRET)
            .env("BIND_ADDR", format!("127.0.0.1:{port}"))
            .env("DIGIDASH_ENV", "production")
            // One client sends thousands of requests a minute: no rate limits here.
            .env("RATE_LIMIT_PER_MINUTE", "0")
            .env("RATE_LIMIT_PER_ADDRESS_PER_MINUTE", "0")
            // Measured without the response cache, and then with it for the reads that are
            // repeated (see `benchmark::measure_cached_reads`).
            // With the cache: room for every tenant's answers of one operation (the deep page
            // is about 330 KiB; 400 tenants' would not fit the default 64 MiB, and requests
            // that rotate over the tenants would then never hit).
            .env("RESPONSE_CACHE_ENTRIES", if cache { "10000" } else { "0" })
            .env("RESPONSE_CACHE_MB", "512")
            .env("DATABASE_REPLICA_URLS", replicas);
        command
    })?;
    wait_until_ready(&format!("{}/readyz", server.url), None).await?;
    Ok(server)
}

/// Spawns the server that `command` builds for a free port on 127.0.0.1, its stderr going to
/// `log_name` in the output folder; `name` names it in the error if it exits at once.
pub(crate) fn spawn_server(
    options: &Options,
    log_name: &str,
    name: &str,
    command: impl FnOnce(u16) -> Command,
) -> Result<Server> {
    let port = free_port()?;
    let log = std::fs::File::create(options.out.join(log_name))?;
    let child = command(port)
        .stdout(Stdio::null())
        .stderr(log)
        .kill_on_drop(true)
        .spawn()?;
    let pid = child.id().ok_or(format!("{name} exited at once"))?;
    Ok(Server {
        child,
        pid,
        url: format!("http://127.0.0.1:{port}"),
    })
}

fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// Polls `url` (a GET, or a POST of `body`) until it answers with success, for at most 60 s.
pub(crate) async fn wait_until_ready(url: &str, body: Option<Value>) -> Result<()> {
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let request = match &body {
            Some(body) => client.post(url).json(body),
            None => client.get(url),
        };
        if let Ok(response) = request.send().await
            && response.status().is_success()
        {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(format!("{url} did not become ready within 60 s").into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
