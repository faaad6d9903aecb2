//! What the requests of a run measured, and the figures the report shows of it.

use serde_json::{Value, json};

use crate::graphql_client::Outcome;

/// What one operation did in one run.
#[derive(Debug, Clone, Default)]
pub(crate) struct Samples {
    pub(crate) latencies_us: Vec<u64>,
    pub(crate) errors: u64,
    pub(crate) bytes: u64,
    pub(crate) first_error: Option<String>,
}

impl Samples {
    /// Counts one request that took `micros`.
    pub(crate) fn record(&mut self, micros: u64, outcome: Outcome) {
        self.latencies_us.push(micros);
        self.bytes += outcome.bytes as u64;
        if !outcome.ok {
            self.errors += 1;
            if self.first_error.is_none() {
                self.first_error = outcome.error;
            }
        }
    }

    pub(crate) fn merge(&mut self, other: Samples) {
        self.latencies_us.extend(other.latencies_us);
        self.errors += other.errors;
        self.bytes += other.bytes;
        if self.first_error.is_none() {
            self.first_error = other.first_error;
        }
    }
}

/// The figures of one run (or of one operation within the mix).
#[derive(Debug, Clone, Default)]
pub(crate) struct Stats {
    pub(crate) system: String,
    pub(crate) operation: String,
    /// The workers (or pgbench clients) that sent the requests.
    pub(crate) concurrency: usize,
    pub(crate) requests: u64,
    pub(crate) errors: u64,
    pub(crate) seconds: f64,
    pub(crate) rps: f64,
    pub(crate) mean_ms: f64,
    pub(crate) p50_ms: f64,
    pub(crate) p95_ms: f64,
    pub(crate) p99_ms: f64,
    pub(crate) max_ms: f64,
    pub(crate) bytes_per_request: f64,
    pub(crate) sql_per_request: Option<f64>,
    pub(crate) sql_source: &'static str,
    pub(crate) peak_memory_mib: Option<f64>,
    pub(crate) cpu_ms_per_request: Option<f64>,
    /// CPU of all `postgres` processes of the machine (other databases' included).
    pub(crate) postgres_cpu_ms_per_request: Option<f64>,
    /// CPU of this load generator.
    pub(crate) client_cpu_ms_per_request: Option<f64>,
    pub(crate) first_error: Option<String>,
}

impl Stats {
    pub(crate) fn from_samples(
        system: &str,
        operation: &str,
        mut samples: Samples,
        seconds: f64,
    ) -> Self {
        samples.latencies_us.sort_unstable();
        let lat = &samples.latencies_us;
        let n = lat.len();
        let percentile = |q: f64| -> f64 {
            if n == 0 {
                return 0.0;
            }
            #[allow(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                clippy::cast_precision_loss
            )]
            let rank = ((q * n as f64).ceil() as usize).clamp(1, n);
            lat[rank - 1] as f64 / 1000.0
        };
        #[allow(clippy::cast_precision_loss)]
        let count = n as f64;
        Self {
            system: system.to_owned(),
            operation: operation.to_owned(),
            requests: n as u64,
            errors: samples.errors,
            seconds,
            rps: count / seconds,
            #[allow(clippy::cast_precision_loss)]
            mean_ms: if n == 0 {
                0.0
            } else {
                lat.iter().sum::<u64>() as f64 / count / 1000.0
            },
            p50_ms: percentile(0.50),
            p95_ms: percentile(0.95),
            p99_ms: percentile(0.99),
            #[allow(clippy::cast_precision_loss)]
            max_ms: lat.last().map_or(0.0, |v| *v as f64 / 1000.0),
            #[allow(clippy::cast_precision_loss)]
            bytes_per_request: if n == 0 {
                0.0
            } else {
                samples.bytes as f64 / count
            },
            first_error: samples.first_error,
            ..Self::default()
        }
    }

    /// The line printed after each run.
    pub(crate) fn print_line(&self) {
        println!(
            "{:<20} {:<22} c{:<3} {:>8.1} req/s  p50 {:>8.2} ms  p99 {:>8.2} ms  errors {}",
            self.system,
            self.operation,
            self.concurrency,
            self.rps,
            self.p50_ms,
            self.p99_ms,
            self.errors
        );
        if let Some(error) = &self.first_error {
            println!("  first error: {error}");
        }
    }

    pub(crate) fn to_json(&self) -> Value {
        json!({
            "system": self.system,
            "operation": self.operation,
            "concurrency": self.concurrency,
            "requests": self.requests,
            "errors": self.errors,
            "seconds": round(self.seconds, 3),
            "requests_per_second": round(self.rps, 2),
            "latency_ms": {
                "mean": round(self.mean_ms, 3),
                "p50": round(self.p50_ms, 3),
                "p95": round(self.p95_ms, 3),
                "p99": round(self.p99_ms, 3),
                "max": round(self.max_ms, 3),
            },
            "bytes_per_request": round(self.bytes_per_request, 0),
            "sql_statements_per_request": self.sql_per_request.map(|v| round(v, 2)),
            "sql_statements_source": self.sql_source,
            "peak_memory_mib": self.peak_memory_mib.map(|v| round(v, 1)),
            "server_cpu_ms_per_request": self.cpu_ms_per_request.map(|v| round(v, 3)),
            "postgres_cpu_ms_per_request": self.postgres_cpu_ms_per_request.map(|v| round(v, 3)),
            "load_generator_cpu_ms_per_request": self.client_cpu_ms_per_request.map(|v| round(v, 3)),
            "first_error": self.first_error,
        })
    }
}

/// `value` rounded to `digits` decimals, for the JSON report.
pub(crate) fn round(value: f64, digits: i32) -> f64 {
    let factor = 10f64.powi(digits);
    (value * factor).round() / factor
}
