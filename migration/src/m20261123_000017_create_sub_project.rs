use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("sub_project")
                    .col(pk_auto("id"))
                    .col(integer("tenant_id"))
                    .col(integer("project_id"))
                    .col(integer("org_unit_id"))
                    .col(string_null("code"))
                    .col(string("title"))
                    .col(text_null("description"))
                    .col(string_len("status", 16))
                    .col(string_len("rag", 8))
                    .col(integer("progress"))
                    .col(date_null("start_date"))
                    .col(date_null("end_date"))
                    .col(string_len("visibility", 16))
                    .col(timestamp_with_time_zone_null("archived_at"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .col(integer("version"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_sub_project_tenant_id")
                            .from("sub_project", "tenant_id")
                            .to("tenant", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_sub_project_project_id")
                            .from("sub_project", "project_id")
                            .to("project", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_sub_project_org_unit_id")
                            .from("sub_project", "org_unit_id")
                            .to("org_unit", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, columns, unique) in [
            (
                "idx_sub_project_project_id_code",
                &["project_id", "code"][..],
                false,
            ),
            ("idx_sub_project_org_unit_id", &["org_unit_id"][..], false),
            (
                "idx_sub_project_tenant_id_status",
                &["tenant_id", "status"][..],
                false,
            ),
            (
                "idx_sub_project_tenant_id_rag",
                &["tenant_id", "rag"][..],
                false,
            ),
            (
                "idx_sub_project_tenant_id_visibility",
                &["tenant_id", "visibility"][..],
                false,
            ),
            (
                "idx_sub_project_tenant_id_end_date",
                &["tenant_id", "end_date"][..],
                false,
            ),
            (
                "idx_sub_project_tenant_id_start_date",
                &["tenant_id", "start_date"][..],
                false,
            ),
            (
                "idx_sub_project_tenant_id_progress",
                &["tenant_id", "progress"][..],
                false,
            ),
            (
                "idx_sub_project_tenant_id_title",
                &["tenant_id", "title"][..],
                false,
            ),
            (
                "idx_sub_project_tenant_id_updated_at",
                &["tenant_id", "updated_at"][..],
                false,
            ),
        ] {
            manager
                .create_index(crate::index(name, "sub_project", columns, unique))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("sub_project").to_owned())
            .await
    }
}
