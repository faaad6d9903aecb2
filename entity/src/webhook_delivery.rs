//! One event for one webhook: the outbox row written in the transaction of the change, and
//! the record of its attempts.

use sea_orm::entity::prelude::*;

use crate::enums::{DeliveryStatus, WebhookEvent};

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_delivery")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub tenant_id: i32,
    pub webhook_id: i32,
    /// `webhook-id` of every attempt (`msg_…`): the receiver's idempotency key.
    pub message_id: String,
    pub event: WebhookEvent,
    /// The GraphQL type of the row the event is about.
    pub subject_type: String,
    pub subject_id: i32,
    /// When the change happened (the payload's `timestamp`).
    pub occurred_at: DateTimeUtc,
    pub status: DeliveryStatus,
    pub attempts: i32,
    /// When the next attempt is due (while one runs: when its lease ends); `None` once done.
    pub next_attempt_at: Option<DateTimeUtc>,
    pub last_attempt_at: Option<DateTimeUtc>,
    /// The HTTP status of the last answer, if there was one.
    pub last_response_code: Option<i32>,
    /// Why the last attempt failed, when it did.
    pub last_error: Option<String>,
    pub delivered_at: Option<DateTimeUtc>,
}

impl ActiveModelBehavior for ActiveModel {}
