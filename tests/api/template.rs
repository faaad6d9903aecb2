//! The migrated template PostgreSQL test databases are copied from.
//!
//! Migrating a new database costs about a second; `CREATE DATABASE ... TEMPLATE` copies a
//! migrated one in a fraction of that. The template is named by a hash of the migrations
//! (their names and the source of the `migration` crate), so a changed migration gets a new
//! template, and it stays on the server for later runs. Test processes running at once build
//! it under an advisory lock; one that finds it half-made (a run that died while building)
//! builds it again. A finished template is marked `IS_TEMPLATE` and refuses connections, so
//! nothing can hold it open while others copy it.
//!
//! Templates of migrations that are gone stay behind (a few MB each); remove them with
//! `ALTER DATABASE <name> IS_TEMPLATE false` and `DROP DATABASE <name>`.

use std::sync::LazyLock;

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, TransactionTrait};
use sha2::{Digest, Sha256};

/// `digidash_template_<hash of the migrations>`.
static NAME: LazyLock<(String, i64)> = LazyLock::new(|| {
    let mut hash = Sha256::new();
    for migration in Migrator::migrations() {
        hash.update(migration.name().as_bytes());
        hash.update(b"\n");
    }
    // The source as well: a migration edited in place (before it was ever released) must
    // not leave a template of its old version behind.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migration/src");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    for file in files {
        hash.update(std::fs::read(&file).unwrap_or_default());
    }
    let digest = hash.finalize();
    let name = format!(
        "digidash_template_{}",
        digest[..8]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    );
    // The advisory lock of this template: another 8 bytes of the same hash.
    let key = i64::from_be_bytes(digest[8..16].try_into().expect("8 bytes"));
    (name, key)
});

/// The name of the migrated template, built first if no finished one is on the server.
pub async fn ensure(admin: &DatabaseConnection, admin_url: &str) -> String {
    let (name, key) = &*NAME;
    if ready(admin, name).await {
        return name.clone();
    }
    // Held until the transaction ends, also when this process dies: other builders wait.
    let lock = admin.begin().await.expect("lock transaction");
    lock.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({key})"))
        .await
        .expect("template lock");
    if !ready(admin, name).await {
        build(admin, admin_url, name).await;
    }
    lock.commit().await.expect("release the template lock");
    name.clone()
}

/// Whether the finished template is there.
async fn ready(admin: &DatabaseConnection, name: &str) -> bool {
    admin
        .query_one_raw(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Postgres,
            format!("SELECT 1 AS ok FROM pg_database WHERE datname = '{name}' AND datistemplate"),
        ))
        .await
        .expect("look for the template")
        .is_some()
}

/// Makes the template from scratch (under the lock).
async fn build(admin: &DatabaseConnection, admin_url: &str, name: &str) {
    for statement in [
        format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
        format!("CREATE DATABASE \"{name}\""),
    ] {
        admin
            .execute_unprepared(&statement)
            .await
            .unwrap_or_else(|err| panic!("`{statement}`: {err}"));
    }
    let db = Database::connect(super::helpers::database_url(admin_url, name))
        .await
        .expect("connect to the new template");
    api::db::migrate(&db).await.expect("migrate the template");
    db.close().await.expect("close the template");
    let finish = format!("ALTER DATABASE \"{name}\" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false");
    admin
        .execute_unprepared(&finish)
        .await
        .unwrap_or_else(|err| panic!("`{finish}`: {err}"));
}
