use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("indicator")
                    .col(pk_auto("id"))
                    .col(integer("tenant_id"))
                    .col(integer("goal_id"))
                    .col(string("name"))
                    .col(text_null("description"))
                    .col(string("unit"))
                    .col(decimal_len_null("baseline", 16, 4))
                    .col(date_null("baseline_date"))
                    .col(decimal_len_null("target", 16, 4))
                    .col(date_null("target_date"))
                    .col(boolean("higher_is_better"))
                    .col(timestamp_with_time_zone_null("archived_at"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .col(integer("version"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_indicator_tenant_id")
                            .from("indicator", "tenant_id")
                            .to("tenant", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_indicator_goal_id")
                            .from("indicator", "goal_id")
                            .to("goal", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, columns, unique) in [
            ("idx_indicator_goal_id", &["goal_id"][..], false),
            ("idx_indicator_tenant_id", &["tenant_id"][..], false),
        ] {
            manager
                .create_index(crate::index(name, "indicator", columns, unique))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("indicator").to_owned())
            .await
    }
}
