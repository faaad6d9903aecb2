//! `digidash tenant ...`: the operator's commands for the tenants of an installation.

use clap::Subcommand;

use crate::{config::Config, db};
use entity::enums::TenantKind;
use service::{
    export::{import::RowAction, labels::Lang},
    tenant::{self, NewTenant, Settings},
    viewer::Operator,
};

/// What to do with tenants.
#[derive(Subcommand, Debug)]
pub enum TenantCommand {
    /// Create a tenant with its root org unit, ready for its first central IT token.
    Create {
        /// Key in tokens and URLs: a lower-case slug such as `aachen`.
        #[arg(long)]
        key: String,
        /// Full name, e.g. "Stadt Aachen".
        #[arg(long)]
        name: String,
        /// municipality, district, university, state_platform or association.
        #[arg(long, default_value = "municipality")]
        kind: String,
        /// Code of the root org unit (default: the key in capitals).
        #[arg(long)]
        root_code: Option<String>,
    },
    /// List the tenants: key, kind, name.
    List,
    /// Show a tenant: its settings and how many rows of each kind it has.
    Show {
        /// The tenant's key.
        key: String,
    },
    /// Write everything of a tenant, history included, as one file (JSON, see the README);
    /// with --workbook its portfolio as the workbook of `/exports/portfolio.xlsx`.
    Export {
        /// The tenant's key.
        key: String,
        /// The file to write (default: standard output).
        #[arg(long)]
        output: Option<std::path::PathBuf>,
        /// Write the portfolio workbook (XLSX) instead of the tenant file.
        #[arg(long)]
        workbook: bool,
        /// The workbook's language: de or en (default: the tenant's export language).
        #[arg(long, requires = "workbook")]
        lang: Option<String>,
    },
    /// Create a tenant from a file `tenant export` wrote, in one transaction; or bring a
    /// portfolio workbook (`.xlsx`, as `/exports/portfolio.xlsx` writes it) into the tenant
    /// `--key`, as `POST /imports/portfolio` does.
    Import {
        /// The file.
        file: std::path::PathBuf,
        /// The new tenant's key (default: the key in the file); for a workbook, the tenant it
        /// goes into.
        #[arg(long)]
        key: Option<String>,
        /// A workbook only: check it and say what would change, without writing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Delete a tenant with every row it owns; without --yes only say what would go.
    Delete {
        /// The tenant's key.
        key: String,
        /// Really delete.
        #[arg(long)]
        yes: bool,
    },
}

/// The operator a command acts as, in the audit trail: the user running it.
fn operator() -> Operator {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "unknown".into());
    Operator {
        sub: format!("cli:{user}"),
        name: None,
    }
}

fn kind(name: &str) -> anyhow::Result<TenantKind> {
    use sea_orm::Iterable;
    TenantKind::iter()
        .find(|kind| kind.as_str() == name)
        .ok_or_else(|| {
            let names: Vec<&str> = TenantKind::iter().map(TenantKind::as_str).collect();
            anyhow::anyhow!("--kind must be one of {}", names.join(", "))
        })
}

/// Runs a tenant command against the configured database (migrated first).
pub async fn run(config: &Config, command: TenantCommand) -> anyhow::Result<()> {
    let (db, _) = db::connect(&config.database()?, &config.pool).await?;
    db::migrate(&db).await?;
    match command {
        TenantCommand::Create {
            key,
            name,
            kind: kind_name,
            root_code,
        } => {
            let input = NewTenant {
                key,
                name,
                kind: kind(&kind_name)?,
                root_code,
            };
            let created = tenant::create(&db, &operator(), input).await?;
            println!(
                "tenant {} created ({}, {}); a central IT token: digidash token --role central_it --tenant {}",
                created.key,
                created.kind.as_str(),
                created.name,
                created.key
            );
        }
        TenantCommand::List => {
            for row in tenant::list(&db).await? {
                println!("{}\t{}\t{}", row.key, row.kind.as_str(), row.name);
            }
        }
        TenantCommand::Show { key } => {
            let row = tenant::by_key(&db, &key).await?;
            let settings = Settings::of(&row);
            println!(
                "key\t{}\nname\t{}\nkind\t{}",
                row.key,
                row.name,
                row.kind.as_str()
            );
            println!(
                "created\t{}\nversion\t{}",
                row.created_at.to_rfc3339(),
                row.version
            );
            let cycle = settings
                .reporting_cycle_days
                .map_or("installation default".to_owned(), |days| {
                    format!("{days} days")
                });
            println!("reporting cycle\t{cycle}");
            println!(
                "fiscal year starts\tmonth {}",
                settings.fiscal_year_start_month
            );
            println!("export language\t{}", settings.export_language.code());
            println!("public reads\t{}", settings.public_reads);
            for (kind, count) in tenant::rows(&db, row.id).await? {
                println!("{kind}\t{count}");
            }
        }
        TenantCommand::Export {
            key,
            output,
            workbook: true,
            lang,
        } => {
            let viewer = central_it(&db, &key).await?;
            let lang = Lang::parse_or(lang.as_deref(), viewer.settings.export_language)?;
            let bytes = service::export::portfolio::export(&db, &viewer, lang).await?;
            match output {
                Some(path) => {
                    std::fs::write(&path, bytes)
                        .map_err(|err| anyhow::anyhow!("cannot write {}: {err}", path.display()))?;
                    eprintln!("portfolio of {key} written to {}", path.display());
                }
                None => std::io::Write::write_all(&mut std::io::stdout(), &bytes)?,
            }
        }
        TenantCommand::Export { key, output, .. } => {
            let file = tenant::transfer::export(&db, &key).await?;
            let mut text = serde_json::to_string(&file)?;
            text.push('\n');
            match output {
                Some(path) => {
                    std::fs::write(&path, text)
                        .map_err(|err| anyhow::anyhow!("cannot write {}: {err}", path.display()))?;
                    eprintln!("tenant {key} written to {}", path.display());
                }
                None => print!("{text}"),
            }
        }
        TenantCommand::Import { file, key, dry_run } => {
            let bytes = std::fs::read(&file)
                .map_err(|err| anyhow::anyhow!("cannot read {}: {err}", file.display()))?;
            // An XLSX workbook is a zip archive.
            if bytes.starts_with(b"PK\x03\x04") {
                let key = key.ok_or_else(|| {
                    anyhow::anyhow!("a workbook goes into an existing tenant: name it with --key")
                })?;
                return import_workbook(&db, &key, bytes, dry_run).await;
            }
            if dry_run {
                anyhow::bail!(
                    "--dry-run is for workbooks; a tenant file is imported whole or not at all"
                );
            }
            let text = String::from_utf8(bytes).map_err(|_| {
                anyhow::anyhow!("{} is neither a tenant file nor a workbook", file.display())
            })?;
            let parsed: serde_json::Value = serde_json::from_str(&text).map_err(|err| {
                anyhow::anyhow!(
                    "{} is not a tenant file (it does not parse: {err}); nothing was written",
                    file.display()
                )
            })?;
            let imported =
                tenant::transfer::import(&db, &operator(), &parsed, key.as_deref()).await?;
            println!(
                "tenant {} imported ({}): {} rows",
                imported.tenant.key, imported.tenant.name, imported.rows
            );
        }
        TenantCommand::Delete { key, yes } => {
            let removal = tenant::delete(&db, &key, yes).await?;
            let verb = if removal.deleted {
                "deleted"
            } else {
                "would delete"
            };
            println!(
                "{verb} tenant {} ({})",
                removal.tenant.key, removal.tenant.name
            );
            for (kind, count) in removal.counts.iter().filter(|(_, count)| *count > 0) {
                println!("  {count} {kind}");
            }
            if !removal.deleted {
                println!("nothing was changed; run again with --yes to delete");
            }
        }
    }
    Ok(())
}

/// The tenant's central IT, as the operator running a command acts in it (the audit trail
/// names the operator).
async fn central_it(
    db: &sea_orm::DatabaseConnection,
    key: &str,
) -> anyhow::Result<service::viewer::Viewer> {
    let operator = operator();
    let identity = service::viewer::Identity {
        sub: operator.sub,
        name: operator.name,
        role: service::viewer::Role::CentralIt,
        tenant_key: key.to_owned(),
        org_unit_code: None,
    };
    service::viewer::resolve(db, &Default::default(), identity)
        .await
        .map_err(|_| {
            anyhow::anyhow!(
                "there is no tenant {key}; create it first with `digidash tenant create`"
            )
        })
}

/// `tenant import WORKBOOK --key K`: the portfolio import as the tenant's central IT (the
/// operator running the command), with the import's answer as text.
async fn import_workbook(
    db: &sea_orm::DatabaseConnection,
    key: &str,
    bytes: Vec<u8>,
    dry_run: bool,
) -> anyhow::Result<()> {
    let viewer = central_it(db, key).await?;
    let lang = viewer.settings.export_language;
    let report = service::export::portfolio::import(db, &viewer, bytes, dry_run, lang).await?;
    for row in report
        .rows
        .iter()
        .filter(|r| r.action != RowAction::Unchanged)
    {
        let sheet = row.sheet.as_deref().unwrap_or_default();
        let name = row.number.as_deref().unwrap_or_default();
        let action = match row.action {
            RowAction::Create => "create",
            _ => "update",
        };
        let fields: Vec<&str> = row.changes.iter().map(|c| c.field).collect();
        println!(
            "{sheet}\t{}\t{action}\t{name}\t{}",
            row.line,
            fields.join(", ")
        );
    }
    for error in &report.errors {
        eprintln!(
            "{}, line {}, {}: {}",
            error.sheet.as_deref().unwrap_or_default(),
            error.line,
            error.column,
            error.message
        );
    }
    let t = &report.totals;
    println!(
        "{} rows: {} to create, {} to update, {} unchanged, {} errors",
        t.rows, t.create, t.update, t.unchanged, t.errors
    );
    if !report.errors.is_empty() {
        anyhow::bail!("the workbook has errors; nothing was written");
    }
    if report.applied {
        println!("written to tenant {key}");
    } else {
        println!("dry run: nothing was written");
    }
    Ok(())
}
