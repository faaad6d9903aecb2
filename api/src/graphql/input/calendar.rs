//! Inputs of `createCalendarFeed` and `revokeCalendarFeed`.

use async_graphql::{ID, InputObject};

use crate::{error::ApiResult, graphql::id};
use service::calendar::NewFeed;

/// A new calendar feed of the caller's own view.
#[derive(InputObject)]
pub struct CreateCalendarFeedInput {
    /// What to call it, as the calendar client shows it ("Meilensteine FB 36").
    pub name: String,
}

impl From<CreateCalendarFeedInput> for NewFeed {
    fn from(input: CreateCalendarFeedInput) -> Self {
        Self { name: input.name }
    }
}

/// The feed to end.
#[derive(InputObject)]
pub struct RevokeCalendarFeedInput {
    /// Global id of the feed.
    pub id: ID,
}

impl RevokeCalendarFeedInput {
    /// The feed's row id.
    pub fn feed(&self) -> ApiResult<i32> {
        id::decode(&self.id, "CalendarFeed", "id")
    }
}
