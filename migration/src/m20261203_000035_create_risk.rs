use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Status by dimension and the risk register (#19 item 3).
///
/// A status report gets one light (and a comment) for each of schedule, budget, scope and
/// resources, as columns of the report: a page of reports reads them with the reports, in
/// the same statement, and they follow the report's review as the rest of it does. Reports
/// written before have none (all empty).
///
/// `risk` is the register of a project or a measure (exactly one of the two columns is set):
/// probability and impact 1-5, owner, mitigation, status and the day of its next review.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters a table one column at a time.
        for dimension in DIMENSIONS {
            for mut column in [
                string_len_null(format!("{dimension}_rag"), 8),
                text_null(format!("{dimension}_comment")),
            ] {
                manager
                    .alter_table(
                        Table::alter()
                            .table("status_report")
                            .add_column(&mut column)
                            .to_owned(),
                    )
                    .await?;
            }
        }
        manager
            .create_table(
                Table::create()
                    .table("risk")
                    .col(pk_auto("id"))
                    .col(integer("tenant_id"))
                    .col(integer_null("project_id"))
                    .col(integer_null("measure_id"))
                    .col(string_len("title", 300))
                    .col(text_null("description"))
                    .col(integer("probability"))
                    .col(integer("impact"))
                    .col(string_null("owner_name"))
                    .col(text_null("mitigation"))
                    .col(string_len("status", 16))
                    .col(date_null("review_on"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .col(integer("version"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_risk_tenant_id")
                            .from("risk", "tenant_id")
                            .to("tenant", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_risk_project_id")
                            .from("risk", "project_id")
                            .to("project", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_risk_measure_id")
                            .from("risk", "measure_id")
                            .to("measure", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, columns) in [
            ("idx_risk_project_id", &["project_id"][..]),
            ("idx_risk_measure_id", &["measure_id"][..]),
            ("idx_risk_tenant_id_status", &["tenant_id", "status"][..]),
        ] {
            manager
                .create_index(crate::index(name, "risk", columns, false))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("risk").to_owned())
            .await?;
        for dimension in DIMENSIONS {
            for column in [format!("{dimension}_rag"), format!("{dimension}_comment")] {
                manager
                    .alter_table(
                        Table::alter()
                            .table("status_report")
                            .drop_column(column)
                            .to_owned(),
                    )
                    .await?;
            }
        }
        Ok(())
    }
}

/// The dimensions of a status report, as the columns' prefixes.
const DIMENSIONS: [&str; 4] = ["schedule", "budget", "scope", "resources"];
