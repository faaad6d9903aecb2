//! The load benchmark of issue #7: `cargo bench --bench load` (see `BENCHMARKS.md`).
//!
//! It creates and seeds a PostgreSQL database with the release `digidash` binary, starts
//! `digidash serve` on a free port and runs, closed-loop at a fixed concurrency for a fixed
//! time, each operation on its own and then a mix: a filtered and sorted measures page, a deep
//! page (goals -> measures -> projects -> sub-projects), the portfolio dashboard, a department
//! dashboard, the council report, `node` look-ups and a write mix. For each it reports
//! requests per second, latency percentiles, errors, SQL statements per request (the server's
//! `/metrics` counter), the server's peak memory and its CPU time. For the three pages it also
//! runs PostGraphile 4 and 5 (on the same database, side by side in alternating rounds, after
//! checking that they answer with digidash's rows) with the equivalent queries and the bare SQL
//! statements digidash issues (captured from the PostgreSQL log, replayed with `pgbench`), and
//! prints the ratios. Results go to `$BENCH_OUT/load.json` and `load.md`.
//!
//! Options (environment variable, or the flag in brackets after `cargo bench --bench load --`):
//! `BENCH_TENANTS` (`--tenants`, 4), `BENCH_SECONDS` (`--seconds`, 10 per run),
//! `BENCH_SLICES` (`--slices`, 5: the rounds in which a page alternates between digidash and
//! the PostGraphiles),
//! `BENCH_CONCURRENCY` (`--concurrency`, `8,16`: the compared pages run at each, everything else
//! at the first), `BENCH_DATABASE_URL` (`--database-url`, default a
//! fresh `bench_digidash` on `postgres://postgres@127.0.0.1:5432`, dropped afterwards unless
//! `BENCH_KEEP_DB=1`), `BENCH_OUT` (`--out`, `target/bench`), `BENCH_PG_LOG` (the PostgreSQL
//! server log, found by itself when possible), `BENCH_POSTGRAPHILE_DIR`
//! (`target/bench/postgraphile`, where `npm install` puts PostGraphile 4 when it is missing),
//! `BENCH_POSTGRAPHILE5_DIR` (`target/bench/postgraphile5`: PostGraphile 5 and Node.js 22),
//! `BENCH_SKIP_POSTGRAPHILE=1` (both), `BENCH_SKIP_POSTGRAPHILE5=1`, `BENCH_LARGE_TENANT=1`
//! (`--large-tenant`: every run on the large tenant `synth-large` alone, seeded when
//! missing: the deep page of about 1 MB), `BENCH_SKIP_PGBENCH=1`, `BENCH_RESPONSE_CACHE=1` (every run with
//! the response cache; by default only the last runs have it), `BENCH_REPLICA_URLS`
//! (`--replica-urls`: the server's `DATABASE_REPLICA_URLS`), `BENCH_OPS` (`--ops`: the operations
//! to run, their keys separated by commas, `mix` for the mix; all by default).
//!
//! A soak run (issue #20) instead of the runs above: `BENCH_SOAK_SECONDS` (`--soak-seconds`;
//! 1800 for the 30 minutes) runs the mix, writes included, open-loop at
//! `BENCH_SOAK_RATE` requests per second (`--soak-rate`, 50: about a quarter of what the mix
//! saturates at on a 2-core machine), reads the server's RSS, threads and open files and the
//! database's size and sessions every `BENCH_SOAK_SAMPLE_SECONDS` (`--soak-sample-seconds`,
//! 10), and reports per window of `BENCH_SOAK_WINDOW_SECONDS` (`--soak-window-seconds`, 300)
//! the requests, errors by kind, latency and those readings (with the allocator's committed
//! memory from the server's `/metrics`), and a verdict comparing the first window with the
//! last. `BENCH_SOAK_STALL_AT` (`--soak-stall-at`) stops the server that many seconds into the
//! run for `BENCH_SOAK_STALL_SECONDS` (`--soak-stall-seconds`, 15), as an overloaded machine
//! would. No PostGraphile, pgbench or statement capture. Results go to
//! `$BENCH_OUT/soak.json` and `soak.md`.
//!
//! The modules, in the order the benchmark uses them: `options`; `servers` (the digidash
//! binary as command and server) and `process_stats` (CPU and memory from `/proc`);
//! `graphql_client` (one request); `tenants` (tokens and ids); `operations` (the documents)
//! and `requests` (who sends what); `postgraphile` and `equivalence` (the same rows, checked
//! before measuring); `pg_log` and `capture` (the statements a
//! request runs); `driver` (the closed-loop runs and the side-by-side rounds) and `stats`;
//! `pgbench` (the bare SQL); `benchmark` (the steps in order); `report` and `markdown` (the
//! files written); `soak` and `soak_report` (the soak run and its files).

mod benchmark;
mod capture;
mod driver;
mod equivalence;
mod graphql_client;
mod markdown;
mod operations;
mod options;
mod pg_log;
mod pgbench;
mod postgraphile;
mod process_stats;
mod report;
mod requests;
mod servers;
mod soak;
mod soak_report;
mod stats;
mod tenants;

use sea_orm::{ConnectionTrait, Database, DatabaseConnection};

use crate::{capture::set_statement_logging, options::Options};

type BoxError = Box<dyn std::error::Error + Send + Sync>;
type Result<T, E = BoxError> = std::result::Result<T, E>;

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
    if let Err(err) = runtime.block_on(run_on_database()) {
        eprintln!("load benchmark failed: {err}");
        std::process::exit(1);
    }
}

/// Reads the options, creates the database when the benchmark owns it, runs the benchmark,
/// and then switches statement logging off and drops the database it created (unless it is
/// to be kept), whether the benchmark succeeded or not.
async fn run_on_database() -> Result<()> {
    let options = Options::from_args_and_env()?;
    std::fs::create_dir_all(&options.out)?;
    let machine = report::describe_machine();
    let (database, admin_url) = options.maintenance_database()?;
    let admin = Database::connect(admin_url.as_str()).await?;
    if options.fresh_database {
        drop_database(&admin, &database).await?;
        admin
            .execute_unprepared(&format!("CREATE DATABASE \"{database}\""))
            .await?;
    }
    let result = benchmark::seed_measure_and_report(&options, &admin, &database, machine).await;
    let _ = set_statement_logging(&admin, &database, false).await;
    if options.fresh_database && !options.keep_database {
        let _ = drop_database(&admin, &database).await;
    }
    result
}

/// Drops `database`, closing its sessions (`WITH (FORCE)`).
async fn drop_database(admin: &DatabaseConnection, database: &str) -> Result<()> {
    admin
        .execute_unprepared(&format!(
            "DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)"
        ))
        .await?;
    Ok(())
}
