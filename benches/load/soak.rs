//! The soak run of issue #20: the mix, open-loop at a steady rate for a long time (30 minutes
//! for the issue), the server's memory, threads and open files and the database's size read
//! every few seconds, so that the report (`soak_report`) shows window by window whether
//! anything grows.
//!
//! Open-loop: request `k` is due `k / rate` seconds after the start and is sent then, whatever
//! the answers before it are doing; its latency counts from when it was due, so a server (or a
//! load generator) that falls behind shows in the latency instead of slowing the load down.
//! A request belongs to the window in which it was due.

use std::{
    collections::BTreeMap,
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use tokio::{sync::Notify, time::Instant};

use crate::{
    driver::pick_mixed,
    graphql_client::Outcome,
    operations::Op,
    options::Soak,
    process_stats::{open_files, process_cpu_seconds, resident_memory_and_threads},
    requests::{Bench, Rng, Target},
    servers::Server,
    stats::{Samples, Stats},
};

/// Requests unanswered at most: a request due while this many are in flight is not sent and
/// counts as an error of its own kind (a server that stops answering would otherwise pile up
/// tasks and sockets in the load generator without end).
pub(crate) const MAX_IN_FLIGHT: usize = 256;

/// How long the run waits, after the last request was due, for the answers still in flight
/// (the client's timeout is 120 s).
const DRAIN: Duration = Duration::from_secs(130);

/// What the server and the database looked like at one moment of the run.
#[derive(Clone, Debug)]
pub(crate) struct Sample {
    /// Seconds since the start of the run.
    pub(crate) at: f64,
    pub(crate) rss_mib: Option<f64>,
    /// What the server's allocator holds committed (its `/metrics`), in MiB: memory in use or
    /// kept for reuse, as against pages the kernel has not taken back (part of the RSS).
    pub(crate) allocator_mib: Option<f64>,
    pub(crate) threads: Option<u64>,
    pub(crate) open_files: Option<u64>,
    /// The server's CPU time so far (user and system).
    pub(crate) server_cpu_seconds: Option<f64>,
    pub(crate) database_bytes: Option<i64>,
    /// Sessions on the database (`pg_stat_activity`; the benchmark's own one included).
    pub(crate) database_sessions: Option<i64>,
    /// The machine's load average over the last minute (`/proc/loadavg`): what else ran.
    pub(crate) load_average: Option<f64>,
}

/// One kind of failure: how many, and the first message.
#[derive(Clone, Debug)]
pub(crate) struct ErrorKind {
    pub(crate) count: u64,
    pub(crate) first: String,
}

/// The requests due in one window.
#[derive(Clone, Debug, Default)]
pub(crate) struct Window {
    /// By operation ([`Op::index`]).
    pub(crate) by_op: Vec<Samples>,
    /// Failures by kind (see [`Outcome::kind`]), requests not sent included.
    pub(crate) errors: BTreeMap<String, ErrorKind>,
    /// Requests not sent because [`MAX_IN_FLIGHT`] were unanswered.
    pub(crate) not_sent: u64,
}

impl Window {
    fn new() -> Self {
        Self {
            by_op: vec![Samples::default(); Op::ALL.len()],
            ..Self::default()
        }
    }

    fn count_error(&mut self, kind: String, message: Option<String>) {
        self.errors
            .entry(kind)
            .and_modify(|e| e.count += 1)
            .or_insert_with(|| ErrorKind {
                count: 1,
                first: message.unwrap_or_default(),
            });
    }

    /// The window's requests of every operation together.
    pub(crate) fn all(&self) -> Samples {
        let mut all = Samples::default();
        for samples in &self.by_op {
            all.merge(samples.clone());
        }
        all
    }

    /// Failures of every kind, requests not sent included.
    pub(crate) fn error_count(&self) -> u64 {
        self.errors.values().map(|e| e.count).sum()
    }
}

/// Everything a soak run measured.
pub(crate) struct SoakRun {
    pub(crate) soak: Soak,
    /// From the start until the last answer.
    pub(crate) seconds: f64,
    pub(crate) windows: Vec<Window>,
    pub(crate) samples: Vec<Sample>,
    /// How late the load generator sent a request at worst, in ms (its own lag, not the
    /// server's; included in that request's latency).
    pub(crate) max_send_delay_ms: f64,
    /// The most requests in flight at once.
    pub(crate) peak_in_flight: usize,
    /// Requests still unanswered when the run stopped waiting.
    pub(crate) unanswered: usize,
}

/// State the request tasks, the sampler and the progress printer share.
struct Shared {
    bench: Arc<Bench>,
    target: Target,
    url: String,
    metrics_url: String,
    windows: Mutex<Vec<Window>>,
    samples: Mutex<Vec<Sample>>,
    /// One lock per write slot (a share of the measures, [`Bench::owned`]), holding the
    /// slot's write count: a slot's writes go one at a time, so that the version of each of
    /// its measures is always known.
    slots: Vec<tokio::sync::Mutex<u64>>,
    in_flight: AtomicUsize,
    peak_in_flight: AtomicUsize,
}

/// Runs the mix at `soak.rate` requests per second for `soak.seconds` against `server`,
/// reading the server's process and `db` every `soak.sample_seconds`, and prints a line per
/// window as it goes.
pub(crate) async fn soak_run(
    bench: &Arc<Bench>,
    server: &Server,
    db: &DatabaseConnection,
    soak: Soak,
) -> SoakRun {
    let window_count = usize::try_from(soak.seconds.div_ceil(soak.window_seconds)).unwrap_or(1);
    let shared = Arc::new(Shared {
        bench: Arc::clone(bench),
        target: Target::digidash(server),
        url: server.graphql_url(),
        metrics_url: format!("{}/metrics", server.url),
        windows: Mutex::new(vec![Window::new(); window_count]),
        samples: Mutex::new(Vec::new()),
        slots: (0..bench.owned.len().max(1))
            .map(|_| tokio::sync::Mutex::new(0))
            .collect(),
        in_flight: AtomicUsize::new(0),
        peak_in_flight: AtomicUsize::new(0),
    });
    let start = Instant::now();
    let done = Arc::new(Notify::new());
    let sampler = tokio::spawn(sample_until_done(
        Arc::clone(&shared),
        server.pid(),
        db.clone(),
        start,
        Duration::from_secs(soak.sample_seconds),
        Arc::clone(&done),
    ));
    let printer = tokio::spawn(print_windows(
        Arc::clone(&shared),
        start,
        soak,
        window_count,
    ));

    if let Some(at) = soak.stall_at {
        tokio::spawn(stall(
            server.pid(),
            start + Duration::from_secs(at),
            Duration::from_secs(soak.stall_seconds),
        ));
    }

    let mut rng = Rng::seeded(0x50AC_2026_0020_0001);
    let mut max_send_delay = Duration::ZERO;
    for k in 0..soak.seconds * soak.rate {
        let due = start + Duration::from_nanos(k.saturating_mul(1_000_000_000) / soak.rate);
        tokio::time::sleep_until(due).await;
        max_send_delay = max_send_delay.max(due.elapsed());
        let window = usize::try_from(k / soak.rate / soak.window_seconds)
            .unwrap_or(0)
            .min(window_count - 1);
        let op = pick_mixed(&mut rng);
        let seed = rng.next() | 1;
        if shared.in_flight.load(Ordering::Relaxed) >= MAX_IN_FLIGHT {
            if let Ok(mut windows) = shared.windows.lock() {
                let w = &mut windows[window];
                w.not_sent += 1;
                w.count_error(
                    format!("not sent: {MAX_IN_FLIGHT} in flight"),
                    Some(op.key().to_owned()),
                );
            }
            continue;
        }
        let in_flight = shared.in_flight.fetch_add(1, Ordering::Relaxed) + 1;
        shared
            .peak_in_flight
            .fetch_max(in_flight, Ordering::Relaxed);
        tokio::spawn(send_one(Arc::clone(&shared), op, k, seed, due, window));
    }

    let drain_until = Instant::now() + DRAIN;
    while shared.in_flight.load(Ordering::Relaxed) > 0 && Instant::now() < drain_until {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let seconds = start.elapsed().as_secs_f64();
    done.notify_one();
    let _ = sampler.await;
    // The last window's line comes 3 s after its last request was due.
    if tokio::time::timeout(Duration::from_secs(5), printer)
        .await
        .is_err()
    {
        println!("(the last window's line is in the table below)");
    }
    let windows = shared.windows.lock().map(|w| w.clone()).unwrap_or_default();
    let samples = shared.samples.lock().map(|s| s.clone()).unwrap_or_default();
    SoakRun {
        soak,
        seconds,
        windows,
        samples,
        max_send_delay_ms: max_send_delay.as_secs_f64() * 1000.0,
        peak_in_flight: shared.peak_in_flight.load(Ordering::Relaxed),
        unanswered: shared.in_flight.load(Ordering::Relaxed),
    }
}

/// Stops the server's process at `at` for `length` and lets it go on (`kill -STOP`, `-CONT`).
async fn stall(pid: u32, at: Instant, length: Duration) {
    tokio::time::sleep_until(at).await;
    let signal = |name: &str| {
        tokio::process::Command::new("kill")
            .args([name, &pid.to_string()])
            .status()
    };
    if signal("-STOP").await.is_ok_and(|s| s.success()) {
        println!("soak: server stopped for {} s", length.as_secs());
        tokio::time::sleep(length).await;
        let _ = signal("-CONT").await;
        println!("soak: server running again");
    }
}

/// Sends request `k` (operation `op`, due at `due`) and counts its answer in `window`. A
/// write takes the lock of its slot first (the wait counts in its latency); a failed write
/// reads the slot's versions again before the lock is let go.
async fn send_one(shared: Arc<Shared>, op: Op, k: u64, seed: u64, due: Instant, window: usize) {
    let mut rng = Rng::seeded(seed);
    let bench = &shared.bench;
    let outcome: Outcome = if op == Op::WriteMix {
        let slot = usize::try_from(k).unwrap_or(0) % shared.slots.len();
        let mut writes = shared.slots[slot].lock().await;
        // `request` alternates status reports and measure updates by the slot's count.
        let outcome = bench
            .request(&shared.target, op, slot, *writes, &mut rng)
            .await;
        if !outcome.ok {
            bench.refresh_versions(&shared.url, slot).await;
        }
        *writes += 1;
        outcome
    } else {
        // The request's number spreads the reads over the tenants.
        bench.request(&shared.target, op, 0, k, &mut rng).await
    };
    let micros = u64::try_from(due.elapsed().as_micros()).unwrap_or(u64::MAX);
    if let Ok(mut windows) = shared.windows.lock() {
        let w = &mut windows[window];
        if !outcome.ok {
            let kind = outcome.kind.clone().unwrap_or_else(|| "unknown".to_owned());
            w.count_error(kind, outcome.error.clone());
        }
        w.by_op[op.index()].record(micros, outcome);
    }
    shared.in_flight.fetch_sub(1, Ordering::Relaxed);
}

/// Reads the server's process and the database at the start, every `period`, and once more
/// when `done` is notified.
async fn sample_until_done(
    shared: Arc<Shared>,
    pid: u32,
    db: DatabaseConnection,
    start: Instant,
    period: Duration,
    done: Arc<Notify>,
) {
    let mut ticks = tokio::time::interval_at(start, period);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        let finished = tokio::select! {
            _ = ticks.tick() => false,
            () = done.notified() => true,
        };
        let sample = sample(&shared, pid, &db, start).await;
        if let Ok(mut samples) = shared.samples.lock() {
            // The last reading only when the last tick was not just now.
            if !finished || samples.last().is_none_or(|s| sample.at - s.at >= 1.0) {
                samples.push(sample);
            }
        }
        if finished {
            return;
        }
    }
}

/// One reading of the server's process and of the database.
async fn sample(shared: &Shared, pid: u32, db: &DatabaseConnection, start: Instant) -> Sample {
    let at = start.elapsed().as_secs_f64();
    let (rss_mib, threads) = resident_memory_and_threads(pid);
    let allocator_mib = allocator_committed_mib(&shared.bench.client, &shared.metrics_url).await;
    let open_files = open_files(pid);
    let server_cpu_seconds = process_cpu_seconds(pid);
    let (database_bytes, database_sessions) = database_figures(db).await;
    let load_average = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().and_then(|v| v.parse().ok()));
    Sample {
        at,
        rss_mib,
        allocator_mib,
        threads,
        open_files,
        server_cpu_seconds,
        database_bytes,
        database_sessions,
        load_average,
    }
}

/// `digidash_allocator_committed_bytes` from the server's `/metrics`, in MiB (`None` when the
/// server does not report it).
async fn allocator_committed_mib(client: &reqwest::Client, url: &str) -> Option<f64> {
    let text = client.get(url).send().await.ok()?.text().await.ok()?;
    let bytes: f64 = text
        .lines()
        .find_map(|line| line.strip_prefix("digidash_allocator_committed_bytes "))?
        .trim()
        .parse()
        .ok()?;
    Some(bytes / 1024.0 / 1024.0)
}

/// The database's size in bytes and its sessions.
pub(crate) async fn database_figures(db: &DatabaseConnection) -> (Option<i64>, Option<i64>) {
    let row = db
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT pg_database_size(current_database()), \
             (SELECT count(*) FROM pg_stat_activity WHERE datname = current_database())",
        ))
        .await;
    match row {
        Ok(Some(row)) => (row.try_get_by_index(0).ok(), row.try_get_by_index(1).ok()),
        _ => (None, None),
    }
}

/// Prints each window's line a few seconds after its last request was due (answers still in
/// flight then are in the report's table, not in this line).
async fn print_windows(shared: Arc<Shared>, start: Instant, soak: Soak, window_count: usize) {
    let last_due = Duration::from_secs(soak.seconds);
    for w in 0..window_count {
        let end = Duration::from_secs(soak.window_seconds * (w as u64 + 1)).min(last_due);
        tokio::time::sleep_until(start + end + Duration::from_secs(3)).await;
        let (all, errors) = match shared.windows.lock() {
            Ok(windows) => (windows[w].all(), windows[w].error_count()),
            Err(_) => return,
        };
        let rss = shared
            .samples
            .lock()
            .ok()
            .and_then(|s| s.last().and_then(|s| s.rss_mib));
        let from = soak.window_seconds * w as u64;
        let seconds = (end.as_secs() - from).max(1);
        #[allow(clippy::cast_precision_loss)]
        let stats = Stats::from_samples("soak", "mix", all, seconds as f64);
        println!(
            "soak {:>5}–{:<5} s  {:>6} requests  {:>6.1} req/s  p50 {:>7.2} ms  p99 {:>7.2} ms  errors {}  RSS {} MiB",
            from,
            end.as_secs(),
            stats.requests,
            stats.rps,
            stats.p50_ms,
            stats.p99_ms,
            errors,
            rss.map_or_else(|| "?".to_owned(), |r| format!("{r:.1}")),
        );
    }
}
