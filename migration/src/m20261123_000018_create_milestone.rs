use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("milestone")
                    .col(pk_auto("id"))
                    .col(integer("tenant_id"))
                    .col(integer("project_id"))
                    .col(integer_null("sub_project_id"))
                    .col(string("code"))
                    .col(string("title"))
                    .col(text_null("description"))
                    .col(date("due_date"))
                    .col(date_null("achieved_on"))
                    .col(timestamp_with_time_zone_null("archived_at"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .col(integer("version"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_milestone_tenant_id")
                            .from("milestone", "tenant_id")
                            .to("tenant", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_milestone_project_id")
                            .from("milestone", "project_id")
                            .to("project", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_milestone_sub_project_id")
                            .from("milestone", "sub_project_id")
                            .to("sub_project", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, columns, unique) in [
            (
                "idx_milestone_project_id_due_date",
                &["project_id", "due_date"][..],
                false,
            ),
            (
                "idx_milestone_sub_project_id_due_date",
                &["sub_project_id", "due_date"][..],
                false,
            ),
            (
                "idx_milestone_tenant_id_due_date",
                &["tenant_id", "due_date"][..],
                false,
            ),
            (
                "idx_milestone_tenant_id_achieved_on",
                &["tenant_id", "achieved_on"][..],
                false,
            ),
            (
                "idx_milestone_tenant_id_code",
                &["tenant_id", "code"][..],
                false,
            ),
            (
                "idx_milestone_tenant_id_title",
                &["tenant_id", "title"][..],
                false,
            ),
        ] {
            manager
                .create_index(crate::index(name, "milestone", columns, unique))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("milestone").to_owned())
            .await
    }
}
