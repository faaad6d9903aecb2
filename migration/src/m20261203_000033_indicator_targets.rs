use sea_orm::DatabaseBackend;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Indicators on goals, measures and projects, with a target path.
///
/// An indicator gets exactly one parent: `goal_id` becomes nullable beside the new
/// `measure_id` and `project_id`, and a check keeps exactly one of the three set. The new
/// table `indicator_target` holds the path (one value per indicator and date); every target
/// an indicator had (`target` at `target_date`) becomes the path's only point. A target
/// without a date stays in its column: a path point needs a date.
///
/// SQLite cannot drop a `NOT NULL` in place: the table is rebuilt within the migration's
/// transaction, with foreign keys deferred so that the values keep pointing at their
/// indicators (the rows come back under the same ids before the commit checks them).
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        // The SQLite rebuild is safe only as a whole.
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DatabaseBackend::Sqlite => rebuild(manager, true).await?,
            _ => {
                for sql in [
                    "ALTER TABLE indicator ALTER COLUMN goal_id DROP NOT NULL",
                    "ALTER TABLE indicator ADD COLUMN measure_id integer NULL \
                     CONSTRAINT fk_indicator_measure_id REFERENCES measure (id) ON DELETE RESTRICT",
                    "ALTER TABLE indicator ADD COLUMN project_id integer NULL \
                     CONSTRAINT fk_indicator_project_id REFERENCES project (id) ON DELETE RESTRICT",
                    "ALTER TABLE indicator ADD CONSTRAINT ck_indicator_one_parent CHECK (\
                     (CASE WHEN goal_id IS NULL THEN 0 ELSE 1 END) \
                     + (CASE WHEN measure_id IS NULL THEN 0 ELSE 1 END) \
                     + (CASE WHEN project_id IS NULL THEN 0 ELSE 1 END) = 1)",
                ] {
                    db.execute_unprepared(sql).await?;
                }
            }
        }
        for (name, column) in [
            ("idx_indicator_measure_id", "measure_id"),
            ("idx_indicator_project_id", "project_id"),
        ] {
            manager
                .create_index(crate::index(name, "indicator", &[column], false))
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table("indicator_target")
                    .col(pk_auto("id"))
                    .col(integer("tenant_id"))
                    .col(integer("indicator_id"))
                    .col(date("target_date"))
                    .col(decimal_len("value", 16, 4))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_indicator_target_tenant_id")
                            .from("indicator_target", "tenant_id")
                            .to("tenant", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_indicator_target_indicator_id")
                            .from("indicator_target", "indicator_id")
                            .to("indicator", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, columns, unique) in [
            (
                "idx_indicator_target_indicator_id_target_date",
                &["indicator_id", "target_date"][..],
                true,
            ),
            ("idx_indicator_target_tenant_id", &["tenant_id"][..], false),
        ] {
            manager
                .create_index(crate::index(name, "indicator_target", columns, unique))
                .await?;
        }
        db.execute_unprepared(TARGETS_FROM_COLUMNS).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        manager
            .drop_table(Table::drop().table("indicator_target").to_owned())
            .await?;
        // Before, every indicator was a goal's: the others go, with their values.
        db.execute_unprepared(
            "DELETE FROM indicator_value WHERE indicator_id IN \
             (SELECT id FROM indicator WHERE goal_id IS NULL)",
        )
        .await?;
        db.execute_unprepared("DELETE FROM indicator WHERE goal_id IS NULL")
            .await?;
        for name in ["idx_indicator_measure_id", "idx_indicator_project_id"] {
            manager
                .drop_index(Index::drop().name(name).table("indicator").to_owned())
                .await?;
        }
        match manager.get_database_backend() {
            DatabaseBackend::Sqlite => rebuild(manager, false).await,
            _ => {
                for sql in [
                    "ALTER TABLE indicator DROP CONSTRAINT ck_indicator_one_parent",
                    "ALTER TABLE indicator DROP COLUMN project_id",
                    "ALTER TABLE indicator DROP COLUMN measure_id",
                    "ALTER TABLE indicator ALTER COLUMN goal_id SET NOT NULL",
                ] {
                    db.execute_unprepared(sql).await?;
                }
                Ok(())
            }
        }
    }
}

/// Every target with a date becomes the only point of its indicator's path (the import of an
/// older tenant file does the same, see `service::tenant::transfer::import`).
const TARGETS_FROM_COLUMNS: &str = "INSERT INTO indicator_target \
     (tenant_id, indicator_id, target_date, value) \
     SELECT tenant_id, id, target_date, target FROM indicator \
     WHERE target IS NOT NULL AND target_date IS NOT NULL";

/// The columns an indicator had before this migration, in their order.
const OLD_COLUMNS: &str = "id, tenant_id, goal_id, name, description, unit, baseline, \
     baseline_date, target, target_date, higher_is_better, archived_at, created_at, updated_at, \
     version";

/// Rebuilds `indicator` on SQLite: with the parents (`up`) or as before (`down`), keeping
/// every row under its id.
async fn rebuild(manager: &SchemaManager<'_>, parents: bool) -> Result<(), DbErr> {
    let db = manager.get_connection();
    // Deferred: the values point at no indicator between the drop and the copy back.
    db.execute_unprepared("PRAGMA defer_foreign_keys = ON")
        .await?;
    db.execute_unprepared("CREATE TABLE indicator_rebuild AS SELECT * FROM indicator")
        .await?;
    manager
        .drop_table(Table::drop().table("indicator").to_owned())
        .await?;
    manager.create_table(indicator_table(parents)).await?;
    // Up, the old rows are all goals' indicators; down, only those are left.
    db.execute_unprepared(&format!(
        "INSERT INTO indicator ({OLD_COLUMNS}) SELECT {OLD_COLUMNS} FROM indicator_rebuild"
    ))
    .await?;
    db.execute_unprepared("DROP TABLE indicator_rebuild")
        .await?;
    for (name, column) in [
        ("idx_indicator_goal_id", "goal_id"),
        ("idx_indicator_tenant_id", "tenant_id"),
    ] {
        manager
            .create_index(crate::index(name, "indicator", &[column], false))
            .await?;
    }
    Ok(())
}

/// The table `indicator` as `m20261123_000006_create_indicator` made it, and with `parents`
/// the measure and project beside the (then optional) goal, exactly one of them set.
fn indicator_table(parents: bool) -> TableCreateStatement {
    let mut table = Table::create();
    table
        .table("indicator")
        .col(pk_auto("id"))
        .col(integer("tenant_id"))
        .col(if parents {
            integer_null("goal_id")
        } else {
            integer("goal_id")
        })
        .col(string("name"))
        .col(text_null("description"))
        .col(string("unit"))
        .col(decimal_len_null("baseline", 16, 4))
        .col(date_null("baseline_date"))
        .col(decimal_len_null("target", 16, 4))
        .col(date_null("target_date"))
        .col(boolean("higher_is_better"))
        .col(timestamp_with_time_zone_null("archived_at"))
        .col(timestamp_with_time_zone("created_at"))
        .col(timestamp_with_time_zone("updated_at"))
        .col(integer("version"))
        .foreign_key(
            ForeignKey::create()
                .name("fk_indicator_tenant_id")
                .from("indicator", "tenant_id")
                .to("tenant", "id")
                .on_delete(ForeignKeyAction::Restrict),
        )
        .foreign_key(
            ForeignKey::create()
                .name("fk_indicator_goal_id")
                .from("indicator", "goal_id")
                .to("goal", "id")
                .on_delete(ForeignKeyAction::Restrict),
        );
    if parents {
        table
            .col(integer_null("measure_id"))
            .col(integer_null("project_id"))
            .foreign_key(
                ForeignKey::create()
                    .name("fk_indicator_measure_id")
                    .from("indicator", "measure_id")
                    .to("measure", "id")
                    .on_delete(ForeignKeyAction::Restrict),
            )
            .foreign_key(
                ForeignKey::create()
                    .name("fk_indicator_project_id")
                    .from("indicator", "project_id")
                    .to("project", "id")
                    .on_delete(ForeignKeyAction::Restrict),
            )
            .check(Expr::cust(
                "(goal_id IS NOT NULL) + (measure_id IS NOT NULL) + (project_id IS NOT NULL) = 1",
            ));
    }
    table.to_owned()
}
