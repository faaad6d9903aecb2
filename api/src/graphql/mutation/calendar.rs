//! `createCalendarFeed`, `revokeCalendarFeed`.

use async_graphql::{Context, Object, SimpleObject};

use crate::{
    error::or_null,
    graphql::{
        context::scope,
        input::{
            calendar::{CreateCalendarFeedInput, RevokeCalendarFeedInput},
            parsed::Parsed,
        },
        object::CalendarFeed,
    },
};
use service::calendar;

#[derive(Default)]
pub struct CalendarMutation;

/// The feed made, with its URL: the only answer that carries the token.
#[derive(SimpleObject)]
pub struct CreateCalendarFeedPayload {
    /// The new feed.
    pub calendar_feed: CalendarFeed,
    /// The URL to subscribe to, `/calendar/<token>.ics`, relative to the API's origin (the
    /// server does not know the name it is reached by). Shown only now: only a hash of the
    /// token is kept.
    pub url: String,
    /// The token in the URL, shown only now.
    pub token: String,
}

/// The feed ended.
#[derive(SimpleObject)]
pub struct RevokeCalendarFeedPayload {
    /// The feed, `revokedAt` set.
    pub calendar_feed: CalendarFeed,
}

#[Object]
impl CalendarMutation {
    /// Makes a calendar feed of the milestones and status report due dates of what the
    /// caller may see (a department: its unit subtree's work). Every signed-in role may.
    async fn create_calendar_feed(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The feed's name.")] input: Parsed<CreateCalendarFeedInput>,
    ) -> Option<CreateCalendarFeedPayload> {
        or_null(ctx, async {
            let input = input.read()?;
            let s = scope(ctx)?;
            let created = calendar::create(&s.db, &s.viewer, input.into()).await?;
            Ok(CreateCalendarFeedPayload {
                calendar_feed: CalendarFeed(created.feed),
                url: calendar::token::path(&created.token),
                token: created.token,
            })
        })
        .await
    }

    /// Ends a calendar feed: its URL answers `404` from now on. Owners revoke their own
    /// feeds, central IT any feed of its tenant; another person's feed is `NOT_FOUND`.
    async fn revoke_calendar_feed(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The feed to end.")] input: Parsed<RevokeCalendarFeedInput>,
    ) -> Option<RevokeCalendarFeedPayload> {
        or_null(ctx, async {
            let input = input.read()?;
            let s = scope(ctx)?;
            let revoked = calendar::revoke(&s.db, &s.viewer, input.feed()?).await?;
            Ok(RevokeCalendarFeedPayload {
                calendar_feed: CalendarFeed(revoked),
            })
        })
        .await
    }
}
