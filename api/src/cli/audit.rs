//! `digidash audit verify [--tenant K]`: walks the audit chains and names the first entry
//! that was changed, removed or inserted out of order.

use clap::Subcommand;
use entity::tenant;
use sea_orm::{EntityTrait, QueryOrder};

use crate::{config::Config, db};
use service::audit::chain::{self, Verdict};

/// What to do with the audit trail.
#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// Check the hash chain of every tenant's audit trail (or of one); fails on the first
    /// entry that was changed, removed or inserted behind the API's back.
    Verify {
        /// Only this tenant.
        #[arg(long)]
        tenant: Option<String>,
    },
}

/// Runs an audit command against the configured database (migrated first).
pub async fn run(config: &Config, command: AuditCommand) -> anyhow::Result<()> {
    let (db, _) = db::connect(&config.database()?, &config.pool).await?;
    db::migrate(&db).await?;
    let AuditCommand::Verify { tenant: only } = command;
    let tenants = tenant::Entity::find()
        .order_by_asc(tenant::Column::Key)
        .all(&db)
        .await?;
    if let Some(key) = &only
        && !tenants.iter().any(|t| &t.key == key)
    {
        anyhow::bail!("there is no tenant {key}");
    }
    let mut broken = 0;
    for t in tenants
        .iter()
        .filter(|t| only.as_ref().is_none_or(|k| k == &t.key))
    {
        match chain::verify(&db, t.id).await? {
            Verdict::Intact { entries, head } => println!(
                "{}\tintact\t{entries} entries\thead {}",
                t.key,
                head.as_deref().unwrap_or("-")
            ),
            Verdict::Broken { problem, .. } => {
                broken += 1;
                println!("{}\tBROKEN\t{problem}", t.key);
            }
        }
    }
    if broken > 0 {
        anyhow::bail!("the audit trail of {broken} tenant(s) does not verify");
    }
    Ok(())
}
