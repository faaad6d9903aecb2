//! `createWebhook`, `updateWebhook`, `deleteWebhook`.

use async_graphql::{Context, Object, SimpleObject};

use crate::{
    error::or_null,
    graphql::{
        context::scope,
        input::{
            parsed::Parsed,
            webhook::{CreateWebhookInput, DeleteWebhookInput, UpdateWebhookInput},
        },
        object::Webhook,
    },
};
use service::webhook::{self, Destinations, WebhookPatch};

#[derive(Default)]
pub struct WebhookMutation;

/// The webhook registered, with its signing secret: the only answer that carries it.
#[derive(SimpleObject)]
pub struct CreateWebhookPayload {
    /// The new webhook.
    pub webhook: Webhook,
    /// The signing secret (`whsec_…`), shown only now: the receiver verifies every delivery
    /// with it. A lost secret is replaced by a new webhook.
    pub secret: String,
}

/// The webhook as changed.
#[derive(SimpleObject)]
pub struct UpdateWebhookPayload {
    /// The webhook.
    pub webhook: Webhook,
}

/// The webhook removed.
#[derive(SimpleObject)]
pub struct DeleteWebhookPayload {
    /// The webhook as it was.
    pub webhook: Webhook,
}

#[Object]
impl WebhookMutation {
    /// Registers a webhook for events of the tenant (central IT only). The URL must be
    /// `https` in production and must not point at a loopback or private address:
    /// `BAD_USER_INPUT` otherwise.
    async fn create_webhook(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "URL, events and description.")] input: Parsed<CreateWebhookInput>,
    ) -> Option<CreateWebhookPayload> {
        or_null(ctx, async {
            let input = input.read()?;
            let s = scope(ctx)?;
            let destinations = *ctx.data::<Destinations>()?;
            let created = webhook::create(&s.db, &s.viewer, input.into(), destinations).await?;
            Ok(CreateWebhookPayload {
                webhook: Webhook(created.webhook),
                secret: created.secret,
            })
        })
        .await
    }

    /// Changes a webhook's URL, events or description (central IT only).
    async fn update_webhook(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The webhook, its version and the changes.")] input: Parsed<
            UpdateWebhookInput,
        >,
    ) -> Option<UpdateWebhookPayload> {
        or_null(ctx, async {
            let patch = WebhookPatch::try_from(input.read()?)?;
            let s = scope(ctx)?;
            let destinations = *ctx.data::<Destinations>()?;
            let changed = webhook::update(&s.db, &s.viewer, patch, destinations).await?;
            Ok(UpdateWebhookPayload {
                webhook: Webhook(changed),
            })
        })
        .await
    }

    /// Removes a webhook and its deliveries, sent or not (central IT only).
    async fn delete_webhook(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The webhook and its version.")] input: Parsed<DeleteWebhookInput>,
    ) -> Option<DeleteWebhookPayload> {
        or_null(ctx, async {
            let input = input.read()?;
            let s = scope(ctx)?;
            let removed =
                webhook::delete(&s.db, &s.viewer, input.webhook()?, input.version).await?;
            Ok(DeleteWebhookPayload {
                webhook: Webhook(removed),
            })
        })
        .await
    }
}
