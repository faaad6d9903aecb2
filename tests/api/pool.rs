//! The database pool: a PostgreSQL connection that sat idle is tested before it is handed
//! out, so the connections the server lost meanwhile (a restart, a failover, an idle timeout
//! of a firewall, an administrator's `pg_terminate_backend`) are replaced without a failed
//! request. A connection back from a request a moment ago is handed out untested
//! (`api::db::ping_when_idle`).

use std::time::Duration;

use sea_orm::ConnectionTrait;
use serde_json::json;

use crate::helpers::{Backend, TestApp, spawn_app};

const QUERY: &str = "{ measures(first: 5) { totalCount edges { node { code } } } }";

/// Four requests at once, every one answered without errors.
async fn all_answered(app: &TestApp, token: &str, when: &str) {
    let ask = || app.post(Some(token), json!({ "query": QUERY }));
    let (a, b, c, d) = tokio::join!(ask(), ask(), ask(), ask());
    for (status, body) in [a, b, c, d] {
        assert_eq!(status, 200, "{when}: {body}");
        assert!(body.get("errors").is_none(), "{when}: {body}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_lost_while_idle_are_replaced_without_a_failed_request() {
    let Some(app) = spawn_app(Backend::Postgres).await else {
        return;
    };
    let token = app.token("central_it", "aachen", None);
    // The pool opens several connections.
    all_answered(&app, &token, "before").await;

    let admin = sea_orm::Database::connect(app.database_url())
        .await
        .expect("an administrator's connection");
    let ended = admin
        .query_all_raw(sea_orm::Statement::from_string(
            admin.get_database_backend(),
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = current_database() AND pid <> pg_backend_pid()",
        ))
        .await
        .expect("the server's connections ended");
    assert!(!ended.is_empty(), "the server held connections");
    admin.close().await.expect("closed");

    // Idle for longer than a connection is trusted without a test.
    tokio::time::sleep(Duration::from_millis(800)).await;
    all_answered(&app, &token, "after the connections were ended").await;
}
