use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("measure")
                    .col(pk_auto("id"))
                    .col(integer("tenant_id"))
                    .col(integer("org_unit_id"))
                    .col(string("number"))
                    .col(string("title"))
                    .col(text_null("description"))
                    .col(string_len("kind", 24))
                    .col(string_len("priority", 16))
                    .col(date_null("start_date"))
                    .col(date_null("due_date"))
                    .col(date_null("completed_on"))
                    .col(string_len("status", 16))
                    .col(string_len("rag", 8))
                    .col(integer("progress"))
                    .col(decimal_len_null("planned_effort_days", 16, 4))
                    .col(decimal_len_null("actual_effort_days", 16, 4))
                    .col(string_null("target_group"))
                    .col(string_null("channel"))
                    .col(string_null("organiser"))
                    .col(string_len("visibility", 16))
                    .col(timestamp_with_time_zone_null("archived_at"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .col(integer("version"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_measure_tenant_id")
                            .from("measure", "tenant_id")
                            .to("tenant", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_measure_org_unit_id")
                            .from("measure", "org_unit_id")
                            .to("org_unit", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, columns, unique) in [
            ("idx_measure_org_unit_id", &["org_unit_id"][..], false),
            (
                "idx_measure_tenant_id_status",
                &["tenant_id", "status"][..],
                false,
            ),
            (
                "idx_measure_tenant_id_rag",
                &["tenant_id", "rag"][..],
                false,
            ),
            (
                "idx_measure_tenant_id_visibility",
                &["tenant_id", "visibility"][..],
                false,
            ),
            (
                "idx_measure_tenant_id_due_date",
                &["tenant_id", "due_date"][..],
                false,
            ),
            (
                "idx_measure_tenant_id_title",
                &["tenant_id", "title"][..],
                false,
            ),
            (
                "idx_measure_tenant_id_number",
                &["tenant_id", "number"][..],
                false,
            ),
            (
                "idx_measure_tenant_id_kind",
                &["tenant_id", "kind"][..],
                false,
            ),
            (
                "idx_measure_tenant_id_priority",
                &["tenant_id", "priority"][..],
                false,
            ),
            (
                "idx_measure_tenant_id_progress",
                &["tenant_id", "progress"][..],
                false,
            ),
            (
                "idx_measure_tenant_id_start_date",
                &["tenant_id", "start_date"][..],
                false,
            ),
            (
                "idx_measure_tenant_id_created_at",
                &["tenant_id", "created_at"][..],
                false,
            ),
            (
                "idx_measure_tenant_id_updated_at",
                &["tenant_id", "updated_at"][..],
                false,
            ),
        ] {
            manager
                .create_index(crate::index(name, "measure", columns, unique))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("measure").to_owned())
            .await
    }
}
