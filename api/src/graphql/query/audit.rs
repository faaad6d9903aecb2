//! `auditLog`.

use async_graphql::{Context, ID, Object};

use crate::error::Result;
use entity::audit_entry;
use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};

use crate::graphql::{
    connection::{Conn, fetch},
    context::scope,
    id,
    input::status_report::AuditEntryOrder,
    object::AuditEntry,
};

use service::policy::FindVisible;

#[derive(Default)]
pub struct AuditQuery;

#[Object]
impl AuditQuery {
    /// Who changed what and when, newest first: central IT reads all of its tenant, a
    /// department what its unit subtree owns.
    #[graphql(complexity = "crate::graphql::connection::page_complexity(first, child_complexity)")]
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only the changes of this object.")] subject_id: Option<ID>,
        #[graphql(desc = "Page size, at most 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last edge of the previous page.")] after: Option<String>,
        #[graphql(desc = "Sort order (default: newest first).")] order_by: Option<AuditEntryOrder>,
    ) -> Result<Conn<AuditEntry>> {
        let s = scope(ctx)?;
        let mut filtered = audit_entry::Entity::find_visible_to(&s.viewer);
        if let Some(subject) = &subject_id {
            let (kind, row) = id::decode_any(subject, "subjectId")?;
            filtered = filtered
                .filter(audit_entry::Column::SubjectType.eq(kind))
                .filter(audit_entry::Column::SubjectId.eq(row));
        }
        let ordered = match order_by {
            Some(order) => order.apply(filtered.clone()),
            None => filtered
                .clone()
                .order_by_desc(audit_entry::Column::At)
                .order_by_desc(audit_entry::Column::Id),
        };
        Ok(fetch(&s.db, filtered, ordered, first, after, AuditEntry).await?)
    }
}
