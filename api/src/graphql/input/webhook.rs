//! Inputs of `createWebhook`, `updateWebhook` and `deleteWebhook`.

use async_graphql::{ID, InputObject, MaybeUndefined};

use crate::{
    error::{ApiError, ApiResult},
    graphql::{
        enums::WebhookEvent,
        id,
        input::command::{change_as_is, kept},
    },
};
use service::webhook::{NewWebhook, WebhookPatch};

/// A webhook to register.
#[derive(InputObject)]
pub struct CreateWebhookInput {
    /// Where deliveries are posted: `https` (in production only that), not a loopback or
    /// private address (unless the installation allows it).
    pub url: String,
    /// The events to deliver (at least one).
    pub events: Vec<WebhookEvent>,
    /// What it is for ("Ratsinformationssystem", "Teams-Kanal FB 15").
    pub description: Option<String>,
}

impl From<CreateWebhookInput> for NewWebhook {
    fn from(input: CreateWebhookInput) -> Self {
        Self {
            url: input.url,
            events: input.events.into_iter().map(Into::into).collect(),
            description: input.description,
        }
    }
}

/// Changes to a webhook; what is left out stays.
#[derive(InputObject)]
pub struct UpdateWebhookInput {
    /// The webhook.
    pub id: ID,
    /// The `version` the webhook was read at.
    pub version: i32,
    /// A new URL (checked as in `createWebhook`).
    pub url: MaybeUndefined<String>,
    /// The events to deliver from now on (at least one).
    pub events: MaybeUndefined<Vec<WebhookEvent>>,
    /// What it is for; `null` clears it.
    pub description: MaybeUndefined<String>,
}

impl TryFrom<UpdateWebhookInput> for WebhookPatch {
    type Error = ApiError;

    fn try_from(input: UpdateWebhookInput) -> ApiResult<Self> {
        Ok(Self {
            id: id::decode(&input.id, "Webhook", "id")?,
            version: input.version,
            url: kept(input.url, "url")?,
            events: kept(input.events, "events")?
                .map(|events| events.into_iter().map(Into::into).collect()),
            description: change_as_is(input.description),
        })
    }
}

/// The webhook to remove, with its deliveries.
#[derive(InputObject)]
pub struct DeleteWebhookInput {
    /// The webhook.
    pub id: ID,
    /// The `version` the webhook was read at.
    pub version: i32,
}

impl DeleteWebhookInput {
    /// The webhook's row id.
    pub fn webhook(&self) -> ApiResult<i32> {
        id::decode(&self.id, "Webhook", "id")
    }
}
