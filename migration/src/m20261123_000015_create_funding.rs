use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("funding")
                    .col(pk_auto("id"))
                    .col(integer("tenant_id"))
                    .col(integer("project_id"))
                    .col(string("programme"))
                    .col(string("funder"))
                    .col(decimal_len("amount", 14, 2))
                    .col(decimal_len_null("rate", 16, 4))
                    .col(text_null("note"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .col(integer("version"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_funding_tenant_id")
                            .from("funding", "tenant_id")
                            .to("tenant", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_funding_project_id")
                            .from("funding", "project_id")
                            .to("project", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, columns, unique) in [
            ("idx_funding_project_id", &["project_id"][..], false),
            ("idx_funding_tenant_id", &["tenant_id"][..], false),
        ] {
            manager
                .create_index(crate::index(name, "funding", columns, unique))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("funding").to_owned())
            .await
    }
}
