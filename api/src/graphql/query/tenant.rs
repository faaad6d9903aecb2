//! `tenants`: the operator's list of the installation's tenants.

use async_graphql::{Context, Object};
use entity::tenant;
use sea_orm::EntityTrait;

use crate::{
    error::or_null,
    graphql::{
        connection::{Conn, Paging, fetch},
        context::operator,
        input::tenant::TenantOrder,
        object::Tenant,
    },
};

#[derive(Default)]
pub struct TenantQuery;

#[Object]
impl TenantQuery {
    /// The tenants of the installation (platform_admin only; every other role gets `null`
    /// with FORBIDDEN, and the rest of the query is answered).
    async fn tenants(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, at most 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last edge of the previous page.")] after: Option<String>,
        #[graphql(desc = "Page size counted from the end, at most 100; instead of `first`.")]
        last: Option<i32>,
        #[graphql(desc = "Cursor of the first edge of the next page: the page ends before it.")]
        before: Option<String>,
        #[graphql(desc = "Sort order (default: by key).")] order_by: Option<TenantOrder>,
    ) -> Option<Conn<Tenant>> {
        or_null(ctx, async {
            let s = operator(ctx)?;
            let sort = order_by.unwrap_or_default().sort();
            let paging = Paging::new(first, after, last, before);
            Ok(fetch(ctx, &s.db, tenant::Entity::find(), sort, paging, Tenant).await?)
        })
        .await
    }
}
