use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Settings of a tenant, which replace the installation's defaults where set: the reporting
/// cycle, the first month of the fiscal year, the language of exports, whether anonymous
/// public reads are allowed, and the title and issuer lines of the council report.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters a table one column at a time.
        let columns = [
            integer_null("reporting_cycle_days"),
            integer_null("fiscal_year_start_month"),
            string_null("export_language"),
            boolean("public_reads").default(true).to_owned(),
            text_null("council_report_title"),
            text_null("council_report_issuer"),
        ];
        for column in columns {
            let mut column = column;
            manager
                .alter_table(
                    Table::alter()
                        .table("tenant")
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            "council_report_issuer",
            "council_report_title",
            "public_reads",
            "export_language",
            "fiscal_year_start_month",
            "reporting_cycle_days",
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table("tenant")
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
