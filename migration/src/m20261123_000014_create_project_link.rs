use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("project_link")
                    .col(pk_auto("id"))
                    .col(integer("tenant_id"))
                    .col(integer("project_id"))
                    .col(string_len("kind", 16))
                    .col(string("title"))
                    .col(string("url"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .col(integer("version"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_project_link_tenant_id")
                            .from("project_link", "tenant_id")
                            .to("tenant", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_project_link_project_id")
                            .from("project_link", "project_id")
                            .to("project", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, columns, unique) in [
            ("idx_project_link_project_id", &["project_id"][..], false),
            ("idx_project_link_tenant_id", &["tenant_id"][..], false),
        ] {
            manager
                .create_index(crate::index(name, "project_link", columns, unique))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("project_link").to_owned())
            .await
    }
}
