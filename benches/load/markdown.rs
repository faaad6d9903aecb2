//! `load.md` and `explain.md`: the report's tables as Markdown.

use std::fmt::Write as _;

use crate::{
    capture::Slowest,
    operations::COMPARED,
    options::Options,
    report::{Provenance, Ratio, Report, is_digidash},
    stats::Stats,
};

/// `load.md`: the runs, the pages against PostGraphile and the bare SQL, where a request's
/// SQL time goes, and the notes.
pub(crate) fn load_md(
    options: &Options,
    r: &Report<'_>,
    provenance: &Provenance,
    ratios: &[Ratio],
) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "# digidash load benchmark\n");
    let _ = writeln!(
        md,
        "{} · commit {} · {} · {} s per run · concurrency {} (the compared pages at {}) · PostgreSQL {} · {} CPUs ({}) · {} GiB\n",
        provenance.generated_at.as_deref().unwrap_or("?"),
        provenance.commit.as_deref().unwrap_or("?"),
        options.which_tenants(),
        options.seconds,
        options.concurrency,
        options
            .page_concurrencies
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" and "),
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
    md.push_str(&stats_table(r.results));
    md.push_str("\nSQL/req from the server's `digidash_db_statements_total`; server CPU and peak memory (VmHWM, reset before each run) of the server process.\n");
    if !r.comparisons.is_empty() {
        md.push_str(&comparisons_section(options, r, ratios));
    }
    if !r.slowest.is_empty() {
        md.push_str(&slowest_section(r.slowest));
    }
    if !r.notes.is_empty() {
        md.push_str("\n## Notes\n\n");
        for note in r.notes {
            let _ = writeln!(md, "- {}", one_line(note, 600));
        }
    }
    md
}

/// The compared pages: what the equivalence check found, digidash's runs beside the other
/// systems' (by concurrency), then the ratios.
fn comparisons_section(options: &Options, r: &Report<'_>, ratios: &[Ratio]) -> String {
    let mut md = String::from("\n## The pages against PostGraphile 4 and 5 and the bare SQL\n\n");
    if !r.equivalence.is_empty() {
        md.push_str("Rows checked before measuring (the ids of every level in order; on the measures page also each measure's goal codes, as a set, the total count and whether there is a next page):\n\n");
        for line in r.equivalence {
            let _ = writeln!(md, "- {}", one_line(line, 600));
        }
        md.push('\n');
    }
    let mut rows: Vec<Stats> = Vec::new();
    for &concurrency in &options.page_concurrencies {
        let here = |s: &&Stats| s.concurrency == concurrency;
        for op in COMPARED {
            rows.extend(
                r.results
                    .iter()
                    .filter(here)
                    .filter(|s| is_digidash(s) && s.operation == op.key())
                    .cloned(),
            );
            rows.extend(
                r.comparisons
                    .iter()
                    .filter(here)
                    .filter(|s| s.operation == op.key())
                    .cloned(),
            );
        }
    }
    md.push_str(&stats_table(&rows));
    md.push_str("\n\\* PostGraphile 4: statements of one captured request per tenant (PostgreSQL log; PostGraphile 5's are not captured); bare SQL: statements in the replayed script.\n\n");
    md.push_str("| operation | concurrency | systems | req/s ÷ theirs | by round (lowest, median, highest) | p50 ÷ theirs | p99 ÷ theirs |\n| --- | ---: | --- | ---: | ---: | ---: | ---: |\n");
    for ratio in ratios {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} |",
            ratio.operation,
            ratio.concurrency,
            ratio.systems,
            optional(ratio.rps, 2),
            spread(&ratio.rounds),
            optional(ratio.p50, 2),
            optional(ratio.p99, 2)
        );
    }
    let _ = writeln!(
        md,
        "\nPostGraphile 4 and 5 ran side by side with digidash, all three servers up throughout: {} rounds of {:.1} s on each, the order rotating by one each round (digidash, 4, 5; then 4, 5, digidash; ...), so that the machine's drift falls on all alike; the bare SQL ran after them.",
        options.slices,
        options.seconds as f64 / f64::from(options.slices)
    );
    md
}

/// Statements and SQL time of one request of each captured operation, and its slowest
/// statement.
fn slowest_section(slowest: &[Slowest]) -> String {
    let mut md = String::from(
        "\n## Where one request's SQL time goes (captured with `log_min_duration_statement = 0`, unloaded)\n\n",
    );
    md.push_str("| operation | statements | logged SQL ms | slowest statement ms | slowest statement |\n| --- | ---: | ---: | ---: | --- |\n");
    for s in slowest {
        let _ = writeln!(
            md,
            "| {} | {:.1} | {:.2} | {:.2} | `{}` |",
            s.op.key(),
            s.statements,
            s.sql_ms,
            s.slowest_ms,
            one_line(&s.sql, 160).replace('|', "\\|").replace('`', "'")
        );
    }
    md.push_str("\nPlans: `explain.md` beside this file.\n");
    md
}

/// `explain.md`: the plan of each operation's slowest statement.
pub(crate) fn explain(slowest: &[Slowest]) -> String {
    let mut explain =
        String::from("# EXPLAIN (ANALYZE, BUFFERS) of the slowest statement of each operation\n");
    for s in slowest {
        let _ = write!(
            explain,
            "\n## {} ({:.2} ms when captured)\n\n```sql\n{}\n```\n\n```\n{}\n```\n",
            s.op.key(),
            s.slowest_ms,
            s.sql,
            s.plan.as_deref().unwrap_or("(EXPLAIN failed)")
        );
    }
    explain
}

/// One row per run: throughput, latency, errors, SQL, size, CPU and memory.
fn stats_table(stats: &[Stats]) -> String {
    let mut md = String::from(
        "| system | operation | concurrency | req/s | p50 ms | p95 ms | p99 ms | errors | requests | SQL/req | KiB/req | server CPU ms/req | PostgreSQL CPU ms/req | load generator CPU ms/req | peak MiB |\n\
         | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n",
    );
    for s in stats {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {:.1} | {:.2} | {:.2} | {:.2} | {} | {} | {}{} | {} | {} | {} | {} | {} |",
            s.system,
            s.operation,
            s.concurrency,
            s.rps,
            s.p50_ms,
            s.p95_ms,
            s.p99_ms,
            s.errors,
            s.requests,
            optional(s.sql_per_request, 1),
            // The star sends the reader to the footnote on statements not counted by the
            // server itself.
            if s.sql_source == "/metrics" || s.sql_per_request.is_none() {
                ""
            } else {
                "*"
            },
            optional(
                (s.bytes_per_request > 0.0).then(|| s.bytes_per_request / 1024.0),
                1
            ),
            optional(s.cpu_ms_per_request, 2),
            optional(s.postgres_cpu_ms_per_request, 2),
            optional(s.client_cpu_ms_per_request, 2),
            optional(s.peak_memory_mib, 1),
        );
    }
    md
}

/// The lowest, median and highest of the rounds' ratios.
fn spread(rounds: &[f64]) -> String {
    let mut sorted = rounds.to_vec();
    sorted.sort_by(f64::total_cmp);
    match (sorted.first(), sorted.last()) {
        (Some(low), Some(high)) => format!("{low:.2}, {:.2}, {high:.2}", sorted[sorted.len() / 2]),
        _ => "–".to_owned(),
    }
}

/// The value with `digits` decimals, or a dash.
pub(crate) fn optional(value: Option<f64>, digits: usize) -> String {
    value.map_or_else(|| "–".to_owned(), |v| format!("{v:.digits$}"))
}

/// `text` on one line (runs of white space as one space), cut to `max` characters.
pub(crate) fn one_line(text: &str, max: usize) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        one_line
    } else {
        format!("{}…", one_line.chars().take(max).collect::<String>())
    }
}
