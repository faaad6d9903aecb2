//! The one configuration of a digidash process, read from flags and environment variables.

use std::{net::SocketAddr, path::PathBuf, time::Duration};

use clap::{Args, ValueEnum};
use secrecy::SecretString;

/// The SQLite file used when no `DATABASE_URL` is given.
pub const DEFAULT_SQLITE_FILE: &str = "digidash.db";

/// Settings shared by every subcommand.
#[derive(Args, Debug, Clone)]
pub struct Config {
    /// Database to use: `postgres://user@host/db` or `sqlite://path.db`; without it the
    /// embedded SQLite file `digidash.db` in the working directory.
    #[arg(long, env = "DATABASE_URL", global = true)]
    pub database_url: Option<String>,

    /// Read replicas of the PostgreSQL database (comma-separated `postgres://` URLs): a query
    /// reads from one that has caught up with the caller's tenant, everything else from
    /// `DATABASE_URL`. Empty: no replicas.
    #[arg(long, env = "DATABASE_REPLICA_URLS", hide_env_values = true, global = true, value_parser = parse_replica_urls, default_value = "")]
    pub database_replica_urls: ReplicaUrls,

    /// Address the HTTP server listens on.
    #[arg(
        long,
        env = "BIND_ADDR",
        default_value = "127.0.0.1:8080",
        global = true
    )]
    pub bind_addr: SocketAddr,

    /// Shared secret for HS256 tokens. Required with PostgreSQL; with the embedded SQLite
    /// default a development secret is generated and kept next to the database file.
    #[arg(long, env = "JWT_SECRET", hide_env_values = true, global = true, value_parser = parse_secret)]
    pub jwt_secret: Option<SecretString>,

    /// JWKS with the public keys of an identity provider (RS256/ES256): a file path or an
    /// https URL (e.g. Keycloak's `.../protocol/openid-connect/certs`).
    #[arg(long, env = "JWT_JWKS", global = true)]
    pub jwt_jwks: Option<String>,

    /// Required `iss` of every token, when set.
    #[arg(long, env = "JWT_ISSUER", global = true)]
    pub jwt_issuer: Option<String>,

    /// Required `aud` of every token, when set (a token without `aud` is refused).
    #[arg(long, env = "JWT_AUDIENCE", global = true)]
    pub jwt_audience: Option<String>,

    /// Dotted path of the role claim: `role`, Keycloak `realm_access.roles`, Azure AD `roles`.
    /// A list of roles is allowed; the most privileged one that maps to ours wins.
    #[arg(long, env = "JWT_ROLE_CLAIM", default_value = "role", global = true)]
    pub jwt_role_claim: String,

    /// Dotted path of the tenant claim.
    #[arg(
        long,
        env = "JWT_TENANT_CLAIM",
        default_value = "tenant",
        global = true
    )]
    pub jwt_tenant_claim: String,

    /// Dotted path of the org-unit claim.
    #[arg(
        long,
        env = "JWT_ORG_UNIT_CLAIM",
        default_value = "org_unit",
        global = true
    )]
    pub jwt_org_unit_claim: String,

    /// Identity-provider role names mapped to ours, e.g.
    /// `digidash-admin:central_it,fachbereich:department,rat:council`. Without a map the
    /// role names are taken as they are.
    #[arg(long, env = "JWT_ROLE_MAP", global = true)]
    pub jwt_role_map: Option<String>,

    /// Allow requests without a token to read what is released as public.
    #[arg(long, env = "PUBLIC_ACCESS", global = true, default_value_t = false, action = clap::ArgAction::Set)]
    pub public_access: bool,

    /// `production` turns introspection and field suggestions off (unless
    /// `GRAPHQL_INTROSPECTION=true`).
    #[arg(long = "env", env = "DIGIDASH_ENV", value_enum, default_value_t = Environment::Development, global = true)]
    pub environment: Environment,

    /// Browser origins allowed to call the API (comma-separated, e.g.
    /// `https://digidash.aachen.de`); none means same-origin only.
    #[arg(long, env = "CORS_ORIGINS", global = true)]
    pub cors_origins: Option<String>,

    /// Days after which running work without a status report is overdue (warnings,
    /// dashboards).
    #[arg(long, env = "REPORTING_CYCLE_DAYS", default_value_t = 90, value_parser = clap::value_parser!(u32).range(1..=3660), global = true)]
    pub reporting_cycle_days: u32,

    #[command(flatten)]
    pub limits: Limits,

    #[command(flatten)]
    pub serving: Serving,

    #[command(flatten)]
    pub pool: PoolSettings,

    /// Log output format.
    #[arg(long, env = "LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,

    /// OTLP/HTTP collector to export traces to, e.g. `http://otel-collector:4318`; spans are
    /// posted to `<endpoint>/v1/traces`. Unset: no export.
    #[arg(long, env = "OTEL_EXPORTER_OTLP_ENDPOINT", global = true)]
    pub otel_endpoint: Option<String>,
}

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
}

impl Default for Serving {
    fn default() -> Self {
        Self {
            max_batch_size: 0,
            apq_cache_size: 1_000,
            response_cache_entries: 1_000,
            response_cache_mb: 64,
            rate_limit_per_minute: 600,
            rate_limit_per_address_per_minute: 1_200,
            trusted_proxies: Networks::default(),
            request_timeout: Duration::from_secs(30),
            shutdown_timeout: Duration::from_secs(20),
        }
    }
}

/// The database connection pool.
#[derive(Args, Debug, Clone)]
pub struct PoolSettings {
    /// Longest one SQL statement may run (PostgreSQL `statement_timeout`; SQLite waits this
    /// long for a lock); 0 = no limit.
    #[arg(
        long,
        env = "DB_STATEMENT_TIMEOUT_MS",
        default_value_t = 10_000,
        global = true
    )]
    pub statement_timeout_ms: u64,
    /// Longest a request waits for a database connection before it is answered with
    /// `DATABASE_UNAVAILABLE` (seconds, fractions allowed).
    #[arg(long = "db-acquire-timeout-secs", env = "DB_ACQUIRE_TIMEOUT_SECS", default_value = "5", global = true, value_parser = parse_seconds)]
    pub acquire_timeout: Duration,
    /// Most open database connections (PostgreSQL; SQLite uses 4), per pool: the primary's and
    /// each replica's.
    #[arg(long, env = "DB_MAX_CONNECTIONS", default_value_t = 10, global = true)]
    pub max_connections: u32,
    /// The PostgreSQL URLs lead to PgBouncer in transaction pooling mode: no statement cache,
    /// no startup options, every pool checkout one transaction (see `pgbouncer`).
    #[arg(long, env = "DATABASE_PGBOUNCER", default_value_t = false, action = clap::ArgAction::Set, global = true)]
    pub pgbouncer: bool,
}

impl Default for PoolSettings {
    fn default() -> Self {
        Self {
            statement_timeout_ms: 10_000,
            acquire_timeout: Duration::from_secs(5),
            max_connections: 10,
            pgbouncer: false,
        }
    }
}

fn parse_seconds(value: &str) -> Result<Duration, String> {
    value
        .trim()
        .parse::<f64>()
        .ok()
        .and_then(|secs| Duration::try_from_secs_f64(secs).ok())
        .filter(|duration| !duration.is_zero())
        .ok_or_else(|| format!("`{value}` is not a positive number of seconds"))
}

/// A list of IP networks (`TRUSTED_PROXIES`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Networks(pub Vec<(std::net::IpAddr, u8)>);

impl Networks {
    /// Whether `address` lies in one of the networks.
    pub fn contains(&self, address: std::net::IpAddr) -> bool {
        use std::net::IpAddr;
        let address = canonical(address);
        self.0
            .iter()
            .any(|&(network, prefix)| match (network, address) {
                (IpAddr::V4(net), IpAddr::V4(ip)) => {
                    let mask = u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0);
                    u32::from(net) & mask == u32::from(ip) & mask
                }
                (IpAddr::V6(net), IpAddr::V6(ip)) => {
                    let mask = u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0);
                    u128::from(net) & mask == u128::from(ip) & mask
                }
                _ => false,
            })
    }
}

/// An IPv4 address mapped into IPv6 (`::ffff:10.0.0.1`) is the IPv4 address.
pub fn canonical(address: std::net::IpAddr) -> std::net::IpAddr {
    match address {
        std::net::IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(address, std::net::IpAddr::V4),
        v4 => v4,
    }
}

fn parse_networks(value: &str) -> Result<Networks, String> {
    let mut networks = Vec::new();
    for item in value
        .split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
    {
        let (address, prefix) = match item.split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (item, None),
        };
        let address: std::net::IpAddr = address
            .parse()
            .map_err(|_| format!("`{item}` is not an IP address or CIDR network"))?;
        let address = canonical(address);
        let max = if address.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(prefix) => prefix
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("`{item}` has an invalid prefix length"))?,
        };
        networks.push((address, prefix));
    }
    Ok(Networks(networks))
}

/// Where the process runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Environment {
    /// A developer's machine: introspection and field suggestions on.
    Development,
    /// Serving real users: introspection and field suggestions off by default.
    Production,
}

/// How much one GraphQL request may ask for; every refusal has its own error code.
#[derive(Args, Debug, Clone)]
pub struct Limits {
    /// Deepest nesting of selections (`DEPTH_LIMIT`).
    #[arg(long, env = "MAX_QUERY_DEPTH", default_value_t = 16, global = true)]
    pub max_depth: usize,
    /// Most complexity points (`COMPLEXITY_LIMIT`): a field counts 1, a connection counts its
    /// page size (`first`, default 20) times what is selected per edge.
    #[arg(
        long,
        env = "MAX_QUERY_COMPLEXITY",
        default_value_t = 500_000,
        global = true
    )]
    pub max_complexity: usize,
    /// Most aliases in one document (`ALIAS_LIMIT`).
    #[arg(long, env = "MAX_ALIASES", default_value_t = 30, global = true)]
    pub max_aliases: usize,
    /// Most field selections in one document (`FIELD_LIMIT`).
    #[arg(long, env = "MAX_FIELDS", default_value_t = 1_000, global = true)]
    pub max_fields: usize,
    /// Most directives on one field (`DIRECTIVE_LIMIT`).
    #[arg(long, env = "MAX_DIRECTIVES", default_value_t = 10, global = true)]
    pub max_directives: usize,
    /// Force introspection on or off (default: on, except in production).
    #[arg(long, env = "GRAPHQL_INTROSPECTION", global = true)]
    pub introspection: Option<bool>,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_depth: 16,
            max_complexity: 500_000,
            max_aliases: 30,
            max_fields: 1_000,
            max_directives: 10,
            introspection: None,
        }
    }
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

/// The read replicas of `DATABASE_REPLICA_URLS`. Their URLs may hold passwords: `Debug` shows
/// how many there are, never the URLs.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ReplicaUrls(pub Vec<String>);

impl std::fmt::Debug for ReplicaUrls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ReplicaUrls({} configured)", self.0.len())
    }
}

fn parse_replica_urls(value: &str) -> Result<ReplicaUrls, String> {
    let urls: Vec<String> = value
        .split(',')
        .map(str::trim)
        .filter(|url| !url.is_empty())
        .map(str::to_owned)
        .collect();
    if let Some(position) = urls
        .iter()
        .position(|url| !(url.starts_with("postgres://") || url.starts_with("postgresql://")))
    {
        // The URL itself is not shown: it may hold a password.
        return Err(format!(
            "replica {} does not start with postgres:// or postgresql://",
            position + 1
        ));
    }
    Ok(ReplicaUrls(urls))
}

/// Where the data lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseTarget {
    /// An SQLite file, created when missing.
    Sqlite(PathBuf),
    /// A PostgreSQL server.
    Postgres(String),
}

impl DatabaseTarget {
    /// The SeaORM connection URL.
    pub fn url(&self) -> String {
        match self {
            Self::Sqlite(path) => format!("sqlite://{}?mode=rwc", path.display()),
            Self::Postgres(url) => url.clone(),
        }
    }
}

impl Config {
    /// The database this process talks to. Read replicas and PgBouncer are refused with an
    /// SQLite database, which has neither.
    pub fn database(&self) -> anyhow::Result<DatabaseTarget> {
        let target = self.primary_database()?;
        if matches!(target, DatabaseTarget::Sqlite(_)) {
            anyhow::ensure!(
                self.database_replica_urls.0.is_empty(),
                "DATABASE_REPLICA_URLS needs a PostgreSQL DATABASE_URL: an SQLite database has no read replicas"
            );
            anyhow::ensure!(
                !self.pool.pgbouncer,
                "DATABASE_PGBOUNCER needs a PostgreSQL DATABASE_URL"
            );
        }
        Ok(target)
    }

    fn primary_database(&self) -> anyhow::Result<DatabaseTarget> {
        match self.database_url.as_deref().map(str::trim) {
            None | Some("") => Ok(DatabaseTarget::Sqlite(PathBuf::from(DEFAULT_SQLITE_FILE))),
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                Ok(DatabaseTarget::Postgres(url.to_owned()))
            }
            Some(url) if url.starts_with("sqlite:") => {
                let path = url.trim_start_matches("sqlite:").trim_start_matches("//");
                let path = path.split('?').next().unwrap_or(path);
                anyhow::ensure!(!path.is_empty(), "DATABASE_URL names no SQLite file");
                Ok(DatabaseTarget::Sqlite(PathBuf::from(path)))
            }
            Some(_) => anyhow::bail!(
                "DATABASE_URL must start with postgres://, postgresql:// or sqlite: (the URL itself is not shown because it may hold a password)"
            ),
        }
    }
}

fn parse_secret(value: &str) -> Result<SecretString, String> {
    if value.len() < 16 {
        return Err("JWT_SECRET must be at least 16 characters".into());
    }
    Ok(SecretString::from(value.to_owned()))
}

/// Where the signing secret came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretSource {
    /// `JWT_SECRET`.
    Configured,
    /// Generated for the embedded database and kept next to it.
    Development,
}

impl Config {
    /// The HS256 secret: `JWT_SECRET`, or for the embedded SQLite database a development
    /// secret generated once and kept next to the database file. PostgreSQL without a
    /// configured secret is refused.
    pub fn jwt_secret(
        &self,
        target: &DatabaseTarget,
    ) -> anyhow::Result<Option<(SecretString, SecretSource)>> {
        if let Some(secret) = &self.jwt_secret {
            return Ok(Some((secret.clone(), SecretSource::Configured)));
        }
        if self.jwt_jwks.is_some() {
            // Tokens come from an identity provider; there is nothing to sign with.
            return Ok(None);
        }
        let DatabaseTarget::Sqlite(path) = target else {
            anyhow::bail!(
                "no token configuration: with PostgreSQL set JWT_SECRET (at least 16 characters) or JWT_JWKS (the identity provider's keys)"
            );
        };
        let file = dev_secret_path(path);
        if let Ok(secret) = std::fs::read_to_string(&file) {
            let secret = secret.trim().to_owned();
            anyhow::ensure!(
                secret.len() >= 16,
                "{} is damaged: delete it to generate a new one",
                file.display()
            );
            return Ok(Some((
                SecretString::from(secret),
                SecretSource::Development,
            )));
        }
        let secret: String = {
            use rand::Rng;
            let bytes: [u8; 32] = rand::rng().random();
            bytes.iter().map(|b| format!("{b:02x}")).collect()
        };
        write_private(&file, &secret)?;
        Ok(Some((
            SecretString::from(secret),
            SecretSource::Development,
        )))
    }
}

/// `digidash.db` keeps its development secret in `digidash.db.jwt-secret`.
pub fn dev_secret_path(database: &std::path::Path) -> PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push(".jwt-secret");
    PathBuf::from(name)
}

fn write_private(path: &std::path::Path, content: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(|err| {
        anyhow::anyhow!(
            "cannot write the development secret {}: {err}",
            path.display()
        )
    })?;
    file.write_all(content.as_bytes())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trusted_proxies_parse_as_networks() {
        let networks = parse_networks("10.0.0.0/8, 192.168.1.7 ,::1, fd00::/16").unwrap();
        for inside in [
            "10.1.2.3",
            "192.168.1.7",
            "::1",
            "fd00::5",
            "::ffff:10.9.9.9",
        ] {
            assert!(networks.contains(inside.parse().unwrap()), "{inside}");
        }
        for outside in ["11.0.0.1", "192.168.1.8", "::2", "fe00::1"] {
            assert!(!networks.contains(outside.parse().unwrap()), "{outside}");
        }
        assert!(parse_networks("10.0.0.0/33").is_err());
        assert!(parse_networks("proxy.local").is_err());
        assert_eq!(parse_networks("").unwrap(), Networks::default());
        assert!(
            parse_networks("0.0.0.0/0")
                .unwrap()
                .contains("8.8.8.8".parse().unwrap())
        );
    }

    #[test]
    fn replica_urls_are_a_list_of_postgres_urls() {
        assert_eq!(parse_replica_urls(""), Ok(ReplicaUrls::default()));
        assert_eq!(
            parse_replica_urls(" postgres://a@r1/db , ,postgresql://r2:5433/db").unwrap(),
            ReplicaUrls(vec![
                "postgres://a@r1/db".into(),
                "postgresql://r2:5433/db".into()
            ])
        );
        let refused = parse_replica_urls("postgres://r1/db,mysql://u:secret@r2/db").unwrap_err();
        assert!(refused.contains("replica 2"), "{refused}");
        assert!(!refused.contains("secret"), "{refused}");
        let debug = format!(
            "{:?}",
            parse_replica_urls("postgres://u:secret@r1/db").unwrap()
        );
        assert!(!debug.contains("secret"), "{debug}");
    }

    #[test]
    fn replicas_and_pgbouncer_need_postgres() {
        use clap::Parser;
        let parse = |args: &[&str]| {
            crate::cli::Cli::try_parse_from(std::iter::once("digidash").chain(args.iter().copied()))
                .expect("arguments parse")
                .config
        };
        let config = parse(&[
            "--database-url",
            "sqlite://x.db",
            "--database-replica-urls",
            "postgres://r1/db",
        ]);
        let refused = config.database().unwrap_err().to_string();
        assert!(refused.contains("DATABASE_REPLICA_URLS"), "{refused}");
        let config = parse(&["--database-url", "sqlite://x.db", "--pgbouncer", "true"]);
        assert!(config.database().is_err());
        let config = parse(&[
            "--database-url",
            "postgres://primary/db",
            "--database-replica-urls",
            "postgres://r1/db,postgres://r2/db",
            "--pgbouncer",
            "true",
        ]);
        assert!(matches!(config.database(), Ok(DatabaseTarget::Postgres(_))));
        assert_eq!(config.database_replica_urls.0.len(), 2);
        assert!(config.pool.pgbouncer);
    }

    #[test]
    fn seconds_allow_fractions_but_not_zero() {
        assert_eq!(parse_seconds("0.5"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_seconds("30"), Ok(Duration::from_secs(30)));
        assert!(parse_seconds("0").is_err());
        assert!(parse_seconds("-1").is_err());
        assert!(parse_seconds("soon").is_err());
    }
}
