use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Webhooks: endpoints central IT registers for events of its tenant, the outbox of their
/// deliveries (written in the transaction of the change that raised the event), and the
/// milestones already announced as overdue (once per milestone and due date).
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("webhook")
                    .col(pk_auto("id"))
                    .col(integer("tenant_id"))
                    .col(string_len("url", 2048))
                    // The stored names of the events it receives, comma-separated.
                    .col(text("events"))
                    .col(text_null("description"))
                    // `whsec_…`: kept as it is, since every delivery is signed with it.
                    .col(string_len("secret", 128))
                    .col(string("created_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .col(integer("version"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_webhook_tenant_id")
                            .from("webhook", "tenant_id")
                            .to("tenant", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("webhook_delivery")
                    .col(pk_auto("id"))
                    .col(integer("tenant_id"))
                    .col(integer("webhook_id"))
                    // `webhook-id`: the same on every attempt, the receiver's idempotency key.
                    .col(string_len("message_id", 64))
                    .col(string_len("event", 48))
                    .col(string_len("subject_type", 48))
                    .col(integer("subject_id"))
                    .col(timestamp_with_time_zone("occurred_at"))
                    .col(string_len("status", 16))
                    .col(integer("attempts"))
                    // When the next attempt is due; while one is in flight, when its lease
                    // ends (a process that died mid-attempt leaves it to the next).
                    .col(timestamp_with_time_zone_null("next_attempt_at"))
                    .col(timestamp_with_time_zone_null("last_attempt_at"))
                    .col(integer_null("last_response_code"))
                    .col(string_len_null("last_error", 512))
                    .col(timestamp_with_time_zone_null("delivered_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_webhook_delivery_webhook_id")
                            .from("webhook_delivery", "webhook_id")
                            .to("webhook", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("milestone_overdue_notice")
                    .col(pk_auto("id"))
                    .col(integer("tenant_id"))
                    .col(integer("milestone_id"))
                    .col(date("due_date"))
                    .col(timestamp_with_time_zone("noticed_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_milestone_overdue_notice_milestone_id")
                            .from("milestone_overdue_notice", "milestone_id")
                            .to("milestone", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, table, columns, unique) in [
            (
                "idx_webhook_tenant_id",
                "webhook",
                &["tenant_id"][..],
                false,
            ),
            (
                "ux_webhook_delivery_message_id",
                "webhook_delivery",
                &["message_id"][..],
                true,
            ),
            (
                "idx_webhook_delivery_due",
                "webhook_delivery",
                &["status", "next_attempt_at"][..],
                false,
            ),
            (
                "idx_webhook_delivery_webhook_id",
                "webhook_delivery",
                &["webhook_id", "id"][..],
                false,
            ),
            (
                "ux_milestone_overdue_notice",
                "milestone_overdue_notice",
                &["milestone_id", "due_date"][..],
                true,
            ),
        ] {
            manager
                .create_index(crate::index(name, table, columns, unique))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["milestone_overdue_notice", "webhook_delivery", "webhook"] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
