//! `reuseCatalogue`: public, transferable projects of all tenants.

use std::collections::HashMap;

use async_graphql::{Context, InputObject, Object};

use crate::error::Result;
use entity::{category, project, project_category, tenant};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait,
};

use crate::{
    error::ApiResult,
    graphql::{
        connection::{Conn, PageArgs, Paging, Sort, TotalCount, connection, keyset},
        context::scope,
        input::{catalogue::ReuseOfferOrder, search},
        object::reuse::ReuseOffer,
    },
};

use service::policy::rows::reuse_offers;

#[derive(Default)]
pub struct CatalogueQuery;

/// One page of offers meeting `condition`, with tenants, categories and public adoptions:
/// four statements (five with `totalCount`).
async fn offers(
    db: &sea_orm::DatabaseConnection,
    condition: Condition,
    order: Option<ReuseOfferOrder>,
    paging: &Paging,
) -> ApiResult<Conn<ReuseOffer>> {
    let page = PageArgs::new(paging)?;
    let filtered = project::Entity::find().filter(condition);
    let total = TotalCount::of(db, filtered.clone());
    let sort = match order {
        Some(order) => order.sort(),
        None => Sort::default()
            .desc(project::Column::TransferableFrom)
            .asc(project::Column::Title)
            .asc(project::Column::Id),
    };
    let page = keyset::rows(db, filtered, sort, &page, false).await?;
    let rows = &page.rows;
    let ids: Vec<i32> = rows.iter().map(|(_, p)| p.id).collect();
    let tenants: HashMap<i32, (String, String)> = tenant::Entity::find()
        .filter(tenant::Column::Id.is_in(rows.iter().map(|(_, p)| p.tenant_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.id, (t.key, t.name)))
        .collect();
    let mut categories: HashMap<i32, Vec<String>> = HashMap::new();
    let tags: Vec<(i32, String)> = project_category::Entity::find()
        .select_only()
        .column(project_category::Column::ProjectId)
        .column(category::Column::Name)
        .inner_join_on_category()
        .filter(project_category::Column::ProjectId.is_in(ids.iter().copied()))
        .order_by_asc(category::Column::Name)
        .into_tuple()
        .all(db)
        .await?;
    for (project, name) in tags {
        categories.entry(project).or_default().push(name);
    }
    let mut adoptions = service::reuse::adoptions(db, &ids).await?;
    Ok(connection(page, total, |project: project::Model| {
        let (tenant_key, tenant_name) =
            tenants.get(&project.tenant_id).cloned().unwrap_or_default();
        ReuseOffer {
            categories: categories.remove(&project.id).unwrap_or_default(),
            adoptions: adoptions.remove(&project.id).unwrap_or_default(),
            tenant_key,
            tenant_name,
            project,
        }
    }))
}

/// Which offers to list; all given conditions must hold.
#[derive(InputObject, Default)]
pub struct ReuseFilter {
    /// Only projects tagged with a category whose name contains this text (case-insensitive).
    pub category: Option<String>,
    /// Only projects whose title, summary, benefit or transferable results contain this
    /// text (case-insensitive).
    pub search: Option<String>,
}

#[Object]
impl CatalogueQuery {
    /// Projects of all tenants released as PUBLIC and marked transferable, for reuse by other
    /// municipalities; newest transfer start first. Every role may read it, and the public
    /// when public access is on.
    async fn reuse_catalogue(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, at most 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last edge of the previous page.")] after: Option<String>,
        #[graphql(desc = "Page size counted from the end, at most 100; instead of `first`.")] last: Option<i32>,
        #[graphql(desc = "Cursor of the first edge of the next page: the page ends before it.")]
        before: Option<String>,
        #[graphql(desc = "Which offers to list.")] filter: Option<ReuseFilter>,
        #[graphql(desc = "Sort order (default: newest transfer start first, then by title).")]
        order_by: Option<ReuseOfferOrder>,
    ) -> Result<Conn<ReuseOffer>> {
        let s = scope(ctx)?;
        let filter = filter.unwrap_or_default();
        let mut condition = reuse_offers();
        if let Some(name) = filter.category.as_deref().map(str::trim) {
            let tagged = project_category::Entity::find()
                .select_only()
                .column(project_category::Column::ProjectId)
                .inner_join_on_category()
                .filter(search(category::Column::Name, name)?)
                .into_query();
            condition = condition.add(project::Column::Id.in_subquery(tagged));
        }
        if let Some(text) = &filter.search {
            use project::Column as C;
            condition = condition.add(
                Condition::any()
                    .add(search(C::Title, text)?)
                    .add(search(C::Summary, text)?)
                    .add(search(C::BenefitForAll, text)?)
                    .add(search(C::TransferableResults, text)?),
            );
        }
        let paging = Paging::new(first, after, last, before);
        Ok(offers(&s.db, condition, order_by, &paging).await?)
    }
}

/// Joins a project's tags to their categories.
trait JoinCategory {
    fn inner_join_on_category(self) -> Self;
}

impl JoinCategory for sea_orm::Select<project_category::Entity> {
    fn inner_join_on_category(self) -> Self {
        use sea_orm::sea_query::{Expr, ExprTrait};
        let mut select = self;
        QuerySelect::query(&mut select).inner_join(
            category::Entity,
            Expr::col((category::Entity, category::Column::Id)).equals((
                project_category::Entity,
                project_category::Column::CategoryId,
            )),
        );
        select
    }
}
