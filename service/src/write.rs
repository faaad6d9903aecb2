//! The frame of every write: one transaction, optimistic concurrency, the audit entry.

use chrono::Utc;
use entity::keyed::{Keyed, Versioned};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    IntoActiveModel, QueryFilter, SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use serde::Serialize;

use crate::{
    audit::{self, Action, Subject},
    error::{ApiError, ApiResult},
    policy::{FindVisible, Scoped},
    viewer::Viewer,
};

/// Runs a function that works within a write (`create_in(&w, input)`) as a write of its own:
/// begun, and committed when the function succeeds.
macro_rules! single {
    ($db:expr, $viewer:expr, |$w:ident| $call:expr) => {{
        let $w = $crate::write::Write::begin($db, $viewer).await?;
        let out = $call.await?;
        $w.commit().await?;
        Ok(out)
    }};
}
pub(crate) use single;

/// One write of one viewer: everything in it commits together or not at all.
pub struct Write<'a> {
    pub txn: DatabaseTransaction,
    pub viewer: &'a Viewer,
    pub now: chrono::DateTime<Utc>,
    /// The head of the tenant's audit chain, taken (and on PostgreSQL locked) at the start:
    /// the tenant's writes chain their entries one after the other.
    pub(crate) chain: std::sync::Mutex<Option<String>>,
    /// The tenant's webhooks, read with the first event the write raises.
    webhooks: tokio::sync::OnceCell<Vec<entity::webhook::Model>>,
}

/// Begins a transaction that will write. SQLite: it takes the write lock at `BEGIN`, so
/// concurrent writers queue (busy timeout) instead of one failing at once when its read
/// transaction tries to become a write transaction while another holds the lock. Every
/// transaction that writes begins here.
pub async fn begin_writing(db: &DatabaseConnection) -> Result<DatabaseTransaction, sea_orm::DbErr> {
    let options = TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    };
    db.begin_with_options(options).await
}

impl<'a> Write<'a> {
    /// Starts a write.
    pub async fn begin(db: &DatabaseConnection, viewer: &'a Viewer) -> ApiResult<Self> {
        let txn = begin_writing(db).await?;
        let head = audit::chain::head(&txn, viewer.tenant_id).await?;
        Ok(Self {
            txn,
            viewer,
            now: audit::chain::stored_time(Utc::now()),
            chain: std::sync::Mutex::new(head),
            webhooks: tokio::sync::OnceCell::new(),
        })
    }

    /// Commits the write, and with it a new data version of the tenant: cached responses of
    /// the tenant, on every replica, are stale from this commit on.
    pub async fn commit(self) -> ApiResult<()> {
        use sea_orm::sea_query::{Expr, ExprTrait};
        let head = self.chain_head();
        entity::tenant::Entity::update_many()
            .col_expr(
                entity::tenant::Column::DataVersion,
                Expr::col(entity::tenant::Column::DataVersion).add(1),
            )
            .col_expr(entity::tenant::Column::AuditHead, head.into())
            .filter(entity::tenant::Column::Id.eq(self.viewer.tenant_id))
            .exec(&self.txn)
            .await?;
        crate::idempotency::mark_committed(&self.txn).await?;
        Ok(self.txn.commit().await?)
    }

    /// Puts `event` about a row into the outbox of every webhook of the tenant that receives
    /// it, in this write's transaction: delivered if the write commits, never if it does not.
    pub async fn emit(
        &self,
        event: entity::enums::WebhookEvent,
        subject: crate::webhook::outbox::EventSubject<'_>,
    ) -> ApiResult<()> {
        use crate::webhook::outbox;
        let hooks = self
            .webhooks
            .get_or_try_init(|| outbox::tenant_hooks(&self.txn, self.viewer.tenant_id))
            .await?;
        outbox::enqueue(&self.txn, hooks, event, subject, self.now).await
    }

    /// The head of the tenant's audit chain as this write leaves it.
    pub(crate) fn chain_head(&self) -> Option<String> {
        self.chain
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// A row the viewer can see, or `NOT_FOUND` (hidden and missing look the same).
    pub async fn visible<E>(&self, id: i32, what: &'static str) -> ApiResult<E::Model>
    where
        E: Scoped + Keyed,
    {
        E::find_visible_to(self.viewer)
            .filter(E::ID.eq(id))
            .one(&self.txn)
            .await?
            .ok_or(ApiError::NotFound(what))
    }

    /// The row input field `field` refers to: a row the viewer can see, else
    /// `BAD_USER_INPUT` naming the field.
    pub async fn referenced<E>(&self, id: i32, field: &str) -> ApiResult<E::Model>
    where
        E: Scoped + Keyed,
    {
        E::find_visible_to(self.viewer)
            .filter(E::ID.eq(id))
            .one(&self.txn)
            .await?
            .ok_or_else(|| ApiError::bad_input(field, "refers to a row that does not exist"))
    }

    /// The org unit named by `orgUnitId`.
    pub async fn org_unit(&self, id: i32) -> ApiResult<i32> {
        let unit = self
            .referenced::<entity::org_unit::Entity>(id, "orgUnitId")
            .await?;
        Ok(unit.id)
    }

    /// The rows a list of ids in `field` refers to (see [`Self::referenced`]).
    pub async fn referenced_all<E>(
        &self,
        ids: &[i32],
        field: &str,
    ) -> ApiResult<std::collections::BTreeSet<i32>>
    where
        E: Scoped + Keyed,
    {
        let mut found = std::collections::BTreeSet::new();
        for &id in ids {
            found.insert(E::id(&self.referenced::<E>(id, field).await?));
        }
        Ok(found)
    }

    /// Inserts a row and records it in the audit trail.
    pub async fn insert<E, A>(&self, row: A, subject: Subject) -> ApiResult<E::Model>
    where
        E: Keyed,
        A: ActiveModelTrait<Entity = E> + sea_orm::ActiveModelBehavior + Send,
        E::Model: IntoActiveModel<A> + Serialize,
    {
        let mut row = row;
        stamp_new(&mut row, self.now);
        let model = row.insert(&self.txn).await?;
        audit::record(
            self,
            Action::Create,
            subject,
            E::id(&model),
            None,
            Some(&model),
        )
        .await?;
        Ok(model)
    }

    /// Saves `changes` to a row read at `version`: the update only happens if nobody wrote
    /// in between (compare-and-set on the version), otherwise `CONFLICT`. Records the change.
    pub async fn update<E, A>(
        &self,
        before: &E::Model,
        version: i32,
        changes: A,
        action: Action,
        subject: Subject,
    ) -> ApiResult<E::Model>
    where
        E: Versioned,
        A: ActiveModelTrait<Entity = E> + Send,
        E::Model: Serialize + Sync,
    {
        let after = compare_and_set(&self.txn, before, version, changes, self.now, subject).await?;
        audit::record(
            self,
            action,
            subject,
            E::id(&after),
            Some(before),
            Some(&after),
        )
        .await?;
        Ok(after)
    }
}

/// Saves `changes` to a row read at `version` in `txn` if nobody wrote in between
/// (compare-and-set on the version), otherwise `CONFLICT`; the row as it is now.
pub async fn compare_and_set<E, A>(
    txn: &DatabaseTransaction,
    before: &E::Model,
    version: i32,
    mut changes: A,
    now: chrono::DateTime<Utc>,
    subject: Subject,
) -> ApiResult<E::Model>
where
    E: Versioned,
    A: ActiveModelTrait<Entity = E> + Send,
{
    if E::version(before) != version {
        return Err(conflict(subject.kind));
    }
    changes.set(E::VERSION, (version + 1).into());
    set_updated_at(&mut changes, now);
    let result = E::update_many()
        .set(changes)
        .filter(E::ID.eq(E::id(before)))
        .filter(E::VERSION.eq(version))
        .exec(txn)
        .await?;
    if result.rows_affected != 1 {
        return Err(conflict(subject.kind));
    }
    E::find()
        .filter(E::ID.eq(E::id(before)))
        .one(txn)
        .await?
        .ok_or(ApiError::NotFound(subject.kind))
}

/// A change to an optional field of a patch: `None` leaves it as it is, `Some(None)` clears
/// it, `Some(Some(value))` sets it.
pub type Change<T> = Option<Option<T>>;

fn conflict(subject: &str) -> ApiError {
    ApiError::Conflict(format!(
        "the {subject} was changed by someone else; reload it and try again"
    ))
}

/// Fills what every new row carries unless the caller set it: `created_at` and `updated_at`
/// now, `version` 1 (for entities that have these columns).
fn stamp_new<A: ActiveModelTrait>(row: &mut A, now: chrono::DateTime<Utc>) {
    use sea_orm::{IdenStatic, Iterable};
    for column in <A::Entity as EntityTrait>::Column::iter() {
        if !row.is_not_set(column) {
            continue;
        }
        match column.as_str() {
            "created_at" | "updated_at" => row.set(column, now.into()),
            "version" => row.set(column, 1.into()),
            _ => {}
        }
    }
}

/// Sets `updated_at` where the entity has one.
fn set_updated_at<A: ActiveModelTrait>(changes: &mut A, now: chrono::DateTime<Utc>) {
    use sea_orm::{IdenStatic, Iterable};
    if let Some(column) =
        <A::Entity as EntityTrait>::Column::iter().find(|c| c.as_str() == "updated_at")
    {
        changes.set(column, now.into());
    }
}

impl Write<'_> {
    /// Deletes a row read at `version`: only if nobody wrote in between (compare-and-set on
    /// the version), otherwise `CONFLICT`. Records the row as it was.
    pub async fn delete<E>(
        &self,
        before: &E::Model,
        version: i32,
        subject: Subject,
    ) -> ApiResult<()>
    where
        E: Versioned,
        E::Model: Serialize + Sync,
    {
        if E::version(before) != version {
            return Err(conflict(subject.kind));
        }
        let result = E::delete_many()
            .filter(E::ID.eq(E::id(before)))
            .filter(E::VERSION.eq(version))
            .exec(&self.txn)
            .await?;
        if result.rows_affected != 1 {
            return Err(conflict(subject.kind));
        }
        audit::record(
            self,
            Action::Delete,
            subject,
            E::id(before),
            Some(before),
            None,
        )
        .await
    }
}
