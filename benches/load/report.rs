//! The report: `load.json`, `load.md` and `explain.md` in the output folder, the machine they
//! were measured on, and the line printed after each run.

use std::collections::HashMap;

use serde_json::{Value, json};

use crate::{
    Result,
    capture::{Captures, Slowest},
    markdown,
    operations::Op,
    options::Options,
    stats::{Stats, round},
    tenants::Tenant,
};

/// The system name of digidash runs without the response cache.
pub(crate) const DIGIDASH: &str = "digidash";
/// The system name of digidash runs with the response cache on.
pub(crate) const CACHED: &str = "digidash+cache";

/// Everything the report files hold.
pub(crate) struct Report<'a> {
    pub(crate) machine: Value,
    pub(crate) pg_version: String,
    pub(crate) tenants: &'a [Tenant],
    pub(crate) results: &'a [Stats],
    pub(crate) comparisons: &'a [Stats],
    /// digidash's requests per second over each PostGraphile's in each round of a
    /// side-by-side run.
    pub(crate) slice_ratios: &'a [RoundRatios],
    /// What the equivalence check found, one line per page and PostGraphile.
    pub(crate) equivalence: &'a [String],
    pub(crate) captures: Option<&'a Captures>,
    pub(crate) slowest: &'a [Slowest],
    pub(crate) notes: &'a [String],
}

/// digidash's requests per second over another system's in each round of one side-by-side
/// run.
pub(crate) struct RoundRatios {
    pub(crate) op: Op,
    pub(crate) concurrency: usize,
    /// The other system's name.
    pub(crate) system: &'static str,
    pub(crate) rounds: Vec<f64>,
}

/// When and from which commit the report was made.
pub(crate) struct Provenance {
    pub(crate) generated_at: Option<String>,
    pub(crate) commit: Option<String>,
}

/// digidash (with or without the cache) against another system on one operation.
pub(crate) struct Ratio {
    pub(crate) operation: String,
    pub(crate) concurrency: usize,
    /// `<digidash's system> vs <the other>`.
    pub(crate) systems: String,
    pub(crate) rps: Option<f64>,
    pub(crate) p50: Option<f64>,
    pub(crate) p99: Option<f64>,
    /// The rounds of a side-by-side run (empty for the other pairs).
    pub(crate) rounds: Vec<f64>,
}

/// Whether `stats` is one of digidash's runs, with or without the cache.
pub(crate) fn is_digidash(stats: &Stats) -> bool {
    stats.system == DIGIDASH || stats.system == CACHED
}

/// Writes `load.json`, `explain.md` (when statements were captured) and `load.md`, and
/// prints `load.md`.
pub(crate) fn write_report(options: &Options, r: &Report<'_>) -> Result<()> {
    let provenance = Provenance {
        generated_at: utc_now(),
        commit: git_commit(),
    };
    let ratios = ratios(r);
    let json = report_json(options, r, &provenance, &ratios);
    std::fs::write(
        options.out.join("load.json"),
        serde_json::to_string_pretty(&json)?,
    )?;
    if !r.slowest.is_empty() {
        std::fs::write(options.out.join("explain.md"), markdown::explain(r.slowest))?;
    }
    let md = markdown::load_md(options, r, &provenance, &ratios);
    std::fs::write(options.out.join("load.md"), &md)?;
    println!("\n{md}");
    println!(
        "written: {} and {}",
        options.out.join("load.json").display(),
        options.out.join("load.md").display()
    );
    Ok(())
}

/// Every compared run of another system against each digidash run of the same operation at
/// the same concurrency.
fn ratios(r: &Report<'_>) -> Vec<Ratio> {
    let ratio = |a: &Stats, b: &Stats, f: fn(&Stats) -> f64| {
        let (x, y) = (f(a), f(b));
        (y > 0.0).then(|| x / y)
    };
    let mut ratios = Vec::new();
    for c in r.comparisons {
        for d in r.results.iter().filter(|s| {
            is_digidash(s) && s.operation == c.operation && s.concurrency == c.concurrency
        }) {
            // The rounds were run against the PostGraphiles without the cache.
            let rounds = r
                .slice_ratios
                .iter()
                .find(|round| {
                    round.op.key() == c.operation
                        && round.concurrency == c.concurrency
                        && round.system == c.system
                        && d.system == DIGIDASH
                })
                .map(|round| round.rounds.clone())
                .unwrap_or_default();
            ratios.push(Ratio {
                operation: c.operation.clone(),
                concurrency: c.concurrency,
                systems: format!("{} vs {}", d.system, c.system),
                rps: ratio(d, c, |s| s.rps),
                p50: ratio(d, c, |s| s.p50_ms),
                p99: ratio(d, c, |s| s.p99_ms),
                rounds,
            });
        }
    }
    ratios
}

fn report_json(
    options: &Options,
    r: &Report<'_>,
    provenance: &Provenance,
    ratios: &[Ratio],
) -> Value {
    json!({
        "generated_at": provenance.generated_at,
        "commit": provenance.commit,
        "machine": r.machine,
        "postgresql": r.pg_version,
        "options": {
            "tenants": options.tenants,
            "seconds_per_run": options.seconds,
            "side_by_side_rounds": options.slices,
            "concurrency": options.concurrency,
            "compared_pages_concurrency": options.page_concurrencies,
            "large_tenant": options.large_tenant,
            "read_replicas": options.replica_urls.as_deref().map_or(0, |urls| urls.split(',').count()),
            "mix_weights_percent": Op::ALL.iter().map(|op| (op.key(), op.mix_weight())).collect::<HashMap<_, _>>(),
        },
        "tenants": r.tenants.iter().map(|t| t.key.clone()).collect::<Vec<_>>(),
        "results": r.results.iter().map(Stats::to_json).collect::<Vec<_>>(),
        "comparisons": r.comparisons.iter().map(Stats::to_json).collect::<Vec<_>>(),
        "ratios": ratios.iter().map(|ratio| json!({
            "operation": ratio.operation,
            "concurrency": ratio.concurrency,
            "against": ratio.systems,
            "digidash_rps_over_other": ratio.rps.map(|v| round(v, 3)),
            "digidash_rps_over_other_by_round": ratio.rounds.iter().map(|v| round(*v, 3)).collect::<Vec<_>>(),
            "digidash_p50_over_other": ratio.p50.map(|v| round(v, 3)),
            "digidash_p99_over_other": ratio.p99.map(|v| round(v, 3)),
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
        "equivalence": r.equivalence,
        "notes": r.notes,
    })
}

/// The time now in UTC, as `date` writes it.
pub(crate) fn utc_now() -> Option<String> {
    std::process::Command::new("date")
        .args(["-u", "+%Y-%m-%dT%H:%M:%SZ"])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
}

/// The short hash of the checked-out commit.
pub(crate) fn git_commit() -> Option<String> {
    let output = std::process::Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// The machine the benchmark runs on: CPUs, their model, memory and the load at start.
pub(crate) fn describe_machine() -> Value {
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
