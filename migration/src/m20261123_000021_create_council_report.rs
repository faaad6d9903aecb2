use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("council_report")
                    .col(pk_auto("id"))
                    .col(integer("tenant_id"))
                    .col(string_len("period", 32))
                    .col(date("period_from"))
                    .col(date("period_to"))
                    .col(date("as_of"))
                    // The report exactly as it was published, as JSON text: never updated.
                    .col(text("content"))
                    .col(timestamp_with_time_zone("published_at"))
                    .col(string("published_by"))
                    .col(string_null("published_by_name"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_council_report_tenant_id")
                            .from("council_report", "tenant_id")
                            .to("tenant", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, columns, unique) in [
            (
                "ux_council_report_tenant_id_period",
                &["tenant_id", "period"][..],
                true,
            ),
            (
                "idx_council_report_tenant_id_published_at",
                &["tenant_id", "published_at"][..],
                false,
            ),
        ] {
            manager
                .create_index(crate::index(name, "council_report", columns, unique))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("council_report").to_owned())
            .await
    }
}
