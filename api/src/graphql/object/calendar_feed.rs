//! `CalendarFeed`: a person's subscription URL, without its secret.

use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use entity::calendar_feed;

use crate::{
    error::{ApiError, Result},
    graphql::{context::scope, enums::Role, id, object::OrgUnit},
};

/// A calendar feed: a secret URL (`/calendar/<token>.ics`) that calendar clients subscribe
/// to, with the milestones and status report due dates of what its owner may see. The token
/// is shown once, by `createCalendarFeed`; a lost URL is replaced by a new feed.
#[derive(async_graphql::Description)]
pub struct CalendarFeed(pub calendar_feed::Model);

#[Object(use_type_description)]
impl CalendarFeed {
    /// Global id, for `revokeCalendarFeed`.
    async fn id(&self) -> ID {
        id::encode("CalendarFeed", self.0.id)
    }
    /// What its owner called it.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// The owner's token subject.
    async fn owner_sub(&self) -> &str {
        &self.0.subject
    }
    /// The owner's display name, if their token carried one.
    async fn owner_name(&self) -> Option<&str> {
        self.0.subject_name.as_deref()
    }
    /// The role whose view the feed shows.
    async fn owner_role(&self) -> Result<Role> {
        let role = service::viewer::Role::from_stored(&self.0.role).ok_or_else(|| {
            ApiError::Internal(anyhow::anyhow!("calendar feed with role {}", self.0.role))
        })?;
        Ok(role.into())
    }
    /// The owner's org unit (departments: the feed shows its subtree's work).
    async fn org_unit(&self, ctx: &Context<'_>) -> Result<Option<OrgUnit>> {
        let Some(unit) = self.0.org_unit_id else {
            return Ok(None);
        };
        let s = scope(ctx)?;
        Ok(s.loaders.org_unit.load_one(unit).await?.map(OrgUnit))
    }
    /// When it was made.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When it was revoked; its URL answers `404` from then on.
    async fn revoked_at(&self) -> Option<DateTime<Utc>> {
        self.0.revoked_at
    }
    /// When a calendar client last fetched it (to the hour).
    async fn last_used_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_used_at
    }
}
