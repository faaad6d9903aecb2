//! The audit trail.

use async_graphql::{Context, ID, Json, Object};
use chrono::{DateTime, Utc};
use entity::audit_entry;

use super::Node;
use crate::{
    error::{ApiError, Result},
    graphql::{
        context::scope,
        enums::{AuditAction, AuditSubjectType, Role},
        id,
        query::node,
    },
};
use service::audit::Action;

/// A stored value no variant stands for: the trail was written by code that knew more.
fn unknown(what: &str, value: &str) -> ApiError {
    ApiError::Internal(anyhow::anyhow!(
        "audit entry with an unknown {what} {value:?}"
    ))
}

#[derive(Clone)]
pub struct AuditEntry(pub audit_entry::Model);

/// One change: who changed what and when.
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
    async fn actor_role(&self) -> Result<Role> {
        if self.0.role == service::audit::OPERATOR_ROLE {
            return Ok(Role::PlatformAdmin);
        }
        let role = service::viewer::Role::from_stored(&self.0.role);
        Ok(role.ok_or_else(|| unknown("role", &self.0.role))?.into())
    }
    /// What was done.
    async fn action_kind(&self) -> Result<AuditAction> {
        let action = Action::from_stored(&self.0.action);
        Ok(action
            .ok_or_else(|| unknown("action", &self.0.action))?
            .into())
    }
    /// Type of the changed object.
    async fn subject_kind(&self) -> Result<AuditSubjectType> {
        let kind = AuditSubjectType::from_stored(&self.0.subject_type);
        Ok(kind.ok_or_else(|| unknown("subject type", &self.0.subject_type))?)
    }
    /// Their role at the time, as stored (`central_it`, `department`, `council`).
    #[graphql(deprecation = "Use `actorRole`.")]
    async fn role(&self) -> &str {
        &self.0.role
    }
    /// What was done, as stored: `create`, `update`, `report`, `achieve`, ...
    #[graphql(deprecation = "Use `actionKind`.")]
    async fn action(&self) -> &str {
        &self.0.action
    }
    /// GraphQL type of the changed object, as stored.
    #[graphql(deprecation = "Use `subjectKind`.")]
    async fn subject_type(&self) -> &str {
        &self.0.subject_type
    }
    /// Global id of the changed object.
    async fn subject_id(&self) -> ID {
        id::encode(&self.0.subject_type, self.0.subject_id)
    }
    /// The changed object as it is now; null when it was deleted or the viewer may no longer
    /// see it.
    async fn subject(&self, ctx: &Context<'_>) -> Result<Option<Node>> {
        let subject = id::encode(&self.0.subject_type, self.0.subject_id);
        node::load(scope(ctx)?, &subject, "subjectId").await
    }
    /// The changed fields: `{ field: { before, after } }` (stored names).
    async fn changes(&self) -> Json<serde_json::Value> {
        Json(self.0.changes.clone())
    }
}
