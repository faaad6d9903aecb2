//! The audit trail: who changed what and when, written in the transaction of the change,
//! each entry a link of the tenant's hash chain ([`chain`]).

pub mod chain;

use entity::audit_entry;
use sea_orm::{ActiveModelTrait, ActiveValue::Set};
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::{error::ApiResult, write::Write};

/// Fields that change on every write and say nothing about it.
const NOISE: [&str; 3] = ["version", "updated_at", "created_at"];

/// What a change did. Stored by [`Action::as_str`]; the API shows it as an enum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// The row was created.
    Create,
    /// Fields of the row were changed.
    Update,
    /// The row was deleted.
    Delete,
    /// The row was archived.
    Archive,
    /// An archived row was restored.
    Restore,
    /// A milestone was marked achieved.
    Achieve,
    /// An achieved milestone was opened again.
    Reopen,
    /// A status report was submitted on the row.
    Report,
    /// An application was reviewed.
    Review,
    /// The steering committee decided an application.
    Decide,
    /// A council report was published.
    Publish,
    /// The row's links (a measure's goals, a project's categories) were changed.
    Link,
    /// A strategy version was superseded by the adoption of a newer one.
    Supersede,
    /// Central IT approved a status report: it counts.
    Approve,
    /// Central IT returned a status report to its department, with a comment.
    Return,
}

impl Action {
    /// Every action, for reading stored values back.
    pub const ALL: [Self; 15] = [
        Self::Create,
        Self::Update,
        Self::Delete,
        Self::Archive,
        Self::Restore,
        Self::Achieve,
        Self::Reopen,
        Self::Report,
        Self::Review,
        Self::Decide,
        Self::Publish,
        Self::Link,
        Self::Supersede,
        Self::Approve,
        Self::Return,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Update => "update",
            Self::Delete => "delete",
            Self::Archive => "archive",
            Self::Restore => "restore",
            Self::Achieve => "achieve",
            Self::Reopen => "reopen",
            Self::Report => "report",
            Self::Review => "review",
            Self::Decide => "decide",
            Self::Publish => "publish",
            Self::Link => "link",
            Self::Supersede => "supersede",
            Self::Approve => "approve",
            Self::Return => "return",
        }
    }

    /// The action a stored name stands for.
    pub fn from_stored(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|action| action.as_str() == name)
    }
}

/// What a change was made to: its GraphQL type and the unit that owns it.
#[derive(Debug, Clone, Copy)]
pub struct Subject {
    pub kind: &'static str,
    pub owner: Option<i32>,
}

/// Who made a change, as the audit trail names them.
#[derive(Debug, Clone, Copy)]
pub struct Actor<'a> {
    /// The token's subject.
    pub sub: &'a str,
    /// The display name, if the token carried one.
    pub name: Option<&'a str>,
    /// The stored role: a tenant role, or [`OPERATOR_ROLE`].
    pub role: &'a str,
}

/// The role stored for an operator of the installation (`platform_admin`), who creates and
/// configures tenants.
pub const OPERATOR_ROLE: &str = "platform_admin";

impl<'a> Actor<'a> {
    /// An operator of the installation.
    pub fn operator(operator: &'a crate::viewer::Operator) -> Self {
        Self {
            sub: &operator.sub,
            name: operator.name.as_deref(),
            role: OPERATOR_ROLE,
        }
    }
}

/// One change to record in a tenant's trail.
pub struct Entry<'a, M> {
    pub tenant_id: i32,
    pub at: chrono::DateTime<chrono::Utc>,
    pub actor: Actor<'a>,
    pub action: Action,
    pub subject: Subject,
    pub subject_id: i32,
    pub before: Option<&'a M>,
    pub after: Option<&'a M>,
}

/// Records one change: the fields that differ between `before` and `after`.
pub async fn record<M: Serialize>(
    write: &Write<'_>,
    action: Action,
    subject: Subject,
    subject_id: i32,
    before: Option<&M>,
    after: Option<&M>,
) -> ApiResult<()> {
    let viewer = write.viewer;
    let entry = Entry {
        tenant_id: viewer.tenant_id,
        at: write.now,
        actor: Actor {
            sub: &viewer.sub,
            name: viewer.name.as_deref(),
            role: viewer.role.as_str(),
        },
        action,
        subject,
        subject_id,
        before,
        after,
    };
    let mut head = write.chain_head();
    let changes = insert_linked(&write.txn, entry, &mut head).await?;
    *write
        .chain
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) = head;
    // The webhook events of a change follow from its record: no write path can skip them.
    // Boxed: every write awaits this function, and the outbox's insert is a large future.
    for event in crate::webhook::event::raised(action, subject.kind, &changes) {
        let subject = crate::webhook::outbox::EventSubject {
            kind: subject.kind,
            id: subject_id,
        };
        Box::pin(write.emit(event, subject)).await?;
    }
    Ok(())
}

/// Records one change in the transaction `txn`, for writes made outside a tenant viewer's
/// [`Write`] (an operator's): takes the tenant's chain head, links the entry, moves the head.
pub async fn record_entry<M: Serialize>(
    txn: &impl sea_orm::ConnectionTrait,
    entry: Entry<'_, M>,
) -> ApiResult<()> {
    let tenant = entry.tenant_id;
    let mut head = chain::head(txn, tenant).await?;
    insert_linked(txn, entry, &mut head).await?;
    if let Some(head) = &head {
        chain::set_head(txn, tenant, head).await?;
    }
    Ok(())
}

/// Inserts an entry as the link after `head`, which becomes the entry's hash; the changes it
/// recorded.
async fn insert_linked<M: Serialize>(
    txn: &impl sea_orm::ConnectionTrait,
    entry: Entry<'_, M>,
    head: &mut Option<String>,
) -> ApiResult<Value> {
    let mut row = audit_entry::Model {
        id: 0,
        tenant_id: entry.tenant_id,
        at: chain::stored_time(entry.at),
        actor: entry.actor.sub.to_owned(),
        actor_name: entry.actor.name.map(str::to_owned),
        role: entry.actor.role.to_owned(),
        action: entry.action.as_str().to_owned(),
        subject_type: entry.subject.kind.to_owned(),
        subject_id: entry.subject_id,
        org_unit_id: entry.subject.owner,
        changes: changes(entry.before, entry.after),
        prev_hash: head.clone(),
        hash: None,
    };
    let hash = chain::hash(head.as_deref(), &row);
    row.hash = Some(hash.clone());
    let recorded = row.changes.clone();
    audit_entry::ActiveModel {
        tenant_id: Set(row.tenant_id),
        at: Set(row.at),
        actor: Set(row.actor),
        actor_name: Set(row.actor_name),
        role: Set(row.role),
        action: Set(row.action),
        subject_type: Set(row.subject_type),
        subject_id: Set(row.subject_id),
        org_unit_id: Set(row.org_unit_id),
        changes: Set(row.changes),
        prev_hash: Set(row.prev_hash),
        hash: Set(row.hash),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    *head = Some(hash);
    Ok(recorded)
}

/// Records a changed set of links (a measure's goals, a project's categories) as one entry
/// whose `changes` hold the field with the row ids before and after.
pub async fn record_links(
    write: &Write<'_>,
    subject: Subject,
    subject_id: i32,
    field: &str,
    before: &std::collections::BTreeSet<i32>,
    after: &std::collections::BTreeSet<i32>,
) -> ApiResult<()> {
    if before == after {
        return Ok(());
    }
    let (before, after) = (json!({ field: before }), json!({ field: after }));
    record(
        write,
        Action::Link,
        subject,
        subject_id,
        Some(&before),
        Some(&after),
    )
    .await
}

fn object<M: Serialize>(model: Option<&M>) -> Map<String, Value> {
    match model.map(serde_json::to_value) {
        Some(Ok(Value::Object(map))) => map,
        _ => Map::new(),
    }
}

/// `{ field: { before, after } }` for every field that differs.
pub fn changes<M: Serialize>(before: Option<&M>, after: Option<&M>) -> Value {
    let (before, after) = (object(before), object(after));
    let mut fields: Vec<&String> = before.keys().chain(after.keys()).collect();
    fields.sort();
    fields.dedup();
    let diff: Map<String, Value> = fields
        .into_iter()
        .filter(|field| !NOISE.contains(&field.as_str()))
        .filter_map(|field| {
            let (old, new) = (before.get(field), after.get(field));
            (old != new).then(|| {
                (
                    field.clone(),
                    json!({ "before": old.cloned().unwrap_or(Value::Null), "after": new.cloned().unwrap_or(Value::Null) }),
                )
            })
        })
        .collect();
    Value::Object(diff)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_changed_fields_are_recorded() {
        let before = json!({"title": "A", "progress": 10, "version": 1});
        let after = json!({"title": "A", "progress": 40, "version": 2});
        assert_eq!(
            changes(Some(&before), Some(&after)),
            json!({"progress": {"before": 10, "after": 40}})
        );
        assert_eq!(
            changes(None, Some(&after))["title"],
            json!({"before": null, "after": "A"})
        );
    }

    /// The API reads the trail's stored names back as enums: every name written must be read.
    #[test]
    fn stored_actions_and_roles_read_back() {
        for action in Action::ALL {
            assert_eq!(Action::from_stored(action.as_str()), Some(action));
        }
        use crate::viewer::Role;
        for role in [
            Role::CentralIt,
            Role::Department,
            Role::Council,
            Role::Public,
        ] {
            assert_eq!(Role::from_stored(role.as_str()), Some(role));
        }
        assert_eq!(Action::from_stored("rename"), None);
    }
}
