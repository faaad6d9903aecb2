//! The audit trail.

use async_graphql::{ID, Json, Object};
use chrono::{DateTime, Utc};
use entity::audit_entry;

use crate::graphql::id;

/// One change: who changed what and when.
pub struct AuditEntry(pub audit_entry::Model);

#[Object]
impl AuditEntry {
    /// Global id of the entry.
    pub async fn id(&self) -> ID {
        id::encode("AuditEntry", self.0.id)
    }
    /// When the change was made.
    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }
    /// The token subject of who made it.
    async fn actor(&self) -> &str {
        &self.0.actor
    }
    /// Their display name, if the token carried one.
    async fn actor_name(&self) -> Option<&str> {
        self.0.actor_name.as_deref()
    }
    /// Their role at the time.
    async fn role(&self) -> &str {
        &self.0.role
    }
    /// What was done: create, update, report, achieve, review, decide, ...
    async fn action(&self) -> &str {
        &self.0.action
    }
    /// GraphQL type of the changed object.
    async fn subject_type(&self) -> &str {
        &self.0.subject_type
    }
    /// Global id of the changed object.
    async fn subject_id(&self) -> ID {
        id::encode(&self.0.subject_type, self.0.subject_id)
    }
    /// The changed fields: `{ field: { before, after } }` (stored names).
    async fn changes(&self) -> Json<serde_json::Value> {
        Json(self.0.changes.clone())
    }
}
