use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("org_unit")
                    .col(pk_auto("id"))
                    .col(integer("tenant_id"))
                    .col(integer_null("parent_id"))
                    .col(string("code"))
                    .col(string("name"))
                    .col(string_len("kind", 24))
                    .col(integer("position"))
                    .col(timestamp_with_time_zone_null("archived_at"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .col(integer("version"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_org_unit_tenant_id")
                            .from("org_unit", "tenant_id")
                            .to("tenant", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_org_unit_parent_id")
                            .from("org_unit", "parent_id")
                            .to("org_unit", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, columns, unique) in [
            (
                "idx_org_unit_tenant_id_parent_id",
                &["tenant_id", "parent_id"][..],
                false,
            ),
            (
                "idx_org_unit_tenant_id_name",
                &["tenant_id", "name"][..],
                false,
            ),
            (
                "idx_org_unit_tenant_id_kind",
                &["tenant_id", "kind"][..],
                false,
            ),
            (
                "idx_org_unit_tenant_id_position",
                &["tenant_id", "position"][..],
                false,
            ),
            (
                "ux_org_unit_tenant_id_code",
                &["tenant_id", "code"][..],
                true,
            ),
            ("idx_org_unit_parent_id", &["parent_id"][..], false),
        ] {
            manager
                .create_index(crate::index(name, "org_unit", columns, unique))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("org_unit").to_owned())
            .await
    }
}
