use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// On PostgreSQL, every move of a tenant's `data_version` notifies the channel
/// `digidash_data_changed` with `<tenant id>:<version>`. PostgreSQL delivers a notification
/// when its transaction commits, to every listening process, and never for a rolled-back one:
/// the servers' `dataChanged` subscriptions hear of each committed write, whichever process
/// (or `digidash` command) wrote it. SQLite has one process, which tells itself.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != sea_orm::DatabaseBackend::Postgres {
            return Ok(());
        }
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE OR REPLACE FUNCTION digidash_notify_data_changed() RETURNS trigger \
             LANGUAGE plpgsql AS $$ \
             BEGIN \
               PERFORM pg_notify('digidash_data_changed', NEW.id::text || ':' || NEW.data_version::text); \
               RETURN NULL; \
             END $$",
        )
        .await?;
        db.execute_unprepared(
            "CREATE TRIGGER tenant_data_changed AFTER UPDATE OF data_version ON tenant \
             FOR EACH ROW WHEN (NEW.data_version IS DISTINCT FROM OLD.data_version) \
             EXECUTE FUNCTION digidash_notify_data_changed()",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != sea_orm::DatabaseBackend::Postgres {
            return Ok(());
        }
        let db = manager.get_connection();
        db.execute_unprepared("DROP TRIGGER IF EXISTS tenant_data_changed ON tenant")
            .await?;
        db.execute_unprepared("DROP FUNCTION IF EXISTS digidash_notify_data_changed()")
            .await?;
        Ok(())
    }
}
