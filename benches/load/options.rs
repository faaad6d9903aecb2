//! The benchmark's options: flags after `cargo bench --bench load --`, else environment
//! variables, else defaults (the list is in the crate's documentation, `main.rs`).

use std::{collections::HashMap, path::PathBuf};

use reqwest::Url;

use crate::{Result, operations::Op};

#[derive(Debug, Clone)]
pub(crate) struct Options {
    pub(crate) tenants: u32,
    pub(crate) seconds: u64,
    /// Rounds of a side-by-side run with PostGraphile (`seconds` split among them).
    pub(crate) slices: u32,
    /// The concurrency of every run but the compared pages' (the first of `BENCH_CONCURRENCY`).
    pub(crate) concurrency: usize,
    /// The concurrencies the compared pages run at, each in its own side-by-side run
    /// (`BENCH_CONCURRENCY`, numbers separated by commas; 8 and 16 by default).
    pub(crate) page_concurrencies: Vec<usize>,
    pub(crate) database_url: String,
    /// The benchmark created the database and drops it at the end.
    pub(crate) fresh_database: bool,
    pub(crate) keep_database: bool,
    pub(crate) out: PathBuf,
    pub(crate) pg_log: Option<PathBuf>,
    pub(crate) postgraphile_dir: PathBuf,
    /// Where PostGraphile 5 and the Node.js 22 it needs are installed.
    pub(crate) postgraphile5_dir: PathBuf,
    /// Skips PostGraphile 4 and 5.
    pub(crate) skip_postgraphile: bool,
    /// Skips PostGraphile 5 only.
    pub(crate) skip_postgraphile5: bool,
    /// Runs every operation on the large tenant `synth-large` alone (seeded when missing),
    /// instead of on the first `tenants` ones.
    pub(crate) large_tenant: bool,
    pub(crate) skip_pgbench: bool,
    /// Run the server with its response cache (off by default: the targets are
    /// first without any cache).
    pub(crate) response_cache: bool,
    /// Read replicas for the server (`DATABASE_REPLICA_URLS`), when given.
    pub(crate) replica_urls: Option<String>,
    /// The operations to run (`BENCH_OPS`, keys separated by commas, `mix` for the mix);
    /// every one when not given.
    pub(crate) ops: Option<Vec<String>>,
    /// A soak run instead of the runs above (`BENCH_SOAK_SECONDS`), when given.
    pub(crate) soak: Option<Soak>,
}

/// A soak run: the mix, open-loop at a steady rate for a long time, reported by window.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Soak {
    /// How long the run lasts (`BENCH_SOAK_SECONDS`; 1800 for the 30 minutes).
    pub(crate) seconds: u64,
    /// Requests started per second, whatever the answers' latency (`BENCH_SOAK_RATE`, 50).
    pub(crate) rate: u64,
    /// The length of one window of the report (`BENCH_SOAK_WINDOW_SECONDS`, 300).
    pub(crate) window_seconds: u64,
    /// How often the server's memory, threads and open files are read
    /// (`BENCH_SOAK_SAMPLE_SECONDS`, 10).
    pub(crate) sample_seconds: u64,
    /// When given, the server is stopped (`SIGSTOP`) this many seconds into the run
    /// (`BENCH_SOAK_STALL_AT`) for `stall_seconds` (`BENCH_SOAK_STALL_SECONDS`, 15), as a
    /// machine too busy to run it would: the requests due meanwhile pile up, up to the cap on
    /// those in flight, and the run shows whether the server comes back to its level after.
    pub(crate) stall_at: Option<u64>,
    pub(crate) stall_seconds: u64,
}

impl Options {
    /// Reads the flags and the environment, and checks what they say.
    pub(crate) fn from_args_and_env() -> Result<Self> {
        let flags = command_line_flags()?;
        // A flag wins over its environment variable; an empty variable counts as unset.
        let get = |flag: &str, var: &str| {
            flags
                .get(flag)
                .cloned()
                .or_else(|| std::env::var(var).ok().filter(|v| !v.is_empty()))
        };
        let number = |flag: &str, var: &str, default: u64| -> Result<u64> {
            match get(flag, var) {
                Some(v) => v
                    .parse()
                    .map_err(|_| format!("{var} must be a number, not {v:?}").into()),
                None => Ok(default),
            }
        };
        let flag_set = |var: &str| std::env::var(var).is_ok_and(|v| v == "1" || v == "true");
        let page_concurrencies = concurrencies(get("concurrency", "BENCH_CONCURRENCY"))?;
        let database_url = get("database-url", "BENCH_DATABASE_URL");
        let out = PathBuf::from(get("out", "BENCH_OUT").unwrap_or_else(|| "target/bench".into()));
        let soak = match get("soak-seconds", "BENCH_SOAK_SECONDS") {
            None => None,
            Some(_) => Some(Soak {
                seconds: number("soak-seconds", "BENCH_SOAK_SECONDS", 1800)?,
                rate: number("soak-rate", "BENCH_SOAK_RATE", 50)?,
                window_seconds: number("soak-window-seconds", "BENCH_SOAK_WINDOW_SECONDS", 300)?,
                sample_seconds: number("soak-sample-seconds", "BENCH_SOAK_SAMPLE_SECONDS", 10)?,
                stall_at: match get("soak-stall-at", "BENCH_SOAK_STALL_AT") {
                    Some(_) => Some(number("soak-stall-at", "BENCH_SOAK_STALL_AT", 0)?),
                    None => None,
                },
                stall_seconds: number("soak-stall-seconds", "BENCH_SOAK_STALL_SECONDS", 15)?,
            }),
        };
        let options = Self {
            tenants: u32::try_from(number("tenants", "BENCH_TENANTS", 4)?)?,
            seconds: number("seconds", "BENCH_SECONDS", 10)?,
            slices: u32::try_from(number("slices", "BENCH_SLICES", 5)?)?,
            concurrency: page_concurrencies[0],
            page_concurrencies,
            fresh_database: database_url.is_none(),
            database_url: database_url
                .unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/bench_digidash".to_owned()),
            keep_database: flag_set("BENCH_KEEP_DB"),
            pg_log: get("pg-log", "BENCH_PG_LOG").map(PathBuf::from),
            postgraphile_dir: get("postgraphile-dir", "BENCH_POSTGRAPHILE_DIR")
                .map_or_else(|| out.join("postgraphile"), PathBuf::from),
            postgraphile5_dir: get("postgraphile5-dir", "BENCH_POSTGRAPHILE5_DIR")
                .map_or_else(|| out.join("postgraphile5"), PathBuf::from),
            out,
            skip_postgraphile: flag_set("BENCH_SKIP_POSTGRAPHILE"),
            skip_postgraphile5: flag_set("BENCH_SKIP_POSTGRAPHILE5"),
            large_tenant: flag_set("BENCH_LARGE_TENANT") || flags.contains_key("large-tenant"),
            skip_pgbench: flag_set("BENCH_SKIP_PGBENCH"),
            response_cache: flag_set("BENCH_RESPONSE_CACHE"),
            replica_urls: get("replica-urls", "BENCH_REPLICA_URLS"),
            ops: get("ops", "BENCH_OPS").map(|list| {
                list.split(',')
                    .map(|key| key.trim().to_owned())
                    .filter(|key| !key.is_empty())
                    .collect()
            }),
            soak,
        };
        options.check()?;
        Ok(options)
    }

    /// Refuses unknown operations and counts of zero.
    fn check(&self) -> Result<()> {
        if let Some(ops) = &self.ops {
            let known = |key: &str| key == "mix" || Op::ALL.iter().any(|op| op.key() == key);
            if let Some(unknown) = ops.iter().find(|key| !known(key)) {
                return Err(format!("BENCH_OPS: no operation {unknown:?}").into());
            }
        }
        if self.tenants == 0
            || self.seconds == 0
            || self.slices == 0
            || self.page_concurrencies.contains(&0)
        {
            return Err("tenants, seconds, slices and concurrency must be at least 1".into());
        }
        if let Some(soak) = self.soak
            && (soak.seconds == 0
                || soak.rate == 0
                || soak.window_seconds == 0
                || soak.sample_seconds == 0)
        {
            return Err(
                "the soak's seconds, rate, window and sample seconds must be at least 1".into(),
            );
        }
        Ok(())
    }

    /// The tenants the requests go to, in words: `4 tenants`, or the large tenant.
    pub(crate) fn which_tenants(&self) -> String {
        if self.large_tenant {
            "the large tenant `synth-large`".to_owned()
        } else {
            format!("{} tenants", self.tenants)
        }
    }

    /// Whether the run includes the operation with this key (`mix` for the mix).
    pub(crate) fn includes(&self, key: &str) -> bool {
        self.ops
            .as_ref()
            .is_none_or(|ops| ops.iter().any(|op| op == key))
    }

    /// Those of `ops` the run includes, in their order.
    pub(crate) fn included(&self, ops: impl IntoIterator<Item = Op>) -> Vec<Op> {
        ops.into_iter()
            .filter(|op| self.includes(op.key()))
            .collect()
    }

    /// The database's name and a URL of the `postgres` maintenance database beside it.
    pub(crate) fn maintenance_database(&self) -> Result<(String, String)> {
        let mut url = Url::parse(&self.database_url)?;
        let name = url.path().trim_start_matches('/').to_owned();
        // The name is written into SQL (CREATE, DROP, ALTER DATABASE) between quotes.
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(format!("database name {name:?}: letters, digits and _ only").into());
        }
        url.set_path("/postgres");
        Ok((name, url.to_string()))
    }
}

/// `BENCH_CONCURRENCY`: one number, or several separated by commas (8 and 16 when not given).
fn concurrencies(value: Option<String>) -> Result<Vec<usize>> {
    let Some(value) = value else {
        return Ok(vec![8, 16]);
    };
    let list = value
        .split(',')
        .map(|n| n.trim().parse::<usize>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| {
            format!("BENCH_CONCURRENCY must be numbers separated by commas, not {value:?}")
        })?;
    if list.is_empty() {
        return Err("BENCH_CONCURRENCY: no number".into());
    }
    Ok(list)
}

/// Flags without a value.
const SWITCHES: [&str; 1] = ["large-tenant"];

/// The `--name value` and `--name=value` flags after `cargo bench --bench load --`, and the
/// [`SWITCHES`] (`--large-tenant`, with the value `1`).
fn command_line_flags() -> Result<HashMap<String, String>> {
    let mut flags = HashMap::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        // `cargo bench` passes `--bench` to every benchmark binary.
        if arg == "--bench" {
            continue;
        }
        let Some(name) = arg.strip_prefix("--") else {
            return Err(format!("unexpected argument {arg:?}").into());
        };
        let (name, value) = match name.split_once('=') {
            Some((n, v)) => (n.to_owned(), v.to_owned()),
            None if SWITCHES.contains(&name) => (name.to_owned(), "1".to_owned()),
            None => (
                name.to_owned(),
                args.next().ok_or(format!("--{name} needs a value"))?,
            ),
        };
        flags.insert(name, value);
    }
    Ok(flags)
}
