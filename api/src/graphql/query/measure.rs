//! `measures`.

use async_graphql::{Context, Object};

use crate::error::Result;
use entity::measure;
use sea_orm::QueryFilter;

use crate::graphql::{
    connection::{Conn, Paging, fetch},
    context::scope,
    input::measure::{MeasureFilter, MeasureOrder},
    object::{Measure, plain::Plain},
};

use service::policy::FindVisible;

#[derive(Default)]
pub struct MeasureQuery;

#[Object]
impl MeasureQuery {
    /// Measures of the tenant that the viewer may see (default order: by number).
    async fn measures(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, at most 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last edge of the previous page.")] after: Option<String>,
        #[graphql(desc = "Page size counted from the end, at most 100; instead of `first`.")] last: Option<i32>,
        #[graphql(desc = "Cursor of the first edge of the next page: the page ends before it.")]
        before: Option<String>,
        #[graphql(desc = "Which measures to list.")] filter: Option<MeasureFilter>,
        #[graphql(desc = "Sort order.")] order_by: Option<MeasureOrder>,
    ) -> Result<Conn<Plain<Measure>>> {
        let s = scope(ctx)?;
        let condition = filter.unwrap_or_default().condition(s).await?;
        let filtered = measure::Entity::find_visible_to(&s.viewer).filter(condition);
        let sort = order_by.unwrap_or_default().sort();
        Ok(fetch(
            ctx,
            &s.db,
            filtered,
            sort,
            Paging::new(first, after, last, before),
            |m| Plain(Measure(m)),
        )
        .await?)
    }
}
