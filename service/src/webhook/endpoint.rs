//! Registering, changing, removing and listing webhooks, and the select their deliveries are
//! listed from.
//!
//! Every change goes through the write frame: one transaction, an audit entry (without the
//! secret, which the trail must not spread), a new data version of the tenant. URLs are
//! checked ([`destination`](super::destination)) before the transaction begins, so a slow
//! name server holds no lock.

use entity::{
    enums::{DeliveryStatus, WebhookEvent},
    webhook, webhook_delivery,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Select,
};

use super::{
    destination::{self, Destinations},
    outbox, signature,
};
use crate::{
    audit::{self, Action, Subject},
    error::{ApiError, ApiResult},
    policy::{FindVisible, webhooks as rules},
    validate,
    viewer::Viewer,
    write::{Change, Write, compare_and_set},
};

/// A webhook to register.
#[derive(Debug, Clone)]
pub struct NewWebhook {
    pub url: String,
    pub events: Vec<WebhookEvent>,
    pub description: Option<String>,
}

/// Changes to the webhook `id`, read at `version`.
#[derive(Debug, Clone)]
pub struct WebhookPatch {
    pub id: i32,
    pub version: i32,
    pub url: Option<String>,
    pub events: Option<Vec<WebhookEvent>>,
    pub description: Change<String>,
}

/// A new webhook and its secret: the only time the secret is shown (no `Debug`, so that it
/// cannot end up in a log line).
#[derive(Clone)]
pub struct Created {
    pub webhook: webhook::Model,
    pub secret: String,
}

/// What the audit trail keeps of a webhook: everything but its secret.
#[derive(serde::Serialize)]
struct Audited<'a> {
    url: &'a str,
    events: &'a str,
    description: Option<&'a str>,
}

impl<'a> Audited<'a> {
    fn of(hook: &'a webhook::Model) -> Self {
        Self {
            url: &hook.url,
            events: &hook.events,
            description: hook.description.as_deref(),
        }
    }
}

const SUBJECT: Subject = Subject {
    kind: "Webhook",
    owner: None,
};

/// The stored form of the events a webhook is for: at least one.
fn events(events: &[WebhookEvent]) -> ApiResult<String> {
    if events.is_empty() {
        return Err(ApiError::bad_input(
            "events",
            "must name at least one event",
        ));
    }
    Ok(outbox::stored_events(events))
}

/// Registers a webhook; its secret is in the answer, and nowhere again.
#[tracing::instrument(skip_all, fields(tenant = viewer.tenant_id))]
pub async fn create(
    db: &DatabaseConnection,
    viewer: &Viewer,
    new: NewWebhook,
    destinations: Destinations,
) -> ApiResult<Created> {
    rules::require_manage(viewer)?;
    let events = events(&new.events)?;
    let description = validate::text("description", new.description)?;
    let url = destination::check(&new.url, destinations).await?;
    let secret = signature::new_secret();
    let w = Write::begin(db, viewer).await?;
    let hook = webhook::ActiveModel {
        tenant_id: Set(viewer.tenant_id),
        url: Set(url.to_string()),
        events: Set(events),
        description: Set(description),
        secret: Set(secret.clone()),
        created_by: Set(viewer.sub.clone()),
        created_at: Set(w.now),
        updated_at: Set(w.now),
        version: Set(1),
        ..Default::default()
    }
    .insert(&w.txn)
    .await?;
    audit::record(
        &w,
        Action::Create,
        SUBJECT,
        hook.id,
        None,
        Some(&Audited::of(&hook)),
    )
    .await?;
    w.commit().await?;
    Ok(Created {
        webhook: hook,
        secret,
    })
}

/// Changes a webhook's URL, events or description. Deliveries not sent yet go to the new
/// URL: every attempt reads it anew.
#[tracing::instrument(skip_all, fields(tenant = viewer.tenant_id, webhook = patch.id))]
pub async fn update(
    db: &DatabaseConnection,
    viewer: &Viewer,
    patch: WebhookPatch,
    destinations: Destinations,
) -> ApiResult<webhook::Model> {
    rules::require_manage(viewer)?;
    let mut changes = <webhook::ActiveModel as Default>::default();
    if let Some(url) = &patch.url {
        changes.url = Set(destination::check(url, destinations).await?.to_string());
    }
    if let Some(list) = &patch.events {
        changes.events = Set(events(list)?);
    }
    if let Some(description) = patch.description {
        changes.description = Set(validate::text("description", description)?);
    }
    let w = Write::begin(db, viewer).await?;
    let before = w.visible::<webhook::Entity>(patch.id, "webhook").await?;
    let after = compare_and_set(&w.txn, &before, patch.version, changes, w.now, SUBJECT).await?;
    audit::record(
        &w,
        Action::Update,
        SUBJECT,
        after.id,
        Some(&Audited::of(&before)),
        Some(&Audited::of(&after)),
    )
    .await?;
    w.commit().await?;
    Ok(after)
}

/// Removes a webhook read at `version`, and with it its deliveries, sent or not.
#[tracing::instrument(skip_all, fields(tenant = viewer.tenant_id, webhook = id))]
pub async fn delete(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: i32,
    version: i32,
) -> ApiResult<webhook::Model> {
    rules::require_manage(viewer)?;
    let w = Write::begin(db, viewer).await?;
    let before = w.visible::<webhook::Entity>(id, "webhook").await?;
    let conflict = || {
        ApiError::Conflict(
            "the webhook was changed by someone else; reload it and try again".into(),
        )
    };
    if before.version != version {
        return Err(conflict());
    }
    let removed = webhook::Entity::delete_many()
        .filter(webhook::Column::Id.eq(id))
        .filter(webhook::Column::Version.eq(version))
        .exec(&w.txn)
        .await?;
    if removed.rows_affected != 1 {
        return Err(conflict());
    }
    audit::record(
        &w,
        Action::Delete,
        SUBJECT,
        id,
        Some(&Audited::of(&before)),
        None,
    )
    .await?;
    w.commit().await?;
    Ok(before)
}

/// The tenant's webhooks, oldest first.
pub async fn list(db: &DatabaseConnection, viewer: &Viewer) -> ApiResult<Vec<webhook::Model>> {
    rules::require_manage(viewer)?;
    Ok(webhook::Entity::find_visible_to(viewer)
        .order_by_asc(webhook::Column::CreatedAt)
        .order_by_asc(webhook::Column::Id)
        .all(db)
        .await?)
}

/// The deliveries the viewer may list: of one webhook, in one status, or all of the tenant.
pub fn deliveries(
    viewer: &Viewer,
    webhook_id: Option<i32>,
    status: Option<DeliveryStatus>,
) -> ApiResult<Select<webhook_delivery::Entity>> {
    use webhook_delivery::Column as C;
    rules::require_manage(viewer)?;
    let mut select = webhook_delivery::Entity::find_visible_to(viewer);
    if let Some(id) = webhook_id {
        select = select.filter(C::WebhookId.eq(id));
    }
    if let Some(status) = status {
        select = select.filter(C::Status.eq(status));
    }
    Ok(select)
}
