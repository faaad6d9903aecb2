use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("measure_goal")
                    .col(integer("measure_id"))
                    .col(integer("goal_id"))
                    .col(integer("tenant_id"))
                    .primary_key(Index::create().col("measure_id").col("goal_id"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_measure_goal_measure_id")
                            .from("measure_goal", "measure_id")
                            .to("measure", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_measure_goal_goal_id")
                            .from("measure_goal", "goal_id")
                            .to("goal", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_measure_goal_tenant_id")
                            .from("measure_goal", "tenant_id")
                            .to("tenant", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, columns, unique) in [
            ("idx_measure_goal_goal_id", &["goal_id"][..], false),
            ("idx_measure_goal_tenant_id", &["tenant_id"][..], false),
        ] {
            manager
                .create_index(crate::index(name, "measure_goal", columns, unique))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("measure_goal").to_owned())
            .await
    }
}
