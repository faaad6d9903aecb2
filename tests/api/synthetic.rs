//! `seed --synthetic`: the shape of each tenant, the same data for the same seed, and a
//! server that serves it.

use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use serde_json::json;

use crate::{
    helpers::{Backend, TestDatabase, spawn_app},
    on_both,
};

on_both!(synthetic_tenants_have_their_shape_and_are_served);
on_both!(the_large_tenant_has_its_shape_and_leaves_the_others_alone);

/// A digest of the rows that make a tenant, in id order.
async fn fingerprint(db: &DatabaseConnection) -> Vec<String> {
    let mut rows = Vec::new();
    for sql in [
        "SELECT CAST(id AS TEXT) || number || title || status || CAST(progress AS TEXT) AS r FROM measure WHERE tenant_id IN (SELECT id FROM tenant WHERE key LIKE 'synth-%') ORDER BY number, title",
        "SELECT CAST(COUNT(*) AS TEXT) || '/' || CAST(SUM(progress) AS TEXT) AS r FROM status_report WHERE tenant_id IN (SELECT id FROM tenant WHERE key LIKE 'synth-%')",
        "SELECT CAST(COUNT(*) AS TEXT) || '/' || CAST(COUNT(achieved_on) AS TEXT) AS r FROM milestone WHERE tenant_id IN (SELECT id FROM tenant WHERE key LIKE 'synth-%')",
    ] {
        for row in db
            .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
            .await
            .expect("query")
        {
            rows.push(row.try_get::<String>("", "r").expect("text"));
        }
    }
    rows
}

async fn synthetic_tenants_have_their_shape_and_are_served(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let loaded = service::seed::synthetic::load(&app.state.db, 2, 7)
        .await
        .expect("load");
    assert_eq!(loaded.tenants, 2);
    assert!(loaded.rows > 10_000, "{loaded:?}");
    // A second run keeps what is there.
    let again = service::seed::synthetic::load(&app.state.db, 2, 7)
        .await
        .expect("load");
    assert_eq!(again.tenants, 0);

    let central = app.token("central_it", "synth-0002", None);
    let data = app
        .query(
            &central,
            "{ orgUnits(first: 100) { totalCount } goals(first: 100) { totalCount } measures { totalCount } projects { totalCount } subProjects { totalCount } portfolioDashboard { measuresByStatus { count } overdueMilestones { totalCount } } }",
            json!({}),
        )
        .await;
    assert_eq!(data["orgUnits"]["totalCount"], 21);
    assert_eq!(data["goals"]["totalCount"], 25);
    assert_eq!(data["measures"]["totalCount"], 100);
    assert_eq!(data["projects"]["totalCount"], 150);
    let subs = data["subProjects"]["totalCount"].as_i64().expect("count");
    assert!((400..=800).contains(&subs), "{subs}");
    // New rows after the generator's own ids: the sequences were moved on.
    app.query(
        &central,
        "mutation { createCategory(input: { name: \"Nach dem Laden\" }) { category { id } } }",
        json!({}),
    )
    .await;
    let department = app.token("department", "synth-0002", Some("FB 1"));
    app.query(
        &department,
        "{ departmentDashboard { measures { totalCount } } }",
        json!({}),
    )
    .await;

    // Statements per request do not depend on the tenant's size: the demo city and a
    // synthetic one run the same number for the dashboards and the council report.
    let reports = "{ portfolioDashboard { measuresByStatus { count } projectsByRag { count } byGoal { rolledUpProgress measuresByRag { count } } byOrgUnit { projectsByStatus { count } } budgetByYear { approved } overdueMilestones { totalCount } measuresWithoutCurrentReport { totalCount } applicationsAwaitingDecision { totalCount } } councilReport(period: \"2026-Q2\") { totals { measures } goals { progressEnd } } }";
    let mut counts = Vec::new();
    for tenant in ["aachen", "synth-0002"] {
        let token = app.token("central_it", tenant, None);
        let before = app.statements();
        app.query(&token, reports, json!({})).await;
        counts.push(app.statements() - before);
    }
    assert_eq!(counts[0], counts[1], "{counts:?}");

    // The same seed gives the same data in another database.
    let other = TestDatabase::create(backend).await.expect("database");
    let url = match backend {
        Backend::Sqlite => format!("{}?mode=rwc", other.url),
        Backend::Postgres => other.url.clone(),
    };
    let db = sea_orm::Database::connect(&url).await.expect("connect");
    api::db::migrate(&db).await.expect("migrate");
    service::seed::synthetic::load(&db, 2, 7)
        .await
        .expect("load");
    let (mine, theirs) = (fingerprint(&app.state.db).await, fingerprint(&db).await);
    assert_eq!(mine.len(), 202);
    // Ids differ (the app holds the demo tenants too); the rest is equal.
    let strip = |rows: Vec<String>| -> Vec<String> {
        rows.into_iter()
            .map(|r| {
                r.trim_start_matches(|c: char| c.is_ascii_digit())
                    .to_owned()
            })
            .collect()
    };
    assert_eq!(strip(mine), strip(theirs));
    let different = service::seed::synthetic::load(&db, 3, 8)
        .await
        .expect("load");
    assert_eq!(different.tenants, 1);
    db.close().await.expect("close");
}

/// `seed --synthetic --large-tenant`: one tenant `synth-large` with a full first page of 50
/// goals, loaded once, beside the city-sized tenants and without changing them.
async fn the_large_tenant_has_its_shape_and_leaves_the_others_alone(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    service::seed::synthetic::load(&app.state.db, 1, 7)
        .await
        .expect("load");
    let city = app.token("central_it", "synth-0001", None);
    let city_rows = "{ measures(first: 100) { edges { node { id code title status progress } } } projects { totalCount } subProjects { totalCount } }";
    let before = app.query(&city, city_rows, json!({})).await;
    let loaded = service::seed::synthetic::load_large(&app.state.db, 7)
        .await
        .expect("load the large tenant");
    assert_eq!(loaded.tenants, 1);
    let again = service::seed::synthetic::load_large(&app.state.db, 7)
        .await
        .expect("load the large tenant");
    assert_eq!(again.tenants, 0);

    let central = app.token("central_it", service::seed::synthetic::LARGE_TENANT, None);
    let data = app
        .query(
            &central,
            "{ goals(first: 50) { totalCount edges { node { measures(first: 20) { totalCount } } } } measures { totalCount } projects { totalCount } subProjects { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(data["goals"]["totalCount"], 50);
    assert_eq!(data["measures"]["totalCount"], 250);
    assert_eq!(data["projects"]["totalCount"], 450);
    let subs = data["subProjects"]["totalCount"].as_i64().expect("count");
    assert!((1_200..=2_400).contains(&subs), "{subs}");
    // The sub-goals carry the measures: 45 goals of 50 with some.
    let with_measures = data["goals"]["edges"]
        .as_array()
        .expect("goals")
        .iter()
        .filter(|e| e["node"]["measures"]["totalCount"].as_i64() > Some(0))
        .count();
    assert_eq!(with_measures, 45);
    // `synth-0001` is what it was.
    assert_eq!(app.query(&city, city_rows, json!({})).await, before);
}
