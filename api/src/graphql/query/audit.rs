//! `auditLog`.

use async_graphql::{Context, ID, Object};

use crate::error::Result;
use entity::audit_entry;
use sea_orm::{ColumnTrait, QueryFilter};

use crate::graphql::{
    connection::{Conn, Paging, Sort, fetch},
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
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only the changes of this object.")] subject_id: Option<ID>,
        #[graphql(desc = "Page size, at most 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last edge of the previous page.")] after: Option<String>,
        #[graphql(desc = "Page size counted from the end, at most 100; instead of `first`.")] last: Option<i32>,
        #[graphql(desc = "Cursor of the first edge of the next page: the page ends before it.")]
        before: Option<String>,
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
        let sort = match order_by {
            Some(order) => order.sort(),
            None => Sort::default()
                .desc(audit_entry::Column::At)
                .desc(audit_entry::Column::Id),
        };
        Ok(fetch(
            ctx,
            &s.db,
            filtered,
            sort,
            Paging::new(first, after, last, before),
            AuditEntry,
        )
        .await?)
    }
}
