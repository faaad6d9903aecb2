//! Read replicas, on a real streaming replica of the local PostgreSQL server: queries read
//! from it once it has caught up with the caller's tenant, a write is in the very next read,
//! and a paused or stopped replica is skipped without a failed request.
//!
//! One test walks through every stage on one replica: a streaming replica copies the whole
//! cluster, so one per run is enough, and pausing and stopping it would disturb any other test
//! sharing it.

use serde_json::{Value, json};

use crate::{
    helpers::{Backend, TestApp, spawn_app_with},
    local_postgres::{StreamingReplica, on_port, sql},
};

const UPDATE: &str = "mutation($input: UpdateMeasureInput!) { updateMeasure(input: $input) { measure { version } } }";
const READ: &str = "query($id: ID!) { node(id: $id) { ... on Measure { title version } } }";

/// Which database served the reads of requests so far, from `/metrics`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Reads {
    primary: u64,
    replica: u64,
    behind: u64,
    down: u64,
}

async fn reads(app: &TestApp) -> Reads {
    let text = app.metrics().await;
    let value = |series: &str| {
        text.lines()
            .find_map(|line| line.strip_prefix(series)?.trim().parse::<u64>().ok())
            .unwrap_or_else(|| panic!("no {series} in\n{text}"))
    };
    Reads {
        primary: value("digidash_db_reads_total{database=\"primary\"}"),
        replica: value("digidash_db_reads_total{database=\"replica\"}"),
        behind: value("digidash_db_replica_fallbacks_total{reason=\"behind\"}"),
        down: value("digidash_db_replica_fallbacks_total{reason=\"down\"}"),
    }
}

/// A query that no earlier request asked, so the response cache cannot answer it.
fn fresh_query(n: usize) -> String {
    format!(
        "{{ measures(first: {}) {{ totalCount edges {{ node {{ id title }} }} }} }}",
        n + 1
    )
}

/// Retitles `measure` and reads it back at once; returns the new version.
async fn write_then_read(app: &TestApp, token: &str, id: &Value, version: i64, title: &str) -> i64 {
    let updated = app
        .query(
            token,
            UPDATE,
            json!({ "input": { "id": id, "version": version, "title": title } }),
        )
        .await;
    let version = updated["updateMeasure"]["measure"]["version"]
        .as_i64()
        .expect("version");
    let read = app.query(token, READ, json!({ "id": id })).await;
    assert_eq!(read["node"]["title"], title, "the read after the write");
    assert_eq!(read["node"]["version"], version);
    version
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queries_read_a_caught_up_replica_and_never_miss_a_write() {
    // Declared first, dropped last: the app's database goes before the replica stops.
    let Some(replica) = StreamingReplica::start().await else {
        return;
    };
    let port = replica.port;
    let Some(app) = spawn_app_with(Backend::Postgres, |config| {
        let url = config.database_url.clone().expect("a database");
        // Listed after a host where nothing listens (port 1), as libpq lists hosts: the
        // first read fails there, and the pool moves to the standby that answers.
        let replica = on_port(&url, port).replacen("@127.0.0.1:", "@127.0.0.1:1,127.0.0.1:", 1)
            + "?target_session_attrs=standby";
        config.database_replica_urls = api::config::ReplicaUrls(vec![replica]);
        config.serving.max_batch_size = 2;
    })
    .await
    else {
        return;
    };
    let database = app
        .state
        .config
        .database_url
        .clone()
        .and_then(|url| url.rsplit('/').next().map(str::to_owned))
        .expect("a database name");
    let central = app.token("central_it", "aachen", None);
    let mut counter = 0..;
    let mut fresh = || fresh_query(counter.next().expect("endless"));

    // Caught up: queries read the replica, and its statements are counted too. The first
    // read opens the replica's pool; on a machine busy with the whole suite that may exceed
    // the replica's one-second check, and a replica marked down is retried five seconds later.
    replica.wait_for_replay().await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let before = reads(&app).await;
        app.query(&central, &fresh(), json!({})).await;
        if reads(&app).await.replica > before.replica {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no read reached the replica"
        );
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    let before = reads(&app).await;
    let statements = app.statements();
    for _ in 0..3 {
        app.query(&central, &fresh(), json!({})).await;
    }
    let after = reads(&app).await;
    assert_eq!(after.replica, before.replica + 3, "{before:?} {after:?}");
    assert_eq!(after.primary, before.primary, "{before:?} {after:?}");
    assert!(
        app.statements() >= statements + 3 * 3,
        "viewer, check and query"
    );
    let sessions = sql(
        &replica.url("postgres"),
        &format!("SELECT count(*) AS n FROM pg_stat_activity WHERE datname = '{database}'"),
    )
    .await;
    assert!(
        sessions[0].try_get::<i64>("", "n").expect("n") > 0,
        "the app is connected to the replica"
    );

    // A write is in the very next read, replica or not.
    let measure = app.first_measure(&central).await;
    let id = measure["id"].clone();
    let mut version = measure["version"].as_i64().expect("version");
    for round in 0..5 {
        version = write_then_read(&app, &central, &id, version, &format!("Replik {round}")).await;
    }

    // A batch reads what its own mutation wrote, though the read was cached before it.
    let cached = app.query(&central, READ, json!({ "id": id })).await;
    let (status, batch) = app
        .post(
            Some(&central),
            json!([
                { "query": UPDATE, "variables": { "input": { "id": id, "version": version, "title": "Im Stapel" } } },
                { "query": READ, "variables": { "id": id } },
            ]),
        )
        .await;
    assert_eq!(status, 200, "{batch}");
    assert_ne!(batch[1]["data"], json!(cached), "{batch}");
    assert_eq!(batch[1]["data"]["node"]["title"], "Im Stapel", "{batch}");
    version += 1;

    // Paused replay: the replica is behind for this tenant, so its reads go to the primary and
    // still see every write; another tenant, which did not write, still reads the replica.
    sql(&replica.url("postgres"), "SELECT pg_wal_replay_pause()").await;
    let before = reads(&app).await;
    version = write_then_read(&app, &central, &id, version, "Pausiert").await;
    app.query(&central, &fresh(), json!({})).await;
    let after = reads(&app).await;
    assert_eq!(after.replica, before.replica, "{before:?} {after:?}");
    assert_eq!(after.behind, before.behind + 2, "{before:?} {after:?}");
    let kisa = app.token("central_it", "kisa", None);
    app.query(&kisa, &fresh(), json!({})).await;
    assert_eq!(reads(&app).await.replica, after.replica + 1);
    sql(&replica.url("postgres"), "SELECT pg_wal_replay_resume()").await;
    replica.wait_for_replay().await;
    let before = reads(&app).await;
    app.query(&central, &fresh(), json!({})).await;
    assert_eq!(
        reads(&app).await.replica,
        before.replica + 1,
        "caught up again"
    );

    // Exports read a caught-up replica too.
    version = write_then_read(&app, &central, &id, version, "Für den Export").await;
    replica.wait_for_replay().await;
    let before = reads(&app).await;
    let csv = app
        .client
        .get(format!("{}/exports/measures.csv", app.address))
        .bearer_auth(&central)
        .send()
        .await
        .expect("export");
    assert_eq!(csv.status(), 200);
    assert!(csv.text().await.expect("csv").contains("Für den Export"));
    assert_eq!(reads(&app).await.replica, before.replica + 1);

    // Stopped: requests still succeed, from the primary, and see the writes.
    replica.stop();
    let before = reads(&app).await;
    for _ in 0..3 {
        app.query(&central, &fresh(), json!({})).await;
    }
    write_then_read(&app, &central, &id, version, "Ohne Replik").await;
    let after = reads(&app).await;
    assert_eq!(after.replica, before.replica, "{before:?} {after:?}");
    assert_eq!(after.down, before.down + 4, "{before:?} {after:?}");
    let ready = app
        .client
        .get(format!("{}/readyz", app.address))
        .send()
        .await
        .expect("readyz");
    assert_eq!(ready.status(), 200, "readiness depends on the primary only");
}

/// A replica that passes its catch-up check but fails the reads (here: a database holding
/// only the tenants' data versions, as a replica whose queries are cancelled): the operation
/// runs again on the primary, the client gets its answer, and the replica is skipped after.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replica_failing_mid_request_leaves_the_answer_to_the_primary() {
    use sea_orm::ConnectionTrait;
    // Declared first, dropped last.
    let Some(fake) = crate::helpers::TestDatabase::create(Backend::Postgres).await else {
        return;
    };
    let db = sea_orm::Database::connect(&fake.url)
        .await
        .expect("connect");
    db.execute_unprepared(
        "CREATE TABLE tenant (id integer PRIMARY KEY, data_version bigint NOT NULL); \
         INSERT INTO tenant SELECT g, 1000000000 FROM generate_series(1, 1000) g",
    )
    .await
    .expect("the fake replica");
    db.close().await.expect("close");
    let url = fake.url.clone();
    let Some(app) = spawn_app_with(Backend::Postgres, |config| {
        config.database_replica_urls = api::config::ReplicaUrls(vec![url]);
    })
    .await
    else {
        return;
    };
    let central = app.token("central_it", "aachen", None);
    let before = reads(&app).await;
    let (status, body) = app
        .post(Some(&central), json!({ "query": fresh_query(4) }))
        .await;
    assert_eq!(status, 200);
    assert!(body.get("errors").is_none(), "{body}");
    assert_eq!(
        body["data"]["measures"]["edges"].as_array().unwrap().len(),
        5
    );
    let after = reads(&app).await;
    assert_eq!(after.replica, before.replica + 1, "the replica was chosen");
    assert_eq!(after.down, before.down + 1, "and left for the primary");

    // Marked down, it is not asked again for a while.
    let body = app.query(&central, &fresh_query(5), json!({})).await;
    assert!(body["measures"]["totalCount"].as_u64().unwrap() > 0);
    let later = reads(&app).await;
    assert_eq!(later.replica, after.replica);
    assert_eq!(later.primary, after.primary + 1, "{later:?}");
    assert_eq!(later.down, after.down + 1, "{later:?}");
}
