//! Ids are assigned by the generator, after the highest id in use, so rows can be written
//! with multi-row `INSERT`s without reading ids back; PostgreSQL's sequences are moved past
//! them at the end.

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};

/// Tables whose ids the generator assigns, in insert order.
const TABLES: [&str; 11] = [
    "tenant",
    "org_unit",
    "strategy",
    "goal",
    "measure",
    "project",
    "sub_project",
    "milestone",
    "status_report",
    "budget_line",
    "application",
];

/// The next free id of every table.
pub(super) struct Ids([i32; TABLES.len()]);

impl Ids {
    /// The ids after the highest in use in each table.
    pub(super) async fn after_max(db: &DatabaseConnection) -> anyhow::Result<Self> {
        let mut next = [1; TABLES.len()];
        for (i, table) in TABLES.iter().enumerate() {
            let row = db
                .query_one_raw(Statement::from_string(
                    db.get_database_backend(),
                    format!("SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) AS m FROM \"{table}\""),
                ))
                .await?;
            let max: i64 = match row {
                Some(row) => row.try_get_by_index(0)?,
                None => 0,
            };
            next[i] = i32::try_from(max + 1)?;
        }
        Ok(Self(next))
    }

    /// The next id of `table`.
    pub(super) fn take(&mut self, table: &str) -> i32 {
        let i = TABLES.iter().position(|t| *t == table).unwrap_or(0);
        let id = self.0[i];
        self.0[i] += 1;
        id
    }
}

/// Moves PostgreSQL's id sequences past the ids assigned here (SQLite needs nothing).
pub(super) async fn move_sequences_past(db: &DatabaseConnection) -> anyhow::Result<()> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    for table in TABLES {
        db.execute_raw(Statement::from_string(
            DbBackend::Postgres,
            format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), GREATEST((SELECT MAX(id) FROM \"{table}\"), 1))"
            ),
        ))
        .await?;
    }
    Ok(())
}
