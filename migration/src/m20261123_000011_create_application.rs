use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("application")
                    .col(pk_auto("id"))
                    .col(integer("tenant_id"))
                    .col(integer("org_unit_id"))
                    .col(string("title"))
                    .col(text("description"))
                    .col(text_null("expected_benefit"))
                    .col(decimal_len_null("estimated_cost", 14, 2))
                    .col(string_len("status", 16))
                    .col(string("submitted_by"))
                    .col(string_null("submitted_by_name"))
                    .col(date("submitted_on"))
                    .col(integer_null("meeting_id"))
                    .col(date_null("decided_on"))
                    .col(string_null("decision_number"))
                    .col(text_null("decision_note"))
                    .col(text_null("conditions"))
                    .col(decimal_len_null("budget_released", 14, 2))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .col(integer("version"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_application_tenant_id")
                            .from("application", "tenant_id")
                            .to("tenant", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_application_org_unit_id")
                            .from("application", "org_unit_id")
                            .to("org_unit", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_application_meeting_id")
                            .from("application", "meeting_id")
                            .to("steering_meeting", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, columns, unique) in [
            ("idx_application_org_unit_id", &["org_unit_id"][..], false),
            ("idx_application_meeting_id", &["meeting_id"][..], false),
            (
                "idx_application_tenant_id_status",
                &["tenant_id", "status"][..],
                false,
            ),
            (
                "idx_application_tenant_id_submitted_on",
                &["tenant_id", "submitted_on"][..],
                false,
            ),
            (
                "idx_application_tenant_id_title",
                &["tenant_id", "title"][..],
                false,
            ),
            (
                "idx_application_tenant_id_decided_on",
                &["tenant_id", "decided_on"][..],
                false,
            ),
        ] {
            manager
                .create_index(crate::index(name, "application", columns, unique))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("application").to_owned())
            .await
    }
}
