use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Review of status reports: whether a tenant reviews its departments' reports before they
/// count, and each report's review (state, comment, who and when); the address of the
/// tenant's central steering unit, whom reminders for the whole tenant go to. Reports written
/// before are approved: they counted already.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters a table one column at a time.
        let tenant = [
            boolean("report_review").default(false).to_owned(),
            string_null("steering_email"),
        ];
        let report = [
            string_len("review_state", 16)
                .default("approved")
                .to_owned(),
            text_null("review_comment"),
            string_null("reviewed_by"),
            timestamp_with_time_zone_null("reviewed_at"),
            // A review changes a report: approving or returning one compares its version.
            integer("version").default(1).to_owned(),
        ];
        for (table, columns) in [("tenant", &tenant[..]), ("status_report", &report[..])] {
            for column in columns {
                let mut column = column.clone();
                manager
                    .alter_table(
                        Table::alter()
                            .table(table)
                            .add_column(&mut column)
                            .to_owned(),
                    )
                    .await?;
            }
        }
        // The pending and returned reports of a subject are looked up by state.
        manager
            .create_index(crate::index(
                "idx_status_report_review_state",
                "status_report",
                &["tenant_id", "review_state"],
                false,
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_status_report_review_state")
                    .table("status_report")
                    .to_owned(),
            )
            .await?;
        for (table, column) in [
            ("status_report", "version"),
            ("status_report", "reviewed_at"),
            ("status_report", "reviewed_by"),
            ("status_report", "review_comment"),
            ("status_report", "review_state"),
            ("tenant", "steering_email"),
            ("tenant", "report_review"),
        ] {
            manager
                .alter_table(Table::alter().table(table).drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}
