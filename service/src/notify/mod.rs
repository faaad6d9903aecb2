//! E-mail reminders: each recipient's daily digest of what is due, overdue or waiting for
//! them, read with their view through the policy ([`crate::policy::notify`]).
//!
//! - [`recipients`]: who gets a digest in a tenant: org unit leads and the steering address;
//! - [`digest`]: what a lead's digest lists (reports and milestones due, returned reports);
//! - [`central`]: what central IT's lists (reports awaiting review, applications awaiting the
//!   steering committee, the week's changed traffic lights);
//! - [`render`] and `words`: the e-mail, plain text and HTML, in the tenant's language;
//! - [`log`]: the sent-log that makes it one digest per recipient and day.
//!
//! Sending (SMTP) and the daily schedule are the `api` crate's.

pub mod central;
pub mod digest;
pub mod log;
pub mod recipients;
pub mod render;
mod words;

use chrono::NaiveDate;
use entity::tenant;
use sea_orm::{DatabaseConnection, EntityTrait, QueryOrder};

pub use digest::{Digest, HORIZON_DAYS, compose};
pub use recipients::Recipient;
pub use render::{Links, Mail, render};

use crate::{error::ApiResult, tenant::Settings};

/// Every tenant, by key: the run goes through them in a fixed order.
pub async fn tenants(db: &DatabaseConnection) -> ApiResult<Vec<tenant::Model>> {
    Ok(tenant::Entity::find()
        .order_by_asc(tenant::Column::Key)
        .all(db)
        .await?)
}

/// The digests of `tenant` on `today`, with their recipients, empty ones included (the
/// caller sends none of those); `cycle_days` is the installation's reporting cycle, which the
/// tenant's own replaces where set.
pub async fn digests_of(
    db: &DatabaseConnection,
    tenant: &tenant::Model,
    today: NaiveDate,
    cycle_days: u32,
) -> ApiResult<Vec<(Recipient, Digest)>> {
    let cycle_days = Settings::of(tenant)
        .reporting_cycle_days
        .unwrap_or(cycle_days);
    let mut digests = Vec::new();
    for recipient in recipients::of_tenant(db, tenant).await? {
        let digest = compose(db, tenant, &recipient, today, cycle_days).await?;
        digests.push((recipient, digest));
    }
    Ok(digests)
}
