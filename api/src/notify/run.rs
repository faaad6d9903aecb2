//! One run: every tenant's digests of today, composed with each recipient's view, claimed in
//! the sent-log, sent, and marked sent (or released when sending failed). A dry run composes
//! and prints them, and neither sends nor records anything.

use std::{fmt::Write as _, sync::Arc};

use chrono::{NaiveDate, Utc};
use chrono_tz::Tz;
use sea_orm::DatabaseConnection;
use service::notify::{
    self, Digest, Links, Recipient,
    log::{self, Claimed},
};

use super::{
    lock,
    transport::{Failure, Mailer},
};
use crate::{
    config::Config,
    graphql::id,
    http::metrics::{MailOutcome, Metrics},
};

/// What a run did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Digests the SMTP server accepted.
    pub sent: usize,
    /// Digests not sent (after retries, or not tried once the server was unreachable).
    pub failed: usize,
    /// Digests sent earlier today (by this process or another).
    pub already_sent: usize,
    /// Digests another process is sending right now.
    pub in_flight: usize,
    /// Recipients with nothing due: no digest.
    pub empty: usize,
    /// Tenants whose digests could not be composed (a database error).
    pub tenants_failed: usize,
    /// Another process holds the run's lock: nothing was done.
    pub locked_out: bool,
}

impl Summary {
    /// Whether every digest of the day is out: nothing failed or is still in another
    /// process's hands.
    pub fn complete(&self) -> bool {
        !self.locked_out && self.failed == 0 && self.in_flight == 0 && self.tenants_failed == 0
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.locked_out {
            return f.write_str("another process is sending the digests right now; nothing done");
        }
        write!(
            f,
            "{} sent, {} failed, {} already sent today, {} being sent by another process, {} with nothing due",
            self.sent, self.failed, self.already_sent, self.in_flight, self.empty
        )?;
        if self.tenants_failed > 0 {
            write!(f, ", {} tenant(s) could not be read", self.tenants_failed)?;
        }
        Ok(())
    }
}

/// Composes and sends the digests.
pub struct Notifier {
    db: DatabaseConnection,
    cycle_days: u32,
    zone: Tz,
    app_url: Option<String>,
    mailer: Option<Mailer>,
    /// `MAIL_FROM`, shown by a dry run.
    from: Option<lettre::message::Mailbox>,
    metrics: Arc<Metrics>,
    /// This process, as the sent-log records who claimed a digest.
    process: String,
}

impl Notifier {
    /// A notifier on `db` with the settings of `config`; it can send when `SMTP_URL` (and
    /// what goes with it) is set.
    pub fn new(
        db: DatabaseConnection,
        config: &Config,
        metrics: Arc<Metrics>,
    ) -> anyhow::Result<Self> {
        let sending = config.mail.sending()?;
        let mailer = sending.as_ref().map(Mailer::new).transpose()?;
        Ok(Self {
            db,
            cycle_days: config.reporting_cycle_days,
            zone: config.mail.notify_time_zone,
            app_url: config.mail.app_url.clone(),
            mailer,
            from: config.mail.mail_from.clone(),
            metrics,
            process: process_name(),
        })
    }

    /// Whether digests can be sent (`SMTP_URL` is set).
    pub fn can_send(&self) -> bool {
        self.mailer.is_some()
    }

    /// Today in the notifier's time zone: the day digests are of.
    pub fn today(&self) -> NaiveDate {
        Utc::now().with_timezone(&self.zone).date_naive()
    }

    /// Sends today's digests of every tenant (or of the tenant `only`) that have not gone out.
    pub async fn send(&self, only: Option<&str>) -> anyhow::Result<Summary> {
        let mailer = self
            .mailer
            .as_ref()
            .ok_or_else(|| anyhow::anyhow!("SMTP_URL is not set: no e-mail can be sent"))?;
        let Some(_lock) = lock::try_acquire(&self.db).await? else {
            return Ok(Summary {
                locked_out: true,
                ..Summary::default()
            });
        };
        let today = self.today();
        let mut summary = Summary::default();
        let mut unreachable = false;
        for tenant in self.tenants(only).await? {
            let digests = match notify::digests_of(&self.db, &tenant, today, self.cycle_days).await
            {
                Ok(digests) => digests,
                Err(err) => {
                    tracing::error!(tenant = %tenant.key, error = %err, "the tenant's digests could not be composed");
                    summary.tenants_failed += 1;
                    continue;
                }
            };
            for (recipient, digest) in digests {
                if digest.is_empty() {
                    summary.empty += 1;
                    continue;
                }
                if unreachable {
                    summary.failed += 1;
                    self.metrics.mail_sent(MailOutcome::Failed);
                    continue;
                }
                match self
                    .deliver(mailer, &tenant.key, tenant.id, &recipient, &digest)
                    .await
                {
                    Ok(Delivered::Sent) => summary.sent += 1,
                    Ok(Delivered::Already) => summary.already_sent += 1,
                    Ok(Delivered::InFlight) => summary.in_flight += 1,
                    Err(failure) => {
                        summary.failed += 1;
                        self.metrics.mail_sent(MailOutcome::Failed);
                        unreachable = failure.unreachable;
                        if unreachable {
                            tracing::error!(reason = %failure.reason, "the SMTP server is unreachable: the remaining digests wait for the next run");
                        }
                    }
                }
            }
        }
        Ok(summary)
    }

    /// Claims, sends and records one digest.
    async fn deliver(
        &self,
        mailer: &Mailer,
        tenant_key: &str,
        tenant_id: i32,
        recipient: &Recipient,
        digest: &Digest,
    ) -> Result<Delivered, Failure> {
        let key = recipient.key();
        let entry = log::Entry {
            tenant_id,
            recipient: &key,
            day: digest.day,
            items: digest.items(),
        };
        let database = |err: service::error::ApiError| Failure {
            reason: format!("the sent-log could not be written: {err}"),
            unreachable: false,
        };
        let claim = match log::claim(&self.db, entry, &self.process)
            .await
            .map_err(database)?
        {
            Claimed::Mine(claim) => claim,
            Claimed::Sent => return Ok(Delivered::Already),
            Claimed::Busy => return Ok(Delivered::InFlight),
        };
        let mail = notify::render(digest, &self.links());
        let message_id = mailer.message_id(tenant_key, &key, digest.day);
        match mailer
            .send(
                &recipient.address,
                recipient.name.as_deref(),
                &mail,
                &message_id,
                &self.metrics,
            )
            .await
        {
            Ok(()) => {
                self.metrics.mail_sent(MailOutcome::Sent);
                tracing::info!(tenant = tenant_key, items = digest.items(), "digest sent");
                if let Err(err) = log::mark_sent(&self.db, claim).await {
                    tracing::error!(tenant = tenant_key, error = %err, "a digest went out but could not be marked sent; it may go out again once its claim's lease has run out");
                }
                Ok(Delivered::Sent)
            }
            Err(failure) => {
                tracing::warn!(tenant = tenant_key, reason = %failure.reason, "a digest could not be sent; the next run sends it");
                if let Err(err) = log::release(&self.db, claim).await {
                    tracing::error!(tenant = tenant_key, error = %err, "a failed digest's claim could not be released; it goes out once its lease has run out");
                }
                Err(failure)
            }
        }
    }

    /// Writes what a run would send today, without sending or recording anything.
    pub async fn preview(&self, only: Option<&str>, out: &mut String) -> anyhow::Result<Summary> {
        let today = self.today();
        let links = self.links();
        let from = self
            .from
            .as_ref()
            .map_or_else(|| "(MAIL_FROM is not set)".to_owned(), ToString::to_string);
        let mut summary = Summary::default();
        for tenant in self.tenants(only).await? {
            let sent = log::sent_on(&self.db, tenant.id, today).await?;
            for (recipient, digest) in
                notify::digests_of(&self.db, &tenant, today, self.cycle_days).await?
            {
                if digest.is_empty() {
                    summary.empty += 1;
                    writeln!(
                        out,
                        "== {}: {} – nothing due, no digest",
                        tenant.key, recipient.address
                    )?;
                    continue;
                }
                if sent.contains(&recipient.key()) {
                    summary.already_sent += 1;
                    writeln!(
                        out,
                        "== {}: {} – sent today already",
                        tenant.key, recipient.address
                    )?;
                    continue;
                }
                summary.sent += 1;
                let mail = notify::render(&digest, &links);
                writeln!(
                    out,
                    "== {}: {} ({} entries)\nFrom: {from}\nTo: {}\nSubject: {}\n\n{}",
                    tenant.key,
                    recipient.address,
                    digest.items(),
                    recipient.address,
                    mail.subject,
                    mail.text
                )?;
            }
        }
        Ok(summary)
    }

    async fn tenants(&self, only: Option<&str>) -> anyhow::Result<Vec<entity::tenant::Model>> {
        let tenants = notify::tenants(&self.db).await?;
        match only {
            None => Ok(tenants),
            Some(key) => {
                let one: Vec<_> = tenants.into_iter().filter(|t| t.key == key).collect();
                anyhow::ensure!(!one.is_empty(), "there is no tenant `{key}`");
                Ok(one)
            }
        }
    }

    fn links(&self) -> Links<'_> {
        Links {
            base: self.app_url.as_deref(),
            id: &|kind, row| id::tagged(kind, row),
        }
    }
}

/// What became of one digest that did not fail.
enum Delivered {
    Sent,
    Already,
    InFlight,
}

/// This process as `host/pid`.
fn process_name() -> String {
    let host = std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/proc/sys/kernel/hostname").ok())
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".into());
    format!("{host}/{}", std::process::id())
}
