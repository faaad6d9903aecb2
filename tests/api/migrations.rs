//! Every migration goes down as well as up, on both databases.

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, Database};

use crate::{
    helpers::{Backend, TestDatabase},
    on_both,
};

on_both!(
    migrations_go_down_and_up_again,
    entries_before_the_chain_are_sealed_by_its_migration,
);

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
    let Some(database) = TestDatabase::create(backend).await else {
        return;
    };
    let url = match backend {
        Backend::Sqlite => format!("{}?mode=rwc", database.url),
        Backend::Postgres => database.url.clone(),
    };
    let db = Database::connect(&url).await.expect("connect");
    Migrator::up(&db, None).await.expect("up");
    // Back to the schema before the chain (and the migrations after it), with a tenant and
    // three entries.
    let steps = Migrator::migrations()
        .iter()
        .rev()
        .position(|m| m.name() == migration::AUDIT_CHAIN)
        .expect("the chain's migration")
        + 1;
    Migrator::down(&db, Some(steps as u32))
        .await
        .expect("down to before the chain");
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
