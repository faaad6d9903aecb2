//! Project categories.

use crate::graphql::input::project::ProjectOrder;
use async_graphql::{Context, ID, Object};

use crate::error::Result;
use entity::category;

use super::{Project, plain::Plain};
use crate::graphql::{
    connection::{Conn, Paging, slice},
    context::scope,
    id,
};

#[derive(Clone)]
pub struct Category(pub category::Model);

/// A category projects are tagged with, e.g. "E-Government" or "Klima".
#[Object]
impl Category {
    /// Global id.
    pub async fn id(&self) -> ID {
        id::encode("Category", self.0.id)
    }
    /// Name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// What the category covers.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    /// Version for optimistic concurrency: send it back with an update.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// Projects tagged with this category.
    async fn projects(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, at most 100.")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last edge of the previous page.")] after: Option<String>,
        #[graphql(desc = "Page size counted from the end, at most 100; instead of `first`.")] last: Option<i32>,
        #[graphql(desc = "Cursor of the first edge of the next page: the page ends before it.")]
        before: Option<String>,
        #[graphql(desc = "Sort order (default: by title).")] order_by: Option<ProjectOrder>,
    ) -> Result<Conn<Plain<Project>>> {
        let rows = scope(ctx)?
            .loaders
            .projects_by_category
            .load_one(self.0.id)
            .await?
            .unwrap_or_default();
        Ok(slice(
            rows,
            order_by.map(|order| order.sort()),
            Paging::new(first, after, last, before),
            |m| Plain(Project(m)),
        )?)
    }
}
