//! Every migration goes down as well as up, on both databases.

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};

use crate::{
    helpers::{Backend, TestDatabase},
    on_both,
};

on_both!(
    migrations_go_down_and_up_again,
    entries_before_the_chain_are_sealed_by_its_migration,
    indicators_keep_their_goal_values_and_target_through_the_target_paths,
    the_latest_reports_stored_before_are_flagged,
);

/// A database as an installation from before migration `name` has it: migrated up, then the
/// migrations from `name` on taken down again.
async fn before(backend: Backend, name: &str) -> Option<(TestDatabase, DatabaseConnection)> {
    let database = TestDatabase::create(backend).await?;
    let url = match backend {
        Backend::Sqlite => format!("{}?mode=rwc", database.url),
        Backend::Postgres => database.url.clone(),
    };
    let db = Database::connect(&url).await.expect("connect");
    Migrator::up(&db, None).await.expect("up");
    let since = Migrator::migrations()
        .iter()
        .rev()
        .position(|m| m.name() == name)
        .unwrap_or_else(|| panic!("no migration {name}"))
        + 1;
    Migrator::down(&db, Some(since as u32))
        .await
        .unwrap_or_else(|err| panic!("down to before {name}: {err}"));
    Some((database, db))
}

async fn migrations_go_down_and_up_again(backend: Backend) {
    let Some(database) = TestDatabase::create(backend).await else {
        return;
    };
    let url = match backend {
        Backend::Sqlite => format!("{}?mode=rwc", database.url),
        Backend::Postgres => database.url.clone(),
    };
    let db = Database::connect(&url).await.expect("connect");
    Migrator::up(&db, None).await.expect("up");
    let applied = Migrator::get_applied_migrations(&db)
        .await
        .expect("applied")
        .len();
    assert_eq!(applied, Migrator::migrations().len());
    Migrator::down(&db, None).await.expect("down");
    assert!(
        Migrator::get_applied_migrations(&db)
            .await
            .expect("applied")
            .is_empty()
    );
    let left = match backend {
        Backend::Sqlite => {
            "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'seaql_migrations'"
        }
        Backend::Postgres => {
            "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'seaql_migrations'"
        }
    };
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            left,
        ))
        .await
        .expect("count")
        .expect("row");
    assert_eq!(
        row.try_get::<i64>("", "n").expect("n"),
        0,
        "down removes every table"
    );
    Migrator::up(&db, None).await.expect("up again");
    db.close().await.expect("close");
}

/// The audit trail of an installation from before the chain: its migration seals the entries
/// in their order, and the chain verifies.
async fn entries_before_the_chain_are_sealed_by_its_migration(backend: Backend) {
    // Back to the schema before the chain (and the migrations after it), with a tenant and
    // three entries.
    let Some((_database, db)) = before(backend, migration::AUDIT_CHAIN).await else {
        return;
    };
    let applied = Migrator::get_applied_migrations(&db)
        .await
        .expect("applied");
    assert!(applied.iter().all(|m| m.name() != migration::AUDIT_CHAIN));
    db.execute_unprepared(
        "INSERT INTO tenant (id, key, name, kind, council_live_report, data_version, public_reads, created_at, updated_at, version) \
         VALUES (1, 'alt', 'Altstadt', 'municipality', false, 0, true, '2026-01-01 00:00:00+00:00', '2026-01-01 00:00:00+00:00', 1)",
    )
    .await
    .expect("tenant");
    for n in 1..=3 {
        db.execute_unprepared(&format!(
            "INSERT INTO audit_entry (tenant_id, at, actor, role, action, subject_type, subject_id, changes) \
             VALUES (1, '2026-01-0{n} 10:00:00+00:00', 'alt-admin', 'central_it', 'update', 'Measure', {n}, '{{\"title\": {{\"before\": \"A\", \"after\": \"B{n}\"}}}}')"
        ))
        .await
        .expect("entry");
    }
    api::db::migrate(&db).await.expect("migrate");
    let verdict = service::audit::chain::verify(&db, 1).await.expect("verify");
    assert!(
        matches!(
            verdict,
            service::audit::chain::Verdict::Intact {
                entries: 3,
                head: Some(_)
            }
        ),
        "{verdict:?}"
    );
    db.close().await.expect("close");
}

/// An indicator stored before target paths: after the migration it still measures its goal,
/// its values still point at it, and its target is the only point of its path.
async fn indicators_keep_their_goal_values_and_target_through_the_target_paths(backend: Backend) {
    let Some((_database, db)) = before(backend, "m20261203_000033_indicator_targets").await else {
        return;
    };
    let at = "'2026-01-01 00:00:00+00:00'";
    for insert in [
        format!(
            "INSERT INTO tenant (id, key, name, kind, council_live_report, data_version, public_reads, created_at, updated_at, version) VALUES (1, 'alt', 'Altstadt', 'municipality', false, 0, true, {at}, {at}, 1)"
        ),
        format!(
            "INSERT INTO org_unit (id, tenant_id, code, name, kind, position, created_at, updated_at, version) VALUES (1, 1, 'FB 1', 'Digitales', 'department', 0, {at}, {at}, 1)"
        ),
        format!(
            "INSERT INTO strategy (id, tenant_id, org_unit_id, title, period_start, period_end, status, revision, visibility, created_at, updated_at, version) VALUES (1, 1, 1, 'Strategie', '2024-01-01', '2028-12-31', 'adopted', 1, 'public', {at}, {at}, 1)"
        ),
        format!(
            "INSERT INTO goal (id, tenant_id, strategy_id, org_unit_id, code, title, status, visibility, position, created_at, updated_at, version) VALUES (1, 1, 1, 1, 'Z1', 'Online', 'in_progress', 'public', 0, {at}, {at}, 1)"
        ),
        format!(
            "INSERT INTO indicator (id, tenant_id, goal_id, name, unit, baseline, baseline_date, target, target_date, higher_is_better, created_at, updated_at, version) VALUES (7, 1, 1, 'Online-Dienste', '%', 10, '2024-01-01', 80, '2027-12-31', true, {at}, {at}, 1)"
        ),
        format!(
            "INSERT INTO indicator (id, tenant_id, goal_id, name, unit, target, higher_is_better, created_at, updated_at, version) VALUES (8, 1, 1, 'Ohne Datum', 'x', 5, true, {at}, {at}, 1)"
        ),
        format!(
            "INSERT INTO indicator_value (tenant_id, indicator_id, measured_on, value, created_at, updated_at, version) VALUES (1, 7, '2025-06-30', 42, {at}, {at}, 1)"
        ),
    ] {
        db.execute_unprepared(&insert).await.expect(&insert);
    }
    Migrator::up(&db, None).await.expect("up again");
    let row = |sql: &str| {
        let db = &db;
        let sql = sql.to_owned();
        async move {
            db.query_one_raw(sea_orm::Statement::from_string(
                db.get_database_backend(),
                sql,
            ))
            .await
            .expect("query")
            .expect("a row")
        }
    };
    let kept = row("SELECT goal_id, measure_id, project_id FROM indicator WHERE id = 7").await;
    assert_eq!(kept.try_get::<Option<i32>>("", "goal_id").unwrap(), Some(1));
    assert_eq!(kept.try_get::<Option<i32>>("", "measure_id").unwrap(), None);
    assert_eq!(kept.try_get::<Option<i32>>("", "project_id").unwrap(), None);
    let value = row(
        "SELECT COUNT(*) AS n FROM indicator_value v JOIN indicator i ON i.id = v.indicator_id",
    )
    .await;
    assert_eq!(
        value.try_get::<i64>("", "n").unwrap(),
        1,
        "the value still points at its indicator"
    );
    let path = row(
        "SELECT COUNT(*) AS n, MIN(indicator_id) AS i, MIN(target_date) AS d FROM indicator_target",
    )
    .await;
    assert_eq!(
        path.try_get::<i64>("", "n").unwrap(),
        1,
        "a target without a date makes no point"
    );
    assert_eq!(path.try_get::<i32>("", "i").unwrap(), 7);
    // Exactly one parent: an indicator without one is refused.
    let orphan = db
        .execute_unprepared(&format!("INSERT INTO indicator (tenant_id, name, unit, higher_is_better, created_at, updated_at, version) VALUES (1, 'Waise', 'x', true, {at}, {at}, 1)"))
        .await;
    assert!(orphan.is_err(), "an indicator needs a parent");
    db.close().await.expect("close");
}

/// The reports stored before the flag get it from the migration: per subject the approved
/// report of the latest day, the later one of two on that day; a report waiting for review
/// or returned is never the latest.
async fn the_latest_reports_stored_before_are_flagged(backend: Backend) {
    let Some((_database, db)) = before(backend, "m20261204_000037_status_report_latest").await
    else {
        return;
    };
    let at = "'2026-01-01 00:00:00+00:00'";
    let mut inserts = vec![
        format!(
            "INSERT INTO tenant (id, key, name, kind, council_live_report, data_version, public_reads, created_at, updated_at, version) VALUES (1, 'alt', 'Altstadt', 'municipality', false, 0, true, {at}, {at}, 1)"
        ),
        format!(
            "INSERT INTO org_unit (id, tenant_id, code, name, kind, position, created_at, updated_at, version) VALUES (1, 1, 'FB 1', 'Digitales', 'department', 0, {at}, {at}, 1)"
        ),
    ];
    for measure in [1, 2] {
        inserts.push(format!(
            "INSERT INTO measure (id, tenant_id, org_unit_id, number, title, kind, priority, status, rag, progress, visibility, created_at, updated_at, version) VALUES ({measure}, 1, 1, 'M{measure}', 'Maßnahme', 'project', 'high', 'in_progress', 'green', 0, 'public', {at}, {at}, 1)"
        ));
    }
    for (id, measure, day, state) in [
        (1, 1, "2026-01-10", "approved"),
        (2, 1, "2026-03-01", "approved"),
        (3, 1, "2026-03-01", "approved"),
        (4, 1, "2026-05-01", "submitted"),
        (5, 2, "2026-02-01", "returned"),
    ] {
        inserts.push(format!(
            "INSERT INTO status_report (id, tenant_id, measure_id, reported_on, progress, rag, summary, author_sub, created_at, review_state, version) VALUES ({id}, 1, {measure}, '{day}', 10, 'green', 'Stand', 'alt', {at}, '{state}', 1)"
        ));
    }
    for insert in inserts {
        db.execute_unprepared(&insert).await.expect(&insert);
    }
    Migrator::up(&db, None).await.expect("up again");
    let flagged = db
        .query_all_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT id FROM status_report WHERE latest ORDER BY id",
        ))
        .await
        .expect("query");
    let ids: Vec<i32> = flagged
        .iter()
        .map(|row| row.try_get::<i32>("", "id").unwrap())
        .collect();
    assert_eq!(ids, [3]);
}
