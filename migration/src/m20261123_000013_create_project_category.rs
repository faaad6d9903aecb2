use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("project_category")
                    .col(integer("project_id"))
                    .col(integer("category_id"))
                    .col(integer("tenant_id"))
                    .primary_key(Index::create().col("project_id").col("category_id"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_project_category_project_id")
                            .from("project_category", "project_id")
                            .to("project", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_project_category_category_id")
                            .from("project_category", "category_id")
                            .to("category", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_project_category_tenant_id")
                            .from("project_category", "tenant_id")
                            .to("tenant", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, columns, unique) in [
            (
                "idx_project_category_category_id",
                &["category_id"][..],
                false,
            ),
            ("idx_project_category_tenant_id", &["tenant_id"][..], false),
        ] {
            manager
                .create_index(crate::index(name, "project_category", columns, unique))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("project_category").to_owned())
            .await
    }
}
