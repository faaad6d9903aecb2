use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("strategy")
                    .col(pk_auto("id"))
                    .col(integer("tenant_id"))
                    .col(integer("org_unit_id"))
                    .col(integer_null("predecessor_id"))
                    .col(string("title"))
                    .col(text_null("description"))
                    .col(date("period_start"))
                    .col(date("period_end"))
                    .col(string_len("status", 16))
                    .col(date_null("adopted_on"))
                    .col(integer("revision"))
                    .col(string_len("visibility", 16))
                    .col(timestamp_with_time_zone_null("archived_at"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .col(integer("version"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_strategy_tenant_id")
                            .from("strategy", "tenant_id")
                            .to("tenant", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_strategy_org_unit_id")
                            .from("strategy", "org_unit_id")
                            .to("org_unit", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_strategy_predecessor_id")
                            .from("strategy", "predecessor_id")
                            .to("strategy", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, columns, unique) in [
            (
                "idx_strategy_tenant_id_status",
                &["tenant_id", "status"][..],
                false,
            ),
            (
                "idx_strategy_tenant_id_visibility",
                &["tenant_id", "visibility"][..],
                false,
            ),
            ("idx_strategy_org_unit_id", &["org_unit_id"][..], false),
            (
                "idx_strategy_predecessor_id",
                &["predecessor_id"][..],
                false,
            ),
            (
                "idx_strategy_tenant_id_period_start",
                &["tenant_id", "period_start"][..],
                false,
            ),
            (
                "idx_strategy_tenant_id_title",
                &["tenant_id", "title"][..],
                false,
            ),
        ] {
            manager
                .create_index(crate::index(name, "strategy", columns, unique))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("strategy").to_owned())
            .await
    }
}
