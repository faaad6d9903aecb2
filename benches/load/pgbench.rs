//! The bare-SQL baseline: digidash's captured statements of a request replayed with
//! `pgbench`, as fast as the database answers them without any server in between.

use std::{
    path::{Path, PathBuf},
    time::Instant,
};

use tokio::process::Command;

use crate::{
    Result,
    capture::{Captures, mean_statements},
    operations::Op,
    options::Options,
    pg_log::LoggedStatement,
    stats::{Samples, Stats},
};

/// The pages as bare SQL: digidash's captured statements replayed with pgbench, one run per
/// operation; skipped, with a note, when asked to or when nothing was captured.
pub(crate) async fn bare_sql_baseline(
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
            match replay_with_pgbench(options, op, scripts).await {
                Ok(stats) => {
                    stats.print_line();
                    out.push(stats);
                }
                Err(err) => notes.push(format!("pgbench {}: {err}", op.key())),
            }
        }
    }
    out
}

/// Runs pgbench for `options.seconds` with one script per captured tenant, and reads its
/// per-transaction log into the figures of a run.
async fn replay_with_pgbench(
    options: &Options,
    op: Op,
    scripts: &[Vec<LoggedStatement>],
) -> Result<Stats> {
    let dir = options.out.join("pgbench");
    std::fs::create_dir_all(&dir)?;
    let files = write_scripts(&dir, op, scripts)?;
    // pgbench names its logs by process id: an earlier run's stay beside this one's and would
    // be counted too.
    for path in transaction_logs(&dir, op)? {
        let _ = std::fs::remove_file(path);
    }
    let prefix = dir.join(format!("{}_log", op.key()));
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
    let samples = read_transaction_logs(&dir, op)?;
    // pgbench's own figure excludes connecting; ours is requests over the elapsed time.
    let tps = stdout
        .lines()
        .find_map(|l| l.strip_prefix("tps = "))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|v| v.parse::<f64>().ok());
    let mut stats = Stats::from_samples("bare SQL (pgbench)", op.key(), samples, seconds);
    stats.concurrency = options.concurrency;
    if let Some(tps) = tps {
        stats.rps = tps;
        stats.seconds = options.seconds as f64;
    }
    stats.sql_per_request = Some(mean_statements(scripts));
    stats.sql_source = "captured script";
    // PostgreSQL's CPU is not reported: pgbench's backends exit before it could be read.
    Ok(stats)
}

/// Writes one script per captured tenant, `<op>_<n>.sql`, and returns their paths.
fn write_scripts(dir: &Path, op: Op, scripts: &[Vec<LoggedStatement>]) -> Result<Vec<PathBuf>> {
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
    Ok(files)
}

/// pgbench's per-transaction logs of `op` in `dir` (`<op>_log.<pid>[.<thread>]`).
fn transaction_logs(dir: &Path, op: Op) -> Result<Vec<PathBuf>> {
    let prefix = format!("{}_log", op.key());
    Ok(std::fs::read_dir(dir)?
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.file_name().to_string_lossy().starts_with(&prefix))
        .map(|entry| entry.path())
        .collect())
}

/// The latencies and failures in the per-transaction logs, whose lines are
/// `client_id transaction_no time_us script_no epoch epoch_us`.
fn read_transaction_logs(dir: &Path, op: Op) -> Result<Samples> {
    let mut samples = Samples::default();
    for path in transaction_logs(dir, op)? {
        for line in std::fs::read_to_string(path)?.lines() {
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
    Ok(samples)
}

/// `$PGBENCH`, else `pgbench` on the `PATH`, else the newest in `/usr/lib/postgresql`.
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
