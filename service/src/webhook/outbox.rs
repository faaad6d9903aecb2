//! The outbox: one delivery row per webhook that receives an event, inserted in the
//! transaction of the change that raised it. A write that rolls back leaves no delivery, a
//! write that commits leaves its deliveries with it, and the deliverer sends what it finds,
//! whichever process wrote it and however often the server restarted in between.

use chrono::{DateTime, Utc};
use entity::{
    enums::{DeliveryStatus, WebhookEvent},
    webhook, webhook_delivery,
};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::{event, signature};
use crate::error::ApiResult;

/// The row an event is about: its GraphQL type and id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventSubject<'a> {
    pub kind: &'a str,
    pub id: i32,
}

/// The webhooks of a tenant.
pub async fn tenant_hooks(
    db: &impl ConnectionTrait,
    tenant_id: i32,
) -> ApiResult<Vec<webhook::Model>> {
    Ok(webhook::Entity::find()
        .filter(webhook::Column::TenantId.eq(tenant_id))
        .all(db)
        .await?)
}

/// The events a webhook receives, as stored (names no longer known are skipped).
pub fn events_of(hook: &webhook::Model) -> Vec<WebhookEvent> {
    hook.events
        .split(',')
        .filter_map(|name| event::from_stored(name.trim()))
        .collect()
}

/// How a webhook's events are stored.
pub fn stored_events(events: &[WebhookEvent]) -> String {
    let mut names: Vec<&str> = events.iter().map(|event| event.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    names.join(",")
}

/// Inserts a pending delivery of `event` about `subject`, which happened `at`, for each of
/// `hooks` that receives it, in `txn`: due at once.
pub async fn enqueue(
    txn: &impl ConnectionTrait,
    hooks: &[webhook::Model],
    event: WebhookEvent,
    subject: EventSubject<'_>,
    at: DateTime<Utc>,
) -> ApiResult<()> {
    let rows: Vec<webhook_delivery::ActiveModel> = hooks
        .iter()
        .filter(|hook| events_of(hook).contains(&event))
        .map(|hook| webhook_delivery::ActiveModel {
            tenant_id: Set(hook.tenant_id),
            webhook_id: Set(hook.id),
            message_id: Set(signature::new_message_id()),
            event: Set(event),
            subject_type: Set(subject.kind.to_owned()),
            subject_id: Set(subject.id),
            occurred_at: Set(at),
            status: Set(DeliveryStatus::Pending),
            attempts: Set(0),
            next_attempt_at: Set(Some(at)),
            last_attempt_at: Set(None),
            last_response_code: Set(None),
            last_error: Set(None),
            delivered_at: Set(None),
            ..Default::default()
        })
        .collect();
    if !rows.is_empty() {
        webhook_delivery::Entity::insert_many(rows)
            .exec(txn)
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_stored_sorted_once_and_read_back() {
        let stored = stored_events(&[
            WebhookEvent::ReportSubmitted,
            WebhookEvent::ApplicationDecided,
            WebhookEvent::ReportSubmitted,
        ]);
        assert_eq!(stored, "application.decided,status_report.submitted");
        let hook = webhook::Model {
            id: 1,
            tenant_id: 1,
            url: "https://hooks.example.org".into(),
            events: format!("{stored},retired.event"),
            description: None,
            secret: signature::new_secret(),
            created_by: "anna".into(),
            created_at: Utc::now(),
            updated_at: Utc::now(),
            version: 1,
        };
        assert_eq!(
            events_of(&hook),
            [
                WebhookEvent::ApplicationDecided,
                WebhookEvent::ReportSubmitted
            ]
        );
    }
}
