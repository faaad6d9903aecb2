//! `statusReports`.

use async_graphql::{Context, Object};

use crate::error::Result;
use entity::status_report;
use sea_orm::QueryFilter;

use crate::graphql::{
    connection::{Conn, Paging, Sort, fetch},
    context::scope,
    input::status_report::{StatusReportFilter, StatusReportOrder},
    object::StatusReport,
};

use service::policy::FindVisible;

#[derive(Default)]
pub struct StatusReportQuery;

#[Object]
impl StatusReportQuery {
    /// Status reports the viewer may see, newest first.
    async fn status_reports(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, at most 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last edge of the previous page.")] after: Option<String>,
        #[graphql(desc = "Page size counted from the end, at most 100; instead of `first`.")] last: Option<i32>,
        #[graphql(desc = "Cursor of the first edge of the next page: the page ends before it.")]
        before: Option<String>,
        #[graphql(desc = "Which reports to list.")] filter: Option<StatusReportFilter>,
        #[graphql(desc = "Sort order (default: newest first).")] order_by: Option<
            StatusReportOrder,
        >,
    ) -> Result<Conn<StatusReport>> {
        let s = scope(ctx)?;
        let filtered = status_report::Entity::find_visible_to(&s.viewer)
            .filter(filter.unwrap_or_default().condition()?);
        let sort = match order_by {
            Some(order) => order.sort(),
            None => Sort::default()
                .desc(status_report::Column::ReportedOn)
                .desc(status_report::Column::Id),
        };
        Ok(fetch(
            ctx,
            &s.db,
            filtered,
            sort,
            Paging::new(first, after, last, before),
            StatusReport,
        )
        .await?)
    }
}
