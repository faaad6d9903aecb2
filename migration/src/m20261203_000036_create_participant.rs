use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Working together and taking over: org units that take part in a project or sub-project
/// beside its owning unit (leading with it, participating, or reusing its results), and the
/// origin of an application taken over from another tenant's reuse catalogue.
///
/// The origin is kept as ids of the other tenant's rows plus what the catalogue showed at the
/// time (tenant key and name, title): the other tenant may delete the project, leave the
/// catalogue or the installation, and the adopter's record must still say where it came from.
/// No foreign keys across tenants for that reason.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("participant")
                    .col(pk_auto("id"))
                    .col(integer("tenant_id"))
                    // Exactly one of the two is set.
                    .col(integer_null("project_id"))
                    .col(integer_null("sub_project_id"))
                    .col(integer("org_unit_id"))
                    .col(string_len("role", 16))
                    // Whether central IT lets a participant read the budgets of the work.
                    .col(boolean("financials_granted").default(false))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .col(integer("version").default(1))
                    .foreign_key(&mut cascade("tenant_id", "tenant"))
                    .foreign_key(&mut cascade("project_id", "project"))
                    .foreign_key(&mut cascade("sub_project_id", "sub_project"))
                    .foreign_key(&mut cascade("org_unit_id", "org_unit"))
                    .to_owned(),
            )
            .await?;
        for (name, columns, unique) in [
            (
                "ux_participant_project_unit",
                &["project_id", "org_unit_id"][..],
                true,
            ),
            (
                "ux_participant_sub_project_unit",
                &["sub_project_id", "org_unit_id"][..],
                true,
            ),
            // A viewer's participations are read by unit when it signs in.
            (
                "idx_participant_tenant_unit",
                &["tenant_id", "org_unit_id"][..],
                false,
            ),
        ] {
            manager
                .create_index(crate::index(name, "participant", columns, unique))
                .await?;
        }
        // One column per statement: SQLite alters a table one column at a time.
        for column in [
            integer_null("adopted_from_tenant_id"),
            integer_null("adopted_from_project_id"),
            string_null("adopted_from_tenant_key"),
            string_null("adopted_from_tenant_name"),
            string_null("adopted_from_title"),
        ] {
            let mut column = column;
            manager
                .alter_table(
                    Table::alter()
                        .table("application")
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        // A catalogue entry counts its adopters across tenants.
        manager
            .create_index(crate::index(
                "idx_application_adopted_from",
                "application",
                &["adopted_from_project_id"],
                false,
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_application_adopted_from")
                    .table("application")
                    .to_owned(),
            )
            .await?;
        for column in [
            "adopted_from_tenant_id",
            "adopted_from_project_id",
            "adopted_from_tenant_key",
            "adopted_from_tenant_name",
            "adopted_from_title",
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table("application")
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .drop_table(Table::drop().table("participant").to_owned())
            .await
    }
}

/// A reference to `table(id)` whose rows take the participant with them.
fn cascade(column: &'static str, table: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_participant_{column}"))
        .from("participant", column)
        .to(table, "id")
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}
