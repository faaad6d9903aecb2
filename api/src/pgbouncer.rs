//! Running behind PgBouncer in transaction pooling mode (`DATABASE_PGBOUNCER=true`).
//!
//! PgBouncer lends a server connection for one transaction at a time: between two
//! transactions of one client, the next statement may reach another server. sqlx, as SeaORM
//! drives it, breaks there in two ways, whatever its statement cache holds:
//!
//! - it prepares a statement (Parse, Describe, Sync) and executes it (Bind, Execute, Sync) in
//!   two round trips, and outside a transaction PgBouncer may hand the second one to a server
//!   that never saw the first;
//! - it names every statement it prepares (`sqlx_s_1`, `sqlx_s_2`, ... per connection, even
//!   with `statement_cache_capacity(0)`: SeaORM's queries are all "persistent", and sqlx names
//!   persistent statements and then neither keeps nor closes them), so two clients meet on
//!   one server with statements of the same name ("already exists"), or a cached one is
//!   missing on the next server ("does not exist").
//!
//! So in this mode every connection leaves the pool inside a transaction and ends it when it
//! comes back: one checkout is one PgBouncer transaction on one server. The transaction
//! begins with `DEALLOCATE ALL`, so whatever statements earlier transactions left on that
//! server are gone and no name can collide, and with `SET LOCAL statement_timeout`, because
//! PgBouncer refuses the `options` startup parameter that carries the timeout otherwise.
//!
//! The `BEGIN` is sent behind sqlx's back (sqlx does not count it), so that a SeaORM
//! transaction on the checkout stays a real transaction: its `BEGIN` joins the open one
//! (PostgreSQL warns "there is already a transaction in progress" and carries on), and its
//! `COMMIT` commits for good before the write is acknowledged. Had sqlx counted our `BEGIN`,
//! the write would have become a savepoint, committed only when the connection goes back to
//! the pool, which sqlx does in a task of its own, after the answer may have left. A checkout
//! without a transaction of SeaORM's (a read) is committed on its way back to the pool. The
//! warnings stay out of digidash's logs (`client_min_messages`); PostgreSQL's own log shows
//! two per write.
//!
//! The statement cache is off (a cached statement would be missing on the next server), and
//! `extra_float_digits` is not sent (PgBouncer refuses startup parameters it does not know;
//! PostgreSQL 12 and later print floats exactly without it).

use std::{future::Future, pin::Pin, sync::Arc};

use sea_orm::{
    ConnectOptions,
    sqlx::{
        AssertSqlSafe, Connection, Executor, SqlSafeStr, pool::PoolConnectionMetadata,
        postgres::PgConnection,
    },
};

type Hook<'c, T> = Pin<Box<dyn Future<Output = Result<T, sea_orm::sqlx::Error>> + Send + 'c>>;

/// Ends a checkout: commits its transaction when it is still open. When a SeaORM
/// transaction ended it already, the `COMMIT` finds none; the `set_config` keeps that
/// warning from the client (in a transaction of its own, it ends with it).
const END_CHECKOUT: &str = "SELECT set_config('client_min_messages', 'error', true); COMMIT";

/// Sets up a PostgreSQL pool for PgBouncer's transaction mode.
///
/// The pool must keep no idle connections it did not hand out (`min_connections` stays 0):
/// a new connection starts its checkout transaction as it is opened.
pub fn configure(options: &mut ConnectOptions, statement_timeout_ms: u64) {
    // The BEGIN of every checkout tests the connection; a ping first would only add a trip.
    options.test_before_acquire(false);
    options
        .map_sqlx_postgres_opts(|opts| opts.statement_cache_capacity(0).extra_float_digits(None));
    let begin: Arc<str> = checkout_sql(statement_timeout_ms).into();
    options.map_sqlx_postgres_pool_opts(move |pool| {
        let (opened, acquired) = (begin.clone(), begin.clone());
        pool.after_connect(move |conn, _: PoolConnectionMetadata| -> Hook<'_, ()> {
            let sql = opened.clone();
            Box::pin(async move { begin_checkout(conn, &sql).await })
        })
        .before_acquire(move |conn, _: PoolConnectionMetadata| -> Hook<'_, bool> {
            let sql = acquired.clone();
            Box::pin(async move { begin_checkout(conn, &sql).await.map(|()| true) })
        })
        .after_release(|conn, _: PoolConnectionMetadata| -> Hook<'_, bool> {
            Box::pin(end_checkout(conn))
        })
    });
}

/// What opens a checkout: the transaction, the clean-up of statements, the timeout, and no
/// warnings for the client (a SeaORM `BEGIN` inside draws one).
fn checkout_sql(statement_timeout_ms: u64) -> String {
    let mut sql = "BEGIN; DEALLOCATE ALL; SET LOCAL client_min_messages = error;".to_owned();
    if statement_timeout_ms > 0 {
        sql.push_str(&format!(
            " SET LOCAL statement_timeout = {statement_timeout_ms};"
        ));
    }
    sql
}

async fn begin_checkout(
    conn: &mut PgConnection,
    sql: &Arc<str>,
) -> Result<(), sea_orm::sqlx::Error> {
    // One simple query, one round trip; not through sqlx's transaction manager (see above).
    conn.execute(AssertSqlSafe(sql.clone()).into_sql_str())
        .await
        .map(|_| ())
}

/// Ends the checkout's transaction; `false` (close the connection, which rolls back) when
/// a SeaORM transaction on it is still open, so a half-done write is never committed.
async fn end_checkout(conn: &mut PgConnection) -> Result<bool, sea_orm::sqlx::Error> {
    // sqlx counts only transactions begun through it: SeaORM's, not the checkout's.
    if conn.is_in_transaction() {
        return Ok(false);
    }
    if conn.execute(END_CHECKOUT).await.is_err() {
        // A failed statement left the transaction aborted, so the `set_config` failed too:
        // roll it back (a plain statement of an aborted transaction wrote nothing).
        conn.execute("ROLLBACK").await?;
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_checkout_sets_the_timeout_only_when_there_is_one() {
        assert_eq!(
            checkout_sql(2_500),
            "BEGIN; DEALLOCATE ALL; SET LOCAL client_min_messages = error; SET LOCAL statement_timeout = 2500;"
        );
        assert_eq!(
            checkout_sql(0),
            "BEGIN; DEALLOCATE ALL; SET LOCAL client_min_messages = error;"
        );
    }
}
