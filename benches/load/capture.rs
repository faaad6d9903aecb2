//! The statements single requests run, captured from the PostgreSQL log with statement
//! logging switched on for the database, and the plan of each operation's slowest one.

use std::{collections::HashMap, sync::Arc, time::Duration};

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};

use crate::{
    Result,
    operations::{CAPTURED, COMPARED, Op, Pg},
    options::Options,
    pg_log::{LoggedStatement, PgLog},
    postgraphile::start_postgraphile,
    requests::{Bench, Rng, Target},
    servers::{CAPTURE_LOG, start_digidash},
};

/// For each operation, one list of statements per captured tenant.
pub(crate) type Captured = HashMap<Op, Vec<Vec<LoggedStatement>>>;

/// The statements of single requests, captured with statement logging switched on for the
/// database (only sessions opened afterwards log; the captures use servers of their own).
pub(crate) struct Captures {
    pub(crate) digidash: Captured,
    pub(crate) postgraphile: Captured,
}

impl Captures {
    /// The statements PostGraphile ran for one request of `op`, on average over the captured
    /// tenants.
    pub(crate) fn postgraphile_statements(&self, op: Op) -> Option<f64> {
        self.postgraphile
            .get(&op)
            .filter(|lists| !lists.is_empty())
            .map(|lists| mean_statements(lists))
    }
}

/// How many statements the lists hold on average (0 for no list).
pub(crate) fn mean_statements(lists: &[Vec<LoggedStatement>]) -> f64 {
    #[allow(clippy::cast_precision_loss)]
    let mean = lists.iter().map(Vec::len).sum::<usize>() as f64 / lists.len().max(1) as f64;
    mean
}

/// Switches logging of every statement on or off for sessions of `database` opened from now.
pub(crate) async fn set_statement_logging(
    admin: &DatabaseConnection,
    database: &str,
    on: bool,
) -> Result<()> {
    let sql = if on {
        format!("ALTER DATABASE \"{database}\" SET log_min_duration_statement = 0")
    } else {
        format!("ALTER DATABASE \"{database}\" RESET log_min_duration_statement")
    };
    admin.execute_unprepared(&sql).await?;
    Ok(())
}

/// Captures the statements of digidash's [`CAPTURED`] operations and, when PostGraphile is
/// installed, of its [`COMPARED`] ones. Without a readable log, or when the capture fails,
/// returns `None` and says so in `notes`; statement logging is off again afterwards.
pub(crate) async fn capture_requests(
    options: &Options,
    admin: &DatabaseConnection,
    database: &str,
    bench: &Arc<Bench>,
    postgraphile_ready: bool,
    notes: &mut Vec<String>,
) -> Result<Option<Captures>> {
    let log = match PgLog::find(options, admin, database).await {
        Ok(log) => log,
        Err(err) => {
            notes.push(format!(
                "No statement capture (bare-SQL baseline and slowest statements skipped): {err}"
            ));
            return Ok(None);
        }
    };
    let captured = capture_with_logging_on(
        options,
        admin,
        database,
        bench,
        &log,
        postgraphile_ready,
        notes,
    )
    .await;
    set_statement_logging(admin, database, false).await?;
    match captured {
        Ok(captures) => Ok(Some(captures)),
        Err(err) => {
            notes.push(format!("Statement capture failed: {err}"));
            Ok(None)
        }
    }
}

/// Switches statement logging on and captures each system on a server of its own; a failure
/// of PostGraphile's capture only leaves a note.
async fn capture_with_logging_on(
    options: &Options,
    admin: &DatabaseConnection,
    database: &str,
    bench: &Arc<Bench>,
    log: &PgLog,
    postgraphile_ready: bool,
    notes: &mut Vec<String>,
) -> Result<Captures> {
    let tenants = bench.tenants.len().min(4);
    set_statement_logging(admin, database, true).await?;
    let server = start_digidash(options, CAPTURE_LOG, false).await?;
    let digidash = capture_statements(
        bench,
        log,
        &Target::digidash(&server),
        &options.included(CAPTURED),
        tenants,
    )
    .await;
    server.stop().await;
    let digidash = digidash?;
    let postgraphile = if postgraphile_ready {
        capture_postgraphile(options, bench, log, tenants, notes).await
    } else {
        HashMap::new()
    };
    Ok(Captures {
        digidash,
        postgraphile,
    })
}

/// PostGraphile's statements of the compared operations; empty, with a note, when it fails.
async fn capture_postgraphile(
    options: &Options,
    bench: &Arc<Bench>,
    log: &PgLog,
    tenants: usize,
    notes: &mut Vec<String>,
) -> Captured {
    let server = match start_postgraphile(options, Pg::V4, "postgraphile-capture.log").await {
        Ok(server) => server,
        Err(err) => {
            notes.push(format!("PostGraphile did not start: {err}"));
            return HashMap::new();
        }
    };
    let target = Target::postgraphile(&server, Pg::V4);
    let compared = options.included(COMPARED);
    let captured = match capture_statements(bench, log, &target, &compared, tenants).await {
        Ok(captured) => captured,
        Err(err) => {
            notes.push(format!("PostGraphile statements not captured: {err}"));
            HashMap::new()
        }
    };
    server.stop().await;
    captured
}

/// Runs one request per operation and tenant (after one unlogged warm-up each) against a
/// freshly started server and returns the statements the log shows for each.
async fn capture_statements(
    bench: &Arc<Bench>,
    log: &PgLog,
    target: &Target,
    ops: &[Op],
    tenants: usize,
) -> Result<Captured> {
    let mut captured = HashMap::new();
    let mut rng = Rng::seeded(7);
    for op in ops {
        let mut per_tenant = Vec::new();
        for t in 0..tenants {
            let iteration = t as u64;
            // Warm-up: the first request of a connection prepares its statements.
            bench.request(target, *op, 0, iteration, &mut rng).await;
            // The pauses let the server write what came before, and then the request's own
            // statements, to the log before its length is read.
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

/// The statements one request of an operation runs, and the plan of its slowest.
pub(crate) struct Slowest {
    pub(crate) op: Op,
    pub(crate) statements: f64,
    pub(crate) sql_ms: f64,
    pub(crate) slowest_ms: f64,
    pub(crate) sql: String,
    pub(crate) plan: Option<String>,
}

/// For every captured operation: statements and logged SQL time per request (mean over the
/// captured tenants), and `EXPLAIN (ANALYZE, BUFFERS)` of the first tenant's slowest
/// statement (run after the benchmark, on the data as the runs left it).
pub(crate) async fn explain_slowest(db: &DatabaseConnection, captures: &Captures) -> Vec<Slowest> {
    let mut out = Vec::new();
    for op in Op::ALL {
        let Some(lists) = captures.digidash.get(&op).filter(|l| !l.is_empty()) else {
            continue;
        };
        #[allow(clippy::cast_precision_loss)]
        let n = lists.len() as f64;
        let sql_ms = lists
            .iter()
            .map(|l| l.iter().map(|s| s.duration_ms).sum::<f64>())
            .sum::<f64>()
            / n;
        // Only reads are explained: EXPLAIN ANALYZE runs the statement.
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
        out.push(Slowest {
            op,
            statements: mean_statements(lists),
            sql_ms,
            slowest_ms: slowest.duration_ms,
            sql: slowest.sql.clone(),
            plan: explain_analyze(db, op, &slowest.sql).await,
        });
    }
    out
}

/// The plan of `sql` as `EXPLAIN (ANALYZE, BUFFERS)` prints it; `None`, with a message on
/// stderr, when it fails.
async fn explain_analyze(db: &DatabaseConnection, op: Op, sql: &str) -> Option<String> {
    let plan = db
        .query_all_raw(Statement::from_string(
            DbBackend::Postgres,
            format!("EXPLAIN (ANALYZE, BUFFERS) {sql}"),
        ))
        .await
        .map(|rows| {
            rows.iter()
                .filter_map(|r| r.try_get_by_index::<String>(0).ok())
                .collect::<Vec<_>>()
                .join("\n")
        });
    match plan {
        Ok(plan) => Some(plan),
        Err(err) => {
            eprintln!("EXPLAIN of {} failed: {err}", op.key());
            None
        }
    }
}
