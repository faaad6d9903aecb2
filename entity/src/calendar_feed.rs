//! A calendar feed: a person's secret URL (`/calendar/<token>.ics`) with the milestones and
//! report due dates of what they may see. Only a hash of the token is kept.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "calendar_feed")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub tenant_id: i32,
    /// SHA-256 (hex) of the token; the token itself is shown once, when the feed is made.
    pub token_hash: String,
    /// The owner's token subject.
    pub subject: String,
    /// The owner's display name, if their token carried one.
    pub subject_name: Option<String>,
    /// The owner's role as stored (`central_it`, `department`, `council`).
    pub role: String,
    /// The owner's org unit (departments): the feed shows its subtree.
    pub org_unit_id: Option<i32>,
    /// What the owner called it.
    pub name: String,
    pub created_at: DateTimeUtc,
    pub revoked_at: Option<DateTimeUtc>,
    /// The subject who revoked it.
    pub revoked_by: Option<String>,
    /// When a calendar client last fetched it (updated at most hourly).
    pub last_used_at: Option<DateTimeUtc>,
}

impl ActiveModelBehavior for ActiveModel {}
