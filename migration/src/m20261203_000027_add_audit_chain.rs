use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The audit trail as a hash chain per tenant: each entry carries the hash of the entry before
/// it and its own hash over both; the tenant row keeps the chain's head. Entries written before
/// this migration are sealed by `digidash migrate` (and at server start) in their order.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters a table one column at a time.
        for (table, column) in [
            ("audit_entry", string_len_null("prev_hash", 64)),
            ("audit_entry", string_len_null("hash", 64)),
            ("tenant", string_len_null("audit_head", 64)),
        ] {
            let mut column = column;
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, column) in [
            ("tenant", "audit_head"),
            ("audit_entry", "hash"),
            ("audit_entry", "prev_hash"),
        ] {
            manager
                .alter_table(Table::alter().table(table).drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}
