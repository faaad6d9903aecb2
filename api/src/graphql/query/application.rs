//! `applications` and `steeringMeetings`.

use async_graphql::{Context, Object};

use crate::error::Result;
use entity::{application, steering_meeting};
use sea_orm::QueryFilter;

use crate::graphql::{
    connection::{Conn, Paging, Sort, fetch},
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
    async fn applications(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, at most 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last edge of the previous page.")] after: Option<String>,
        #[graphql(desc = "Page size counted from the end, at most 100; instead of `first`.")] last: Option<i32>,
        #[graphql(desc = "Cursor of the first edge of the next page: the page ends before it.")]
        before: Option<String>,
        #[graphql(desc = "Which applications to list.")] filter: Option<ApplicationFilter>,
        #[graphql(desc = "Sort order (default: newest first).")] order_by: Option<ApplicationOrder>,
    ) -> Result<Conn<Application>> {
        let s = scope(ctx)?;
        let condition = filter.unwrap_or_default().condition(s).await?;
        let filtered = application::Entity::find_visible_to(&s.viewer).filter(condition);
        let sort = match order_by {
            Some(order) => order.sort(),
            None => Sort::default()
                .desc(application::Column::SubmittedOn)
                .desc(application::Column::Id),
        };
        Ok(fetch(
            ctx,
            &s.db,
            filtered,
            sort,
            Paging::new(first, after, last, before),
            Application,
        )
        .await?)
    }

    /// Meetings of the steering committee, newest first (administration only).
    async fn steering_meetings(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, at most 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last edge of the previous page.")] after: Option<String>,
        #[graphql(desc = "Page size counted from the end, at most 100; instead of `first`.")] last: Option<i32>,
        #[graphql(desc = "Cursor of the first edge of the next page: the page ends before it.")]
        before: Option<String>,
        #[graphql(desc = "Sort order (default: newest first).")] order_by: Option<
            SteeringMeetingOrder,
        >,
    ) -> Result<Conn<SteeringMeeting>> {
        let s = scope(ctx)?;
        let filtered = steering_meeting::Entity::find_visible_to(&s.viewer);
        let sort = match order_by {
            Some(order) => order.sort(),
            None => Sort::default()
                .desc(steering_meeting::Column::HeldOn)
                .desc(steering_meeting::Column::Id),
        };
        Ok(fetch(
            ctx,
            &s.db,
            filtered,
            sort,
            Paging::new(first, after, last, before),
            SteeringMeeting,
        )
        .await?)
    }
}
