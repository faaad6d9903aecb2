//! Webhooks: endpoints central IT registers to hear of the tenant's events (a report
//! submitted, approved or returned; a status or traffic light changed; a milestone achieved
//! or overdue; an application decided; a council report published), delivered as the
//! Standard Webhooks specification says.
//!
//! - [`event`]: which changes are events, read off the audit record of every write;
//! - [`outbox`]: the delivery rows written in the transaction of the change;
//! - [`delivery`]: claiming due deliveries, recording attempts, the retry schedule;
//! - [`overdue`]: milestones that become overdue without a write;
//! - [`signature`]: secrets, message ids and the `webhook-signature`;
//! - [`destination`]: which URLs a webhook may post to;
//! - [`endpoint`]: registering, changing, removing and listing webhooks.
//!
//! Sending itself (HTTP, the payload with its global id) is the `api` crate's.

pub mod delivery;
pub mod destination;
pub mod endpoint;
pub mod event;
pub mod outbox;
pub mod overdue;
pub mod signature;

pub use destination::Destinations;
pub use endpoint::{Created, NewWebhook, WebhookPatch, create, delete, deliveries, list, update};
