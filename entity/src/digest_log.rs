//! The sent-log of the e-mail reminders: one row per tenant, recipient and day, claimed before
//! the digest goes out and marked sent once the SMTP server accepted it.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "digest_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub tenant_id: i32,
    /// The recipient's address in lower case.
    pub recipient: String,
    /// The day of the digest, in the scheduler's time zone.
    pub day: Date,
    /// `sending` (claimed) or `sent`.
    pub state: String,
    /// How many entries the digest listed.
    pub items: i32,
    /// The process that claimed it (host and process id).
    pub claimed_by: String,
    pub claimed_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
}

impl ActiveModelBehavior for ActiveModel {}
