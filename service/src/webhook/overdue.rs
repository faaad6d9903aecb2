//! Milestones that become overdue: no write makes them so, the date does. The deliverer
//! looks now and then for milestones past due and not achieved that were not announced for
//! their due date yet, records each (`milestone_overdue_notice`, unique per milestone and
//! due date) and puts the event into the outbox in the same transaction. However many
//! processes look, and however often, each milestone is announced once per due date; moved
//! to a later date and missed again, it is announced again.

use chrono::{NaiveDate, Utc};
use entity::{enums::WebhookEvent, milestone, milestone_overdue_notice as notice};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait, OnConflict, Query},
};

use super::outbox::{self, EventSubject};
use crate::error::ApiResult;

/// Milestones announced per look: the rest wait for the next one.
const BATCH: u64 = 200;

/// Announces the milestones overdue on `today` not announced yet; how many it announced.
pub async fn announce(db: &DatabaseConnection, today: NaiveDate) -> ApiResult<usize> {
    use milestone::Column as M;
    let announced = Query::select()
        .expr(Expr::val(1))
        .from(notice::Entity)
        .and_where(
            Expr::col((notice::Entity, notice::Column::MilestoneId))
                .equals((milestone::Entity, M::Id)),
        )
        .and_where(
            Expr::col((notice::Entity, notice::Column::DueDate))
                .equals((milestone::Entity, M::DueDate)),
        )
        .to_owned();
    let overdue = milestone::Entity::find()
        .filter(M::DueDate.lt(today))
        .filter(M::AchievedOn.is_null())
        .filter(M::ArchivedAt.is_null())
        .filter(Expr::exists(announced).not())
        .order_by_asc(M::Id)
        .limit(BATCH)
        .all(db)
        .await?;
    let mut count = 0;
    for milestone in overdue {
        if announce_one(db, &milestone).await? {
            count += 1;
        }
    }
    Ok(count)
}

/// Records one milestone as announced and writes its deliveries, unless another process was
/// first.
async fn announce_one(db: &DatabaseConnection, milestone: &milestone::Model) -> ApiResult<bool> {
    let now = Utc::now();
    let txn = crate::write::begin_writing(db).await?;
    let row = notice::ActiveModel {
        tenant_id: Set(milestone.tenant_id),
        milestone_id: Set(milestone.id),
        due_date: Set(milestone.due_date),
        noticed_at: Set(now),
        ..Default::default()
    };
    let inserted = notice::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([notice::Column::MilestoneId, notice::Column::DueDate])
                .do_nothing()
                .to_owned(),
        )
        .exec(&txn)
        .await;
    match inserted {
        Ok(_) => {}
        Err(DbErr::RecordNotInserted) => return Ok(false),
        Err(err) => return Err(err.into()),
    }
    let hooks = outbox::tenant_hooks(&txn, milestone.tenant_id).await?;
    outbox::enqueue(
        &txn,
        &hooks,
        WebhookEvent::MilestoneOverdue,
        EventSubject {
            kind: "Milestone",
            id: milestone.id,
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(true)
}
