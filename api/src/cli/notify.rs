//! `digidash notify [--dry-run] [--tenant K]`: today's e-mail digests, now, as the daily run
//! sends them; with `--dry-run` printed instead, and nothing sent or recorded.

use std::sync::Arc;

use clap::Args;

use crate::{config::Config, db, http::metrics::Metrics, notify::Notifier};

/// What `notify` is asked.
#[derive(Args, Debug)]
pub struct NotifyArgs {
    /// Print the digests that would go out today; send and record nothing.
    #[arg(long)]
    dry_run: bool,
    /// Only this tenant's digests (its key, e.g. aachen).
    #[arg(long)]
    tenant: Option<String>,
}

pub(super) async fn run(config: &Config, args: NotifyArgs) -> anyhow::Result<()> {
    if !args.dry_run && config.mail.smtp_url.is_none() {
        anyhow::bail!(
            "SMTP_URL is not set, so no e-mail can be sent: set SMTP_URL, MAIL_FROM and APP_URL, or run `digidash notify --dry-run` to see what would go out"
        );
    }
    let (db, _) = db::connect(&config.database()?, &config.pool).await?;
    db::migrate(&db).await?;
    // A command's counts go to its output; `/metrics` is the server's.
    let metrics = Arc::new(Metrics::new()?);
    let notifier = Notifier::new(db, config, metrics)?;
    if args.dry_run {
        let mut out = String::new();
        let summary = notifier.preview(args.tenant.as_deref(), &mut out).await?;
        print!("{out}");
        println!(
            "dry run for {}: {} digest(s) would be sent, {} sent today already, {} recipient(s) with nothing due; nothing was sent or recorded",
            notifier.today(),
            summary.sent,
            summary.already_sent,
            summary.empty
        );
        return Ok(());
    }
    let summary = notifier.send(args.tenant.as_deref()).await?;
    println!("digests of {}: {summary}", notifier.today());
    anyhow::ensure!(
        !summary.locked_out,
        "another digidash process is sending the digests right now; try again later"
    );
    anyhow::ensure!(
        summary.failed == 0 && summary.tenants_failed == 0,
        "{} digest(s) could not be sent (see the log); they go out with the next run",
        summary.failed + summary.tenants_failed
    );
    Ok(())
}
