//! The `digidash` command line.

mod audit;
mod notify;
mod tenant;

use std::sync::Arc;

use chrono::{Duration, Utc};
use clap::{Parser, Subcommand};
use tokio::net::TcpListener;

use crate::{
    auth::{Claims, Role, TokenKeys},
    config::{Config, DatabaseTarget, SecretSource},
    db, graphql,
    http::{self, AppState},
    notify::{Notifier, scheduler},
    replicas::Replicas,
    telemetry,
};

use service::seed;

/// digidash: steer a municipality's digital transformation.
#[derive(Parser, Debug)]
#[command(name = "digidash", version, about)]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// What to do (default: `serve`).
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the HTTP server (the default).
    Serve,
    /// Apply pending database migrations.
    Migrate,
    /// Load data into the database.
    #[command(group(clap::ArgGroup::new("data").required(true).args(["demo", "synthetic"])))]
    Seed {
        /// The demo tenants aachen, tuk, kisa and sachsen (tenants already present are kept).
        #[arg(long)]
        demo: bool,
        /// Synthetic tenants `synth-0001`... at the scale of a city's portfolio each, for
        /// benchmarks (tenants already present are kept).
        #[arg(long)]
        synthetic: bool,
        /// How many synthetic tenants.
        #[arg(long, default_value_t = 4, requires = "synthetic")]
        tenants: u32,
        /// Seed of the synthetic data: the same seed gives the same data.
        #[arg(long, default_value_t = 2026, requires = "synthetic")]
        seed: u64,
        /// Also the large tenant `synth-large` (50 goals, 250 measures, 450 projects): the
        /// benchmark's deep page of about 1 MB.
        #[arg(long, requires = "synthetic")]
        large_tenant: bool,
    },
    /// Print the GraphQL schema (SDL) to stdout.
    ExportSchema,
    /// Check the audit trail's hash chains (`audit verify [--tenant K]`).
    #[command(subcommand)]
    Audit(audit::AuditCommand),
    /// Create, list, show and delete tenants (the operator's work).
    #[command(subcommand)]
    Tenant(tenant::TenantCommand),
    /// Send today's e-mail digests now (`notify [--dry-run] [--tenant K]`): each recipient
    /// gets at most one a day, however often this runs.
    Notify(notify::NotifyArgs),
    /// Mint an HS256 token with the configured secret.
    Token {
        /// central_it, department, council, or platform_admin (the operator, without
        /// --tenant).
        #[arg(long)]
        role: String,
        /// Tenant key, e.g. aachen (required unless the role is platform_admin).
        #[arg(long)]
        tenant: Option<String>,
        /// Org unit code (required for department), e.g. "FB 15".
        #[arg(long)]
        org_unit: Option<String>,
        /// Hours until the token expires.
        #[arg(long, default_value_t = 8)]
        hours: i64,
        /// Subject of the token.
        #[arg(long)]
        sub: Option<String>,
        /// Display name.
        #[arg(long)]
        name: Option<String>,
    },
}

/// Entry point of the `digidash` binary: runs a command, then flushes the traces.
pub async fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let telemetry = telemetry::init(cli.config.log_format, cli.config.otel_endpoint.as_deref())?;
    let result = command(cli).await;
    telemetry.shutdown();
    result
}

async fn command(cli: Cli) -> anyhow::Result<()> {
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(cli.config).await,
        Command::Migrate => {
            let (db, _) = db::connect(&cli.config.database()?, &cli.config.pool).await?;
            db::migrate(&db).await?;
            tracing::info!("database is up to date");
            Ok(())
        }
        Command::Seed {
            synthetic: true,
            tenants,
            seed,
            large_tenant,
            ..
        } => {
            let (db, _) = db::connect(&cli.config.database()?, &cli.config.pool).await?;
            db::migrate(&db).await?;
            let started = std::time::Instant::now();
            let mut loaded = seed::synthetic::load(&db, tenants, seed).await?;
            if large_tenant {
                let large = seed::synthetic::load_large(&db, seed).await?;
                loaded.tenants += large.tenants;
                loaded.rows += large.rows;
            }
            println!(
                "synthetic tenants loaded: {} ({} rows in {:.1} s)",
                loaded.tenants,
                loaded.rows,
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Seed { .. } => {
            let (db, _) = db::connect(&cli.config.database()?, &cli.config.pool).await?;
            db::migrate(&db).await?;
            let loaded = seed::load_demo(&db).await?;
            println!(
                "demo tenants loaded: {}",
                if loaded.is_empty() {
                    "none (all present)".to_owned()
                } else {
                    loaded.join(", ")
                }
            );
            Ok(())
        }
        Command::Tenant(command) => tenant::run(&cli.config, command).await,
        Command::Audit(command) => audit::run(&cli.config, command).await,
        Command::Notify(args) => notify::run(&cli.config, args).await,
        Command::ExportSchema => {
            print!("{}", graphql::sdl());
            Ok(())
        }
        Command::Token {
            role,
            tenant,
            org_unit,
            hours,
            sub,
            name,
        } => {
            let target = cli.config.database()?;
            let (secret, _) = cli
                .config
                .jwt_secret(&target)?
                .ok_or_else(|| anyhow::anyhow!("minting tokens needs JWT_SECRET"))?;
            let operator = role == service::audit::OPERATOR_ROLE;
            anyhow::ensure!(
                Role::from_claim(&role).is_some() || operator,
                "--role must be central_it, department, council or platform_admin"
            );
            anyhow::ensure!(
                operator != tenant.is_some(),
                "{}",
                if operator {
                    "a platform_admin token names no tenant: leave out --tenant"
                } else {
                    "--tenant is required"
                }
            );
            anyhow::ensure!(
                Role::from_claim(&role) != Some(Role::Department) || org_unit.is_some(),
                "a department token needs --org-unit"
            );
            anyhow::ensure!(
                (1..=24 * 365).contains(&hours),
                "--hours must be between 1 and 8760"
            );
            let claims = Claims {
                sub: sub.unwrap_or_else(|| match &tenant {
                    Some(tenant) => format!("{role}@{tenant}"),
                    None => role.clone(),
                }),
                role,
                tenant,
                org_unit,
                name,
                exp: (Utc::now() + Duration::hours(hours)).timestamp(),
                iat: Some(Utc::now().timestamp()),
            };
            println!("{}", TokenKeys::hs256(&secret).mint(&claims)?);
            Ok(())
        }
    }
}

/// Opens and migrates the database, loads the demo data into an empty embedded database, and
/// builds the server state.
pub async fn prepare(config: Config) -> anyhow::Result<(AppState, Option<SecretSource>)> {
    let target = config.database()?;
    let secret = config.jwt_secret(&target)?;
    let keys = TokenKeys::from_config(&config, secret.as_ref().map(|(secret, _)| secret)).await?;
    let (db, statements, failover) = db::connect_watched(&target, &config.pool).await?;
    db::migrate(&db).await?;
    if matches!(target, DatabaseTarget::Sqlite(_))
        && config.database_url.is_none()
        && seed::is_empty(&db).await?
    {
        let loaded = seed::load_demo(&db).await?;
        tracing::info!(tenants = ?loaded, "loaded the demo data into the new embedded database");
    }
    let replicas =
        Replicas::connect(&config.database_replica_urls.0, &config.pool, &statements).await?;
    if !replicas.is_empty() {
        tracing::info!(
            replicas = replicas.len(),
            "queries read from replicas that have caught up"
        );
    }
    Ok((
        AppState::new(db, statements, keys, config)
            .with_replicas(replicas)
            .with_failover(failover),
        secret.map(|(_, source)| source),
    ))
}

async fn serve(config: Config) -> anyhow::Result<()> {
    // A half-configured mail setup fails the start, not the first run hours later.
    config.mail.sending()?;
    let (state, source) = prepare(config).await?;
    let listener = TcpListener::bind(state.config.bind_addr)
        .await
        .map_err(|err| anyhow::anyhow!("cannot listen on {}: {err}", state.config.bind_addr))?;
    let address = listener.local_addr()?;
    println!("digidash listens on http://{address}  (GraphiQL: http://{address}/graphql)");
    if source == Some(SecretSource::Development) {
        print_demo_tokens(state.authenticator.keys())?;
    }
    let reminders = start_reminders(&state)?;
    http::serve(listener, state).await?;
    if let Some(reminders) = reminders {
        reminders.abort();
    }
    Ok(())
}

/// The daily e-mail run, when `SMTP_URL` is set.
fn start_reminders(state: &AppState) -> anyhow::Result<Option<tokio::task::JoinHandle<()>>> {
    let notifier = Notifier::new(state.db.clone(), &state.config, state.metrics.clone())?;
    if !notifier.can_send() {
        tracing::info!("e-mail reminders are off: SMTP_URL is not set");
        return Ok(None);
    }
    let mail = &state.config.mail;
    let schedule = scheduler::Schedule {
        at: mail.notify_at,
        zone: mail.notify_time_zone,
        retry: mail.notify_retry,
    };
    Ok(Some(scheduler::start(Arc::new(notifier), schedule)))
}

/// Ready-to-paste tokens for the demo tenant, signed with the development secret.
fn print_demo_tokens(keys: &TokenKeys) -> anyhow::Result<()> {
    println!(
        "\nDemo tokens for tenant \"aachen\" (valid 12 hours; header: Authorization: Bearer <token>):"
    );
    let exp = (Utc::now() + Duration::hours(12)).timestamp();
    for (role, org_unit, name) in [
        (Role::CentralIt, None, "Zentrale IT-Steuerung (FB 15)"),
        (
            Role::Department,
            Some("FB 36"),
            "Fachbereichsleitung Klima und Umwelt",
        ),
        (Role::Council, None, "Ratsinformation"),
    ] {
        let claims = Claims {
            sub: format!("demo-{}", role.as_str()),
            role: role.as_str().to_owned(),
            tenant: Some("aachen".into()),
            org_unit: org_unit.map(str::to_owned),
            name: Some(name.to_owned()),
            exp,
            iat: Some(Utc::now().timestamp()),
        };
        println!("\n  {} ({name}):\n  {}", role.as_str(), keys.mint(&claims)?);
    }
    println!();
    Ok(())
}
