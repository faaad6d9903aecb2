//! Behind PgBouncer in transaction pooling mode (`DATABASE_PGBOUNCER=true`): migrations, the
//! demo data, parallel queries and writes all pass through a PgBouncer that has fewer server
//! connections than the app has clients, so consecutive transactions of one client land on
//! different servers.

use serde_json::{Value, json};

use crate::{
    helpers::{Backend, spawn_app_with},
    local_postgres::{PgBouncer, on_port, sql},
};

const UPDATE: &str = "mutation($input: UpdateMeasureInput!) { updateMeasure(input: $input) { measure { version } } }";
const READ: &str = "query($id: ID!) { node(id: $id) { ... on Measure { title version } } }";

async fn post(client: &reqwest::Client, address: &str, token: &str, query: &str) -> Value {
    let response = client
        .post(format!("{address}/graphql"))
        .bearer_auth(token)
        .json(&json!({ "query": query }))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 200);
    response.json().await.expect("json")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_works_through_pgbouncer_in_transaction_mode() {
    // Declared first, dropped last: the app's database goes before PgBouncer stops.
    let Some(bouncer) = PgBouncer::start().await else {
        return;
    };
    let port = bouncer.port;
    let mut direct = String::new();
    let Some(app) = spawn_app_with(Backend::Postgres, |config| {
        let url = config.database_url.clone().expect("a database");
        config.database_url = Some(on_port(&url, port));
        direct = url;
        config.pool.pgbouncer = true;
        config.serving.response_cache_entries = 0;
    })
    .await
    else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let department = app.token("department", "aachen", Some("FB 36"));

    // Parallel requests of several roles, each with several statements and loader batches.
    let queries = [
        "{ measures(first: 20) { totalCount edges { node { title goals { code } orgUnit { code } projects(first: 5) { edges { node { title } } } } } } }",
        "{ portfolioDashboard { measuresByRag { rag count } budgetByYear { year planned } } }",
        "{ projects(first: 10) { edges { node { title subProjects(first: 5) { edges { node { title milestones { edges { node { code } } } } } } } } } }",
    ];
    let mut tasks = tokio::task::JoinSet::new();
    for round in 0..8 {
        let (client, address) = (app.client.clone(), app.address.clone());
        let query = queries[round % queries.len()];
        // The dashboard is central IT's; the lists are read by both roles.
        let token = if round % 2 == 0 || query.contains("portfolioDashboard") {
            &central
        } else {
            &department
        }
        .clone();
        tasks.spawn(async move { post(&client, &address, &token, query).await });
    }
    while let Some(body) = tasks.join_next().await {
        let body = body.expect("task");
        assert!(body.get("errors").is_none(), "{body}");
    }

    // A write, read back at once; a stale write conflicts and changes nothing.
    let measure = app.first_measure(&central).await;
    let (id, version) = (measure["id"].clone(), measure["version"].clone());
    let written = app
        .query(
            &central,
            UPDATE,
            json!({ "input": { "id": id, "version": version, "title": "Über PgBouncer" } }),
        )
        .await;
    // Committed for good when it is acknowledged: a connection past PgBouncer sees it.
    let committed = sql(
        &direct,
        "SELECT count(*) AS n FROM measure WHERE title = 'Über PgBouncer'",
    )
    .await;
    assert_eq!(committed[0].try_get::<i64>("", "n").expect("n"), 1);
    assert_eq!(
        app.error_code(
            Some(&central),
            UPDATE,
            json!({ "input": { "id": id, "version": version, "title": "Verloren" } }),
        )
        .await,
        "CONFLICT"
    );
    let read = app.query(&central, READ, json!({ "id": id })).await;
    assert_eq!(read["node"]["title"], "Über PgBouncer");
    assert_eq!(
        read["node"]["version"],
        written["updateMeasure"]["measure"]["version"]
    );

    // Each checkout is one transaction that carries the statement timeout and starts without
    // statements left by others.
    use sea_orm::{ConnectionTrait, DbBackend, Statement};
    let row = app
        .state
        .db
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT current_setting('statement_timeout') AS timeout, (SELECT count(*) FROM pg_prepared_statements) AS prepared, now() = statement_timestamp() AS fresh",
        ))
        .await
        .expect("settings")
        .expect("a row");
    assert_eq!(
        row.try_get::<String>("", "timeout").expect("timeout"),
        "10s"
    );
    assert!(row.try_get::<i64>("", "prepared").expect("prepared") <= 1);
    assert!(
        !row.try_get::<bool>("", "fresh").expect("fresh"),
        "the statement runs inside the checkout's transaction"
    );
    // Nothing stays open between checkouts: once the last one is back in the pool (sqlx
    // returns connections in a task of its own), no server connection idles in a transaction.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let idle = sql(
            &direct,
            "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%' AND pid <> pg_backend_pid()",
        )
        .await;
        if idle[0].try_get::<i64>("", "n").expect("n") == 0 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "a transaction stays open"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        !bouncer.log().contains("unsupported startup parameter"),
        "{}",
        bouncer.log()
    );
}
