//! How the server treats requests: batching, persisted queries, caches, rate limits, timeouts.

use std::time::Duration;

use clap::Args;

use super::{
    defaults::from_flags,
    networks::{Networks, parse_networks},
    seconds::parse_seconds,
};

/// How the server treats requests: batching, persisted queries, rate limits, timeouts.
#[derive(Args, Debug, Clone)]
pub struct Serving {
    /// Most operations in one batched request (a JSON array body); 0 turns batching off.
    #[arg(long, env = "MAX_BATCH_SIZE", default_value_t = 0, global = true)]
    pub max_batch_size: usize,
    /// Documents kept for automatic persisted queries (least recently used are dropped);
    /// 0 turns persisted queries off.
    #[arg(long, env = "APQ_CACHE_SIZE", default_value_t = 1_000, global = true)]
    pub apq_cache_size: usize,
    /// Query responses kept per replica, keyed by viewer scope, document and variables and
    /// the tenant's data version (every committed write invalidates); 0 turns it off.
    #[arg(
        long,
        env = "RESPONSE_CACHE_ENTRIES",
        default_value_t = 1_000,
        global = true
    )]
    pub response_cache_entries: usize,
    /// Most megabytes of JSON the response cache keeps per replica.
    #[arg(long, env = "RESPONSE_CACHE_MB", default_value_t = 64, global = true)]
    pub response_cache_mb: usize,
    /// Requests per minute one token subject may send (`RATE_LIMITED` above); 0 = no limit.
    #[arg(
        long,
        env = "RATE_LIMIT_PER_MINUTE",
        default_value_t = 600,
        global = true
    )]
    pub rate_limit_per_minute: u32,
    /// Requests per minute one client address may send, with or without a token (an IPv6
    /// client counts by its /64 network); 0 = no limit.
    #[arg(
        long,
        env = "RATE_LIMIT_PER_ADDRESS_PER_MINUTE",
        default_value_t = 1_200,
        global = true
    )]
    pub rate_limit_per_address_per_minute: u32,
    /// Reverse proxies whose `X-Forwarded-For` is believed (comma-separated IPs or CIDRs,
    /// e.g. `10.0.0.0/8, ::1`); the client is the right-most address that is not one of them.
    #[arg(long, env = "TRUSTED_PROXIES", global = true, value_parser = parse_networks, default_value = "")]
    pub trusted_proxies: Networks,
    /// Longest a GraphQL request may run before it is answered with `TIMEOUT` (seconds,
    /// fractions allowed).
    #[arg(long = "request-timeout-secs", env = "REQUEST_TIMEOUT_SECS", default_value = "30", global = true, value_parser = parse_seconds)]
    pub request_timeout: Duration,
    /// On SIGTERM/SIGINT, how long requests in flight may still run before the server stops
    /// anyway (seconds).
    #[arg(long = "shutdown-timeout-secs", env = "SHUTDOWN_TIMEOUT_SECS", default_value = "20", global = true, value_parser = parse_seconds)]
    pub shutdown_timeout: Duration,
    /// Answer pages of goals, measures, projects and sub-projects as planned wholes: each
    /// nested list fetched once for all parents, the JSON written straight from the rows.
    /// `false` answers every field through its resolver, as a comparison or a way out.
    #[arg(long, env = "PLANNED_PAGES", default_value_t = true, action = clap::ArgAction::Set, global = true)]
    pub planned_pages: bool,
}

/// The defaults of the flags above, read from no environment variable.
impl Default for Serving {
    fn default() -> Self {
        from_flags()
    }
}
