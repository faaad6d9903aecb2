use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("budget_line")
                    .col(pk_auto("id"))
                    .col(integer("tenant_id"))
                    .col(integer("project_id"))
                    .col(integer("year"))
                    .col(string_len("source", 16))
                    .col(decimal_len("planned", 14, 2))
                    .col(decimal_len("approved", 14, 2))
                    .col(decimal_len("spent", 14, 2))
                    .col(text_null("note"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .col(integer("version"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_budget_line_tenant_id")
                            .from("budget_line", "tenant_id")
                            .to("tenant", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_budget_line_project_id")
                            .from("budget_line", "project_id")
                            .to("project", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, columns, unique) in [
            (
                "idx_budget_line_project_id_year",
                &["project_id", "year"][..],
                false,
            ),
            (
                "idx_budget_line_tenant_id_year",
                &["tenant_id", "year"][..],
                false,
            ),
        ] {
            manager
                .create_index(crate::index(name, "budget_line", columns, unique))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("budget_line").to_owned())
            .await
    }
}
