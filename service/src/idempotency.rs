//! Retried writes that do not write twice: a request that carries a key (`Idempotency-Key`)
//! runs once; a retry with the key and the same request gets the first answer again.
//!
//! The key is claimed in the database before the request runs (a unique row per owner and
//! key), so the rule holds across API processes. The write of the request marks the claim
//! in its own transaction ([`mark_committed`], from `Write::commit`): whether the write
//! happened is never in doubt, even when the process dies before the answer is kept. A claim
//! whose request died before its write committed can be taken over by a retry once its lease
//! ran out. Keys are kept for [`KEEP`].

use std::{future::Future, time::Duration};

use chrono::Utc;
use entity::idempotency_key::{self, Column as C};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, sea_query::OnConflict,
};

use crate::error::{ApiError, ApiResult};

/// How long a key and its answer are kept.
pub const KEEP: Duration = Duration::from_secs(24 * 60 * 60);

/// How long the first request holds its key before a retry may take it over (if its write
/// has not committed): longer than any request runs.
pub const LEASE: Duration = Duration::from_secs(5 * 60);

/// Longest key accepted (a UUID has 36 characters).
pub const MAX_KEY_LEN: usize = 255;

tokio::task_local! {
    /// The claim of the request being run, for its write to mark.
    static CLAIM: i32;
}

/// The answer kept for a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

/// The key, claimed by this request: run it, then [`finish`] or [`release`].
#[derive(Debug)]
pub struct Claim {
    id: i32,
}

/// What to do with a request that carries a key.
#[derive(Debug)]
pub enum Begun {
    /// The first request with the key: run it.
    Run(Claim),
    /// A retry of a request that has its answer.
    Replay(Stored),
}

/// Who sent a key: keys of different owners never meet.
pub fn owner(tenant: Option<i32>, subject: &str) -> String {
    match tenant {
        Some(tenant) => format!("{tenant}/{subject}"),
        None => format!("operator/{subject}"),
    }
}

/// A key as the client sent it: 1 to [`MAX_KEY_LEN`] visible ASCII characters.
pub fn check_key(key: &str) -> ApiResult<&str> {
    if key.is_empty() || key.len() > MAX_KEY_LEN || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ApiError::bad_input(
            "Idempotency-Key",
            format!("must be 1 to {MAX_KEY_LEN} visible ASCII characters, such as a UUID"),
        ));
    }
    Ok(key)
}

/// Claims `key` for a request whose content hashes to `hash`, or finds the first answer.
/// While the first request still runs, a retry waits up to `wait` for its answer, then gets
/// `IDEMPOTENCY_IN_PROGRESS`; a key sent with another request is `IDEMPOTENCY_KEY_REUSED`.
pub async fn begin(
    db: &DatabaseConnection,
    owner: &str,
    tenant: Option<i32>,
    key: &str,
    hash: &str,
    wait: Duration,
) -> ApiResult<Begun> {
    settle_owed(db).await;
    purge_expired(db, Utc::now()).await?;
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        if let Some(claim) = claim(db, owner, tenant, key, hash).await? {
            return Ok(Begun::Run(claim));
        }
        // The key is taken: a retry, or the key with another request. When the claim has
        // been given up meanwhile (a release written late), the key is claimed again.
        let Some(found) = find(db, owner, key).await? else {
            if tokio::time::Instant::now() >= deadline {
                return Err(ApiError::IdempotencyInProgress(
                    "the key is claimed and given up again and again; retry shortly".into(),
                ));
            }
            continue;
        };
        if found.request_hash != hash {
            return Err(ApiError::IdempotencyKeyReused);
        }
        if let (Some(status), Some(body)) = (found.status, found.body.clone()) {
            return Ok(Begun::Replay(Stored {
                status: u16::try_from(status).unwrap_or(500),
                content_type: found.content_type,
                body,
            }));
        }
        if !found.committed && found.locked_until < Utc::now() && take_over(db, &found).await? {
            return Ok(Begun::Run(Claim { id: found.id }));
        }
        if found.committed && found.locked_until < Utc::now() {
            return Err(ApiError::IdempotencyInProgress(
                "the write of the first request with this Idempotency-Key committed, but its answer was lost (the server or its database failed before it was sent); read the current state instead of retrying".into(),
            ));
        }
        if tokio::time::Instant::now() >= deadline {
            return Err(ApiError::IdempotencyInProgress(
                "the first request with this Idempotency-Key is still running; retry shortly"
                    .into(),
            ));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Claims `key` with a new row; `None` when it is taken.
async fn claim(
    db: &DatabaseConnection,
    owner: &str,
    tenant: Option<i32>,
    key: &str,
    hash: &str,
) -> ApiResult<Option<Claim>> {
    let now = Utc::now();
    let row = idempotency_key::ActiveModel {
        owner: Set(owner.to_owned()),
        key: Set(key.to_owned()),
        tenant_id: Set(tenant),
        request_hash: Set(hash.to_owned()),
        locked_until: Set(now + lease()),
        committed: Set(false),
        status: Set(None),
        content_type: Set(None),
        body: Set(None),
        created_at: Set(now),
        ..Default::default()
    };
    match idempotency_key::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([C::Owner, C::Key])
                .do_nothing()
                .to_owned(),
        )
        .exec(db)
        .await
    {
        Ok(inserted) => Ok(Some(Claim {
            id: inserted.last_insert_id,
        })),
        Err(DbErr::RecordNotInserted) => Ok(None),
        Err(err) => Err(err.into()),
    }
}

/// When this process last removed expired keys (seconds since the epoch).
static PURGED_AT: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(0);

/// Removes the keys older than [`KEEP`], at most once a minute per process: a request with a
/// key costs no extra statement most of the time, and expired keys never pile up.
async fn purge_expired(db: &DatabaseConnection, now: chrono::DateTime<Utc>) -> ApiResult<()> {
    use std::sync::atomic::Ordering;
    let last = PURGED_AT.load(Ordering::Relaxed);
    if now.timestamp() - last < 60
        || PURGED_AT
            .compare_exchange(last, now.timestamp(), Ordering::Relaxed, Ordering::Relaxed)
            .is_err()
    {
        return Ok(());
    }
    let keep = chrono::Duration::from_std(KEEP).unwrap_or_default();
    idempotency_key::Entity::delete_many()
        .filter(C::CreatedAt.lt(now - keep))
        .exec(db)
        .await?;
    Ok(())
}

fn lease() -> chrono::Duration {
    chrono::Duration::from_std(LEASE).unwrap_or_default()
}

async fn find(
    db: &DatabaseConnection,
    owner: &str,
    key: &str,
) -> ApiResult<Option<idempotency_key::Model>> {
    Ok(idempotency_key::Entity::find()
        .filter(C::Owner.eq(owner))
        .filter(C::Key.eq(key))
        .one(db)
        .await?)
}

/// Takes over a claim whose request died before its write committed; only one retry wins.
async fn take_over(db: &DatabaseConnection, found: &idempotency_key::Model) -> ApiResult<bool> {
    let taken = idempotency_key::Entity::update_many()
        .col_expr(C::LockedUntil, (Utc::now() + lease()).into())
        .filter(C::Id.eq(found.id))
        .filter(C::LockedUntil.eq(found.locked_until))
        .filter(C::Committed.eq(false))
        .exec(db)
        .await?;
    Ok(taken.rows_affected == 1)
}

/// Runs `request` under `claim`: a write it commits marks the claim in its transaction.
pub async fn run<F: Future>(claim: &Claim, request: F) -> F::Output {
    CLAIM.scope(claim.id, request).await
}

/// Marks the claim of the request being run, if any, within a write's transaction.
pub(crate) async fn mark_committed<T: ConnectionTrait>(txn: &T) -> ApiResult<()> {
    let Ok(id) = CLAIM.try_with(|id| *id) else {
        return Ok(());
    };
    idempotency_key::Entity::update_many()
        .col_expr(C::Committed, true.into())
        .filter(C::Id.eq(id))
        .exec(txn)
        .await?;
    Ok(())
}

/// Keeps the answer for retries.
pub async fn finish(db: &DatabaseConnection, claim: Claim, answer: Stored) -> ApiResult<()> {
    settle_or_owe(db, Settle::Finish(claim.id, answer)).await
}

/// Gives the key up after an answer not worth keeping (the database was unavailable, the
/// request timed out): a retry runs again. When the write committed all the same, its real
/// answer is unknown: the claim is marked lost at once, and a retry learns that the write
/// happened (`IDEMPOTENCY_IN_PROGRESS`) instead of getting this answer as if it had not.
pub async fn release(db: &DatabaseConnection, claim: Claim) -> ApiResult<()> {
    settle_or_owe(db, Settle::Release(claim.id)).await
}

/// How a claim ends.
#[derive(Debug)]
enum Settle {
    Finish(i32, Stored),
    Release(i32),
}

/// The ends that could not be written because the database was away (its primary failed
/// over, say), with when they were owed: written before the next key is claimed and by a
/// task that tries every second, so that the retry of such a request runs again instead of
/// waiting for the lease. Ends older than [`LEASE`] are dropped: the lease has freed them.
static OWED: std::sync::Mutex<Vec<(Settle, std::time::Instant)>> =
    std::sync::Mutex::new(Vec::new());

/// Whether the task that writes owed ends runs.
static SETTLING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

async fn settle_or_owe(db: &DatabaseConnection, end: Settle) -> ApiResult<()> {
    match settle(db, &end).await {
        Ok(()) => Ok(()),
        Err(err) => {
            if let Ok(mut owed) = OWED.lock() {
                owed.push((end, std::time::Instant::now()));
            }
            settle_later(db);
            Err(err.into())
        }
    }
}

async fn settle(db: &DatabaseConnection, end: &Settle) -> Result<(), DbErr> {
    match end {
        Settle::Finish(id, answer) => {
            idempotency_key::Entity::update_many()
                .col_expr(C::Status, Some(i32::from(answer.status)).into())
                .col_expr(C::ContentType, answer.content_type.clone().into())
                .col_expr(C::Body, Some(answer.body.clone()).into())
                .filter(C::Id.eq(*id))
                .exec(db)
                .await?;
        }
        Settle::Release(id) => {
            let deleted = idempotency_key::Entity::delete_many()
                .filter(C::Id.eq(*id))
                .filter(C::Committed.eq(false))
                .exec(db)
                .await?;
            if deleted.rows_affected == 0 {
                idempotency_key::Entity::update_many()
                    .col_expr(C::LockedUntil, Utc::now().into())
                    .filter(C::Id.eq(*id))
                    .exec(db)
                    .await?;
            }
        }
    }
    Ok(())
}

/// Writes the owed ends; those that fail again stay owed.
async fn settle_owed(db: &DatabaseConnection) {
    let due: Vec<_> = match OWED.lock() {
        Ok(mut owed) if !owed.is_empty() => owed.drain(..).collect(),
        _ => return,
    };
    let mut failed = Vec::new();
    for (end, since) in due {
        if since.elapsed() < LEASE && settle(db, &end).await.is_err() {
            failed.push((end, since));
        }
    }
    if let Ok(mut owed) = OWED.lock() {
        owed.extend(failed);
    }
}

/// Starts the task that writes owed ends every second until none is left.
fn settle_later(db: &DatabaseConnection) {
    use std::sync::atomic::Ordering;
    if SETTLING.swap(true, Ordering::AcqRel) {
        return;
    }
    let db = db.clone();
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_secs(1)).await;
            settle_owed(&db).await;
            if OWED.lock().map_or(true, |owed| owed.is_empty()) {
                SETTLING.store(false, Ordering::Release);
                // An end owed between the check and the store started no task: look again.
                if OWED.lock().map_or(true, |owed| owed.is_empty())
                    || SETTLING.swap(true, Ordering::AcqRel)
                {
                    return;
                }
            }
        }
    });
}
