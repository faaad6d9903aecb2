use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The sent-log of the e-mail reminders: one row per tenant, recipient and day, claimed
/// before the digest is sent and marked sent after, so each recipient gets one digest a day
/// however many processes run and however often they restart. The unique key makes the claim:
/// of two processes inserting the same row, one wins.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("digest_log")
                    .col(pk_auto("id"))
                    .col(integer("tenant_id"))
                    // The address as sent to, in lower case: one person, one row a day.
                    .col(string("recipient"))
                    // The day of the digest in the scheduler's time zone.
                    .col(date("day"))
                    // `sending` while a process holds the claim, `sent` once the SMTP server
                    // accepted the digest.
                    .col(string_len("state", 16))
                    .col(integer("items"))
                    // Which process claimed it (host and process id), for operators.
                    .col(string("claimed_by"))
                    .col(timestamp_with_time_zone("claimed_at"))
                    .col(timestamp_with_time_zone_null("sent_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_digest_log_tenant_id")
                            .from("digest_log", "tenant_id")
                            .to("tenant", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(crate::index(
                "ux_digest_log_tenant_id_recipient_day",
                "digest_log",
                &["tenant_id", "recipient", "day"],
                true,
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("digest_log").to_owned())
            .await
    }
}
