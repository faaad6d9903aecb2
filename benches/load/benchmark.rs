//! The benchmark's steps in order: seed, read the tenants, capture statements, measure
//! digidash (the pages side by side with PostGraphile and as bare SQL), measure the reads
//! again with the response cache, report. A soak run (`BENCH_SOAK_SECONDS`) seeds, reads the
//! tenants and then runs the mix at a steady rate instead (see `soak`).

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement};
use serde_json::Value;

use crate::{
    Result,
    capture::{Captures, capture_requests, explain_slowest},
    driver::{
        Plan, check_every_operation, fill_cache_for_every_tenant, measure_digidash, side_by_side,
    },
    operations::{COMPARED, Op},
    options::{Options, Soak},
    pgbench::bare_sql_baseline,
    postgraphile::{install_postgraphile_if_missing, start_and_check_postgraphile},
    report::{CACHED, DIGIDASH, Report, write_report},
    requests::{Bench, Target},
    servers::{Server, run_digidash_command, start_digidash},
    soak::soak_run,
    soak_report::write_soak_report,
    stats::Stats,
    tenants::{load_tenants, share_among_workers},
};

/// Seeds the database, runs every included measurement and writes the report; `admin` is a
/// connection to the maintenance database, where statement logging of `database` is switched.
pub(crate) async fn seed_measure_and_report(
    options: &Options,
    admin: &DatabaseConnection,
    database: &str,
    machine: Value,
) -> Result<()> {
    if let Some(soak) = options.soak {
        println!(
            "digidash soak run: {} tenants, the mix at {} req/s for {} s, windows of {} s, database {database}",
            options.tenants, soak.rate, soak.seconds, soak.window_seconds
        );
    } else {
        println!(
            "digidash load benchmark: {} tenants, {} s per run, concurrency {}, database {database}",
            options.tenants, options.seconds, options.concurrency
        );
    }
    let (db, pg_version) = seed_database(options).await?;
    let bench = Arc::new(read_tenants(options, &db).await?);
    if let Some(soak) = options.soak {
        return soak_and_report(options, &db, &bench, soak, &machine, &pg_version).await;
    }
    let mut notes: Vec<String> = Vec::new();
    let postgraphile_ready = prepare_postgraphile(options, &mut notes).await;
    let captures = capture_requests(
        options,
        admin,
        database,
        &bench,
        postgraphile_ready,
        &mut notes,
    )
    .await?;

    let mut results: Vec<Stats> = Vec::new();
    let server = start_digidash(options, "digidash.log", options.response_cache).await?;
    check_every_operation(&bench, &server, options).await?;
    // The pages side by side with PostGraphile, then as bare SQL, on the same data (before
    // the write runs change it).
    let compared = compare_pages(
        options,
        &bench,
        &server,
        postgraphile_ready,
        captures.as_ref(),
        &mut notes,
    )
    .await;
    results.extend(compared.digidash);
    for op in options.included(Op::ALL.into_iter().filter(|op| !COMPARED.contains(op))) {
        results
            .extend(measure_digidash(&bench, &server, Plan::Single(op), options, DIGIDASH).await);
    }
    if options.includes("mix") {
        results.extend(measure_digidash(&bench, &server, Plan::Mix, options, DIGIDASH).await);
    }
    server.stop().await;
    if !options.response_cache {
        results.extend(measure_cached_reads(options, &bench).await?);
    }

    let slowest = match &captures {
        Some(captures) => explain_slowest(&db, captures).await,
        None => Vec::new(),
    };
    write_report(
        options,
        &Report {
            machine,
            pg_version,
            tenants: &bench.tenants,
            results: &results,
            comparisons: &compared.others,
            slice_ratios: &compared.slice_ratios,
            captures: captures.as_ref(),
            slowest: &slowest,
            notes: &notes,
        },
    )
}

/// The soak run instead of the runs above: no statement capture, PostGraphile, pgbench or
/// cached runs; one server (with the response cache only when `BENCH_RESPONSE_CACHE=1`), one
/// unmeasured request of every operation and tenant, then the mix at a steady rate.
async fn soak_and_report(
    options: &Options,
    db: &DatabaseConnection,
    bench: &Arc<Bench>,
    soak: Soak,
    machine: &Value,
    pg_version: &str,
) -> Result<()> {
    let server = start_digidash(options, "digidash-soak.log", options.response_cache).await?;
    check_every_operation(bench, &server, options).await?;
    let run = soak_run(bench, &server, db, soak).await;
    server.stop().await;
    write_soak_report(options, &run, machine, pg_version)
}

/// Seeds the synthetic tenants with `digidash seed`, refreshes the planner's statistics and
/// returns a connection to the database and PostgreSQL's version.
async fn seed_database(options: &Options) -> Result<(DatabaseConnection, String)> {
    let seeded = Instant::now();
    let seed_output = run_digidash_command(
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
    Ok((db, pg_version))
}

/// The tenants, their tokens and ids, read through a first server, and the HTTP client
/// the workers share.
async fn read_tenants(options: &Options, db: &DatabaseConnection) -> Result<Bench> {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(options.concurrency * 2)
        .timeout(Duration::from_secs(120))
        .build()?;
    let server = start_digidash(options, "digidash-setup.log", false).await?;
    let (tenants, measures) = load_tenants(options, db, &client, &server.url).await?;
    server.stop().await;
    Ok(Bench {
        client,
        tenants,
        owned: share_among_workers(measures, options.concurrency),
    })
}

/// Whether PostGraphile can run: installed when missing, unless it is skipped; a note says
/// why when it cannot.
async fn prepare_postgraphile(options: &Options, notes: &mut Vec<String>) -> bool {
    if options.skip_postgraphile {
        notes.push("PostGraphile skipped (BENCH_SKIP_POSTGRAPHILE=1).".into());
        return false;
    }
    match install_postgraphile_if_missing(options).await {
        Ok(()) => true,
        Err(err) => {
            notes.push(format!("PostGraphile skipped: {err}"));
            false
        }
    }
}

/// The compared pages: digidash's runs, the other systems' runs, and the rounds of each
/// side-by-side run.
struct ComparedPages {
    digidash: Vec<Stats>,
    others: Vec<Stats>,
    slice_ratios: Vec<(Op, Vec<f64>)>,
}

/// Measures each compared page side by side with PostGraphile when it answered the page (on
/// digidash alone otherwise), then replays the captured statements with pgbench.
async fn compare_pages(
    options: &Options,
    bench: &Arc<Bench>,
    server: &Server,
    postgraphile_ready: bool,
    captures: Option<&Captures>,
    notes: &mut Vec<String>,
) -> ComparedPages {
    let compared = options.included(COMPARED);
    let mut pages = ComparedPages {
        digidash: Vec::new(),
        others: Vec::new(),
        slice_ratios: Vec::new(),
    };
    let postgraphile = if postgraphile_ready {
        start_and_check_postgraphile(options, &compared, bench, notes).await
    } else {
        None
    };
    for op in compared.iter().copied() {
        match &postgraphile {
            Some((theirs, answered)) if answered.contains(&op) => {
                let (ours, stats, rounds) =
                    against_postgraphile(bench, server, theirs, op, options, captures).await;
                pages.digidash.extend(ours);
                pages.others.push(stats);
                pages.slice_ratios.push((op, rounds));
            }
            _ => pages
                .digidash
                .extend(measure_digidash(bench, server, Plan::Single(op), options, DIGIDASH).await),
        }
    }
    if let Some((theirs, _)) = postgraphile {
        theirs.stop().await;
    }
    pages
        .others
        .extend(bare_sql_baseline(options, &compared, captures, notes).await);
    pages
}

/// One page side by side on digidash and PostGraphile, printed with the ratio of each round:
/// digidash's figures, PostGraphile's, and the rounds' ratios.
async fn against_postgraphile(
    bench: &Arc<Bench>,
    server: &Server,
    postgraphile: &Server,
    op: Op,
    options: &Options,
    captures: Option<&Captures>,
) -> (Vec<Stats>, Stats, Vec<f64>) {
    let (us, them, rounds) = side_by_side(bench, server, postgraphile, op, options).await;
    let ours = us.stats(DIGIDASH, Plan::Single(op));
    let mut theirs = them.stats("postgraphile", Plan::Single(op)).remove(0);
    theirs.sql_per_request = captures.and_then(|c| c.postgraphile_statements(op));
    theirs.sql_source = "log capture";
    ours[0].print_line();
    theirs.print_line();
    println!(
        "  digidash ÷ PostGraphile: {:.2}× over the run; rounds {}",
        ours[0].rps / theirs.rps.max(f64::EPSILON),
        rounds
            .iter()
            .map(|r| format!("{r:.2}"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    (ours, theirs, rounds)
}

/// The reads again, with the response cache: repeated reads of data nobody changes
/// meanwhile (each tenant's first request, before the run, computes and fills the cache).
async fn measure_cached_reads(options: &Options, bench: &Arc<Bench>) -> Result<Vec<Stats>> {
    let mut results = Vec::new();
    let server = start_digidash(options, "digidash-cached.log", true).await?;
    // The pages, dashboards and report: look-ups of random ids rarely repeat, writes
    // are never cached.
    let reads = Op::ALL
        .into_iter()
        .filter(|op| !matches!(op, Op::NodeLookup | Op::WriteMix));
    for op in options.included(reads) {
        fill_cache_for_every_tenant(bench, &Target::digidash(&server), op, options.concurrency)
            .await;
        results.extend(measure_digidash(bench, &server, Plan::Single(op), options, CACHED).await);
    }
    server.stop().await;
    Ok(results)
}
