//! The closed-loop runs: workers that send requests back to back for a fixed time, what a
//! run cost the server, and the rounds in which digidash and PostGraphile alternate.

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use crate::{
    Result,
    operations::Op,
    options::Options,
    process_stats::{CpuReading, peak_memory_mib, reset_peak_memory},
    requests::{Bench, Rng, Target},
    servers::Server,
    stats::{Samples, Stats},
};

/// Which operations a run sends.
#[derive(Clone, Copy)]
pub(crate) enum Plan {
    Single(Op),
    Mix,
}

impl Plan {
    /// The run's name in the report: the operation's key, or `mix`.
    fn name(self) -> &'static str {
        match self {
            Plan::Single(op) => op.key(),
            Plan::Mix => "mix",
        }
    }
}

/// An operation of the mix, drawn by [`Op::mix_weight`].
pub(crate) fn pick_mixed(rng: &mut Rng) -> Op {
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
            let mut rng = Rng::seeded(0x2545_F491_4F6C_DD1D ^ ((worker as u64 + 1) * 0x9E37_79B9));
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
                let failed = !outcome.ok;
                samples[op.index()].record(micros, outcome);
                if failed && let (Op::WriteMix, Target::Digidash(url)) = (op, &target) {
                    bench.refresh_versions(url, worker).await;
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
pub(crate) async fn fill_cache_for_every_tenant(
    bench: &Arc<Bench>,
    target: &Target,
    op: Op,
    concurrency: usize,
) {
    let started = Instant::now();
    let tenants = bench.tenants.len();
    let mut workers = Vec::new();
    for worker in 0..concurrency.clamp(1, tenants.max(1)) {
        let bench = Arc::clone(bench);
        let target = target.clone();
        workers.push(tokio::spawn(async move {
            let mut rng = Rng::seeded(0x9E37_79B9 ^ (worker as u64 + 1));
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

/// One unmeasured request of every included operation and tenant against digidash: it checks
/// the documents and prepares the statements of the server's connections. A failed write is
/// tolerated (its measure's version is read again afterwards); any other failure stops the
/// benchmark.
pub(crate) async fn check_every_operation(
    bench: &Arc<Bench>,
    server: &Server,
    options: &Options,
) -> Result<()> {
    let target = Target::digidash(server);
    let mut rng = Rng::seeded(11);
    for op in options.included(Op::ALL) {
        for t in 0..bench.tenants.len() {
            let outcome = bench.request(&target, op, 0, t as u64, &mut rng).await;
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
    bench.refresh_versions(&server.graphql_url(), 0).await;
    Ok(())
}

/// The server's SQL statement counter (`digidash_db_statements_total` in `/metrics`).
async fn statement_count(client: &reqwest::Client, server: &Server) -> Option<f64> {
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
pub(crate) struct Tally {
    /// By operation ([`Op::index`]).
    samples: Vec<Samples>,
    seconds: f64,
    /// CPU seconds of the server, of PostgreSQL and of the load generator.
    cpu: [Option<f64>; 3],
    /// SQL statements the server counted (digidash only).
    statements: Option<f64>,
    peak_memory_mib: Option<f64>,
    peak_reset: bool,
    /// The workers that sent the requests.
    concurrency: usize,
}

impl Tally {
    fn empty() -> Self {
        Self {
            samples: vec![Samples::default(); Op::ALL.len()],
            concurrency: 0,
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
        self.concurrency = self.concurrency.max(other.concurrency);
    }

    fn requests(&self) -> usize {
        self.samples.iter().map(|s| s.latencies_us.len()).sum()
    }

    #[allow(clippy::cast_precision_loss)]
    fn rps(&self) -> f64 {
        self.requests() as f64 / self.seconds.max(f64::EPSILON)
    }

    /// The run's figures, and for the mix each operation's share after them.
    pub(crate) fn stats(&self, system: &str, plan: Plan) -> Vec<Stats> {
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
        let mut stats = Stats::from_samples(system, plan.name(), all, self.seconds);
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
        for stats in &mut result {
            stats.concurrency = self.concurrency;
        }
        result
    }
}

/// Runs `plan` against `server` for `duration` and reads what it cost.
async fn measure_slice(
    bench: &Arc<Bench>,
    server: &Server,
    target: &Target,
    plan: Plan,
    concurrency: usize,
    duration: Duration,
) -> Tally {
    // Only digidash counts its statements; PostGraphile's come from the log capture.
    let counts = matches!(target, Target::Digidash(_));
    let peak_reset = reset_peak_memory(server.pid());
    let sql_before = if counts {
        statement_count(&bench.client, server).await
    } else {
        None
    };
    let cpu_before = CpuReading::now(server.pid());
    let (samples, seconds) = closed_loop(bench, target, plan, concurrency, duration).await;
    let cpu = CpuReading::now(server.pid()).since(&cpu_before);
    let sql_after = if counts {
        statement_count(&bench.client, server).await
    } else {
        None
    };
    Tally {
        samples,
        seconds,
        cpu,
        statements: sql_before.zip(sql_after).map(|(a, b)| b - a),
        peak_memory_mib: peak_memory_mib(server.pid()),
        peak_reset,
        concurrency,
    }
}

/// One measured run against digidash, reported under `system`: prints its line and returns
/// the operation's (or the mix's) figures, and for the mix each operation's share.
pub(crate) async fn measure_digidash(
    bench: &Arc<Bench>,
    server: &Server,
    plan: Plan,
    options: &Options,
    system: &str,
) -> Vec<Stats> {
    let tally = measure_slice(
        bench,
        server,
        &Target::digidash(server),
        plan,
        options.concurrency,
        Duration::from_secs(options.seconds),
    )
    .await;
    if !tally.peak_reset {
        println!("  (could not reset the peak memory: the figure is the peak since start)");
    }
    let stats = tally.stats(system, plan);
    stats[0].print_line();
    stats
}

/// An operation on digidash and on the other servers (PostGraphile 4 and 5), side by side:
/// `options.slices` rounds of a slice on each, the order rotating by one system each round
/// (digidash, 4, 5; then 4, 5, digidash; ...), so that a change in the machine's speed during
/// the run (seen here: ±20 % between runs of the systems one after the other) falls on all
/// alike. Returns digidash's tally, each other's, and for each other the ratio of requests per
/// second (digidash's over its) of each round.
pub(crate) async fn side_by_side(
    bench: &Arc<Bench>,
    digidash: &Server,
    others: &[(&Server, Target)],
    op: Op,
    options: &Options,
) -> (Tally, Vec<Tally>, Vec<Vec<f64>>) {
    let ours = Target::digidash(digidash);
    let mut systems: Vec<(&Server, &Target)> = vec![(digidash, &ours)];
    systems.extend(others.iter().map(|(server, target)| (*server, target)));
    let per_slice = Duration::from_secs(options.seconds) / options.slices;
    let mut tallies: Vec<Tally> = systems.iter().map(|_| Tally::empty()).collect();
    // The others' statements come from the log capture (PostGraphile 4's) or are unknown.
    for tally in &mut tallies[1..] {
        tally.statements = None;
    }
    let mut rounds = vec![Vec::new(); others.len()];
    for round in 0..options.slices as usize {
        let mut slices: Vec<Option<Tally>> = systems.iter().map(|_| None).collect();
        for k in 0..systems.len() {
            let i = (round + k) % systems.len();
            let (server, target) = systems[i];
            slices[i] = Some(
                measure_slice(
                    bench,
                    server,
                    target,
                    Plan::Single(op),
                    options.concurrency,
                    per_slice,
                )
                .await,
            );
        }
        let slices: Vec<Tally> = slices.into_iter().flatten().collect();
        for (other, ratios) in slices[1..].iter().zip(&mut rounds) {
            ratios.push(slices[0].rps() / other.rps().max(f64::EPSILON));
        }
        for (tally, slice) in tallies.iter_mut().zip(slices) {
            tally.add(slice);
        }
    }
    let us = tallies.remove(0);
    (us, tallies, rounds)
}
