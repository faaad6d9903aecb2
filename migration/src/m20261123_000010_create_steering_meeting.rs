use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("steering_meeting")
                    .col(pk_auto("id"))
                    .col(integer("tenant_id"))
                    .col(string("title"))
                    .col(date("held_on"))
                    .col(string_null("location"))
                    .col(text_null("notes"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .col(integer("version"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_steering_meeting_tenant_id")
                            .from("steering_meeting", "tenant_id")
                            .to("tenant", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, columns, unique) in [(
            "idx_steering_meeting_tenant_id_held_on",
            &["tenant_id", "held_on"][..],
            false,
        )] {
            manager
                .create_index(crate::index(name, "steering_meeting", columns, unique))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("steering_meeting").to_owned())
            .await
    }
}
