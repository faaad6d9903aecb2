//! Sending what the outbox holds: claiming due deliveries, recording how each attempt went,
//! and the retry schedule: exponential backoff from the first retry, doubling up to an hour
//! between attempts, for as long as the retry window (a day) lasts since the event.
//!
//! A claim leases its deliveries (their next attempt moves to the end of the lease), in a
//! transaction that on PostgreSQL skips rows another process holds (`FOR UPDATE SKIP
//! LOCKED`): several processes never send one delivery at once, and one that dies
//! mid-attempt leaves the delivery to whoever claims it after the lease. Receivers dedupe on
//! `webhook-id` (the same for every attempt), as the specification asks.

use std::{collections::HashMap, time::Duration};

use chrono::{DateTime, Utc};
use entity::{enums::DeliveryStatus, tenant, webhook, webhook_delivery};
use rand::Rng;
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, DatabaseConnection, DbBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{LockBehavior, LockType},
};

use crate::error::{ApiError, ApiResult};

use webhook_delivery::Column as C;

/// Longest wait between two attempts.
const LONGEST_WAIT: Duration = Duration::from_secs(3600);

/// Characters of a failure reason kept.
const ERROR_LEN: usize = 500;

/// When failed attempts are tried again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    /// The wait after the first failed attempt; it doubles after each further one.
    pub first_retry: Duration,
    /// How long after the event attempts go on.
    pub window: Duration,
}

impl Schedule {
    /// When to try again after `attempts` failed attempts at an event of `occurred_at`, at
    /// `now`; `None` when that would be past the window. A random fifth is added to each
    /// wait, so deliveries that failed together do not all come back at once.
    pub fn next_attempt(
        &self,
        occurred_at: DateTime<Utc>,
        attempts: i32,
        now: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        let doublings = u32::try_from(attempts.saturating_sub(1).clamp(0, 30)).unwrap_or(0);
        let wait = self
            .first_retry
            .saturating_mul(2u32.saturating_pow(doublings))
            .min(LONGEST_WAIT);
        let wait = wait.mul_f64(1.0 + rand::rng().random_range(0.0..0.2));
        let next = now + chrono::Duration::from_std(wait).ok()?;
        let end = occurred_at + chrono::Duration::from_std(self.window).ok()?;
        (next <= end).then_some(next)
    }
}

/// A due delivery with what sending it needs (no `Debug`: it holds the secret).
#[derive(Clone)]
pub struct Claimed {
    pub delivery: webhook_delivery::Model,
    pub url: String,
    pub secret: String,
    /// The tenant's key, for the payload.
    pub tenant: String,
}

/// How one attempt went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attempt {
    /// The receiver answered 2xx.
    Delivered { status: u16 },
    /// Another answer (`status`), or none: refused, timed out, a private address.
    Failed { status: Option<u16>, error: String },
}

/// Whether any delivery is due: the cheap look an idle deliverer takes.
pub async fn any_due(db: &DatabaseConnection, now: DateTime<Utc>) -> ApiResult<bool> {
    Ok(webhook_delivery::Entity::find()
        .select_only()
        .column(C::Id)
        .filter(C::Status.eq(DeliveryStatus::Pending))
        .filter(C::NextAttemptAt.lte(now))
        .limit(1)
        .into_tuple::<i32>()
        .one(db)
        .await?
        .is_some())
}

/// Takes up to `limit` due deliveries, oldest due first, and leases them for `lease`.
pub async fn claim(
    db: &DatabaseConnection,
    limit: u64,
    lease: Duration,
) -> ApiResult<Vec<Claimed>> {
    let now = Utc::now();
    let txn = crate::write::begin_writing(db).await?;
    let mut select = webhook_delivery::Entity::find()
        .filter(C::Status.eq(DeliveryStatus::Pending))
        .filter(C::NextAttemptAt.lte(now))
        .order_by_asc(C::NextAttemptAt)
        .order_by_asc(C::Id)
        .limit(limit);
    if db.get_database_backend() == DbBackend::Postgres {
        select = select.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    let due = select.all(&txn).await?;
    if due.is_empty() {
        txn.commit().await?;
        return Ok(Vec::new());
    }
    let until = now + chrono::Duration::from_std(lease).unwrap_or(chrono::Duration::minutes(1));
    webhook_delivery::Entity::update_many()
        .col_expr(C::NextAttemptAt, sea_orm::sea_query::Expr::value(until))
        .filter(C::Id.is_in(due.iter().map(|d| d.id)))
        .exec(&txn)
        .await?;
    let hooks: HashMap<i32, webhook::Model> = webhook::Entity::find()
        .filter(webhook::Column::Id.is_in(due.iter().map(|d| d.webhook_id)))
        .all(&txn)
        .await?
        .into_iter()
        .map(|hook| (hook.id, hook))
        .collect();
    let tenants: HashMap<i32, String> = tenant::Entity::find()
        .select_only()
        .column(tenant::Column::Id)
        .column(tenant::Column::Key)
        .filter(tenant::Column::Id.is_in(due.iter().map(|d| d.tenant_id)))
        .into_tuple::<(i32, String)>()
        .all(&txn)
        .await?
        .into_iter()
        .collect();
    txn.commit().await?;
    due.into_iter()
        .map(|delivery| {
            let hook = hooks.get(&delivery.webhook_id).ok_or_else(|| {
                ApiError::Internal(anyhow::anyhow!("delivery {} without webhook", delivery.id))
            })?;
            Ok(Claimed {
                url: hook.url.clone(),
                secret: hook.secret.clone(),
                tenant: tenants
                    .get(&delivery.tenant_id)
                    .cloned()
                    .unwrap_or_default(),
                delivery,
            })
        })
        .collect()
}

/// Records an attempt at `delivery`, made at `at`; the status it leaves the delivery in.
pub async fn record(
    db: &DatabaseConnection,
    delivery: &webhook_delivery::Model,
    attempt: Attempt,
    schedule: Schedule,
    at: DateTime<Utc>,
) -> ApiResult<DeliveryStatus> {
    let attempts = delivery.attempts.saturating_add(1);
    let mut changes = webhook_delivery::ActiveModel {
        attempts: Set(attempts),
        last_attempt_at: Set(Some(at)),
        ..Default::default()
    };
    let status = match attempt {
        Attempt::Delivered { status } => {
            changes.last_response_code = Set(Some(i32::from(status)));
            changes.last_error = Set(None);
            changes.delivered_at = Set(Some(at));
            changes.next_attempt_at = Set(None);
            DeliveryStatus::Delivered
        }
        Attempt::Failed { status, error } => {
            changes.last_response_code = Set(status.map(i32::from));
            changes.last_error = Set(Some(error.chars().take(ERROR_LEN).collect()));
            let next = schedule.next_attempt(delivery.occurred_at, attempts, at);
            changes.next_attempt_at = Set(next);
            if next.is_some() {
                DeliveryStatus::Pending
            } else {
                DeliveryStatus::Failed
            }
        }
    };
    changes.status = Set(status);
    // A webhook deleted meanwhile took its deliveries along: nothing is left to record.
    webhook_delivery::Entity::update_many()
        .set(changes)
        .filter(C::Id.eq(delivery.id))
        .filter(C::Status.eq(DeliveryStatus::Pending))
        .exec(db)
        .await?;
    Ok(status)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: Schedule = Schedule {
        first_retry: Duration::from_secs(5),
        window: Duration::from_secs(86_400),
    };

    fn wait_after(attempts: i32) -> f64 {
        let start = Utc::now();
        let next = DAY.next_attempt(start, attempts, start).unwrap();
        (next - start).as_seconds_f64()
    }

    #[test]
    fn waits_double_from_the_first_retry_up_to_an_hour() {
        for (attempts, base) in [(1, 5.0), (2, 10.0), (3, 20.0), (4, 40.0), (12, 3600.0)] {
            let wait = wait_after(attempts);
            assert!(
                (base..=base * 1.2 + 0.01).contains(&wait),
                "after {attempts}: {wait}"
            );
        }
        assert!(wait_after(1_000) <= 3600.0 * 1.2 + 0.01);
    }

    #[test]
    fn attempts_stop_once_the_window_has_passed() {
        let start = Utc::now();
        let late = start + chrono::Duration::hours(23) + chrono::Duration::minutes(50);
        assert_eq!(DAY.next_attempt(start, 20, late), None);
        let early = start + chrono::Duration::hours(1);
        assert!(DAY.next_attempt(start, 3, early).is_some());
    }
}
