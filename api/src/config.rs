//! The one configuration of a digidash process, read from flags and environment variables.

use std::{net::SocketAddr, path::PathBuf};

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

    /// Log output format.
    #[arg(long, env = "LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,
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
    /// Most fields counted by the schema's complexity (`COMPLEXITY_LIMIT`).
    #[arg(
        long,
        env = "MAX_QUERY_COMPLEXITY",
        default_value_t = 20_000,
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
            max_complexity: 20_000,
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
    /// The database this process talks to.
    pub fn database(&self) -> anyhow::Result<DatabaseTarget> {
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
