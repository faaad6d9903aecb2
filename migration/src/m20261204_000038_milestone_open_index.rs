use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The milestones not yet achieved, by tenant and due date. Overdue milestones are asked for
/// on every dashboard and warning, and a tenant's milestones are mostly achieved: through the
/// index on all of them, PostgreSQL fetched every past milestone of the tenant (about 780 rows
/// at the synthetic scale, one heap page each) to keep the 30 still open (issue #21).
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // A partial index reads the same in SQLite and PostgreSQL.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE INDEX idx_milestone_open ON milestone (tenant_id, due_date) \
                 WHERE achieved_on IS NULL",
            )
            .await
            .map(|_| ())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared("DROP INDEX idx_milestone_open")
            .await
            .map(|_| ())
    }
}
