//! `Webhook` and `WebhookDelivery`: an endpoint central IT registered, without its secret,
//! and one event sent (or to be sent) to it.

use async_graphql::{ID, Object};
use chrono::{DateTime, Utc};
use entity::{webhook, webhook_delivery};

use crate::graphql::{
    enums::{DeliveryStatus, WebhookEvent},
    id,
};

/// An endpoint that receives events of the tenant, signed as the Standard Webhooks
/// specification says (`webhook-id`, `webhook-timestamp`, `webhook-signature`: HMAC-SHA256
/// with the secret `createWebhook` showed once). The body is `{ type, timestamp, data: { id,
/// tenant } }`: the global id of the row, never its fields.
#[derive(async_graphql::Description)]
pub struct Webhook(pub webhook::Model);

#[Object(use_type_description)]
impl Webhook {
    /// Global id, for `updateWebhook`, `deleteWebhook` and `webhookDeliveries`.
    async fn id(&self) -> ID {
        id::encode("Webhook", self.0.id)
    }
    /// Version for optimistic concurrency.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// Where deliveries are posted.
    async fn url(&self) -> &str {
        &self.0.url
    }
    /// The events it receives.
    async fn events(&self) -> Vec<WebhookEvent> {
        service::webhook::outbox::events_of(&self.0)
            .into_iter()
            .map(Into::into)
            .collect()
    }
    /// What it is for.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    /// The token subject who registered it.
    async fn created_by(&self) -> &str {
        &self.0.created_by
    }
    /// When it was registered.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When it was last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// One event for one webhook: pending until the receiver answers 2xx, tried again with
/// exponential backoff, failed when a day has passed without success.
#[derive(async_graphql::Description)]
pub struct WebhookDelivery(pub webhook_delivery::Model);

#[Object(use_type_description)]
impl WebhookDelivery {
    /// Global id.
    async fn id(&self) -> ID {
        id::encode("WebhookDelivery", self.0.id)
    }
    /// The `webhook-id` header of every attempt: the receiver's idempotency key.
    async fn message_id(&self) -> &str {
        &self.0.message_id
    }
    /// The webhook it goes to.
    async fn webhook_id(&self) -> ID {
        id::encode("Webhook", self.0.webhook_id)
    }
    /// The event.
    async fn event(&self) -> WebhookEvent {
        self.0.event.into()
    }
    /// The global id of the row the event is about (as in the payload).
    async fn subject_id(&self) -> ID {
        id::encode(&self.0.subject_type, self.0.subject_id)
    }
    /// When the change happened (the payload's `timestamp`).
    async fn occurred_at(&self) -> DateTime<Utc> {
        self.0.occurred_at
    }
    /// Where it stands.
    async fn status(&self) -> DeliveryStatus {
        self.0.status.into()
    }
    /// Attempts made so far.
    async fn attempts(&self) -> i32 {
        self.0.attempts
    }
    /// The HTTP status of the last answer; `null` before the first attempt or when none
    /// came (refused, timed out).
    async fn last_response_code(&self) -> Option<i32> {
        self.0.last_response_code
    }
    /// Why the last attempt failed, when it did.
    async fn last_error(&self) -> Option<&str> {
        self.0.last_error.as_deref()
    }
    /// When the last attempt was made.
    async fn last_attempt_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_attempt_at
    }
    /// When the next attempt is due (`PENDING` only).
    async fn next_attempt_at(&self) -> Option<DateTime<Utc>> {
        self.0.next_attempt_at
    }
    /// When the receiver took it.
    async fn delivered_at(&self) -> Option<DateTime<Utc>> {
        self.0.delivered_at
    }
}
