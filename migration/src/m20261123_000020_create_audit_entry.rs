use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("audit_entry")
                    .col(pk_auto("id"))
                    .col(integer("tenant_id"))
                    .col(timestamp_with_time_zone("at"))
                    .col(string("actor"))
                    .col(string_null("actor_name"))
                    .col(string("role"))
                    .col(string("action"))
                    .col(string("subject_type"))
                    .col(integer("subject_id"))
                    .col(integer_null("org_unit_id"))
                    .col(json("changes"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_audit_entry_tenant_id")
                            .from("audit_entry", "tenant_id")
                            .to("tenant", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, columns, unique) in [
            (
                "idx_audit_entry_tenant_id_at",
                &["tenant_id", "at"][..],
                false,
            ),
            (
                "idx_audit_entry_subject_type_subject_id",
                &["subject_type", "subject_id"][..],
                false,
            ),
            (
                "idx_audit_entry_tenant_id_org_unit_id",
                &["tenant_id", "org_unit_id"][..],
                false,
            ),
        ] {
            manager
                .create_index(crate::index(name, "audit_entry", columns, unique))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("audit_entry").to_owned())
            .await
    }
}
