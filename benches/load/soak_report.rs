//! The soak run's report: `soak.json` and `soak.md` in the output folder, a table per window,
//! the memory series, the errors by kind and a verdict comparing the first window with the
//! last.

use std::{collections::BTreeMap, fmt::Write as _};

use serde_json::{Value, json};

use crate::{
    Result,
    markdown::{one_line, optional},
    operations::Op,
    options::Options,
    report::{Provenance, git_commit, utc_now},
    soak::{ErrorKind, MAX_IN_FLIGHT, Sample, SoakRun},
    stats::{Samples, Stats, round},
};

/// RSS may grow by this share of the first window's median, or by [`RSS_SLACK_MIB`] if that
/// is more, from the first window to the last, and still count as steady.
const RSS_SLACK_SHARE: f64 = 0.05;
const RSS_SLACK_MIB: f64 = 5.0;
/// The last window's p99 may be this many times the first's (p99 of a few thousand requests
/// on a shared 2-core machine moves by tens of percent between windows).
const P99_SLACK: f64 = 1.5;
/// Open files and threads may differ by this much (connections of the pool come and go).
const FILES_SLACK: u64 = 10;
const THREADS_SLACK: u64 = 4;

/// One window's figures.
struct Row {
    from: u64,
    to: u64,
    stats: Stats,
    errors: u64,
    rss: Option<Spread>,
    threads_max: Option<u64>,
    files_max: Option<u64>,
    /// The server's CPU over the window, in percent of one core.
    cpu_percent: Option<f64>,
    database_mib_end: Option<f64>,
    sessions_max: Option<i64>,
    /// The machine's highest one-minute load average read in the window.
    load_max: Option<f64>,
}

/// The lowest, median and highest of some readings.
#[derive(Clone, Copy)]
struct Spread {
    min: f64,
    median: f64,
    max: f64,
}

impl Spread {
    fn of(values: impl IntoIterator<Item = f64>) -> Option<Self> {
        let mut values: Vec<f64> = values.into_iter().collect();
        values.sort_by(f64::total_cmp);
        Some(Self {
            min: *values.first()?,
            median: values[values.len() / 2],
            max: *values.last()?,
        })
    }
}

/// The first window against the last, and whether anything grew.
struct Verdict {
    rss_first_mib: Option<f64>,
    rss_last_mib: Option<f64>,
    /// Least squares over the samples after the first window (its warm-up left out).
    rss_trend_mib_per_hour: Option<f64>,
    p99_first_ms: f64,
    p99_last_ms: f64,
    errors: u64,
    threads: (Option<u64>, Option<u64>),
    files: (Option<u64>, Option<u64>),
    /// What grew beyond its slack; empty when nothing did.
    grew: Vec<String>,
}

impl Verdict {
    fn line(&self) -> String {
        let rss = match (self.rss_first_mib, self.rss_last_mib) {
            (Some(a), Some(b)) => format!(
                "RSS (median of the window) {a:.1} → {b:.1} MiB ({:+.1} MiB, {:+.1} %)",
                b - a,
                (b - a) / a.max(f64::EPSILON) * 100.0
            ),
            _ => "RSS not read".to_owned(),
        };
        let trend = self
            .rss_trend_mib_per_hour
            .map(|t| format!(", trend after the first window {t:+.2} MiB/h"))
            .unwrap_or_default();
        let pair = |(a, b): (Option<u64>, Option<u64>)| {
            format!(
                "{} → {}",
                a.map_or("?".into(), |v| v.to_string()),
                b.map_or("?".into(), |v| v.to_string())
            )
        };
        let judgement = if self.grew.is_empty() {
            "**steady**: nothing grows".to_owned()
        } else {
            format!("**check**: {}", self.grew.join("; "))
        };
        format!(
            "{judgement}. First window against the last: {rss}{trend}; p99 {:.2} → {:.2} ms ({:.2}×); threads {}; open files {}; {} errors in the run.",
            self.p99_first_ms,
            self.p99_last_ms,
            self.p99_last_ms / self.p99_first_ms.max(f64::EPSILON),
            pair(self.threads),
            pair(self.files),
            self.errors,
        )
    }
}

/// Writes `soak.json` and `soak.md` and prints `soak.md`.
pub(crate) fn write_soak_report(
    options: &Options,
    run: &SoakRun,
    machine: &Value,
    pg_version: &str,
) -> Result<()> {
    let provenance = Provenance {
        generated_at: utc_now(),
        commit: git_commit(),
    };
    let rows = rows(run);
    let verdict = verdict(run, &rows);
    let json = soak_json(
        options,
        run,
        machine,
        pg_version,
        &provenance,
        &rows,
        &verdict,
    );
    std::fs::write(
        options.out.join("soak.json"),
        serde_json::to_string_pretty(&json)?,
    )?;
    let md = soak_md(
        options,
        run,
        machine,
        pg_version,
        &provenance,
        &rows,
        &verdict,
    );
    std::fs::write(options.out.join("soak.md"), &md)?;
    println!("\n{md}");
    println!(
        "written: {} and {}",
        options.out.join("soak.json").display(),
        options.out.join("soak.md").display()
    );
    Ok(())
}

/// The samples read in `[from, to)`, or from `from` on for the last window.
fn samples_in(samples: &[Sample], from: u64, to: u64, last: bool) -> Vec<&Sample> {
    #[allow(clippy::cast_precision_loss)]
    let (from, to) = (from as f64, to as f64);
    samples
        .iter()
        .filter(|s| s.at >= from && (last || s.at < to))
        .collect()
}

fn rows(run: &SoakRun) -> Vec<Row> {
    let soak = run.soak;
    let count = run.windows.len();
    run.windows
        .iter()
        .enumerate()
        .map(|(w, window)| {
            let from = soak.window_seconds * w as u64;
            let to = (from + soak.window_seconds).min(soak.seconds);
            let last = w + 1 == count;
            let inside = samples_in(&run.samples, from, to, last);
            // CPU from the window's first reading to the next window's first (or the last).
            #[allow(clippy::cast_precision_loss)]
            let after = run.samples.iter().find(|s| s.at >= to as f64 && !last);
            let cpu_percent =
                inside
                    .first()
                    .zip(after.or(run.samples.last()))
                    .and_then(|(a, b)| {
                        let cpu = b.server_cpu_seconds? - a.server_cpu_seconds?;
                        (b.at > a.at).then(|| cpu / (b.at - a.at) * 100.0)
                    });
            #[allow(clippy::cast_precision_loss)]
            let stats = Stats::from_samples("digidash", "mix", window.all(), (to - from) as f64);
            #[allow(clippy::cast_precision_loss)]
            let database_mib_end = inside
                .iter()
                .rev()
                .find_map(|s| s.database_bytes)
                .map(|b| b as f64 / 1024.0 / 1024.0);
            Row {
                from,
                to,
                stats,
                errors: window.error_count(),
                rss: Spread::of(inside.iter().filter_map(|s| s.rss_mib)),
                threads_max: inside.iter().filter_map(|s| s.threads).max(),
                files_max: inside.iter().filter_map(|s| s.open_files).max(),
                cpu_percent,
                database_mib_end,
                sessions_max: inside.iter().filter_map(|s| s.database_sessions).max(),
                load_max: inside
                    .iter()
                    .filter_map(|s| s.load_average)
                    .max_by(f64::total_cmp),
            }
        })
        .collect()
}

/// Slope in MiB per hour of the RSS samples read after the first window.
fn rss_trend(run: &SoakRun) -> Option<f64> {
    #[allow(clippy::cast_precision_loss)]
    let after = run.soak.window_seconds as f64;
    let points: Vec<(f64, f64)> = run
        .samples
        .iter()
        .filter(|s| s.at >= after)
        .filter_map(|s| Some((s.at, s.rss_mib?)))
        .collect();
    if points.len() < 3 {
        return None;
    }
    #[allow(clippy::cast_precision_loss)]
    let n = points.len() as f64;
    let mean_x = points.iter().map(|p| p.0).sum::<f64>() / n;
    let mean_y = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxy: f64 = points.iter().map(|p| (p.0 - mean_x) * (p.1 - mean_y)).sum();
    let sxx: f64 = points.iter().map(|p| (p.0 - mean_x).powi(2)).sum();
    (sxx > 0.0).then(|| sxy / sxx * 3600.0)
}

fn verdict(run: &SoakRun, rows: &[Row]) -> Verdict {
    let (first, last) = (&rows[0], &rows[rows.len() - 1]);
    let mut verdict = Verdict {
        rss_first_mib: first.rss.map(|r| r.median),
        rss_last_mib: last.rss.map(|r| r.median),
        rss_trend_mib_per_hour: rss_trend(run),
        p99_first_ms: first.stats.p99_ms,
        p99_last_ms: last.stats.p99_ms,
        errors: rows.iter().map(|r| r.errors).sum(),
        threads: (first.threads_max, last.threads_max),
        files: (first.files_max, last.files_max),
        grew: Vec::new(),
    };
    if rows.len() < 2 {
        verdict
            .grew
            .push("one window only, nothing to compare".to_owned());
    }
    if let (Some(a), Some(b)) = (verdict.rss_first_mib, verdict.rss_last_mib)
        && b - a > (a * RSS_SLACK_SHARE).max(RSS_SLACK_MIB)
    {
        verdict.grew.push(format!("RSS grew by {:.1} MiB", b - a));
    }
    if verdict.p99_last_ms > verdict.p99_first_ms * P99_SLACK {
        verdict.grew.push(format!(
            "p99 grew {:.2}×",
            verdict.p99_last_ms / verdict.p99_first_ms.max(f64::EPSILON)
        ));
    }
    if let (Some(a), Some(b)) = verdict.threads
        && b > a + THREADS_SLACK
    {
        verdict.grew.push(format!("threads {a} → {b}"));
    }
    if let (Some(a), Some(b)) = verdict.files
        && b > a + FILES_SLACK
    {
        verdict.grew.push(format!("open files {a} → {b}"));
    }
    if verdict.errors > 0 {
        verdict.grew.push(format!("{} errors", verdict.errors));
    }
    if run.unanswered > 0 {
        verdict
            .grew
            .push(format!("{} requests never answered", run.unanswered));
    }
    verdict
}

/// The failures of the whole run by kind.
fn errors_by_kind(run: &SoakRun) -> BTreeMap<String, ErrorKind> {
    let mut all: BTreeMap<String, ErrorKind> = BTreeMap::new();
    for window in &run.windows {
        for (kind, e) in &window.errors {
            all.entry(kind.clone())
                .and_modify(|a| a.count += e.count)
                .or_insert_with(|| e.clone());
        }
    }
    all
}

/// The whole run's figures of each operation.
fn by_operation(run: &SoakRun) -> Vec<Stats> {
    Op::ALL
        .iter()
        .filter_map(|op| {
            let mut samples = Samples::default();
            for window in &run.windows {
                samples.merge(window.by_op[op.index()].clone());
            }
            (!samples.latencies_us.is_empty()).then(|| {
                #[allow(clippy::cast_precision_loss)]
                let seconds = run.soak.seconds as f64;
                Stats::from_samples("digidash", op.key(), samples, seconds)
            })
        })
        .collect()
}

#[allow(clippy::cast_precision_loss)]
fn database_mib(sample: Option<&Sample>) -> Option<f64> {
    sample
        .and_then(|s| s.database_bytes)
        .map(|b| b as f64 / 1024.0 / 1024.0)
}

fn soak_json(
    options: &Options,
    run: &SoakRun,
    machine: &Value,
    pg_version: &str,
    provenance: &Provenance,
    rows: &[Row],
    verdict: &Verdict,
) -> Value {
    let soak = run.soak;
    json!({
        "generated_at": provenance.generated_at,
        "commit": provenance.commit,
        "machine": machine,
        "postgresql": pg_version,
        "options": {
            "tenants": options.tenants,
            "soak_seconds": soak.seconds,
            "rate_per_second": soak.rate,
            "window_seconds": soak.window_seconds,
            "sample_seconds": soak.sample_seconds,
            "max_in_flight": MAX_IN_FLIGHT,
            "write_slots": options.concurrency,
            "response_cache": options.response_cache,
            "mix_weights_percent": Op::ALL.iter().map(|op| (op.key(), op.mix_weight())).collect::<BTreeMap<_, _>>(),
        },
        "seconds": round(run.seconds, 3),
        "max_send_delay_ms": round(run.max_send_delay_ms, 3),
        "peak_in_flight": run.peak_in_flight,
        "unanswered": run.unanswered,
        "database_bytes_start": run.samples.first().and_then(|s| s.database_bytes),
        "database_bytes_end": run.samples.last().and_then(|s| s.database_bytes),
        "windows": rows.iter().zip(&run.windows).map(|(row, window)| json!({
            "from_seconds": row.from,
            "to_seconds": row.to,
            "mix": row.stats.to_json(),
            "errors": row.errors,
            "not_sent": window.not_sent,
            "errors_by_kind": window.errors.iter().map(|(k, e)| (k.clone(), e.count)).collect::<BTreeMap<_, _>>(),
            "rss_mib": row.rss.map(|r| json!({"min": round(r.min, 1), "median": round(r.median, 1), "max": round(r.max, 1)})),
            "threads_max": row.threads_max,
            "open_files_max": row.files_max,
            "server_cpu_percent": row.cpu_percent.map(|v| round(v, 1)),
            "database_mib_end": row.database_mib_end.map(|v| round(v, 2)),
            "database_sessions_max": row.sessions_max,
            "load_average_max": row.load_max,
        })).collect::<Vec<_>>(),
        "by_operation": by_operation(run).iter().map(Stats::to_json).collect::<Vec<_>>(),
        "errors_by_kind": errors_by_kind(run).iter().map(|(k, e)| (k.clone(), json!({"count": e.count, "first": e.first}))).collect::<BTreeMap<_, _>>(),
        "samples": run.samples.iter().map(|s| json!({
            "at_seconds": round(s.at, 1),
            "rss_mib": s.rss_mib.map(|v| round(v, 2)),
            "allocator_committed_mib": s.allocator_mib.map(|v| round(v, 2)),
            "threads": s.threads,
            "open_files": s.open_files,
            "server_cpu_seconds": s.server_cpu_seconds,
            "database_bytes": s.database_bytes,
            "database_sessions": s.database_sessions,
            "load_average": s.load_average,
        })).collect::<Vec<_>>(),
        "verdict": {
            "steady": verdict.grew.is_empty(),
            "grew": verdict.grew,
            "rss_first_window_median_mib": verdict.rss_first_mib.map(|v| round(v, 2)),
            "rss_last_window_median_mib": verdict.rss_last_mib.map(|v| round(v, 2)),
            "rss_trend_after_first_window_mib_per_hour": verdict.rss_trend_mib_per_hour.map(|v| round(v, 3)),
            "p99_first_window_ms": round(verdict.p99_first_ms, 3),
            "p99_last_window_ms": round(verdict.p99_last_ms, 3),
            "line": verdict.line(),
        },
    })
}

#[allow(clippy::too_many_lines)]
fn soak_md(
    options: &Options,
    run: &SoakRun,
    machine: &Value,
    pg_version: &str,
    provenance: &Provenance,
    rows: &[Row],
    verdict: &Verdict,
) -> String {
    let soak = run.soak;
    let mut md = String::from("# digidash soak run\n\n");
    let _ = writeln!(
        md,
        "{} · commit {} · {} tenants · the mix open-loop at {} req/s for {} s · windows of {} s · samples every {} s · response cache {} · PostgreSQL {} · {} CPUs ({}) · {} GiB · load average at start {}\n",
        provenance.generated_at.as_deref().unwrap_or("?"),
        provenance.commit.as_deref().unwrap_or("?"),
        options.tenants,
        soak.rate,
        soak.seconds,
        soak.window_seconds,
        soak.sample_seconds,
        if options.response_cache { "on" } else { "off" },
        pg_version,
        machine["cpus"],
        machine["cpu_model"].as_str().unwrap_or("?"),
        machine["memory_gib"],
        machine["load_average_at_start"].as_str().unwrap_or("?"),
    );
    let _ = writeln!(md, "{}\n", verdict.line());

    md.push_str("## By window\n\n");
    md.push_str("| window (s) | requests | req/s | errors | p50 ms | p95 ms | p99 ms | max ms | RSS MiB (min / median / max) | threads | open files | server CPU % | DB sessions | DB MiB at end | machine load |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for row in rows {
        let s = &row.stats;
        let _ = writeln!(
            md,
            "| {}–{} | {} | {:.1} | {} | {:.2} | {:.2} | {:.2} | {:.2} | {} | {} | {} | {} | {} | {} | {} |",
            row.from,
            row.to,
            s.requests,
            s.rps,
            row.errors,
            s.p50_ms,
            s.p95_ms,
            s.p99_ms,
            s.max_ms,
            row.rss.map_or_else(
                || "–".to_owned(),
                |r| format!("{:.1} / {:.1} / {:.1}", r.min, r.median, r.max)
            ),
            row.threads_max.map_or("–".into(), |v| v.to_string()),
            row.files_max.map_or("–".into(), |v| v.to_string()),
            optional(row.cpu_percent, 1),
            row.sessions_max.map_or("–".into(), |v| v.to_string()),
            optional(row.database_mib_end, 1),
            optional(row.load_max, 2),
        );
    }
    let _ = writeln!(
        md,
        "\nA request counts in the window in which it was due; its latency runs from then (open loop: the load generator's own lag counts too, at worst {:.1} ms). Threads, open files, sessions and the machine's load (one-minute load average, everything on the machine: the server, PostgreSQL, the load generator and whatever else ran) the highest reading in the window; server CPU in percent of one core. Peak requests in flight: {}; unanswered at the end: {}.",
        run.max_send_delay_ms, run.peak_in_flight, run.unanswered
    );

    md.push_str("\n## Memory over time\n\n");
    md.push_str(&memory_series(run));

    md.push_str("\n## Errors\n\n");
    let errors = errors_by_kind(run);
    if errors.is_empty() {
        md.push_str("None: no transport error, no HTTP status other than 200, no GraphQL error.\n");
    } else {
        md.push_str("| kind | count | first message |\n| --- | ---: | --- |\n");
        for (kind, e) in &errors {
            let _ = writeln!(
                md,
                "| {kind} | {} | `{}` |",
                e.count,
                one_line(&e.first, 200)
                    .replace('|', "\\|")
                    .replace('`', "'")
            );
        }
    }

    md.push_str("\n## The whole run by operation\n\n");
    md.push_str("| operation | requests | req/s | errors | p50 ms | p95 ms | p99 ms | max ms | KiB/req |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for s in by_operation(run) {
        let _ = writeln!(
            md,
            "| {} | {} | {:.1} | {} | {:.2} | {:.2} | {:.2} | {:.2} | {:.1} |",
            s.operation,
            s.requests,
            s.rps,
            s.errors,
            s.p50_ms,
            s.p95_ms,
            s.p99_ms,
            s.max_ms,
            s.bytes_per_request / 1024.0
        );
    }
    let (start, end) = (
        database_mib(run.samples.first()),
        database_mib(run.samples.last()),
    );
    let _ = writeln!(
        md,
        "\nDatabase size (`pg_database_size`): {} MiB at the start, {} MiB at the end ({} MiB: the rows the writes added, status reports and audit entries).",
        optional(start, 1),
        optional(end, 1),
        optional(start.zip(end).map(|(a, b)| b - a), 1),
    );
    md
}

/// The RSS and the other readings at most about 31 times over the run (every reading when
/// there are no more), and their range.
fn memory_series(run: &SoakRun) -> String {
    let mut md = String::new();
    let rss = Spread::of(run.samples.iter().filter_map(|s| s.rss_mib));
    if let Some(r) = rss {
        let first = run.samples.iter().find_map(|s| s.rss_mib).unwrap_or(r.min);
        let last = run
            .samples
            .iter()
            .rev()
            .find_map(|s| s.rss_mib)
            .unwrap_or(r.max);
        let _ = writeln!(
            md,
            "{} readings of the server's RSS (`VmRSS`): first {first:.1} MiB, lowest {:.1}, median {:.1}, highest {:.1}, last {last:.1}.\n",
            run.samples.len(),
            r.min,
            r.median,
            r.max
        );
    }
    md.push_str("| at (s) | RSS MiB | allocator MiB | threads | open files | DB sessions | DB MiB | machine load |\n| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    let step = run.samples.len().div_ceil(31).max(1);
    let last = run.samples.len().saturating_sub(1);
    for (i, s) in run.samples.iter().enumerate() {
        if i % step != 0 && i != last {
            continue;
        }
        let _ = writeln!(
            md,
            "| {:.0} | {} | {} | {} | {} | {} | {} | {} |",
            s.at,
            optional(s.rss_mib, 1),
            optional(s.allocator_mib, 1),
            s.threads.map_or("–".into(), |v| v.to_string()),
            s.open_files.map_or("–".into(), |v| v.to_string()),
            s.database_sessions.map_or("–".into(), |v| v.to_string()),
            optional(database_mib(Some(s)), 1),
            optional(s.load_average, 2),
        );
    }
    md
}
