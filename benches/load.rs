//! The load benchmark of issue #7: `cargo bench --bench load` (see `BENCHMARKS.md`).
//!
//! It creates and seeds a PostgreSQL database with the release `digidash` binary, starts
//! `digidash serve` on a free port and runs, closed-loop at a fixed concurrency for a fixed
//! time, each operation on its own and then a mix: a filtered and sorted measures page, a deep
//! page (goals -> measures -> projects -> sub-projects), the portfolio dashboard, a department
//! dashboard, the council report, `node` look-ups and a write mix. For each it reports
//! requests per second, latency percentiles, errors, SQL statements per request (the server's
//! `/metrics` counter), the server's peak memory and its CPU time. For the first two operations
//! it also runs PostGraphile (v4, on the same database) with the equivalent queries and the
//! bare SQL statements digidash issues (captured from the PostgreSQL log, replayed with
//! `pgbench`), and prints the ratios. Results go to `$BENCH_OUT/load.json` and `load.md`.
//!
//! Options (environment variable, or the flag in brackets after `cargo bench --bench load --`):
//! `BENCH_TENANTS` (`--tenants`, 4), `BENCH_SECONDS` (`--seconds`, 10 per run),
//! `BENCH_SLICES` (`--slices`, 5: the rounds in which a page alternates between digidash and
//! PostGraphile),
//! `BENCH_CONCURRENCY` (`--concurrency`, 8), `BENCH_DATABASE_URL` (`--database-url`, default a
//! fresh `bench_digidash` on `postgres://postgres@127.0.0.1:5432`, dropped afterwards unless
//! `BENCH_KEEP_DB=1`), `BENCH_OUT` (`--out`, `target/bench`), `BENCH_PG_LOG` (the PostgreSQL
//! server log, found by itself when possible), `BENCH_POSTGRAPHILE_DIR`
//! (`target/bench/postgraphile`, where `npm install` puts PostGraphile when it is missing),
//! `BENCH_SKIP_POSTGRAPHILE=1`, `BENCH_SKIP_PGBENCH=1`, `BENCH_RESPONSE_CACHE=1` (every run with
//! the response cache; by default only the last runs have it), `BENCH_REPLICA_URLS`
//! (`--replica-urls`: the server's `DATABASE_REPLICA_URLS`), `BENCH_OPS` (`--ops`: the operations
//! to run, their keys separated by commas, `mix` for the mix; all by default).

use std::{
    collections::HashMap,
    fmt::Write as _,
    path::{Path, PathBuf},
    process::Stdio,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use reqwest::Url;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement};
use serde_json::{Value, json};
use tokio::process::{Child, Command};

/// The release binary cargo built for this benchmark.
const DIGIDASH: &str = env!("CARGO_BIN_EXE_digidash");
/// Signing secret of the benchmark's server and tokens.
const JWT_SECRET: &str = "digidash-load-benchmark-secret";
/// Linux reports process CPU time in ticks of `USER_HZ`, which is 100 on every platform
/// digidash runs on.
const TICKS_PER_SECOND: f64 = 100.0;

type BoxError = Box<dyn std::error::Error + Send + Sync>;
type Result<T, E = BoxError> = std::result::Result<T, E>;

// ---------------------------------------------------------------------------------------
// Operations and their GraphQL documents
// ---------------------------------------------------------------------------------------

/// One benchmarked operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Op {
    MeasuresPage,
    DeepPage,
    MediumPage,
    PortfolioDashboard,
    DepartmentDashboard,
    CouncilReport,
    NodeLookup,
    WriteMix,
}

impl Op {
    const ALL: [Op; 8] = [
        Op::MeasuresPage,
        Op::DeepPage,
        Op::MediumPage,
        Op::PortfolioDashboard,
        Op::DepartmentDashboard,
        Op::CouncilReport,
        Op::NodeLookup,
        Op::WriteMix,
    ];

    fn key(self) -> &'static str {
        match self {
            Op::MeasuresPage => "measures_page",
            Op::DeepPage => "deep_page",
            Op::MediumPage => "medium_page",
            Op::PortfolioDashboard => "portfolio_dashboard",
            Op::DepartmentDashboard => "department_dashboard",
            Op::CouncilReport => "council_report",
            Op::NodeLookup => "node_lookup",
            Op::WriteMix => "write_mix",
        }
    }

    fn index(self) -> usize {
        Op::ALL.iter().position(|op| *op == self).unwrap_or(0)
    }

    /// Share of the operation in the mix, in percent.
    fn mix_weight(self) -> u64 {
        match self {
            Op::MeasuresPage => 25,
            Op::DeepPage => 5,
            Op::MediumPage => 0,
            Op::PortfolioDashboard => 10,
            Op::DepartmentDashboard => 15,
            Op::CouncilReport => 5,
            Op::NodeLookup => 30,
            Op::WriteMix => 10,
        }
    }
}

/// The operations also run against PostGraphile and as bare SQL.
const COMPARED: [Op; 3] = [Op::MeasuresPage, Op::DeepPage, Op::MediumPage];

const MEASURES_PAGE: &str = "query MeasuresPage { measures(first: 50, filter: { status: [PLANNED, IN_PROGRESS] }, orderBy: { field: DUE_DATE }) { totalCount edges { cursor node { id number title status rag progress dueDate orgUnit { code name } goals { code title } } } pageInfo { hasNextPage endCursor } } }";

const DEEP_PAGE: &str = "query DeepPage { goals(first: 50) { edges { node { id code title description status measures(first: 20) { edges { node { id number title description kind priority status rag progress startDate dueDate visibility updatedAt projects(first: 20) { edges { node { id code title summary description status rag progress visibility startDate endDate updatedAt subProjects(first: 20) { edges { node { id code title description status rag progress visibility startDate endDate updatedAt } } } } } } } } } } } } }";

const MEDIUM_PAGE: &str = "query MediumPage { goals(first: 10) { edges { node { id code title description status measures(first: 5) { edges { node { id number title description kind priority status rag progress startDate dueDate visibility updatedAt projects(first: 20) { edges { node { id code title summary description status rag progress visibility startDate endDate updatedAt subProjects(first: 20) { edges { node { id code title description status rag progress visibility startDate endDate updatedAt } } } } } } } } } } } } }";

const PORTFOLIO_DASHBOARD: &str = "query PortfolioDashboard { portfolioDashboard { asOf reportingCycleDays measuresByStatus { status count } measuresByRag { rag count } projectsByStatus { status count } projectsByRag { rag count } byGoal { goal { code title } rolledUpProgress measuresByStatus { status count } measuresByRag { rag count } projectsByStatus { status count } projectsByRag { rag count } } byOrgUnit { orgUnit { code name } measuresByStatus { status count } measuresByRag { rag count } projectsByStatus { status count } projectsByRag { rag count } } budgetByYear { year planned approved spent fundedPlanned fundedApproved fundingShare } overdueMilestones(first: 20) { totalCount edges { node { code title dueDate project { title } } } } measuresWithoutCurrentReport(first: 20) { totalCount edges { node { number title lastReportedOn } } } applicationsAwaitingDecision(first: 20) { totalCount edges { node { title status submittedOn } } } } }";

const DEPARTMENT_DASHBOARD: &str = "query DepartmentDashboard { departmentDashboard { orgUnit { code name } asOf measuresByStatus { status count } measuresByRag { rag count } projectsByStatus { status count } projectsByRag { rag count } measures(first: 20) { totalCount edges { node { number title status rag progress } } } projects(first: 20) { totalCount edges { node { title status rag progress } } } lateMeasures(first: 20) { totalCount edges { node { number title dueDate } } } lateProjects(first: 20) { totalCount edges { node { title endDate } } } overdueMilestones(first: 20) { totalCount edges { node { code title dueDate } } } measuresNeedingReport(first: 20) { totalCount edges { node { number title lastReportedOn } } } projectsNeedingReport(first: 20) { totalCount edges { node { title lastReportedOn } } } } }";

const COUNCIL_REPORT: &str = "query CouncilReport { councilReport(period: \"2026-Q3\") { tenantName period from to asOf goals { code title strategy progressStart progressEnd measuresTotal measuresCompleted milestonesAchieved milestonesMissed budget { planned approved spent } measures { number title status progressStart progressEnd ragStart ragEnd completedOn summary reportedOn } ragChanges { kind code title fromRag toRag reportedOn summary } } totals { goals measures measuresCompleted milestonesAchieved milestonesMissed budget { planned approved spent } } } }";

const NODE_LOOKUP: &str = "query NodeLookup($id: ID!) { node(id: $id) { id ... on Measure { number title status rag progress } ... on Project { code title status rag progress } ... on SubProject { code title status rag progress } } }";

const SUBMIT_STATUS_REPORT: &str = "mutation SubmitStatusReport($input: SubmitStatusReportInput!) { submitStatusReport(input: $input) { statusReport { id } } }";

const UPDATE_MEASURE: &str = "mutation UpdateMeasure($input: UpdateMeasureInput!) { updateMeasure(input: $input) { measure { id version status } } }";

/// PostGraphile's equivalent of [`MEASURES_PAGE`]: its generated schema, the
/// connection-filter plugin for the status list, the tenant as a filter (PostGraphile knows no
/// tenants or roles).
const PG_MEASURES_PAGE: &str = "query MeasuresPage($tenant: Int!) { allMeasures(first: 50, filter: { tenantId: { equalTo: $tenant }, status: { in: [\"planned\", \"in_progress\"] }, archivedAt: { isNull: true } }, orderBy: [DUE_DATE_ASC, ID_ASC]) { totalCount edges { cursor node { id number title status rag progress dueDate orgUnitByOrgUnitId { code name } measureGoalsByMeasureId { nodes { goalByGoalId { code title } } } } } pageInfo { hasNextPage endCursor } } }";

/// PostGraphile's equivalent of [`DEEP_PAGE`], through the `measure_goal` join table.
const PG_DEEP_PAGE: &str = "query DeepPage($tenant: Int!) { allGoals(first: 50, filter: { tenantId: { equalTo: $tenant }, archivedAt: { isNull: true } }, orderBy: [STRATEGY_ID_ASC, POSITION_ASC, ID_ASC]) { edges { node { id code title description status measureGoalsByGoalId(first: 20) { edges { node { measureByMeasureId { id number title description kind priority status rag progress startDate dueDate visibility updatedAt projectsByMeasureId(first: 20, orderBy: [ID_ASC]) { edges { node { id code title summary description status rag progress visibility startDate endDate updatedAt subProjectsByProjectId(first: 20, orderBy: [ID_ASC]) { edges { node { id code title description status rag progress visibility startDate endDate updatedAt } } } } } } } } } } } } } }";

/// PostGraphile's equivalent of [`MEDIUM_PAGE`].
const PG_MEDIUM_PAGE: &str = "query MediumPage($tenant: Int!) { allGoals(first: 10, filter: { tenantId: { equalTo: $tenant }, archivedAt: { isNull: true } }, orderBy: [STRATEGY_ID_ASC, POSITION_ASC, ID_ASC]) { edges { node { id code title description status measureGoalsByGoalId(first: 5) { edges { node { measureByMeasureId { id number title description kind priority status rag progress startDate dueDate visibility updatedAt projectsByMeasureId(first: 20, orderBy: [ID_ASC]) { edges { node { id code title summary description status rag progress visibility startDate endDate updatedAt subProjectsByProjectId(first: 20, orderBy: [ID_ASC]) { edges { node { id code title description status rag progress visibility startDate endDate updatedAt } } } } } } } } } } } } } }";

// ---------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
struct Options {
    tenants: u32,
    seconds: u64,
    /// Rounds of a side-by-side run with PostGraphile (`seconds` split among them).
    slices: u32,
    concurrency: usize,
    database_url: String,
    /// The benchmark created the database and drops it at the end.
    fresh_database: bool,
    keep_database: bool,
    out: PathBuf,
    pg_log: Option<PathBuf>,
    postgraphile_dir: PathBuf,
    skip_postgraphile: bool,
    skip_pgbench: bool,
    /// Run the server with its response cache (off by default: the issue's targets are
    /// first without any cache).
    response_cache: bool,
    /// Read replicas for the server (`DATABASE_REPLICA_URLS`), when given.
    replica_urls: Option<String>,
    /// The operations to run (`BENCH_OPS`, keys separated by commas, `mix` for the mix);
    /// every one when not given.
    ops: Option<Vec<String>>,
}

impl Options {
    fn read() -> Result<Self> {
        let mut flags: HashMap<String, String> = HashMap::new();
        let mut args = std::env::args().skip(1);
        while let Some(arg) = args.next() {
            // `cargo bench` passes `--bench` to every benchmark binary.
            if arg == "--bench" {
                continue;
            }
            let Some(name) = arg.strip_prefix("--") else {
                return Err(format!("unexpected argument {arg:?}").into());
            };
            let (name, value) = match name.split_once('=') {
                Some((n, v)) => (n.to_owned(), v.to_owned()),
                None => (
                    name.to_owned(),
                    args.next().ok_or(format!("--{name} needs a value"))?,
                ),
            };
            flags.insert(name, value);
        }
        let get = |flag: &str, var: &str| {
            flags
                .get(flag)
                .cloned()
                .or_else(|| std::env::var(var).ok().filter(|v| !v.is_empty()))
        };
        let number = |flag: &str, var: &str, default: u64| -> Result<u64> {
            match get(flag, var) {
                Some(v) => v
                    .parse()
                    .map_err(|_| format!("{var} must be a number, not {v:?}").into()),
                None => Ok(default),
            }
        };
        let flag_set = |var: &str| std::env::var(var).is_ok_and(|v| v == "1" || v == "true");
        let database_url = get("database-url", "BENCH_DATABASE_URL");
        let out = PathBuf::from(get("out", "BENCH_OUT").unwrap_or_else(|| "target/bench".into()));
        let options = Self {
            tenants: u32::try_from(number("tenants", "BENCH_TENANTS", 4)?)?,
            seconds: number("seconds", "BENCH_SECONDS", 10)?,
            slices: u32::try_from(number("slices", "BENCH_SLICES", 5)?)?,
            concurrency: usize::try_from(number("concurrency", "BENCH_CONCURRENCY", 8)?)?,
            fresh_database: database_url.is_none(),
            database_url: database_url
                .unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/bench_digidash".to_owned()),
            keep_database: flag_set("BENCH_KEEP_DB"),
            pg_log: get("pg-log", "BENCH_PG_LOG").map(PathBuf::from),
            postgraphile_dir: get("postgraphile-dir", "BENCH_POSTGRAPHILE_DIR")
                .map_or_else(|| out.join("postgraphile"), PathBuf::from),
            out,
            skip_postgraphile: flag_set("BENCH_SKIP_POSTGRAPHILE"),
            skip_pgbench: flag_set("BENCH_SKIP_PGBENCH"),
            response_cache: flag_set("BENCH_RESPONSE_CACHE"),
            replica_urls: get("replica-urls", "BENCH_REPLICA_URLS"),
            ops: get("ops", "BENCH_OPS").map(|list| {
                list.split(',')
                    .map(|key| key.trim().to_owned())
                    .filter(|key| !key.is_empty())
                    .collect()
            }),
        };
        if let Some(ops) = &options.ops {
            let known = |key: &str| key == "mix" || Op::ALL.iter().any(|op| op.key() == key);
            if let Some(unknown) = ops.iter().find(|key| !known(key)) {
                return Err(format!("BENCH_OPS: no operation {unknown:?}").into());
            }
        }
        if options.tenants == 0
            || options.seconds == 0
            || options.slices == 0
            || options.concurrency == 0
        {
            return Err("tenants, seconds, slices and concurrency must be at least 1".into());
        }
        Ok(options)
    }

    /// Whether the run includes the operation with this key (`mix` for the mix).
    fn runs(&self, key: &str) -> bool {
        self.ops
            .as_ref()
            .is_none_or(|ops| ops.iter().any(|op| op == key))
    }

    /// The database's name and a URL of the `postgres` maintenance database beside it.
    fn admin(&self) -> Result<(String, String)> {
        let mut url = Url::parse(&self.database_url)?;
        let name = url.path().trim_start_matches('/').to_owned();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(format!("database name {name:?}: letters, digits and _ only").into());
        }
        url.set_path("/postgres");
        Ok((name, url.to_string()))
    }
}

// ---------------------------------------------------------------------------------------
// Processes: the servers, and what /proc says about them
// ---------------------------------------------------------------------------------------

/// A server the benchmark started (killed when dropped).
struct Server {
    child: Child,
    pid: u32,
    url: String,
}

impl Server {
    async fn stop(mut self) {
        let _ = self.child.kill().await;
    }

    /// Forgets the peak memory so far (`VmHWM`), so that the next reading is one run's.
    fn reset_peak_memory(&self) -> bool {
        std::fs::write(format!("/proc/{}/clear_refs", self.pid), "5").is_ok()
    }

    /// Peak resident memory in MiB.
    fn peak_memory_mib(&self) -> Option<f64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid)).ok()?;
        let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
        let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kib / 1024.0)
    }

    /// User and system CPU time in seconds.
    fn cpu_seconds(&self) -> Option<f64> {
        cpu_seconds(&format!("/proc/{}/stat", self.pid))
    }
}

fn cpu_seconds(stat_path: &str) -> Option<f64> {
    let stat = std::fs::read_to_string(stat_path).ok()?;
    // The command name may hold spaces; the fields after it are fixed.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / TICKS_PER_SECOND)
}

/// CPU seconds of every process named `postgres` (the database server's processes).
fn postgres_cpu_seconds() -> Option<f64> {
    let mut total = 0.0;
    for entry in std::fs::read_dir("/proc").ok()?.filter_map(Result::ok) {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !name.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let path = format!("/proc/{name}/stat");
        if std::fs::read_to_string(&path).is_ok_and(|s| s.contains("(postgres)")) {
            total += cpu_seconds(&path).unwrap_or(0.0);
        }
    }
    Some(total)
}

/// CPU readings before and after a run: the server's, PostgreSQL's, the load generator's.
struct CpuReading([Option<f64>; 3]);

impl CpuReading {
    fn now(server: &Server) -> Self {
        Self([
            server.cpu_seconds(),
            postgres_cpu_seconds(),
            cpu_seconds("/proc/self/stat"),
        ])
    }

    /// CPU seconds of each since `before`.
    fn since(&self, before: &Self) -> [Option<f64>; 3] {
        std::array::from_fn(|i| Some(self.0[i]? - before.0[i]?))
    }
}

fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// Runs the digidash binary to completion and returns its stdout.
async fn digidash(database_url: &str, args: &[&str]) -> Result<String> {
    let output = Command::new(DIGIDASH)
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

/// The system name of digidash runs with the response cache on.
const CACHED: &str = "digidash+cache";

/// The log of the server whose statements are captured: it reads the primary only, since the
/// capture reads the primary's log.
const CAPTURE_LOG: &str = "digidash-capture.log";

/// Starts the release server; `cache` turns its response cache on.
async fn start_digidash(options: &Options, log_name: &str, cache: bool) -> Result<Server> {
    let replicas = if log_name == CAPTURE_LOG {
        ""
    } else {
        options.replica_urls.as_deref().unwrap_or_default()
    };
    let port = free_port()?;
    let log = std::fs::File::create(options.out.join(log_name))?;
    let child = Command::new(DIGIDASH)
        .arg("serve")
        .env("DATABASE_URL", &options.database_url)
        .env("JWT_SECRET", JWT_SECRET)
        .env("BIND_ADDR", format!("127.0.0.1:{port}"))
        .env("DIGIDASH_ENV", "production")
        // One client sends thousands of requests a minute: no rate limits here.
        .env("RATE_LIMIT_PER_MINUTE", "0")
        .env("RATE_LIMIT_PER_ADDRESS_PER_MINUTE", "0")
        // The deep page (50 x 20 x 20 x 20) is above the default complexity limit.
        .env("MAX_QUERY_COMPLEXITY", "100000000")
        // Measured without the response cache, and then with it for the reads that are
        // repeated (see `bench`).
        // With the cache: room for every tenant's answers of one operation (the deep page is
        // about 330 KiB; 400 tenants' would not fit the default 64 MiB, and requests that
        // rotate over the tenants would then never hit).
        .env("RESPONSE_CACHE_ENTRIES", if cache { "10000" } else { "0" })
        .env("RESPONSE_CACHE_MB", "512")
        .env("DATABASE_REPLICA_URLS", replicas)
        .stdout(Stdio::null())
        .stderr(log)
        .kill_on_drop(true)
        .spawn()?;
    let pid = child.id().ok_or("digidash exited at once")?;
    let server = Server {
        child,
        pid,
        url: format!("http://127.0.0.1:{port}"),
    };
    wait_until_ready(&format!("{}/readyz", server.url), None).await?;
    Ok(server)
}

async fn start_postgraphile(options: &Options, log_name: &str) -> Result<Server> {
    let bin = postgraphile_bin(options);
    let port = free_port()?;
    let log = std::fs::File::create(options.out.join(log_name))?;
    let child = Command::new(&bin)
        .args(["--connection", &options.database_url])
        .args(["--host", "127.0.0.1", "--port", &port.to_string()])
        .args([
            "--disable-graphiql",
            "--disable-query-log",
            "--dynamic-json",
        ])
        .args(["--append-plugins", "postgraphile-plugin-connection-filter"])
        .env("NODE_ENV", "production")
        .stdout(Stdio::null())
        .stderr(log)
        .kill_on_drop(true)
        .spawn()?;
    let pid = child.id().ok_or("postgraphile exited at once")?;
    let server = Server {
        child,
        pid,
        url: format!("http://127.0.0.1:{port}"),
    };
    wait_until_ready(
        &format!("{}/graphql", server.url),
        Some(json!({ "query": "{ __typename }" })),
    )
    .await?;
    Ok(server)
}

fn postgraphile_bin(options: &Options) -> PathBuf {
    options
        .postgraphile_dir
        .join("node_modules/.bin/postgraphile")
}

/// Installs PostGraphile 4 and the connection-filter plugin with npm when they are missing.
async fn ensure_postgraphile(options: &Options) -> Result<()> {
    if postgraphile_bin(options).exists() {
        return Ok(());
    }
    std::fs::create_dir_all(&options.postgraphile_dir)?;
    let package = options.postgraphile_dir.join("package.json");
    if !package.exists() {
        std::fs::write(&package, "{\"private\": true}\n")?;
    }
    println!(
        "installing PostGraphile 4 into {} (npm) ...",
        options.postgraphile_dir.display()
    );
    let output = Command::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--prefix"])
        .arg(&options.postgraphile_dir)
        .args(["postgraphile@4", "postgraphile-plugin-connection-filter@2"])
        .output()
        .await
        .map_err(|err| format!("npm: {err}"))?;
    if !output.status.success() || !postgraphile_bin(options).exists() {
        return Err(format!(
            "npm install postgraphile@4 failed: {}",
            String::from_utf8_lossy(&output.stderr)
        )
        .into());
    }
    Ok(())
}

async fn wait_until_ready(url: &str, body: Option<Value>) -> Result<()> {
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

// ---------------------------------------------------------------------------------------
// The data the requests need
// ---------------------------------------------------------------------------------------

/// One synthetic tenant: its row id, tokens and ids to look up and write to.
#[derive(Debug, Clone)]
struct Tenant {
    key: String,
    id: i32,
    central_it: String,
    department: String,
    council: String,
    /// Global ids of measures, projects and sub-projects.
    nodes: Vec<String>,
    /// Global ids of projects (subjects of status reports).
    projects: Vec<String>,
}

/// A measure one worker alone updates, so that its version is always known.
#[derive(Debug, Clone)]
struct OwnedMeasure {
    tenant: usize,
    id: String,
    version: i64,
    in_progress: bool,
}

/// Everything the workers share.
struct Bench {
    client: reqwest::Client,
    tenants: Vec<Tenant>,
    /// Measures by worker.
    owned: Vec<Mutex<Vec<OwnedMeasure>>>,
}

/// Which server a run talks to.
#[derive(Clone)]
enum Target {
    Digidash(String),
    PostGraphile(String),
}

/// The result of one request.
struct Outcome {
    ok: bool,
    bytes: usize,
    error: Option<String>,
}

impl Outcome {
    fn failed(error: String) -> Self {
        Self {
            ok: false,
            bytes: 0,
            error: Some(error),
        }
    }
}

async fn graphql(
    client: &reqwest::Client,
    url: &str,
    token: Option<&str>,
    body: &Value,
    parse: bool,
) -> (Outcome, Option<Value>) {
    let mut request = client
        .post(url)
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .body(body.to_string());
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = match request.send().await {
        Ok(response) => response,
        Err(err) => return (Outcome::failed(format!("transport: {err}")), None),
    };
    let status = response.status();
    let bytes = match response.bytes().await {
        Ok(bytes) => bytes,
        Err(err) => return (Outcome::failed(format!("reading the body: {err}")), None),
    };
    // Every GraphQL error is reported under the top-level "errors" key.
    let has_errors = bytes.windows(9).any(|w| w == b"\"errors\":");
    let ok = status.is_success() && !has_errors;
    let error = (!ok).then(|| {
        format!(
            "HTTP {status}: {}",
            String::from_utf8_lossy(&bytes[..bytes.len().min(300)])
        )
    });
    let parsed = if parse {
        serde_json::from_slice(&bytes).ok()
    } else {
        None
    };
    (
        Outcome {
            ok,
            bytes: bytes.len(),
            error,
        },
        parsed,
    )
}

/// Runs one GraphQL request whose answer the setup needs, failing on any error.
async fn setup_query(
    client: &reqwest::Client,
    url: &str,
    token: &str,
    query: &str,
    variables: Value,
) -> Result<Value> {
    let body = json!({ "query": query, "variables": variables });
    let (outcome, answer) =
        graphql(client, &format!("{url}/graphql"), Some(token), &body, true).await;
    if !outcome.ok {
        return Err(format!(
            "setup request failed: {}",
            outcome.error.unwrap_or_default()
        )
        .into());
    }
    answer.ok_or_else(|| "setup request: no JSON".into())
}

fn edge_nodes(value: &Value, path: &[&str]) -> Vec<Value> {
    let mut v = value;
    for key in path {
        v = &v[*key];
    }
    v["edges"]
        .as_array()
        .map(|edges| edges.iter().map(|e| e["node"].clone()).collect())
        .unwrap_or_default()
}

async fn load_tenants(
    options: &Options,
    admin: &DatabaseConnection,
    client: &reqwest::Client,
    url: &str,
) -> Result<(Vec<Tenant>, Vec<OwnedMeasure>)> {
    let rows = admin
        .query_all_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT id, key FROM tenant WHERE key LIKE 'synth-%' ORDER BY key",
        ))
        .await?;
    let mut tenants = Vec::new();
    let mut measures = Vec::new();
    for row in rows.iter().take(options.tenants as usize) {
        let id: i32 = row.try_get_by_index(0)?;
        let key: String = row.try_get_by_index(1)?;
        let db = &options.database_url;
        let central_it = digidash(db, &["token", "--role", "central_it", "--tenant", &key]).await?;
        let department = digidash(
            db,
            &[
                "token",
                "--role",
                "department",
                "--tenant",
                &key,
                "--org-unit",
                "FB 1",
            ],
        )
        .await?;
        let council = digidash(db, &["token", "--role", "council", "--tenant", &key]).await?;
        let ids = setup_query(
            client,
            url,
            &central_it,
            "{ me { tenant { version councilLiveReport } } measures(first: 100) { edges { node { id version status } } } projects(first: 100) { edges { node { id } } } subProjects(first: 100) { edges { node { id } } } }",
            json!({}),
        )
        .await?;
        // The council reads the live report only once central IT allows it.
        let tenant_row = &ids["data"]["me"]["tenant"];
        if tenant_row["councilLiveReport"] != json!(true) {
            setup_query(
                client,
                url,
                &central_it,
                "mutation($input: SetCouncilLiveReportInput!) { setCouncilLiveReport(input: $input) { tenant { version } } }",
                json!({ "input": { "allowed": true, "version": tenant_row["version"] } }),
            )
            .await?;
        }
        let data = &ids["data"];
        let text = |v: &Value| v["id"].as_str().unwrap_or_default().to_owned();
        let measure_nodes = edge_nodes(data, &["measures"]);
        let projects: Vec<String> = edge_nodes(data, &["projects"]).iter().map(text).collect();
        let mut nodes: Vec<String> = measure_nodes.iter().map(text).collect();
        nodes.extend(projects.iter().cloned());
        nodes.extend(edge_nodes(data, &["subProjects"]).iter().map(text));
        for node in &measure_nodes {
            measures.push(OwnedMeasure {
                tenant: tenants.len(),
                id: text(node),
                version: node["version"].as_i64().unwrap_or(1),
                in_progress: node["status"] == json!("IN_PROGRESS"),
            });
        }
        tenants.push(Tenant {
            key,
            id,
            central_it,
            department,
            council,
            nodes,
            projects,
        });
    }
    if tenants.is_empty() {
        return Err("the database holds no synthetic tenants".into());
    }
    Ok((tenants, measures))
}

// ---------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------

/// A small deterministic generator (xorshift), one per worker.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % (n.max(1) as u64)).unwrap_or(0)
    }
}

impl Bench {
    /// One request of `op`; the worker's `iteration` spreads the requests over the tenants.
    async fn request(
        &self,
        target: &Target,
        op: Op,
        worker: usize,
        iteration: u64,
        rng: &mut Rng,
    ) -> Outcome {
        let tenant_index = (worker + usize::try_from(iteration).unwrap_or(0)) % self.tenants.len();
        let tenant = &self.tenants[tenant_index];
        match target {
            Target::PostGraphile(url) => {
                let query = match op {
                    Op::MeasuresPage => PG_MEASURES_PAGE,
                    Op::DeepPage => PG_DEEP_PAGE,
                    Op::MediumPage => PG_MEDIUM_PAGE,
                    _ => return Outcome::failed("no PostGraphile equivalent".into()),
                };
                let body = json!({ "query": query, "variables": { "tenant": tenant.id } });
                graphql(&self.client, url, None, &body, false).await.0
            }
            Target::Digidash(url) => {
                let (token, body) = match op {
                    Op::MeasuresPage => (&tenant.central_it, json!({ "query": MEASURES_PAGE })),
                    Op::DeepPage => (&tenant.central_it, json!({ "query": DEEP_PAGE })),
                    Op::MediumPage => (&tenant.central_it, json!({ "query": MEDIUM_PAGE })),
                    Op::PortfolioDashboard => {
                        (&tenant.central_it, json!({ "query": PORTFOLIO_DASHBOARD }))
                    }
                    Op::DepartmentDashboard => {
                        (&tenant.department, json!({ "query": DEPARTMENT_DASHBOARD }))
                    }
                    Op::CouncilReport => (&tenant.council, json!({ "query": COUNCIL_REPORT })),
                    Op::NodeLookup => {
                        let id = &tenant.nodes[rng.below(tenant.nodes.len())];
                        (
                            &tenant.central_it,
                            json!({ "query": NODE_LOOKUP, "variables": { "id": id } }),
                        )
                    }
                    Op::WriteMix if iteration.is_multiple_of(2) => {
                        let subject = &tenant.projects[rng.below(tenant.projects.len())];
                        let rag = ["GREEN", "AMBER", "RED"][rng.below(3)];
                        let input = json!({
                            "subjectId": subject,
                            "progress": rng.below(101),
                            "rag": rag,
                            "summary": format!("Benchmark report {worker}/{iteration}"),
                        });
                        (
                            &tenant.central_it,
                            json!({ "query": SUBMIT_STATUS_REPORT, "variables": { "input": input } }),
                        )
                    }
                    Op::WriteMix => return self.update_measure(url, worker, iteration).await,
                };
                graphql(&self.client, url, Some(token), &body, false)
                    .await
                    .0
            }
        }
    }

    /// Moves one of the worker's own measures between PLANNED and IN_PROGRESS.
    async fn update_measure(&self, url: &str, worker: usize, iteration: u64) -> Outcome {
        let measure = {
            let Ok(owned) = self.owned[worker].lock() else {
                return Outcome::failed("poisoned".into());
            };
            if owned.is_empty() {
                return Outcome::failed("this worker owns no measure".into());
            }
            owned[usize::try_from(iteration / 2).unwrap_or(0) % owned.len()].clone()
        };
        let token = &self.tenants[measure.tenant].central_it;
        let status = if measure.in_progress {
            "PLANNED"
        } else {
            "IN_PROGRESS"
        };
        let body = json!({ "query": UPDATE_MEASURE, "variables": { "input": {
            "id": measure.id, "version": measure.version, "status": status,
        } } });
        let (outcome, answer) = graphql(&self.client, url, Some(token), &body, true).await;
        let version = answer
            .as_ref()
            .and_then(|a| a["data"]["updateMeasure"]["measure"]["version"].as_i64());
        if let Ok(mut owned) = self.owned[worker].lock()
            && let Some(m) = owned.iter_mut().find(|m| m.id == measure.id)
        {
            match version {
                Some(version) => {
                    m.version = version;
                    m.in_progress = !measure.in_progress;
                }
                // A failed update is counted; the version is read again before the next.
                None => m.version = -1,
            }
        }
        outcome
    }

    /// Reads the versions of the worker's measures that a failed update left unknown.
    async fn refresh_versions(&self, url: &str, worker: usize) {
        let stale: Vec<OwnedMeasure> = match self.owned[worker].lock() {
            Ok(owned) => owned.iter().filter(|m| m.version < 0).cloned().collect(),
            Err(_) => return,
        };
        for measure in stale {
            let token = &self.tenants[measure.tenant].central_it;
            let body = json!({
                "query": "query($id: ID!) { node(id: $id) { ... on Measure { version status } } }",
                "variables": { "id": measure.id },
            });
            let (_, answer) = graphql(&self.client, url, Some(token), &body, true).await;
            if let Some(node) = answer.as_ref().map(|a| &a["data"]["node"])
                && let Some(version) = node["version"].as_i64()
                && let Ok(mut owned) = self.owned[worker].lock()
                && let Some(m) = owned.iter_mut().find(|m| m.id == measure.id)
            {
                m.version = version;
                m.in_progress = node["status"] == json!("IN_PROGRESS");
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Closed-loop runs
// ---------------------------------------------------------------------------------------

/// What one operation did in one run.
#[derive(Debug, Clone, Default)]
struct Samples {
    latencies_us: Vec<u64>,
    errors: u64,
    bytes: u64,
    first_error: Option<String>,
}

impl Samples {
    fn merge(&mut self, other: Samples) {
        self.latencies_us.extend(other.latencies_us);
        self.errors += other.errors;
        self.bytes += other.bytes;
        if self.first_error.is_none() {
            self.first_error = other.first_error;
        }
    }
}

/// The figures of one run (or of one operation within the mix).
#[derive(Debug, Clone, Default)]
struct Stats {
    system: String,
    operation: String,
    requests: u64,
    errors: u64,
    seconds: f64,
    rps: f64,
    mean_ms: f64,
    p50_ms: f64,
    p95_ms: f64,
    p99_ms: f64,
    max_ms: f64,
    bytes_per_request: f64,
    sql_per_request: Option<f64>,
    sql_source: &'static str,
    peak_memory_mib: Option<f64>,
    cpu_ms_per_request: Option<f64>,
    /// CPU of all `postgres` processes of the machine (other databases' included).
    postgres_cpu_ms_per_request: Option<f64>,
    /// CPU of this load generator.
    client_cpu_ms_per_request: Option<f64>,
    first_error: Option<String>,
}

impl Stats {
    fn from_samples(system: &str, operation: &str, mut samples: Samples, seconds: f64) -> Self {
        samples.latencies_us.sort_unstable();
        let lat = &samples.latencies_us;
        let n = lat.len();
        let percentile = |q: f64| -> f64 {
            if n == 0 {
                return 0.0;
            }
            #[allow(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                clippy::cast_precision_loss
            )]
            let rank = ((q * n as f64).ceil() as usize).clamp(1, n);
            lat[rank - 1] as f64 / 1000.0
        };
        #[allow(clippy::cast_precision_loss)]
        let count = n as f64;
        Self {
            system: system.to_owned(),
            operation: operation.to_owned(),
            requests: n as u64,
            errors: samples.errors,
            seconds,
            rps: count / seconds,
            #[allow(clippy::cast_precision_loss)]
            mean_ms: if n == 0 {
                0.0
            } else {
                lat.iter().sum::<u64>() as f64 / count / 1000.0
            },
            p50_ms: percentile(0.50),
            p95_ms: percentile(0.95),
            p99_ms: percentile(0.99),
            #[allow(clippy::cast_precision_loss)]
            max_ms: lat.last().map_or(0.0, |v| *v as f64 / 1000.0),
            #[allow(clippy::cast_precision_loss)]
            bytes_per_request: if n == 0 {
                0.0
            } else {
                samples.bytes as f64 / count
            },
            first_error: samples.first_error,
            ..Self::default()
        }
    }

    fn to_json(&self) -> Value {
        json!({
            "system": self.system,
            "operation": self.operation,
            "requests": self.requests,
            "errors": self.errors,
            "seconds": round(self.seconds, 3),
            "requests_per_second": round(self.rps, 2),
            "latency_ms": {
                "mean": round(self.mean_ms, 3),
                "p50": round(self.p50_ms, 3),
                "p95": round(self.p95_ms, 3),
                "p99": round(self.p99_ms, 3),
                "max": round(self.max_ms, 3),
            },
            "bytes_per_request": round(self.bytes_per_request, 0),
            "sql_statements_per_request": self.sql_per_request.map(|v| round(v, 2)),
            "sql_statements_source": self.sql_source,
            "peak_memory_mib": self.peak_memory_mib.map(|v| round(v, 1)),
            "server_cpu_ms_per_request": self.cpu_ms_per_request.map(|v| round(v, 3)),
            "postgres_cpu_ms_per_request": self.postgres_cpu_ms_per_request.map(|v| round(v, 3)),
            "load_generator_cpu_ms_per_request": self.client_cpu_ms_per_request.map(|v| round(v, 3)),
            "first_error": self.first_error,
        })
    }
}

fn round(value: f64, digits: i32) -> f64 {
    let factor = 10f64.powi(digits);
    (value * factor).round() / factor
}

/// Which operations a run sends.
#[derive(Clone, Copy)]
enum Plan {
    Single(Op),
    Mix,
}

fn pick_mixed(rng: &mut Rng) -> Op {
    let total: u64 = Op::ALL.iter().map(|op| op.mix_weight()).sum();
    let mut roll = rng.next() % total;
    for op in Op::ALL {
        if roll < op.mix_weight() {
            return op;
        }
        roll -= op.mix_weight();
    }
    Op::NodeLookup
}

/// Runs `plan` closed-loop: `concurrency` workers, each sending its next request when the
/// previous one is answered, until `duration` has passed; requests in flight then finish.
/// Returns the samples by operation and the elapsed seconds.
async fn closed_loop(
    bench: &Arc<Bench>,
    target: &Target,
    plan: Plan,
    concurrency: usize,
    duration: Duration,
) -> (Vec<Samples>, f64) {
    let started = Instant::now();
    let deadline = started + duration;
    let mut workers = Vec::new();
    for worker in 0..concurrency {
        let bench = Arc::clone(bench);
        let target = target.clone();
        workers.push(tokio::spawn(async move {
            let mut rng = Rng(0x2545_F491_4F6C_DD1D ^ ((worker as u64 + 1) * 0x9E37_79B9));
            let mut samples = vec![Samples::default(); Op::ALL.len()];
            let mut iteration = 0u64;
            while Instant::now() < deadline {
                let op = match plan {
                    Plan::Single(op) => op,
                    Plan::Mix => pick_mixed(&mut rng),
                };
                let sent = Instant::now();
                let outcome = bench
                    .request(&target, op, worker, iteration, &mut rng)
                    .await;
                let micros = u64::try_from(sent.elapsed().as_micros()).unwrap_or(u64::MAX);
                let s = &mut samples[op.index()];
                s.latencies_us.push(micros);
                s.bytes += outcome.bytes as u64;
                if !outcome.ok {
                    s.errors += 1;
                    if s.first_error.is_none() {
                        s.first_error = outcome.error;
                    }
                    if let (Op::WriteMix, Target::Digidash(url)) = (op, &target) {
                        bench.refresh_versions(url, worker).await;
                    }
                }
                iteration += 1;
            }
            samples
        }));
    }
    let mut merged = vec![Samples::default(); Op::ALL.len()];
    for worker in workers {
        if let Ok(samples) = worker.await {
            for (m, s) in merged.iter_mut().zip(samples) {
                m.merge(s);
            }
        }
    }
    (merged, started.elapsed().as_secs_f64())
}

/// Asks once for each tenant's answer, untimed: a cached run measures repeated reads of data
/// nobody changes, not each tenant's first read, which the runs without the cache measure (at
/// 400 tenants the first reads of a deep page alone take most of a 10-second run).
async fn warm_up(bench: &Arc<Bench>, target: &Target, op: Op, concurrency: usize) {
    let started = Instant::now();
    let tenants = bench.tenants.len();
    let mut workers = Vec::new();
    for worker in 0..concurrency.clamp(1, tenants.max(1)) {
        let bench = Arc::clone(bench);
        let target = target.clone();
        workers.push(tokio::spawn(async move {
            let mut rng = Rng(0x9E37_79B9 ^ (worker as u64 + 1));
            for tenant in (worker..tenants).step_by(concurrency.max(1)) {
                // `request` picks tenant (worker + iteration) modulo the tenants.
                bench.request(&target, op, 0, tenant as u64, &mut rng).await;
            }
        }));
    }
    for worker in workers {
        let _ = worker.await;
    }
    println!(
        "  warm-up of {}: {tenants} tenants in {:.1} s",
        op.key(),
        started.elapsed().as_secs_f64()
    );
}

/// The server's SQL statement counter.
async fn statements(client: &reqwest::Client, server: &Server) -> Option<f64> {
    let text = client
        .get(format!("{}/metrics", server.url))
        .send()
        .await
        .ok()?
        .text()
        .await
        .ok()?;
    text.lines()
        .find_map(|l| l.strip_prefix("digidash_db_statements_total "))
        .and_then(|v| v.trim().parse().ok())
}

/// What one server did in one or more slices of a run.
struct Tally {
    /// By operation ([`Op::index`]).
    samples: Vec<Samples>,
    seconds: f64,
    /// CPU seconds of the server, of PostgreSQL and of the load generator.
    cpu: [Option<f64>; 3],
    /// SQL statements the server counted (digidash only).
    statements: Option<f64>,
    peak_memory_mib: Option<f64>,
    peak_reset: bool,
}

impl Tally {
    fn empty() -> Self {
        Self {
            samples: vec![Samples::default(); Op::ALL.len()],
            seconds: 0.0,
            cpu: [Some(0.0); 3],
            statements: Some(0.0),
            peak_memory_mib: None,
            peak_reset: true,
        }
    }

    fn add(&mut self, other: Tally) {
        for (mine, theirs) in self.samples.iter_mut().zip(other.samples) {
            mine.merge(theirs);
        }
        self.seconds += other.seconds;
        for (mine, theirs) in self.cpu.iter_mut().zip(other.cpu) {
            *mine = mine.zip(theirs).map(|(a, b)| a + b);
        }
        self.statements = self.statements.zip(other.statements).map(|(a, b)| a + b);
        self.peak_memory_mib = match (self.peak_memory_mib, other.peak_memory_mib) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        self.peak_reset &= other.peak_reset;
    }

    fn requests(&self) -> usize {
        self.samples.iter().map(|s| s.latencies_us.len()).sum()
    }

    #[allow(clippy::cast_precision_loss)]
    fn rps(&self) -> f64 {
        self.requests() as f64 / self.seconds.max(f64::EPSILON)
    }

    /// The run's figures, and for the mix each operation's share after them.
    fn stats(&self, system: &str, plan: Plan) -> Vec<Stats> {
        let name = match plan {
            Plan::Single(op) => op.key(),
            Plan::Mix => "mix",
        };
        let mut all = Samples::default();
        let mut parts = Vec::new();
        for (op, s) in Op::ALL.iter().zip(&self.samples) {
            if s.latencies_us.is_empty() && s.errors == 0 {
                continue;
            }
            if let Plan::Mix = plan {
                parts.push(Stats::from_samples(
                    system,
                    &format!("mix: {}", op.key()),
                    s.clone(),
                    self.seconds,
                ));
            }
            all.merge(s.clone());
        }
        let mut stats = Stats::from_samples(system, name, all, self.seconds);
        #[allow(clippy::cast_precision_loss)]
        let requests = stats.requests.max(1) as f64;
        stats.sql_per_request = self.statements.map(|n| n / requests);
        stats.sql_source = "/metrics";
        [
            stats.cpu_ms_per_request,
            stats.postgres_cpu_ms_per_request,
            stats.client_cpu_ms_per_request,
        ] = self
            .cpu
            .map(|cpu| cpu.map(|seconds| seconds * 1000.0 / requests));
        stats.peak_memory_mib = self.peak_memory_mib;
        let mut result = vec![stats];
        result.extend(parts);
        result
    }
}

/// Runs `plan` against `server` for `duration` and reads what it cost.
async fn slice(
    bench: &Arc<Bench>,
    server: &Server,
    target: &Target,
    plan: Plan,
    concurrency: usize,
    duration: Duration,
) -> Tally {
    let counts = matches!(target, Target::Digidash(_));
    let peak_reset = server.reset_peak_memory();
    let sql_before = if counts {
        statements(&bench.client, server).await
    } else {
        None
    };
    let cpu_before = CpuReading::now(server);
    let (samples, seconds) = closed_loop(bench, target, plan, concurrency, duration).await;
    let cpu = CpuReading::now(server).since(&cpu_before);
    let sql_after = if counts {
        statements(&bench.client, server).await
    } else {
        None
    };
    Tally {
        samples,
        seconds,
        cpu,
        statements: sql_before.zip(sql_after).map(|(a, b)| b - a),
        peak_memory_mib: server.peak_memory_mib(),
        peak_reset,
    }
}

/// One measured run against digidash: the operation's (or the mix's) figures, and for the mix
/// each operation's share.
async fn run_digidash(
    bench: &Arc<Bench>,
    server: &Server,
    plan: Plan,
    options: &Options,
    system: &str,
) -> Vec<Stats> {
    let target = Target::Digidash(format!("{}/graphql", server.url));
    let tally = slice(
        bench,
        server,
        &target,
        plan,
        options.concurrency,
        Duration::from_secs(options.seconds),
    )
    .await;
    if !tally.peak_reset {
        println!("  (could not reset the peak memory: the figure is the peak since start)");
    }
    tally.stats(system, plan)
}

/// An operation on digidash and on PostGraphile, side by side: `options.slices` rounds of a
/// slice on each, digidash first in even rounds and PostGraphile first in odd ones, so that a
/// change in the machine's speed during the run (seen here: ±20 % between runs of the systems
/// one after the other) falls on both alike. Returns both tallies and the ratio of
/// requests per second of each round.
async fn side_by_side(
    bench: &Arc<Bench>,
    digidash: &Server,
    postgraphile: &Server,
    op: Op,
    options: &Options,
) -> (Tally, Tally, Vec<f64>) {
    let ours = Target::Digidash(format!("{}/graphql", digidash.url));
    let theirs = Target::PostGraphile(format!("{}/graphql", postgraphile.url));
    let per_slice = Duration::from_secs(options.seconds) / options.slices;
    let (mut us, mut them, mut rounds) = (Tally::empty(), Tally::empty(), Vec::new());
    // PostGraphile's statements come from the log capture.
    them.statements = None;
    for round in 0..options.slices {
        let run = |server, target| {
            slice(
                bench,
                server,
                target,
                Plan::Single(op),
                options.concurrency,
                per_slice,
            )
        };
        let (a, b) = if round % 2 == 0 {
            let a = run(digidash, &ours).await;
            (a, run(postgraphile, &theirs).await)
        } else {
            let b = run(postgraphile, &theirs).await;
            (run(digidash, &ours).await, b)
        };
        rounds.push(a.rps() / b.rps().max(f64::EPSILON));
        us.add(a);
        them.add(b);
    }
    (us, them, rounds)
}

// ---------------------------------------------------------------------------------------
// The PostgreSQL log: which statements a request runs, with their parameters and durations
// ---------------------------------------------------------------------------------------

/// One statement as the PostgreSQL log recorded it, parameters written in.
#[derive(Debug, Clone)]
struct LoggedStatement {
    duration_ms: f64,
    sql: String,
}

/// Reads the statements that sessions of `database` logged (`log_min_duration_statement = 0`).
struct PgLog {
    path: PathBuf,
    database: String,
}

impl PgLog {
    async fn find(options: &Options, admin: &DatabaseConnection, database: &str) -> Result<Self> {
        let path = match &options.pg_log {
            Some(path) => path.clone(),
            None => {
                let row = admin
                    .query_one_raw(Statement::from_string(
                        DbBackend::Postgres,
                        "SELECT pg_current_logfile(), current_setting('data_directory')",
                    ))
                    .await?
                    .ok_or("no row")?;
                let current: Option<String> = row.try_get_by_index(0)?;
                let data: String = row.try_get_by_index(1)?;
                match current {
                    Some(file) => Path::new(&data).join(file),
                    // Without the logging collector Debian's pg_ctlcluster writes stderr here.
                    None => newest_log(Path::new("/var/log/postgresql"))
                        .ok_or("the PostgreSQL server log was not found (set BENCH_PG_LOG)")?,
                }
            }
        };
        std::fs::File::open(&path)
            .map_err(|err| format!("cannot read the PostgreSQL log {}: {err}", path.display()))?;
        Ok(Self {
            path,
            database: database.to_owned(),
        })
    }

    fn len(&self) -> u64 {
        std::fs::metadata(&self.path).map_or(0, |m| m.len())
    }

    /// The statements logged between two lengths of the file.
    fn statements(&self, from: u64, to: u64) -> Vec<LoggedStatement> {
        use std::io::{Read, Seek, SeekFrom};
        let mut text = String::new();
        if let Ok(mut file) = std::fs::File::open(&self.path)
            && file.seek(SeekFrom::Start(from)).is_ok()
        {
            let mut bytes = Vec::new();
            let _ = file.take(to.saturating_sub(from)).read_to_end(&mut bytes);
            text = String::from_utf8_lossy(&bytes).into_owned();
        }
        parse_log(&text, &self.database)
    }
}

fn newest_log(dir: &Path) -> Option<PathBuf> {
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "log"))
        .max_by_key(|e| e.metadata().and_then(|m| m.modified()).ok())
        .map(|e| e.path())
}

/// Parses `duration: X ms  execute NAME: SQL` and `duration: X ms  statement: SQL` records
/// with their `DETAIL:  parameters: $1 = '...'` lines into statements with the values
/// written in. Continuation lines of a message start with a tab.
fn parse_log(text: &str, database: &str) -> Vec<LoggedStatement> {
    struct Record {
        duration_ms: f64,
        sql: String,
        parameters: Vec<Option<String>>,
    }
    let ours = format!("@{database} ");
    let filter_by_database = text.contains(&ours);
    let mut records: Vec<Record> = Vec::new();
    let mut open = false;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix('\t') {
            if open && let Some(record) = records.last_mut() {
                record.sql.push('\n');
                record.sql.push_str(rest);
            }
            continue;
        }
        if filter_by_database && !line.contains(&ours) {
            open = false;
            continue;
        }
        if let Some(at) = line.find("DETAIL:  parameters: ") {
            if open && let Some(record) = records.last_mut() {
                record.parameters = parse_parameters(&line[at + 21..]);
            }
            continue;
        }
        open = false;
        let Some(at) = line.find("LOG:  duration: ") else {
            continue;
        };
        let rest = &line[at + 16..];
        let Some((duration, rest)) = rest.split_once(" ms  ") else {
            continue;
        };
        let sql = if let Some(statement) = rest.strip_prefix("statement: ") {
            statement
        } else if let Some(execute) = rest.strip_prefix("execute ") {
            match execute.split_once(": ") {
                Some((_, sql)) => sql,
                None => continue,
            }
        } else {
            // parse and bind steps: the execute record follows.
            continue;
        };
        records.push(Record {
            duration_ms: duration.parse().unwrap_or(0.0),
            sql: sql.to_owned(),
            parameters: Vec::new(),
        });
        open = true;
    }
    records
        .into_iter()
        .map(|r| LoggedStatement {
            duration_ms: r.duration_ms,
            sql: inline_parameters(&r.sql, &r.parameters),
        })
        .collect()
}

/// `$1 = '5', $2 = NULL, $3 = 'it''s'` -> values by position.
fn parse_parameters(text: &str) -> Vec<Option<String>> {
    let mut values = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| *c != '=') {
            chars.next();
        }
        if chars.next().is_none() {
            break;
        }
        while chars.peek() == Some(&' ') {
            chars.next();
        }
        if chars.peek() == Some(&'\'') {
            chars.next();
            let mut value = String::new();
            while let Some(c) = chars.next() {
                if c == '\'' {
                    if chars.peek() == Some(&'\'') {
                        chars.next();
                        value.push('\'');
                    } else {
                        break;
                    }
                } else {
                    value.push(c);
                }
            }
            values.push(Some(value));
        } else {
            // NULL
            values.push(None);
            while chars.peek().is_some_and(|c| *c != ',') {
                chars.next();
            }
        }
    }
    values
}

/// Writes parameter values into the SQL as literals (`$3` -> `'value'`), outside quotes.
fn inline_parameters(sql: &str, values: &[Option<String>]) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        match quote {
            Some(q) => {
                out.push(c);
                if c == q {
                    quote = None;
                }
            }
            None if c == '\'' || c == '"' => {
                quote = Some(c);
                out.push(c);
            }
            None if c == '$' && chars.peek().is_some_and(char::is_ascii_digit) => {
                let mut digits = String::new();
                while let Some(d) = chars.peek().copied().filter(char::is_ascii_digit) {
                    digits.push(d);
                    chars.next();
                }
                let index: usize = digits.parse().unwrap_or(0);
                match values.get(index.wrapping_sub(1)) {
                    Some(Some(value)) => {
                        let _ = write!(out, "'{}'", value.replace('\'', "''"));
                    }
                    Some(None) => out.push_str("NULL"),
                    None => {
                        out.push('$');
                        out.push_str(&digits);
                    }
                }
            }
            None => out.push(c),
        }
    }
    out
}

/// The statements of single requests, captured with statement logging switched on for the
/// database (only sessions opened afterwards log; the captures use servers of their own).
struct Captures {
    /// For each operation, one list of statements per captured tenant.
    digidash: HashMap<Op, Vec<Vec<LoggedStatement>>>,
    postgraphile: HashMap<Op, Vec<Vec<LoggedStatement>>>,
}

async fn set_statement_logging(admin: &DatabaseConnection, database: &str, on: bool) -> Result<()> {
    let sql = if on {
        format!("ALTER DATABASE \"{database}\" SET log_min_duration_statement = 0")
    } else {
        format!("ALTER DATABASE \"{database}\" RESET log_min_duration_statement")
    };
    admin.execute_unprepared(&sql).await?;
    Ok(())
}

/// Runs one request per operation and tenant (after one unlogged warm-up each) against a
/// freshly started server and returns the statements the log shows for each.
async fn capture(
    bench: &Arc<Bench>,
    log: &PgLog,
    target: &Target,
    ops: &[Op],
    tenants: usize,
) -> Result<HashMap<Op, Vec<Vec<LoggedStatement>>>> {
    let mut captured = HashMap::new();
    let mut rng = Rng(7);
    for op in ops {
        let mut per_tenant = Vec::new();
        for t in 0..tenants {
            let iteration = t as u64;
            // Warm-up: the first request of a connection prepares its statements.
            bench.request(target, *op, 0, iteration, &mut rng).await;
            tokio::time::sleep(Duration::from_millis(150)).await;
            let from = log.len();
            let outcome = bench.request(target, *op, 0, iteration, &mut rng).await;
            if !outcome.ok {
                return Err(format!(
                    "capturing {}: {}",
                    op.key(),
                    outcome.error.unwrap_or_default()
                )
                .into());
            }
            tokio::time::sleep(Duration::from_millis(300)).await;
            let statements = log.statements(from, log.len());
            if statements.is_empty() {
                return Err(format!(
                    "the PostgreSQL log {} shows no statements of {}",
                    log.path.display(),
                    op.key()
                )
                .into());
            }
            per_tenant.push(statements);
        }
        captured.insert(*op, per_tenant);
    }
    Ok(captured)
}

// ---------------------------------------------------------------------------------------
// pgbench: the bare SQL of a request
// ---------------------------------------------------------------------------------------

async fn run_pgbench(options: &Options, op: Op, scripts: &[Vec<LoggedStatement>]) -> Result<Stats> {
    let dir = options.out.join("pgbench");
    std::fs::create_dir_all(&dir)?;
    let mut files = Vec::new();
    for (t, statements) in scripts.iter().enumerate() {
        let path = dir.join(format!("{}_{}.sql", op.key(), t + 1));
        let mut script = String::new();
        for s in statements {
            script.push_str(s.sql.trim().trim_end_matches(';'));
            script.push_str(";\n");
        }
        std::fs::write(&path, script)?;
        files.push(path);
    }
    let prefix = dir.join(format!("{}_log", op.key()));
    for entry in std::fs::read_dir(&dir)?.filter_map(Result::ok) {
        if entry
            .file_name()
            .to_string_lossy()
            .starts_with(&format!("{}_log", op.key()))
        {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    let threads = options.concurrency.min(2);
    let mut command = Command::new(pgbench_bin());
    command
        .args(["--no-vacuum", "--protocol=prepared"])
        .arg(format!("--client={}", options.concurrency))
        .arg(format!("--jobs={threads}"))
        .arg(format!("--time={}", options.seconds))
        .arg("--log")
        .arg(format!("--log-prefix={}", prefix.display()));
    for file in &files {
        command.arg(format!("--file={}", file.display()));
    }
    let started = Instant::now();
    let output = command.arg(&options.database_url).output().await?;
    let seconds = started.elapsed().as_secs_f64();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    std::fs::write(
        dir.join(format!("{}_output.txt", op.key())),
        format!("{stdout}\n{stderr}"),
    )?;
    if !output.status.success() {
        return Err(format!("pgbench failed: {stderr}").into());
    }
    // Per-transaction log lines: client_id transaction_no time_us script_no epoch epoch_us.
    let mut samples = Samples::default();
    for entry in std::fs::read_dir(&dir)?.filter_map(Result::ok) {
        if !entry
            .file_name()
            .to_string_lossy()
            .starts_with(&format!("{}_log", op.key()))
        {
            continue;
        }
        for line in std::fs::read_to_string(entry.path())?.lines() {
            let fields: Vec<&str> = line.split_whitespace().collect();
            match fields.get(2) {
                Some(&"failed") | Some(&"skipped") => samples.errors += 1,
                Some(micros) => {
                    if let Ok(micros) = micros.parse() {
                        samples.latencies_us.push(micros);
                    }
                }
                None => {}
            }
        }
    }
    // pgbench's own figure excludes connecting; ours is requests over the elapsed time.
    let tps = stdout
        .lines()
        .find_map(|l| l.strip_prefix("tps = "))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|v| v.parse::<f64>().ok());
    let mut stats = Stats::from_samples("bare SQL (pgbench)", op.key(), samples, seconds);
    if let Some(tps) = tps {
        stats.rps = tps;
        stats.seconds = options.seconds as f64;
    }
    #[allow(clippy::cast_precision_loss)]
    let per_script =
        scripts.iter().map(Vec::len).sum::<usize>() as f64 / scripts.len().max(1) as f64;
    stats.sql_per_request = Some(per_script);
    stats.sql_source = "captured script";
    // PostgreSQL's CPU is not reported: pgbench's backends exit before it could be read.
    Ok(stats)
}

fn pgbench_bin() -> PathBuf {
    if let Ok(path) = std::env::var("PGBENCH") {
        return PathBuf::from(path);
    }
    let in_path = std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join("pgbench").exists()));
    if in_path {
        return PathBuf::from("pgbench");
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|dirs| {
            dirs.filter_map(Result::ok)
                .map(|d| d.path().join("bin/pgbench"))
                .filter(|p| p.exists())
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found.pop().unwrap_or_else(|| PathBuf::from("pgbench"))
}

// ---------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------

/// The lowest, median and highest of the rounds' ratios.
fn spread(rounds: &[f64]) -> String {
    let mut sorted = rounds.to_vec();
    sorted.sort_by(f64::total_cmp);
    match (sorted.first(), sorted.last()) {
        (Some(low), Some(high)) => format!("{low:.2}, {:.2}, {high:.2}", sorted[sorted.len() / 2]),
        _ => "–".to_owned(),
    }
}

fn fmt_opt(value: Option<f64>, digits: usize) -> String {
    value.map_or_else(|| "–".to_owned(), |v| format!("{v:.digits$}"))
}

fn table(stats: &[Stats]) -> String {
    let mut md = String::from(
        "| system | operation | req/s | p50 ms | p95 ms | p99 ms | errors | requests | SQL/req | KiB/req | server CPU ms/req | PostgreSQL CPU ms/req | load generator CPU ms/req | peak MiB |\n\
         | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n",
    );
    for s in stats {
        let _ = writeln!(
            md,
            "| {} | {} | {:.1} | {:.2} | {:.2} | {:.2} | {} | {} | {}{} | {} | {} | {} | {} | {} |",
            s.system,
            s.operation,
            s.rps,
            s.p50_ms,
            s.p95_ms,
            s.p99_ms,
            s.errors,
            s.requests,
            fmt_opt(s.sql_per_request, 1),
            if s.sql_source == "/metrics" || s.sql_per_request.is_none() {
                ""
            } else {
                "*"
            },
            fmt_opt(
                (s.bytes_per_request > 0.0).then(|| s.bytes_per_request / 1024.0),
                1
            ),
            fmt_opt(s.cpu_ms_per_request, 2),
            fmt_opt(s.postgres_cpu_ms_per_request, 2),
            fmt_opt(s.client_cpu_ms_per_request, 2),
            fmt_opt(s.peak_memory_mib, 1),
        );
    }
    md
}

fn machine() -> Value {
    let cpu = std::fs::read_to_string("/proc/cpuinfo").ok().and_then(|c| {
        c.lines()
            .find(|l| l.starts_with("model name"))
            .and_then(|l| l.split_once(':'))
            .map(|(_, v)| v.trim().to_owned())
    });
    let memory = std::fs::read_to_string("/proc/meminfo").ok().and_then(|m| {
        m.lines()
            .find(|l| l.starts_with("MemTotal:"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
            .map(|kib| round(kib / 1024.0 / 1024.0, 1))
    });
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "));
    json!({
        "cpus": std::thread::available_parallelism().map(|n| n.get()).ok(),
        "cpu_model": cpu,
        "memory_gib": memory,
        "load_average_at_start": load,
    })
}

// ---------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------

fn main() {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("load benchmark: {err}");
            std::process::exit(1);
        }
    };
    if let Err(err) = runtime.block_on(run()) {
        eprintln!("load benchmark failed: {err}");
        std::process::exit(1);
    }
}

async fn run() -> Result<()> {
    let options = Options::read()?;
    std::fs::create_dir_all(&options.out)?;
    let machine = machine();
    let (database, admin_url) = options.admin()?;
    let admin = Database::connect(admin_url.as_str()).await?;
    if options.fresh_database {
        admin
            .execute_unprepared(&format!(
                "DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)"
            ))
            .await?;
        admin
            .execute_unprepared(&format!("CREATE DATABASE \"{database}\""))
            .await?;
    }
    let result = bench(&options, &admin, &database, machine).await;
    let _ = set_statement_logging(&admin, &database, false).await;
    if options.fresh_database && !options.keep_database {
        let _ = admin
            .execute_unprepared(&format!(
                "DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)"
            ))
            .await;
    }
    result
}

#[allow(clippy::too_many_lines)]
async fn bench(
    options: &Options,
    admin: &DatabaseConnection,
    database: &str,
    machine: Value,
) -> Result<()> {
    println!(
        "digidash load benchmark: {} tenants, {} s per run, concurrency {}, database {database}",
        options.tenants, options.seconds, options.concurrency
    );
    let seeded = Instant::now();
    let seed_output = digidash(
        &options.database_url,
        &[
            "seed",
            "--synthetic",
            "--tenants",
            &options.tenants.to_string(),
        ],
    )
    .await?;
    println!("{seed_output} [{:.1} s]", seeded.elapsed().as_secs_f64());
    let db = Database::connect(options.database_url.as_str()).await?;
    db.execute_unprepared("VACUUM ANALYZE").await?;
    let pg_version: String = db
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT current_setting('server_version')",
        ))
        .await?
        .ok_or("no version")?
        .try_get_by_index(0)?;

    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(options.concurrency * 2)
        .timeout(Duration::from_secs(120))
        .build()?;

    // The tenants, their tokens and ids, read through a first server.
    let server = start_digidash(options, "digidash-setup.log", false).await?;
    let (tenants, measures) = load_tenants(options, &db, &client, &server.url).await?;
    server.stop().await;
    let mut owned: Vec<Vec<OwnedMeasure>> = vec![Vec::new(); options.concurrency];
    for (i, measure) in measures.into_iter().enumerate() {
        owned[i % options.concurrency].push(measure);
    }
    let bench = Arc::new(Bench {
        client,
        tenants,
        owned: owned.into_iter().map(Mutex::new).collect(),
    });
    let mut notes: Vec<String> = Vec::new();

    // PostGraphile, installed when missing.
    let postgraphile_ready = if options.skip_postgraphile {
        notes.push("PostGraphile skipped (BENCH_SKIP_POSTGRAPHILE=1).".into());
        false
    } else {
        match ensure_postgraphile(options).await {
            Ok(()) => true,
            Err(err) => {
                notes.push(format!("PostGraphile skipped: {err}"));
                false
            }
        }
    };

    // Statement captures: one server of each kind with statement logging on.
    let captured_tenants = bench.tenants.len().min(4);
    let capture_ops: Vec<Op> = [
        Op::MeasuresPage,
        Op::DeepPage,
        Op::MediumPage,
        Op::PortfolioDashboard,
        Op::DepartmentDashboard,
        Op::CouncilReport,
    ]
    .into_iter()
    .filter(|op| options.runs(op.key()))
    .collect();
    let compared: Vec<Op> = COMPARED
        .into_iter()
        .filter(|op| options.runs(op.key()))
        .collect();
    let captures = match PgLog::find(options, admin, database).await {
        Err(err) => {
            notes.push(format!(
                "No statement capture (bare-SQL baseline and slowest statements skipped): {err}"
            ));
            None
        }
        Ok(log) => {
            let captured = async {
                set_statement_logging(admin, database, true).await?;
                let server = start_digidash(options, CAPTURE_LOG, false).await?;
                let digidash = capture(
                    &bench,
                    &log,
                    &Target::Digidash(format!("{}/graphql", server.url)),
                    &capture_ops,
                    captured_tenants,
                )
                .await;
                server.stop().await;
                let digidash = digidash?;
                let mut postgraphile = HashMap::new();
                if postgraphile_ready {
                    match start_postgraphile(options, "postgraphile-capture.log").await {
                        Ok(server) => {
                            let target = Target::PostGraphile(format!("{}/graphql", server.url));
                            match capture(&bench, &log, &target, &compared, captured_tenants).await
                            {
                                Ok(c) => postgraphile = c,
                                Err(err) => notes
                                    .push(format!("PostGraphile statements not captured: {err}")),
                            }
                            server.stop().await;
                        }
                        Err(err) => notes.push(format!("PostGraphile did not start: {err}")),
                    }
                }
                Ok::<_, BoxError>(Captures {
                    digidash,
                    postgraphile,
                })
            }
            .await;
            set_statement_logging(admin, database, false).await?;
            match captured {
                Ok(c) => Some(c),
                Err(err) => {
                    notes.push(format!("Statement capture failed: {err}"));
                    None
                }
            }
        }
    };

    let mut results: Vec<Stats> = Vec::new();
    let server = start_digidash(options, "digidash.log", options.response_cache).await?;
    // One unmeasured request of every operation and tenant: it checks the documents and
    // prepares the statements of the server's connections.
    let mut rng = Rng(11);
    for op in Op::ALL.into_iter().filter(|op| options.runs(op.key())) {
        for t in 0..bench.tenants.len() {
            let outcome = bench
                .request(
                    &Target::Digidash(format!("{}/graphql", server.url)),
                    op,
                    0,
                    t as u64,
                    &mut rng,
                )
                .await;
            if !outcome.ok && op != Op::WriteMix {
                return Err(format!(
                    "warm-up of {} failed: {}",
                    op.key(),
                    outcome.error.unwrap_or_default()
                )
                .into());
            }
        }
    }
    bench
        .refresh_versions(&format!("{}/graphql", server.url), 0)
        .await;

    // Operations 1 and 2 side by side with PostGraphile, then as bare SQL, on the same data
    // (before the write runs change it).
    let mut comparisons = Vec::new();
    let mut slice_ratios = Vec::new();
    let postgraphile = if postgraphile_ready {
        postgraphile_for(options, &compared, &bench, &mut notes).await
    } else {
        None
    };
    for op in compared.iter().copied() {
        match &postgraphile {
            Some((theirs, answered)) if answered.contains(&op) => {
                let (us, them, rounds) = side_by_side(&bench, &server, theirs, op, options).await;
                let ours = us.stats("digidash", Plan::Single(op));
                let mut stats = them.stats("postgraphile", Plan::Single(op)).remove(0);
                stats.sql_per_request = postgraphile_statements(captures.as_ref(), op);
                stats.sql_source = "log capture";
                print_line(&ours[0]);
                print_line(&stats);
                println!(
                    "  digidash ÷ PostGraphile: {:.2}× over the run; rounds {}",
                    ours[0].rps / stats.rps.max(f64::EPSILON),
                    rounds
                        .iter()
                        .map(|r| format!("{r:.2}"))
                        .collect::<Vec<_>>()
                        .join(" ")
                );
                results.extend(ours);
                comparisons.push(stats);
                slice_ratios.push((op, rounds));
            }
            _ => results.extend(measure_digidash(&bench, &server, Plan::Single(op), options).await),
        }
    }
    if let Some((theirs, _)) = postgraphile {
        theirs.stop().await;
    }
    comparisons.extend(bare_sql(options, &compared, captures.as_ref(), &mut notes).await);
    for op in Op::ALL
        .iter()
        .filter(|op| !COMPARED.contains(op) && options.runs(op.key()))
    {
        results.extend(measure_digidash(&bench, &server, Plan::Single(*op), options).await);
    }
    if options.runs("mix") {
        results.extend(measure_digidash(&bench, &server, Plan::Mix, options).await);
    }
    server.stop().await;

    // The reads again, with the response cache: repeated reads of data nobody changes
    // meanwhile (each tenant's first request, before the run, computes and fills the cache).
    if !options.response_cache {
        let server = start_digidash(options, "digidash-cached.log", true).await?;
        // The pages, dashboards and report: look-ups of random ids rarely repeat, writes
        // are never cached.
        for op in Op::ALL
            .into_iter()
            .filter(|op| !matches!(op, Op::NodeLookup | Op::WriteMix) && options.runs(op.key()))
        {
            let target = Target::Digidash(format!("{}/graphql", server.url));
            warm_up(&bench, &target, op, options.concurrency).await;
            let stats = run_digidash(&bench, &server, Plan::Single(op), options, CACHED).await;
            print_line(&stats[0]);
            results.extend(stats);
        }
        server.stop().await;
    }

    let slowest = match &captures {
        Some(captures) => explain_slowest(&db, captures).await,
        None => Vec::new(),
    };
    report(
        options,
        &Report {
            machine,
            pg_version,
            tenants: &bench.tenants,
            results: &results,
            comparisons: &comparisons,
            slice_ratios: &slice_ratios,
            captures: captures.as_ref(),
            slowest: &slowest,
            notes: &notes,
        },
    )
}

/// Runs one digidash run and prints its line.
async fn measure_digidash(
    bench: &Arc<Bench>,
    server: &Server,
    plan: Plan,
    options: &Options,
) -> Vec<Stats> {
    let stats = run_digidash(bench, server, plan, options, "digidash").await;
    print_line(&stats[0]);
    stats
}

fn print_line(stats: &Stats) {
    println!(
        "{:<20} {:<22} {:>8.1} req/s  p50 {:>8.2} ms  p99 {:>8.2} ms  errors {}",
        stats.system, stats.operation, stats.rps, stats.p50_ms, stats.p99_ms, stats.errors
    );
    if let Some(error) = &stats.first_error {
        println!("  first error: {error}");
    }
}

/// PostGraphile for the compared operations, each of which it answered once for every
/// tenant (unmeasured: it checks the documents and warms up Node's JIT).
async fn postgraphile_for(
    options: &Options,
    ops: &[Op],
    bench: &Arc<Bench>,
    notes: &mut Vec<String>,
) -> Option<(Server, Vec<Op>)> {
    let server = match start_postgraphile(options, "postgraphile.log").await {
        Ok(server) => server,
        Err(err) => {
            notes.push(format!("PostGraphile did not start: {err}"));
            return None;
        }
    };
    let target = Target::PostGraphile(format!("{}/graphql", server.url));
    let mut rng = Rng(13);
    let mut answered = Vec::new();
    for &op in ops {
        let mut failed = None;
        for t in 0..bench.tenants.len() {
            let outcome = bench.request(&target, op, 0, t as u64, &mut rng).await;
            if !outcome.ok {
                failed = outcome.error;
            }
        }
        match failed {
            Some(error) => notes.push(format!("PostGraphile {}: {error}", op.key())),
            None => answered.push(op),
        }
    }
    Some((server, answered))
}

/// The statements PostGraphile ran for one request of `op`, on average over the captured
/// tenants.
fn postgraphile_statements(captures: Option<&Captures>, op: Op) -> Option<f64> {
    #[allow(clippy::cast_precision_loss)]
    captures
        .and_then(|c| c.postgraphile.get(&op))
        .filter(|lists| !lists.is_empty())
        .map(|lists| lists.iter().map(Vec::len).sum::<usize>() as f64 / lists.len() as f64)
}

/// Operations 1 and 2 as bare SQL: digidash's captured statements replayed with pgbench.
async fn bare_sql(
    options: &Options,
    ops: &[Op],
    captures: Option<&Captures>,
    notes: &mut Vec<String>,
) -> Vec<Stats> {
    let mut out = Vec::new();
    if options.skip_pgbench {
        notes.push("Bare-SQL baseline skipped (BENCH_SKIP_PGBENCH=1).".into());
    } else if let Some(captures) = captures {
        for &op in ops {
            let Some(scripts) = captures.digidash.get(&op) else {
                continue;
            };
            match run_pgbench(options, op, scripts).await {
                Ok(stats) => {
                    print_line(&stats);
                    out.push(stats);
                }
                Err(err) => notes.push(format!("pgbench {}: {err}", op.key())),
            }
        }
    }
    out
}

/// The statements one request of an operation runs, and the plan of its slowest.
struct Slowest {
    op: Op,
    statements: f64,
    sql_ms: f64,
    slowest_ms: f64,
    sql: String,
    plan: Option<String>,
}

/// For every captured operation: statements and logged SQL time per request (mean over the
/// captured tenants), and `EXPLAIN (ANALYZE, BUFFERS)` of the first tenant's slowest
/// statement (run after the benchmark, on the data as the runs left it).
async fn explain_slowest(db: &DatabaseConnection, captures: &Captures) -> Vec<Slowest> {
    let mut out = Vec::new();
    for op in Op::ALL {
        let Some(lists) = captures.digidash.get(&op).filter(|l| !l.is_empty()) else {
            continue;
        };
        #[allow(clippy::cast_precision_loss)]
        let n = lists.len() as f64;
        #[allow(clippy::cast_precision_loss)]
        let statements = lists.iter().map(Vec::len).sum::<usize>() as f64 / n;
        let sql_ms = lists
            .iter()
            .map(|l| l.iter().map(|s| s.duration_ms).sum::<f64>())
            .sum::<f64>()
            / n;
        let Some(slowest) = lists[0]
            .iter()
            .filter(|s| {
                let head = s.sql.trim_start().to_ascii_uppercase();
                head.starts_with("SELECT") || head.starts_with("WITH")
            })
            .max_by(|a, b| a.duration_ms.total_cmp(&b.duration_ms))
        else {
            continue;
        };
        let plan = db
            .query_all_raw(Statement::from_string(
                DbBackend::Postgres,
                format!("EXPLAIN (ANALYZE, BUFFERS) {}", slowest.sql),
            ))
            .await
            .map(|rows| {
                rows.iter()
                    .filter_map(|r| r.try_get_by_index::<String>(0).ok())
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        let plan = match plan {
            Ok(plan) => Some(plan),
            Err(err) => {
                eprintln!("EXPLAIN of {} failed: {err}", op.key());
                None
            }
        };
        out.push(Slowest {
            op,
            statements,
            sql_ms,
            slowest_ms: slowest.duration_ms,
            sql: slowest.sql.clone(),
            plan,
        });
    }
    out
}

/// Everything the report files hold.
struct Report<'a> {
    machine: Value,
    pg_version: String,
    tenants: &'a [Tenant],
    results: &'a [Stats],
    comparisons: &'a [Stats],
    /// digidash's requests per second over PostGraphile's in each round of a side-by-side run.
    slice_ratios: &'a [(Op, Vec<f64>)],
    captures: Option<&'a Captures>,
    slowest: &'a [Slowest],
    notes: &'a [String],
}

fn git_commit() -> Option<String> {
    let output = std::process::Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

fn truncate(text: &str, max: usize) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        one_line
    } else {
        format!("{}…", one_line.chars().take(max).collect::<String>())
    }
}

#[allow(clippy::too_many_lines)]
fn report(options: &Options, r: &Report<'_>) -> Result<()> {
    let now = std::process::Command::new("date")
        .args(["-u", "+%Y-%m-%dT%H:%M:%SZ"])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned());
    let commit = git_commit();
    let ratio = |a: &Stats, b: &Stats, f: fn(&Stats) -> f64| {
        let (x, y) = (f(a), f(b));
        (y > 0.0).then(|| x / y)
    };
    let mut ratios = Vec::new();
    for c in r.comparisons {
        for d in r.results.iter().filter(|s| {
            (s.system == "digidash" || s.system == CACHED) && s.operation == c.operation
        }) {
            // The rounds were run against PostGraphile without the cache.
            let rounds = r
                .slice_ratios
                .iter()
                .find(|(op, _)| {
                    op.key() == c.operation && d.system == "digidash" && c.system == "postgraphile"
                })
                .map(|(_, rounds)| rounds.clone())
                .unwrap_or_default();
            ratios.push((
                c.operation.clone(),
                format!("{} vs {}", d.system, c.system),
                ratio(d, c, |s| s.rps),
                ratio(d, c, |s| s.p50_ms),
                ratio(d, c, |s| s.p99_ms),
                rounds,
            ));
        }
    }
    let json = json!({
        "generated_at": now,
        "commit": commit,
        "machine": r.machine,
        "postgresql": r.pg_version,
        "options": {
            "tenants": options.tenants,
            "seconds_per_run": options.seconds,
            "side_by_side_rounds": options.slices,
            "concurrency": options.concurrency,
            "read_replicas": options.replica_urls.as_deref().map_or(0, |urls| urls.split(',').count()),
            "mix_weights_percent": Op::ALL.iter().map(|op| (op.key(), op.mix_weight())).collect::<HashMap<_, _>>(),
        },
        "tenants": r.tenants.iter().map(|t| t.key.clone()).collect::<Vec<_>>(),
        "results": r.results.iter().map(Stats::to_json).collect::<Vec<_>>(),
        "comparisons": r.comparisons.iter().map(Stats::to_json).collect::<Vec<_>>(),
        "ratios": ratios.iter().map(|(op, other, rps, p50, p99, rounds)| json!({
            "operation": op,
            "against": other,
            "digidash_rps_over_other": rps.map(|v| round(v, 3)),
            "digidash_rps_over_other_by_round": rounds.iter().map(|v| round(*v, 3)).collect::<Vec<_>>(),
            "digidash_p50_over_other": p50.map(|v| round(v, 3)),
            "digidash_p99_over_other": p99.map(|v| round(v, 3)),
        })).collect::<Vec<_>>(),
        "captured_requests": r.slowest.iter().map(|s| json!({
            "operation": s.op.key(),
            "statements": round(s.statements, 2),
            "logged_sql_ms": round(s.sql_ms, 3),
            "slowest_statement_ms": round(s.slowest_ms, 3),
            "slowest_statement": s.sql,
            "explain_analyze": s.plan,
        })).collect::<Vec<_>>(),
        "postgraphile_captured_statements": r.captures.map(|c| c.postgraphile.iter().map(|(op, lists)| {
            (op.key(), lists.iter().map(|l| l.iter().map(|s| json!({"ms": s.duration_ms, "sql": s.sql})).collect::<Vec<_>>()).collect::<Vec<_>>())
        }).collect::<HashMap<_, _>>()),
        "notes": r.notes,
    });
    std::fs::write(
        options.out.join("load.json"),
        serde_json::to_string_pretty(&json)?,
    )?;

    let mut md = String::new();
    let _ = writeln!(md, "# digidash load benchmark\n");
    let _ = writeln!(
        md,
        "{} · commit {} · {} tenants · {} s per run · concurrency {} · PostgreSQL {} · {} CPUs ({}) · {} GiB\n",
        now.as_deref().unwrap_or("?"),
        commit.as_deref().unwrap_or("?"),
        options.tenants,
        options.seconds,
        options.concurrency,
        r.pg_version,
        r.machine["cpus"],
        r.machine["cpu_model"].as_str().unwrap_or("?"),
        r.machine["memory_gib"],
    );
    if let Some(urls) = &options.replica_urls {
        let _ = writeln!(
            md,
            "digidash reads from {} read replica(s) besides the primary (`DATABASE_REPLICA_URLS`).\n",
            urls.split(',').count()
        );
    }
    md.push_str("## digidash\n\n");
    md.push_str(&table(r.results));
    md.push_str("\nSQL/req from the server's `digidash_db_statements_total`; server CPU and peak memory (VmHWM, reset before each run) of the server process.\n");
    if !r.comparisons.is_empty() {
        md.push_str("\n## The pages against PostGraphile and the bare SQL\n\n");
        let mut rows: Vec<Stats> = Vec::new();
        for op in COMPARED {
            rows.extend(
                r.results
                    .iter()
                    .filter(|s| {
                        (s.system == "digidash" || s.system == CACHED) && s.operation == op.key()
                    })
                    .cloned(),
            );
            rows.extend(
                r.comparisons
                    .iter()
                    .filter(|s| s.operation == op.key())
                    .cloned(),
            );
        }
        md.push_str(&table(&rows));
        md.push_str("\n\\* PostGraphile: statements of one captured request per tenant (PostgreSQL log); bare SQL: statements in the replayed script.\n\n");
        md.push_str("| operation | systems | req/s ÷ theirs | by round (lowest, median, highest) | p50 ÷ theirs | p99 ÷ theirs |\n| --- | --- | ---: | ---: | ---: | ---: |\n");
        for (op, other, rps, p50, p99, rounds) in &ratios {
            let _ = writeln!(
                md,
                "| {op} | {other} | {} | {} | {} | {} |",
                fmt_opt(*rps, 2),
                spread(rounds),
                fmt_opt(*p50, 2),
                fmt_opt(*p99, 2)
            );
        }
        let _ = writeln!(
            md,
            "\nPostGraphile ran side by side with digidash: {} rounds of {:.1} s on each, digidash first in even rounds and PostGraphile first in odd ones, so that the machine's drift falls on both alike; the bare SQL ran after them.",
            options.slices,
            options.seconds as f64 / f64::from(options.slices)
        );
    }
    if !r.slowest.is_empty() {
        md.push_str("\n## Where one request's SQL time goes (captured with `log_min_duration_statement = 0`, unloaded)\n\n");
        md.push_str("| operation | statements | logged SQL ms | slowest statement ms | slowest statement |\n| --- | ---: | ---: | ---: | --- |\n");
        for s in r.slowest {
            let _ = writeln!(
                md,
                "| {} | {:.1} | {:.2} | {:.2} | `{}` |",
                s.op.key(),
                s.statements,
                s.sql_ms,
                s.slowest_ms,
                truncate(&s.sql, 160).replace('|', "\\|").replace('`', "'")
            );
        }
        let mut explain = String::from(
            "# EXPLAIN (ANALYZE, BUFFERS) of the slowest statement of each operation\n",
        );
        for s in r.slowest {
            let _ = write!(
                explain,
                "\n## {} ({:.2} ms when captured)\n\n```sql\n{}\n```\n\n```\n{}\n```\n",
                s.op.key(),
                s.slowest_ms,
                s.sql,
                s.plan.as_deref().unwrap_or("(EXPLAIN failed)")
            );
        }
        std::fs::write(options.out.join("explain.md"), explain)?;
        md.push_str("\nPlans: `explain.md` beside this file.\n");
    }
    if !r.notes.is_empty() {
        md.push_str("\n## Notes\n\n");
        for note in r.notes {
            let _ = writeln!(md, "- {}", truncate(note, 600));
        }
    }
    std::fs::write(options.out.join("load.md"), &md)?;
    println!("\n{md}");
    println!(
        "written: {} and {}",
        options.out.join("load.json").display(),
        options.out.join("load.md").display()
    );
    Ok(())
}
