use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("project")
                    .col(pk_auto("id"))
                    .col(integer("tenant_id"))
                    .col(integer_null("measure_id"))
                    .col(integer("org_unit_id"))
                    .col(integer_null("application_id"))
                    .col(string_null("code"))
                    .col(string("title"))
                    .col(text_null("summary"))
                    .col(text_null("description"))
                    .col(string_len("status", 16))
                    .col(string_len("rag", 8))
                    .col(integer("progress"))
                    .col(string_len("visibility", 16))
                    .col(string_null("contact_name"))
                    .col(string_null("contact_email"))
                    .col(string_null("contact_phone"))
                    .col(text_null("unique_selling_point"))
                    .col(text_null("benefit_for_all"))
                    .col(boolean("transferable"))
                    .col(text_null("transferable_results"))
                    .col(date_null("transferable_from"))
                    .col(string_null("funding_recipient"))
                    .col(string_null("model_region"))
                    .col(text_null("pilot_areas"))
                    .col(date_null("start_date"))
                    .col(date_null("end_date"))
                    .col(date_null("application_approved_on"))
                    .col(date_null("implementation_commissioned_on"))
                    .col(date_null("go_live_on"))
                    .col(date_null("closed_on"))
                    .col(timestamp_with_time_zone_null("archived_at"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .col(integer("version"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_project_tenant_id")
                            .from("project", "tenant_id")
                            .to("tenant", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_project_measure_id")
                            .from("project", "measure_id")
                            .to("measure", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_project_org_unit_id")
                            .from("project", "org_unit_id")
                            .to("org_unit", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_project_application_id")
                            .from("project", "application_id")
                            .to("application", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, columns, unique) in [
            ("idx_project_measure_id", &["measure_id"][..], false),
            ("idx_project_org_unit_id", &["org_unit_id"][..], false),
            ("idx_project_application_id", &["application_id"][..], false),
            (
                "idx_project_tenant_id_status",
                &["tenant_id", "status"][..],
                false,
            ),
            (
                "idx_project_tenant_id_rag",
                &["tenant_id", "rag"][..],
                false,
            ),
            (
                "idx_project_tenant_id_visibility",
                &["tenant_id", "visibility"][..],
                false,
            ),
            (
                "idx_project_tenant_id_end_date",
                &["tenant_id", "end_date"][..],
                false,
            ),
            (
                "idx_project_tenant_id_title",
                &["tenant_id", "title"][..],
                false,
            ),
            (
                "idx_project_tenant_id_code",
                &["tenant_id", "code"][..],
                false,
            ),
            (
                "idx_project_tenant_id_start_date",
                &["tenant_id", "start_date"][..],
                false,
            ),
            (
                "idx_project_tenant_id_progress",
                &["tenant_id", "progress"][..],
                false,
            ),
            (
                "idx_project_tenant_id_created_at",
                &["tenant_id", "created_at"][..],
                false,
            ),
            (
                "idx_project_tenant_id_updated_at",
                &["tenant_id", "updated_at"][..],
                false,
            ),
            (
                "idx_project_transferable_visibility",
                &["transferable", "visibility"][..],
                false,
            ),
        ] {
            manager
                .create_index(crate::index(name, "project", columns, unique))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("project").to_owned())
            .await
    }
}
