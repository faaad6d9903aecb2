use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Calendar feeds: a secret URL per person with the milestones and report due dates of what
/// they may see. The row keeps who the person was when they made the feed (subject, role,
/// unit), so the feed is read with exactly their view; the token itself is never stored.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("calendar_feed")
                    .col(pk_auto("id"))
                    .col(integer("tenant_id"))
                    // SHA-256 (hex) of the token in the URL: a copy of the database holds no
                    // working URL.
                    .col(string_len("token_hash", 64))
                    // The owner as the token named them: subject, display name, role, unit.
                    .col(string("subject"))
                    .col(string_null("subject_name"))
                    .col(string("role"))
                    .col(integer_null("org_unit_id"))
                    .col(string("name"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("revoked_at"))
                    .col(string_null("revoked_by"))
                    // When a calendar client last fetched it (at most hourly precision), so
                    // central IT can tell feeds in use from forgotten ones.
                    .col(timestamp_with_time_zone_null("last_used_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_calendar_feed_tenant_id")
                            .from("calendar_feed", "tenant_id")
                            .to("tenant", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    // A department's feed shows its unit's subtree: without the unit it would
                    // have nothing to show, so it goes with it.
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_calendar_feed_org_unit_id")
                            .from("calendar_feed", "org_unit_id")
                            .to("org_unit", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, columns, unique) in [
            ("ux_calendar_feed_token_hash", &["token_hash"][..], true),
            (
                "idx_calendar_feed_tenant_id_subject",
                &["tenant_id", "subject"][..],
                false,
            ),
            ("idx_calendar_feed_org_unit_id", &["org_unit_id"][..], false),
        ] {
            manager
                .create_index(crate::index(name, "calendar_feed", columns, unique))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("calendar_feed").to_owned())
            .await
    }
}
