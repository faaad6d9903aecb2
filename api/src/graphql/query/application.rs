//! `applications` and `steeringMeetings`.

use async_graphql::{Context, Object};

use crate::error::Result;
use entity::{application, steering_meeting};
use sea_orm::{QueryFilter, QueryOrder};

use crate::graphql::{
    connection::{Conn, fetch},
    context::scope,
    input::application::{ApplicationFilter, ApplicationOrder, SteeringMeetingOrder},
    object::{Application, SteeringMeeting},
};

use service::policy::FindVisible;

#[derive(Default)]
pub struct ApplicationQuery;

#[Object]
impl ApplicationQuery {
    /// Project applications, newest first (administration only).
    #[graphql(complexity = "crate::graphql::connection::page_complexity(first, child_complexity)")]
    async fn applications(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, at most 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last edge of the previous page.")] after: Option<String>,
        #[graphql(desc = "Which applications to list.")] filter: Option<ApplicationFilter>,
        #[graphql(desc = "Sort order (default: newest first).")] order_by: Option<ApplicationOrder>,
    ) -> Result<Conn<Application>> {
        let s = scope(ctx)?;
        let condition = filter.unwrap_or_default().condition(s).await?;
        let filtered = application::Entity::find_visible_to(&s.viewer).filter(condition);
        let ordered = match order_by {
            Some(order) => order.apply(filtered.clone()),
            None => filtered
                .clone()
                .order_by_desc(application::Column::SubmittedOn)
                .order_by_desc(application::Column::Id),
        };
        Ok(fetch(&s.db, filtered, ordered, first, after, Application).await?)
    }

    /// Meetings of the steering committee, newest first (administration only).
    #[graphql(complexity = "crate::graphql::connection::page_complexity(first, child_complexity)")]
    async fn steering_meetings(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, at most 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last edge of the previous page.")] after: Option<String>,
        #[graphql(desc = "Sort order (default: newest first).")] order_by: Option<
            SteeringMeetingOrder,
        >,
    ) -> Result<Conn<SteeringMeeting>> {
        let s = scope(ctx)?;
        let filtered = steering_meeting::Entity::find_visible_to(&s.viewer);
        let ordered = match order_by {
            Some(order) => order.apply(filtered.clone()),
            None => filtered
                .clone()
                .order_by_desc(steering_meeting::Column::HeldOn)
                .order_by_desc(steering_meeting::Column::Id),
        };
        Ok(fetch(&s.db, filtered, ordered, first, after, SteeringMeeting).await?)
    }
}
