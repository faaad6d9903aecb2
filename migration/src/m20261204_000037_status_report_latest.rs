use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The latest approved report of every measure, project and sub-project is flagged, so that
/// where everything stands today is read from one report per subject instead of being ranked
/// from the whole history on every dashboard (issue #21). The reports written so far are
/// flagged here; from now on the service keeps the flag (`service::status_report::latest`).
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("status_report")
                    .add_column(boolean("latest").default(false))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        // Window functions and partial indexes read the same in SQLite and PostgreSQL. A
        // report has exactly one subject column set, so the three together name the subject.
        db.execute_unprepared(
            "UPDATE status_report SET latest = TRUE WHERE id IN (\
                SELECT id FROM (\
                    SELECT id, ROW_NUMBER() OVER (\
                        PARTITION BY measure_id, project_id, sub_project_id \
                        ORDER BY reported_on DESC, id DESC) AS n \
                    FROM status_report WHERE review_state = 'approved') AS ranked \
                WHERE n = 1)",
        )
        .await?;
        for (name, columns) in LATEST_INDEXES {
            db.execute_unprepared(&format!(
                "CREATE INDEX {name} ON status_report ({columns}) WHERE latest"
            ))
            .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, _) in LATEST_INDEXES {
            manager
                .get_connection()
                .execute_unprepared(&format!("DROP INDEX {name}"))
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table("status_report")
                    .drop_column("latest")
                    .to_owned(),
            )
            .await
    }
}

/// Partial indexes over the flagged reports only (one per subject): the first holds every
/// column a roll-up reads, so a tenant's latest reports come from the index alone; the others
/// answer "has this measure, project or sub-project reported since" with one probe.
const LATEST_INDEXES: [(&str, &str); 4] = [
    (
        "idx_status_report_latest",
        "tenant_id, measure_id, project_id, sub_project_id, id, reported_on, progress, rag",
    ),
    (
        "idx_status_report_latest_measure",
        "measure_id, reported_on",
    ),
    (
        "idx_status_report_latest_project",
        "project_id, reported_on",
    ),
    (
        "idx_status_report_latest_sub_project",
        "sub_project_id, reported_on",
    ),
];
