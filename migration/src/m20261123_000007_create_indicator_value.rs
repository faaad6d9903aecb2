use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("indicator_value")
                    .col(pk_auto("id"))
                    .col(integer("tenant_id"))
                    .col(integer("indicator_id"))
                    .col(date("measured_on"))
                    .col(decimal_len("value", 16, 4))
                    .col(text_null("note"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .col(integer("version"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_indicator_value_tenant_id")
                            .from("indicator_value", "tenant_id")
                            .to("tenant", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_indicator_value_indicator_id")
                            .from("indicator_value", "indicator_id")
                            .to("indicator", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, columns, unique) in [
            (
                "idx_indicator_value_indicator_id_measured_on",
                &["indicator_id", "measured_on"][..],
                false,
            ),
            ("idx_indicator_value_tenant_id", &["tenant_id"][..], false),
        ] {
            manager
                .create_index(crate::index(name, "indicator_value", columns, unique))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("indicator_value").to_owned())
            .await
    }
}
