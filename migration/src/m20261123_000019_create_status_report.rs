use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("status_report")
                    .col(pk_auto("id"))
                    .col(integer("tenant_id"))
                    .col(integer_null("measure_id"))
                    .col(integer_null("project_id"))
                    .col(integer_null("sub_project_id"))
                    .col(date("reported_on"))
                    .col(integer("progress"))
                    .col(string_len("rag", 8))
                    .col(text("summary"))
                    .col(text_null("risks"))
                    .col(text_null("internal_notes"))
                    .col(text_null("next_steps"))
                    .col(string("author_sub"))
                    .col(string_null("author_name"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_status_report_tenant_id")
                            .from("status_report", "tenant_id")
                            .to("tenant", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_status_report_measure_id")
                            .from("status_report", "measure_id")
                            .to("measure", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_status_report_project_id")
                            .from("status_report", "project_id")
                            .to("project", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_status_report_sub_project_id")
                            .from("status_report", "sub_project_id")
                            .to("sub_project", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, columns, unique) in [
            (
                "idx_status_report_measure_id_reported_on",
                &["measure_id", "reported_on"][..],
                false,
            ),
            (
                "idx_status_report_project_id_reported_on",
                &["project_id", "reported_on"][..],
                false,
            ),
            (
                "idx_status_report_sub_project_id_reported_on",
                &["sub_project_id", "reported_on"][..],
                false,
            ),
            (
                "idx_status_report_tenant_id_reported_on",
                &["tenant_id", "reported_on"][..],
                false,
            ),
            (
                "idx_status_report_tenant_id_rag",
                &["tenant_id", "rag"][..],
                false,
            ),
            (
                "idx_status_report_tenant_id_progress",
                &["tenant_id", "progress"][..],
                false,
            ),
            (
                "idx_status_report_tenant_id_created_at",
                &["tenant_id", "created_at"][..],
                false,
            ),
        ] {
            manager
                .create_index(crate::index(name, "status_report", columns, unique))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("status_report").to_owned())
            .await
    }
}
