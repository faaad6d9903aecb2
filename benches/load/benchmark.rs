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
    equivalence::{Verdict, check_page},
    operations::{COMPARED, Op, Pg},
    options::{Options, Soak},
    pgbench::bare_sql_baseline,
    postgraphile::{install_postgraphile_if_missing, start_postgraphile},
    report::{CACHED, DIGIDASH, Report, RoundRatios, write_report},
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
            "digidash load benchmark: {}, {} s per run, concurrency {} (the compared pages at {:?}), database {database}",
            options.which_tenants(),
            options.seconds,
            options.concurrency,
            options.page_concurrencies
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
        postgraphile_ready.contains(&Pg::V4),
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
        &postgraphile_ready,
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
            equivalence: &compared.equivalence,
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
    let tenants = options.tenants.to_string();
    let mut args = vec!["seed", "--synthetic", "--tenants", &tenants];
    if options.large_tenant {
        args.push("--large-tenant");
    }
    let seed_output = run_digidash_command(&options.database_url, &args).await?;
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
        .pool_max_idle_per_host(options.page_concurrencies.iter().max().unwrap_or(&8) * 2)
        // Node.js closes a connection idle for 5 s: while the other systems run their slices,
        // PostGraphile's would be reused just as it closes them (a failed request).
        .pool_idle_timeout(Duration::from_secs(3))
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

/// The PostGraphiles that can run: installed when missing, unless skipped; a note says why
/// when one cannot.
async fn prepare_postgraphile(options: &Options, notes: &mut Vec<String>) -> Vec<Pg> {
    if options.skip_postgraphile {
        notes.push("PostGraphile 4 and 5 skipped (BENCH_SKIP_POSTGRAPHILE=1).".into());
        return Vec::new();
    }
    let mut ready = Vec::new();
    for version in Pg::BOTH {
        if version == Pg::V5 && options.skip_postgraphile5 {
            notes.push("PostGraphile 5 skipped (BENCH_SKIP_POSTGRAPHILE5=1).".into());
            continue;
        }
        match install_postgraphile_if_missing(options, version).await {
            Ok(()) => ready.push(version),
            Err(err) => notes.push(format!("{} skipped: {err}", version.label())),
        }
    }
    ready
}

/// The compared pages: digidash's runs, the other systems' runs, the rounds of each
/// side-by-side run, and what the equivalence check found.
#[derive(Default)]
struct ComparedPages {
    digidash: Vec<Stats>,
    others: Vec<Stats>,
    slice_ratios: Vec<RoundRatios>,
    equivalence: Vec<String>,
}

/// Starts the PostGraphiles that are `ready`, checks that each answers each compared page
/// with digidash's rows, and measures each page at each of the pages' concurrencies side by
/// side with those that do (on digidash alone when none does); then replays the captured
/// statements with pgbench.
async fn compare_pages(
    options: &Options,
    bench: &Arc<Bench>,
    server: &Server,
    ready: &[Pg],
    captures: Option<&Captures>,
    notes: &mut Vec<String>,
) -> ComparedPages {
    let compared = options.included(COMPARED);
    let mut pages = ComparedPages::default();
    let mut others: Vec<(Pg, Server)> = Vec::new();
    for &version in ready {
        match start_postgraphile(options, version, &format!("{}.log", version.system())).await {
            Ok(theirs) => others.push((version, theirs)),
            Err(err) => notes.push(format!("{} did not start: {err}", version.label())),
        }
    }
    let equivalent = check_equivalence(bench, server, &others, &compared, &mut pages, notes).await;
    for &concurrency in &options.page_concurrencies {
        let at = Options {
            concurrency,
            ..options.clone()
        };
        for &op in &compared {
            let with: Vec<(Pg, &Server)> = others
                .iter()
                .filter(|(version, _)| equivalent.contains(&(op, *version)))
                .map(|(version, theirs)| (*version, theirs))
                .collect();
            if with.is_empty() {
                pages
                    .digidash
                    .extend(measure_digidash(bench, server, Plan::Single(op), &at, DIGIDASH).await);
                continue;
            }
            against_postgraphile(bench, server, &with, op, &at, captures, &mut pages).await;
        }
    }
    for (_, theirs) in others {
        theirs.stop().await;
    }
    pages
        .others
        .extend(bare_sql_baseline(options, &compared, captures, notes).await);
    pages
}

/// The pages and PostGraphiles whose rows are digidash's for every tenant; each verdict goes
/// to the report, and a difference to the notes and the console too.
async fn check_equivalence(
    bench: &Arc<Bench>,
    server: &Server,
    others: &[(Pg, Server)],
    compared: &[Op],
    pages: &mut ComparedPages,
    notes: &mut Vec<String>,
) -> Vec<(Op, Pg)> {
    let mut equivalent = Vec::new();
    for &op in compared {
        for (version, theirs) in others {
            let verdict = check_page(
                bench,
                &Target::digidash(server),
                &Target::postgraphile(theirs, *version),
                op,
                *version,
            )
            .await;
            match verdict {
                Verdict::Same(counts) => {
                    pages.equivalence.push(format!(
                        "{} and {}: the same rows in the same order for every tenant ({})",
                        op.key(),
                        version.label(),
                        counts.join("; ")
                    ));
                    equivalent.push((op, *version));
                }
                Verdict::Different(why) => {
                    let note = format!(
                        "{} left out of {}: not the same rows as digidash: {why}",
                        version.label(),
                        op.key()
                    );
                    println!("  {note}");
                    notes.push(note.clone());
                    pages.equivalence.push(note);
                }
            }
        }
    }
    equivalent
}

/// One page side by side on digidash and the PostGraphiles `with`, printed with the ratio of
/// each round, and added to `pages`.
async fn against_postgraphile(
    bench: &Arc<Bench>,
    server: &Server,
    with: &[(Pg, &Server)],
    op: Op,
    options: &Options,
    captures: Option<&Captures>,
    pages: &mut ComparedPages,
) {
    let targets: Vec<(&Server, Target)> = with
        .iter()
        .map(|(version, theirs)| (*theirs, Target::postgraphile(theirs, *version)))
        .collect();
    let (us, them, rounds) = side_by_side(bench, server, &targets, op, options).await;
    let ours = us.stats(DIGIDASH, Plan::Single(op));
    ours[0].print_line();
    for ((tally, (version, _)), rounds) in them.iter().zip(with).zip(rounds) {
        let mut theirs = tally.stats(version.system(), Plan::Single(op)).remove(0);
        // Only PostGraphile 4's statements are captured from the log.
        if *version == Pg::V4 {
            theirs.sql_per_request = captures.and_then(|c| c.postgraphile_statements(op));
            theirs.sql_source = "log capture";
        }
        theirs.print_line();
        println!(
            "  digidash ÷ {}: {:.2}× over the run; rounds {}",
            version.label(),
            ours[0].rps / theirs.rps.max(f64::EPSILON),
            rounds
                .iter()
                .map(|r| format!("{r:.2}"))
                .collect::<Vec<_>>()
                .join(" ")
        );
        pages.others.push(theirs);
        pages.slice_ratios.push(RoundRatios {
            op,
            concurrency: options.concurrency,
            system: version.system(),
            rounds,
        });
    }
    pages.digidash.extend(ours);
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
