use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("idempotency_key")
                    .col(pk_auto("id"))
                    // Whose key: `<tenant id>/<subject>`, or `operator/<subject>`.
                    .col(string("owner"))
                    .col(string("key"))
                    // The tenant, to remove its keys with it; none for an operator.
                    .col(integer_null("tenant_id"))
                    // SHA-256 of the method, path, query and body of the first request.
                    .col(string_len("request_hash", 64))
                    // Until then the first request holds the key; a retry after it may take
                    // over a request that died before its write committed.
                    .col(timestamp_with_time_zone("locked_until"))
                    // Set in the write's own transaction: the write of the first request
                    // committed.
                    .col(boolean("committed").default(false))
                    // The first answer, once there is one.
                    .col(integer_null("status"))
                    .col(string_null("content_type"))
                    .col(blob_null("body"))
                    .col(timestamp_with_time_zone("created_at"))
                    .to_owned(),
            )
            .await?;
        for (name, columns, unique) in [
            ("ux_idempotency_key_owner_key", &["owner", "key"][..], true),
            ("idx_idempotency_key_created_at", &["created_at"][..], false),
            ("idx_idempotency_key_tenant_id", &["tenant_id"][..], false),
        ] {
            manager
                .create_index(crate::index(name, "idempotency_key", columns, unique))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("idempotency_key").to_owned())
            .await
    }
}
