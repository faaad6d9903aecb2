//! `webhooks`, `webhookDeliveries`.

use async_graphql::{Context, ID, Object};
use entity::webhook_delivery;

use crate::{
    error::Result,
    graphql::{
        connection::{Conn, Paging, Sort, fetch},
        context::scope,
        enums::DeliveryStatus,
        id,
        object::{Webhook, WebhookDelivery},
    },
};

#[derive(Default)]
pub struct WebhookQuery;

#[Object]
impl WebhookQuery {
    /// The tenant's webhooks, oldest first (central IT only; their secrets are never shown
    /// again).
    async fn webhooks(&self, ctx: &Context<'_>) -> Result<Vec<Webhook>> {
        let s = scope(ctx)?;
        let hooks = service::webhook::list(&s.db, &s.viewer).await?;
        Ok(hooks.into_iter().map(Webhook).collect())
    }

    /// Deliveries of the tenant's webhooks, newest event first: status, attempts, last
    /// response code (central IT only). Read fresh on every request: attempts change them
    /// without a write.
    async fn webhook_deliveries(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only the deliveries of this webhook.")] webhook_id: Option<ID>,
        #[graphql(desc = "Only deliveries in this status.")] status: Option<DeliveryStatus>,
        #[graphql(desc = "Page size, at most 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last edge of the previous page.")] after: Option<String>,
        #[graphql(desc = "Page size counted from the end, at most 100; instead of `first`.")] last: Option<i32>,
        #[graphql(desc = "Cursor of the first edge of the next page: the page ends before it.")]
        before: Option<String>,
    ) -> Result<Conn<WebhookDelivery>> {
        let s = scope(ctx)?;
        let webhook = webhook_id
            .map(|webhook| id::decode(&webhook, "Webhook", "webhookId"))
            .transpose()?;
        let filtered = service::webhook::deliveries(&s.viewer, webhook, status.map(Into::into))?;
        let sort = Sort::default()
            .desc(webhook_delivery::Column::OccurredAt)
            .desc(webhook_delivery::Column::Id);
        Ok(fetch(
            ctx,
            &s.db,
            filtered,
            sort,
            Paging::new(first, after, last, before),
            WebhookDelivery,
        )
        .await?)
    }
}
