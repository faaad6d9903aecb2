//! `strategies` and `goals`.

use async_graphql::{Context, Object};

use crate::error::Result;
use entity::{goal, strategy};
use sea_orm::QueryFilter;

use crate::graphql::{
    connection::{Conn, Paging, Sort, fetch},
    context::scope,
    input::{
        goal::{GoalFilter, GoalOrder, StrategyFilter},
        strategy::StrategyOrder,
    },
    object::{Goal, Strategy, plain::Plain},
};

use service::policy::FindVisible;

#[derive(Default)]
pub struct StrategyQuery;

#[Object]
impl StrategyQuery {
    /// Versions of the digital strategy, newest first.
    async fn strategies(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, at most 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last edge of the previous page.")] after: Option<String>,
        #[graphql(desc = "Page size counted from the end, at most 100; instead of `first`.")] last: Option<i32>,
        #[graphql(desc = "Cursor of the first edge of the next page: the page ends before it.")]
        before: Option<String>,
        #[graphql(desc = "Which versions to list.")] filter: Option<StrategyFilter>,
        #[graphql(desc = "Sort order (default: newest period first, then by revision).")]
        order_by: Option<StrategyOrder>,
    ) -> Result<Conn<Strategy>> {
        let s = scope(ctx)?;
        let filtered = strategy::Entity::find_visible_to(&s.viewer)
            .filter(filter.unwrap_or_default().condition()?);
        let sort = match order_by {
            Some(order) => order.sort(),
            None => Sort::default()
                .desc(strategy::Column::PeriodStart)
                .desc(strategy::Column::Revision)
                .asc(strategy::Column::Id),
        };
        Ok(fetch(
            ctx,
            &s.db,
            filtered,
            sort,
            Paging::new(first, after, last, before),
            Strategy,
        )
        .await?)
    }

    /// Goals of all strategy versions, by strategy and position.
    async fn goals(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, at most 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last edge of the previous page.")] after: Option<String>,
        #[graphql(desc = "Page size counted from the end, at most 100; instead of `first`.")] last: Option<i32>,
        #[graphql(desc = "Cursor of the first edge of the next page: the page ends before it.")]
        before: Option<String>,
        #[graphql(desc = "Which goals to list.")] filter: Option<GoalFilter>,
        #[graphql(desc = "Sort order (default: by strategy version and position).")]
        order_by: Option<GoalOrder>,
    ) -> Result<Conn<Plain<Goal>>> {
        let s = scope(ctx)?;
        let condition = filter.unwrap_or_default().condition(s).await?;
        let filtered = goal::Entity::find_visible_to(&s.viewer).filter(condition);
        let sort = match order_by {
            Some(order) => order.sort(),
            None => Sort::default()
                .asc(goal::Column::StrategyId)
                .asc(goal::Column::Position)
                .asc(goal::Column::Code)
                .asc(goal::Column::Id),
        };
        Ok(fetch(
            ctx,
            &s.db,
            filtered,
            sort,
            Paging::new(first, after, last, before),
            |m| Plain(Goal(m)),
        )
        .await?)
    }
}
