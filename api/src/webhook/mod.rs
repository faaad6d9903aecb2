//! The deliverer: a task of every server process that sends what the webhook outbox holds
//! and announces milestones that became overdue.
//!
//! It looks at the outbox every `WEBHOOK_POLL_SECS`, claims what is due (several processes
//! share the work without sending anything twice, see `service::webhook::delivery`), posts
//! each delivery signed, records the outcome and counts it in `/metrics`. A receiver that is
//! down costs nothing but retries: no write waits for a delivery or fails with one. A
//! delivery left in flight by a stopped process is sent by the next one that runs.

mod payload;
mod send;

use std::{sync::Arc, time::Duration};

use sea_orm::DatabaseConnection;
use service::webhook::{
    delivery::{self, Attempt, Claimed, Schedule},
    overdue,
};
use tokio::{task::JoinSet, time::Instant};

use crate::{config::Config, http::metrics::Metrics};

/// Deliveries claimed, and sent at once, per round.
const BATCH: u64 = 16;

/// What the deliverer works with.
pub struct Deliverer {
    db: DatabaseConnection,
    client: reqwest::Client,
    metrics: Arc<Metrics>,
    schedule: Schedule,
    allow_private: bool,
    poll: Duration,
    overdue_check: Duration,
    /// How long a claimed delivery is left to its claimant before others may send it: its
    /// attempt ends within the timeout, and the margin is for recording the outcome.
    lease: Duration,
}

impl Deliverer {
    /// A deliverer on `db` with the settings of `config`. Its statements are not counted
    /// with the requests' (`db` should be a copy of the pool without that count).
    pub fn new(
        db: DatabaseConnection,
        config: &Config,
        metrics: Arc<Metrics>,
    ) -> reqwest::Result<Self> {
        let settings = &config.webhooks;
        Ok(Self {
            client: send::client(settings.webhook_timeout, settings.webhook_allow_private)?,
            db,
            metrics,
            schedule: settings.schedule(),
            allow_private: settings.webhook_allow_private,
            poll: settings.webhook_poll,
            overdue_check: settings.webhook_overdue_check,
            lease: settings.webhook_timeout + Duration::from_secs(10),
        })
    }

    /// Runs until the task is aborted.
    pub async fn run(self) {
        let this = Arc::new(self);
        let mut overdue_checked: Option<Instant> = None;
        loop {
            if overdue_checked.is_none_or(|at| at.elapsed() >= this.overdue_check) {
                this.announce_overdue().await;
                overdue_checked = Some(Instant::now());
            }
            if let Err(err) = Arc::clone(&this).deliver_due().await {
                tracing::warn!(error = %err, "webhook deliveries could not be read");
            }
            tokio::time::sleep(this.poll).await;
        }
    }

    async fn announce_overdue(&self) {
        match overdue::announce(&self.db, service::clock::today()).await {
            Ok(0) => {}
            Ok(count) => tracing::info!(count, "milestones announced as overdue"),
            Err(err) => tracing::warn!(error = %err, "overdue milestones could not be announced"),
        }
    }

    /// Sends everything due now, a batch at a time.
    async fn deliver_due(self: Arc<Self>) -> service::error::ApiResult<()> {
        while delivery::any_due(&self.db, chrono::Utc::now()).await? {
            let claimed = delivery::claim(&self.db, BATCH, self.lease).await?;
            if claimed.is_empty() {
                // Another process holds them.
                return Ok(());
            }
            let mut sending = JoinSet::new();
            for one in claimed {
                let this = Arc::clone(&self);
                sending.spawn(async move { this.deliver(one).await });
            }
            while sending.join_next().await.is_some() {}
        }
        Ok(())
    }

    /// One attempt at one delivery, recorded, logged and counted.
    async fn deliver(&self, claimed: Claimed) {
        let attempt = send::attempt(&self.client, &claimed, self.allow_private).await;
        let delivery = &claimed.delivery;
        let recorded = delivery::record(
            &self.db,
            delivery,
            attempt.clone(),
            self.schedule,
            chrono::Utc::now(),
        )
        .await;
        let status = match recorded {
            Ok(status) => status,
            Err(err) => {
                tracing::warn!(delivery = delivery.id, error = %err, "a webhook attempt could not be recorded");
                return;
            }
        };
        self.metrics.webhook_attempt(status);
        match attempt {
            Attempt::Delivered { status } => tracing::debug!(
                webhook = delivery.webhook_id,
                delivery = delivery.id,
                status,
                "webhook delivered"
            ),
            Attempt::Failed {
                status: code,
                error,
            } => tracing::warn!(
                webhook = delivery.webhook_id,
                delivery = delivery.id,
                event = delivery.event.as_str(),
                attempts = delivery.attempts + 1,
                status = code,
                outcome = status.as_str(),
                error,
                "webhook delivery failed"
            ),
        }
    }
}
