//! The sent-log: one digest per tenant, recipient and day, however many processes send and
//! however often they restart.
//!
//! A process claims the day's row before it sends (a unique key: of two processes inserting
//! it, one wins), marks it sent once the SMTP server accepted the digest, and releases it
//! (deletes the row) when sending failed, so a later try sends it. A claim whose process died
//! while sending can be taken over once [`LEASE`] has passed; that digest may then go out
//! twice (the SMTP server may have accepted it just before the process died), which is the
//! better failure for a reminder than none.

use std::{collections::HashSet, time::Duration};

use chrono::{NaiveDate, Utc};
use entity::digest_log::{self, Column as C};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter,
    QuerySelect, sea_query::OnConflict,
};

use crate::error::ApiResult;

/// How long a claim holds before another process may take it over: far longer than sending
/// one digest with its retries takes.
pub const LEASE: Duration = Duration::from_secs(15 * 60);

const SENDING: &str = "sending";
const SENT: &str = "sent";

/// The day's row of one recipient, claimed by this process: send, then [`mark_sent`] or
/// [`release`].
#[derive(Debug)]
pub struct Claim {
    id: i32,
}

/// What claiming found.
#[derive(Debug)]
pub enum Claimed {
    /// Ours to send.
    Mine(Claim),
    /// Sent today already.
    Sent,
    /// Another process is sending it right now.
    Busy,
}

/// One recipient's digest of one day, as the log keys it.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    pub tenant_id: i32,
    /// The address in lower case.
    pub recipient: &'a str,
    pub day: NaiveDate,
    pub items: usize,
}

/// Claims the day's row of a recipient for the process `by`.
pub async fn claim(db: &DatabaseConnection, entry: Entry<'_>, by: &str) -> ApiResult<Claimed> {
    let now = Utc::now();
    let row = digest_log::ActiveModel {
        tenant_id: Set(entry.tenant_id),
        recipient: Set(entry.recipient.to_owned()),
        day: Set(entry.day),
        state: Set(SENDING.to_owned()),
        items: Set(i32::try_from(entry.items).unwrap_or(i32::MAX)),
        claimed_by: Set(by.to_owned()),
        claimed_at: Set(now),
        sent_at: Set(None),
        ..Default::default()
    };
    let inserted = digest_log::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([C::TenantId, C::Recipient, C::Day])
                .do_nothing()
                .to_owned(),
        )
        .exec(db)
        .await;
    match inserted {
        Ok(inserted) => {
            return Ok(Claimed::Mine(Claim {
                id: inserted.last_insert_id,
            }));
        }
        Err(DbErr::RecordNotInserted) => {}
        Err(err) => return Err(err.into()),
    }
    let Some(found) = digest_log::Entity::find()
        .filter(C::TenantId.eq(entry.tenant_id))
        .filter(C::Recipient.eq(entry.recipient))
        .filter(C::Day.eq(entry.day))
        .one(db)
        .await?
    else {
        // Released between our insert and our look: the next try claims it.
        return Ok(Claimed::Busy);
    };
    if found.state == SENT {
        return Ok(Claimed::Sent);
    }
    let lease = chrono::Duration::from_std(LEASE).unwrap_or_default();
    if found.claimed_at + lease > now {
        return Ok(Claimed::Busy);
    }
    // The claim of a process that died while sending: taken over only if nobody else did
    // meanwhile (the row is still as it was read).
    let taken = digest_log::Entity::update_many()
        .col_expr(C::ClaimedBy, by.into())
        .col_expr(C::ClaimedAt, now.into())
        .filter(C::Id.eq(found.id))
        .filter(C::State.eq(SENDING))
        .filter(C::ClaimedAt.eq(found.claimed_at))
        .exec(db)
        .await?;
    Ok(if taken.rows_affected == 1 {
        Claimed::Mine(Claim { id: found.id })
    } else {
        Claimed::Busy
    })
}

/// Records that the SMTP server accepted the digest.
pub async fn mark_sent(db: &DatabaseConnection, claim: Claim) -> ApiResult<()> {
    digest_log::Entity::update_many()
        .col_expr(C::State, SENT.into())
        .col_expr(C::SentAt, Some(Utc::now()).into())
        .filter(C::Id.eq(claim.id))
        .exec(db)
        .await?;
    Ok(())
}

/// Gives the claim up after a failed send, so a later try sends the digest.
pub async fn release(db: &DatabaseConnection, claim: Claim) -> ApiResult<()> {
    digest_log::Entity::delete_many()
        .filter(C::Id.eq(claim.id))
        .filter(C::State.eq(SENDING))
        .exec(db)
        .await?;
    Ok(())
}

/// The recipients (lower case) of `tenant_id` whose digest of `day` went out.
pub async fn sent_on(
    db: &DatabaseConnection,
    tenant_id: i32,
    day: NaiveDate,
) -> ApiResult<HashSet<String>> {
    Ok(digest_log::Entity::find()
        .select_only()
        .column(C::Recipient)
        .filter(C::TenantId.eq(tenant_id))
        .filter(C::Day.eq(day))
        .filter(C::State.eq(SENT))
        .into_tuple::<String>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}
