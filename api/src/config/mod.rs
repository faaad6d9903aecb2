//! The one configuration of a digidash process, read from flags and environment variables.
//!
//! [`Config`] holds the settings every subcommand shares; the groups it flattens live beside
//! it: [`Limits`] of one GraphQL request, [`Serving`] (batching, caches, rate limits,
//! timeouts), the [`PoolSettings`] of the database connections, the e-mail reminders
//! ([`Mail`]), how [`Webhooks`] are delivered. [`Config::database`] says where the data
//! lives, [`Config::jwt_secret`] what HS256 tokens are signed with, and
//! [`Config::for_tests`] gives the defaults to code that builds a configuration itself.

mod database;
mod defaults;
mod limits;
mod mail;
mod networks;
mod pool;
mod seconds;
mod secret;
mod serving;
mod webhooks;

use std::{net::SocketAddr, path::PathBuf, time::Duration};

use clap::{Args, ValueEnum};
use secrecy::SecretString;

pub(crate) use self::networks::canonical;
use self::{database::parse_replica_urls, seconds::parse_seconds, secret::parse_secret};
pub use self::{
    database::{DatabaseTarget, ReplicaUrls},
    limits::Limits,
    mail::{Mail, Sending, SmtpUrl},
    networks::Networks,
    pool::PoolSettings,
    secret::SecretSource,
    serving::Serving,
    webhooks::Webhooks,
};

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

    /// PEM file with one or more CA certificates trusted, besides the system's roots, for an
    /// https `JWT_JWKS`: for an identity provider whose certificate an internal CA signed.
    #[arg(long, env = "JWT_JWKS_CA_FILE", global = true)]
    pub jwt_jwks_ca_file: Option<PathBuf>,

    /// Seconds the keys fetched from `JWT_JWKS` are used; the first token after that fetches
    /// the set again and keys no longer in it are refused. A failed fetch keeps the old keys.
    #[arg(long = "jwt-jwks-cache-secs", env = "JWT_JWKS_CACHE_SECS", default_value = "300", global = true, value_parser = parse_seconds)]
    pub jwt_jwks_cache: Duration,

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

    /// Serve GraphiQL to a browser visiting `/graphql` (default: on, except in production).
    #[arg(long, env = "GRAPHIQL", global = true)]
    pub graphiql: Option<bool>,

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

    #[command(flatten)]
    pub mail: Mail,

    #[command(flatten)]
    pub webhooks: Webhooks,

    /// Log output format.
    #[arg(long, env = "LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,

    /// OTLP/HTTP collector to export traces to, e.g. `http://otel-collector:4318`; spans are
    /// posted to `<endpoint>/v1/traces`. Unset: no export.
    #[arg(long, env = "OTEL_EXPORTER_OTLP_ENDPOINT", global = true)]
    pub otel_endpoint: Option<String>,
}

/// Where the process runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Environment {
    /// A developer's machine: introspection and field suggestions on.
    Development,
    /// Serving real users: introspection and field suggestions off by default.
    Production,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

impl Config {
    /// Whether a browser visiting `/graphql` gets GraphiQL: as `GRAPHIQL` says, else
    /// everywhere but in production (a scanner of a production server flags it).
    pub fn graphiql(&self) -> bool {
        self.graphiql
            .unwrap_or(self.environment != Environment::Production)
    }

    /// Whether the schema answers introspection (see [`Limits::introspection_in`]).
    pub fn introspection(&self) -> bool {
        self.limits.introspection_in(self.environment)
    }
}
