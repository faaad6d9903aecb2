use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Weighted roll-ups: the weight of a goal, measure, project and sub-project in its parent's
/// roll-up (1 for every row so far, which keeps today's equal weights), and the tenant's
/// choice of weighting (empty: equal weights, as before).
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters a table one column at a time.
        for table in WEIGHTED {
            let mut column = decimal_len("weight", 8, 2).default(1).to_owned();
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table("tenant")
                    .add_column(string_len_null("rollup_weighting", 16))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("tenant")
                    .drop_column("rollup_weighting")
                    .to_owned(),
            )
            .await?;
        for table in WEIGHTED {
            manager
                .alter_table(Table::alter().table(table).drop_column("weight").to_owned())
                .await?;
        }
        Ok(())
    }
}

/// The tables whose rows carry a weight.
const WEIGHTED: [&str; 4] = ["goal", "measure", "project", "sub_project"];
