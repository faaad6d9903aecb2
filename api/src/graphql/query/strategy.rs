//! `strategies` and `goals`.

use async_graphql::{Context, Object};

use crate::error::Result;
use entity::{goal, strategy};
use sea_orm::{QueryFilter, QueryOrder};

use crate::graphql::{
    connection::{Conn, fetch},
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
    #[graphql(complexity = "crate::graphql::connection::page_complexity(first, child_complexity)")]
    async fn strategies(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, at most 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last edge of the previous page.")] after: Option<String>,
        #[graphql(desc = "Which versions to list.")] filter: Option<StrategyFilter>,
        #[graphql(desc = "Sort order (default: newest period first, then by revision).")]
        order_by: Option<StrategyOrder>,
    ) -> Result<Conn<Strategy>> {
        let s = scope(ctx)?;
        let filtered = strategy::Entity::find_visible_to(&s.viewer)
            .filter(filter.unwrap_or_default().condition()?);
        let ordered = match order_by {
            Some(order) => order.apply(filtered.clone()),
            None => filtered
                .clone()
                .order_by_desc(strategy::Column::PeriodStart)
                .order_by_desc(strategy::Column::Revision)
                .order_by_asc(strategy::Column::Id),
        };
        Ok(fetch(&s.db, filtered, ordered, first, after, Strategy).await?)
    }

    /// Goals of all strategy versions, by strategy and position.
    #[graphql(complexity = "crate::graphql::connection::page_complexity(first, child_complexity)")]
    async fn goals(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, at most 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last edge of the previous page.")] after: Option<String>,
        #[graphql(desc = "Which goals to list.")] filter: Option<GoalFilter>,
        #[graphql(desc = "Sort order (default: by strategy version and position).")]
        order_by: Option<GoalOrder>,
    ) -> Result<Conn<Plain<Goal>>> {
        let s = scope(ctx)?;
        let condition = filter.unwrap_or_default().condition(s).await?;
        let filtered = goal::Entity::find_visible_to(&s.viewer).filter(condition);
        let ordered = match order_by {
            Some(order) => order.apply(filtered.clone()),
            None => filtered
                .clone()
                .order_by_asc(goal::Column::StrategyId)
                .order_by_asc(goal::Column::Position)
                .order_by_asc(goal::Column::Code)
                .order_by_asc(goal::Column::Id),
        };
        Ok(fetch(&s.db, filtered, ordered, first, after, |m| Plain(Goal(m))).await?)
    }
}
