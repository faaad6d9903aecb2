//! Making, listing, revoking and opening calendar feeds.
//!
//! Making and revoking go through the write frame like every write: one transaction, an
//! audit entry (without the token's hash, which the trail has no use for), and a new data
//! version of the tenant, so cached answers that list feeds are dropped.

use chrono::{Duration, Utc};
use entity::{calendar_feed, tenant};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, DatabaseConnection, EntityTrait,
    QueryFilter, QueryOrder, sea_query::Expr,
};

use super::token;
use crate::{
    audit::{self, Action, Subject},
    error::{ApiError, ApiResult},
    policy::{FindVisible, calendar as rules},
    validate,
    viewer::{self, Viewer},
    write::Write,
};

/// What the person calls the new feed ("Meilensteine FB 36").
#[derive(Debug, Clone)]
pub struct NewFeed {
    pub name: String,
}

/// A new feed and its token: the only time the token is known.
#[derive(Debug, Clone)]
pub struct Created {
    pub feed: calendar_feed::Model,
    pub token: String,
}

/// A live feed opened by its token, with the viewer it is read as.
#[derive(Debug, Clone)]
pub struct Opened {
    pub feed: calendar_feed::Model,
    pub tenant: tenant::Model,
    pub viewer: Viewer,
}

/// How often a fetch records itself in `last_used_at`: clients poll hourly, and a write per
/// poll would tell nothing more.
const USE_PRECISION: Duration = Duration::hours(1);

/// What the audit trail keeps of a feed: everything but the token's hash.
#[derive(serde::Serialize)]
struct Audited<'a> {
    name: &'a str,
    subject: &'a str,
    role: &'a str,
    org_unit_id: Option<i32>,
    revoked_at: Option<chrono::DateTime<Utc>>,
    revoked_by: Option<&'a str>,
}

impl<'a> Audited<'a> {
    fn of(feed: &'a calendar_feed::Model) -> Self {
        Self {
            name: &feed.name,
            subject: &feed.subject,
            role: &feed.role,
            org_unit_id: feed.org_unit_id,
            revoked_at: feed.revoked_at,
            revoked_by: feed.revoked_by.as_deref(),
        }
    }
}

/// A feed as an audit subject: a department's entries are its unit's to read.
fn subject(feed: &calendar_feed::Model) -> Subject {
    Subject {
        kind: "CalendarFeed",
        owner: feed.org_unit_id,
    }
}

/// Makes a feed of the viewer's own view.
#[tracing::instrument(skip_all, fields(tenant = viewer.tenant_id))]
pub async fn create(db: &DatabaseConnection, viewer: &Viewer, new: NewFeed) -> ApiResult<Created> {
    rules::require_create(viewer)?;
    let name = validate::title("name", &new.name)?;
    let token = token::generate();
    let w = Write::begin(db, viewer).await?;
    let row = calendar_feed::ActiveModel {
        tenant_id: Set(viewer.tenant_id),
        token_hash: Set(token::hash(&token)),
        subject: Set(viewer.sub.clone()),
        subject_name: Set(viewer.name.clone()),
        role: Set(viewer.role.as_str().to_owned()),
        org_unit_id: Set(viewer.org_unit_id),
        name: Set(name),
        created_at: Set(w.now),
        revoked_at: Set(None),
        revoked_by: Set(None),
        last_used_at: Set(None),
        ..Default::default()
    };
    let feed = row.insert(&w.txn).await?;
    let after = Audited::of(&feed);
    audit::record(
        &w,
        Action::Create,
        subject(&feed),
        feed.id,
        None,
        Some(&after),
    )
    .await?;
    w.commit().await?;
    Ok(Created { feed, token })
}

/// Ends a feed the viewer sees (their own; central IT: any of its tenant). Revoking a revoked
/// feed changes nothing and answers it as it is, so a retried request does no harm.
#[tracing::instrument(skip_all, fields(tenant = viewer.tenant_id, feed = id))]
pub async fn revoke(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: i32,
) -> ApiResult<calendar_feed::Model> {
    let w = Write::begin(db, viewer).await?;
    let feed = calendar_feed::Entity::find_visible_to(viewer)
        .filter(calendar_feed::Column::Id.eq(id))
        .one(&w.txn)
        .await?
        .ok_or(ApiError::NotFound("CalendarFeed"))?;
    if feed.revoked_at.is_some() {
        return Ok(feed);
    }
    let before = Audited::of(&feed);
    let mut changes: calendar_feed::ActiveModel = feed.clone().into();
    changes.revoked_at = Set(Some(w.now));
    changes.revoked_by = Set(Some(viewer.sub.clone()));
    let revoked = changes.update(&w.txn).await?;
    let after = Audited::of(&revoked);
    let subject = subject(&revoked);
    audit::record(
        &w,
        Action::Update,
        subject,
        revoked.id,
        Some(&before),
        Some(&after),
    )
    .await?;
    w.commit().await?;
    Ok(revoked)
}

/// The live feeds of the viewer, oldest first; with `everyone` (central IT) those of every
/// person of the tenant.
pub async fn list(
    db: &DatabaseConnection,
    viewer: &Viewer,
    everyone: bool,
) -> ApiResult<Vec<calendar_feed::Model>> {
    use calendar_feed::Column as C;
    let mut select = calendar_feed::Entity::find_visible_to(viewer).filter(C::RevokedAt.is_null());
    if everyone {
        rules::require_list_all(viewer)?;
    } else {
        select = select.filter(C::Subject.eq(viewer.sub.as_str()));
    }
    Ok(select
        .order_by_asc(C::CreatedAt)
        .order_by_asc(C::Id)
        .all(db)
        .await?)
}

/// The live feed of `token`, and the viewer it is read as. Unknown, revoked and malformed
/// tokens, and feeds whose owner can no longer be anyone (their unit is gone), are all
/// `NOT_FOUND`, alike: a guess learns nothing.
pub async fn open(db: &DatabaseConnection, token: &str) -> ApiResult<Opened> {
    use calendar_feed::Column as C;
    let missing = || ApiError::NotFound("calendar feed");
    if !token::well_formed(token) {
        return Err(missing());
    }
    let feed = calendar_feed::Entity::find()
        .filter(C::TokenHash.eq(token::hash(token)))
        .filter(C::RevokedAt.is_null())
        .one(db)
        .await?
        .ok_or_else(missing)?;
    let tenant = tenant::Entity::find_by_id(feed.tenant_id)
        .one(db)
        .await?
        .ok_or_else(missing)?;
    let viewer = viewer::stored(
        db,
        &tenant,
        &feed.subject,
        feed.subject_name.as_deref(),
        &feed.role,
        feed.org_unit_id,
    )
    .await?
    .ok_or_else(missing)?;
    touch(db, &feed).await?;
    Ok(Opened {
        feed,
        tenant,
        viewer,
    })
}

/// Records the fetch in `last_used_at`, at most once per [`USE_PRECISION`].
async fn touch(db: &DatabaseConnection, feed: &calendar_feed::Model) -> ApiResult<()> {
    use calendar_feed::Column as C;
    let now = Utc::now();
    if feed
        .last_used_at
        .is_some_and(|used| now - used < USE_PRECISION)
    {
        return Ok(());
    }
    calendar_feed::Entity::update_many()
        .col_expr(C::LastUsedAt, Expr::value(now))
        .filter(C::Id.eq(feed.id))
        .filter(
            Condition::any()
                .add(C::LastUsedAt.is_null())
                .add(C::LastUsedAt.lt(now - USE_PRECISION)),
        )
        .exec(db)
        .await?;
    Ok(())
}
