//! sea-orm-migration's command line: `up`, `down`, `fresh`, `status`, ... against `DATABASE_URL`.

#[tokio::main]
async fn main() {
    sea_orm_migration::cli::run_cli(migration::Migrator).await;
}
