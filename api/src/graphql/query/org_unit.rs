//! `orgUnits` and `categories`.

use async_graphql::{Context, Object};

use crate::error::Result;
use entity::{category, org_unit};
use sea_orm::QueryFilter;

use crate::graphql::{
    connection::{Conn, Paging, fetch},
    context::scope,
    input::{
        catalogue::CategoryOrder,
        org_unit::{OrgUnitFilter, OrgUnitOrder},
        project::CategoryFilter,
    },
    object::{Category, OrgUnit},
};

use service::policy::FindVisible;

#[derive(Default)]
pub struct OrgUnitQuery;

#[Object]
impl OrgUnitQuery {
    /// Org units of the tenant (default order: by code). Archived units only on request.
    async fn org_units(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, at most 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last edge of the previous page.")] after: Option<String>,
        #[graphql(desc = "Page size counted from the end, at most 100; instead of `first`.")] last: Option<i32>,
        #[graphql(desc = "Cursor of the first edge of the next page: the page ends before it.")]
        before: Option<String>,
        #[graphql(desc = "Which units to list.")] filter: Option<OrgUnitFilter>,
        #[graphql(desc = "Sort order.")] order_by: Option<OrgUnitOrder>,
    ) -> Result<Conn<OrgUnit>> {
        let s = scope(ctx)?;
        let filtered = org_unit::Entity::find_visible_to(&s.viewer)
            .filter(filter.unwrap_or_default().condition()?);
        let sort = order_by.unwrap_or_default().sort();
        Ok(fetch(
            ctx,
            &s.db,
            filtered,
            sort,
            Paging::new(first, after, last, before),
            OrgUnit,
        )
        .await?)
    }

    /// Project categories of the tenant, by name.
    async fn categories(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, at most 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last edge of the previous page.")] after: Option<String>,
        #[graphql(desc = "Page size counted from the end, at most 100; instead of `first`.")] last: Option<i32>,
        #[graphql(desc = "Cursor of the first edge of the next page: the page ends before it.")]
        before: Option<String>,
        #[graphql(desc = "Which categories to list.")] filter: Option<CategoryFilter>,
        #[graphql(desc = "Sort order (default: by name).")] order_by: Option<CategoryOrder>,
    ) -> Result<Conn<Category>> {
        let s = scope(ctx)?;
        let filtered = category::Entity::find_visible_to(&s.viewer)
            .filter(filter.unwrap_or_default().condition()?);
        let sort = order_by.unwrap_or_default().sort();
        Ok(fetch(
            ctx,
            &s.db,
            filtered,
            sort,
            Paging::new(first, after, last, before),
            Category,
        )
        .await?)
    }
}
