//! Every migration goes down as well as up, on both databases.

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, Database};

use crate::{
    helpers::{Backend, TestDatabase},
    on_both,
};

on_both!(migrations_go_down_and_up_again);

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
