use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("goal")
                    .col(pk_auto("id"))
                    .col(integer("tenant_id"))
                    .col(integer("strategy_id"))
                    .col(integer_null("parent_id"))
                    .col(integer("org_unit_id"))
                    .col(string("code"))
                    .col(string("title"))
                    .col(text_null("description"))
                    .col(string_len("status", 16))
                    .col(string_len("visibility", 16))
                    .col(integer("position"))
                    .col(timestamp_with_time_zone_null("archived_at"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .col(integer("version"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_goal_tenant_id")
                            .from("goal", "tenant_id")
                            .to("tenant", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_goal_strategy_id")
                            .from("goal", "strategy_id")
                            .to("strategy", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_goal_parent_id")
                            .from("goal", "parent_id")
                            .to("goal", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_goal_org_unit_id")
                            .from("goal", "org_unit_id")
                            .to("org_unit", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, columns, unique) in [
            (
                "idx_goal_strategy_id_position",
                &["strategy_id", "position"][..],
                false,
            ),
            ("idx_goal_parent_id", &["parent_id"][..], false),
            ("idx_goal_org_unit_id", &["org_unit_id"][..], false),
            (
                "idx_goal_tenant_id_status",
                &["tenant_id", "status"][..],
                false,
            ),
            (
                "idx_goal_tenant_id_visibility",
                &["tenant_id", "visibility"][..],
                false,
            ),
            (
                "idx_goal_tenant_id_title",
                &["tenant_id", "title"][..],
                false,
            ),
            ("idx_goal_tenant_id_code", &["tenant_id", "code"][..], false),
            (
                "idx_goal_tenant_id_updated_at",
                &["tenant_id", "updated_at"][..],
                false,
            ),
        ] {
            manager
                .create_index(crate::index(name, "goal", columns, unique))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("goal").to_owned())
            .await
    }
}
