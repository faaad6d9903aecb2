//! Demo data: four tenants drawn from real programmes (Aachen, TU Kaiserslautern, KISA,
//! Saxony), kept as TOML files beside this module and loaded into an empty database; and
//! synthetic tenants at state scale for benchmarks ([`synthetic`]).

pub mod format;
mod history;
mod loader;
mod subject;
pub mod synthetic;

use chrono::Utc;
use entity::tenant;
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, TransactionTrait,
};

use format::DemoTenant;
use loader::Loader;

/// The demo files, in load order.
const DEMO: [(&str, &str); 4] = [
    ("aachen", include_str!("demo/aachen.toml")),
    ("tuk", include_str!("demo/tuk.toml")),
    ("kisa", include_str!("demo/kisa.toml")),
    ("sachsen", include_str!("demo/sachsen.toml")),
];

/// Whether the database holds no tenant yet.
pub async fn is_empty(db: &DatabaseConnection) -> anyhow::Result<bool> {
    Ok(tenant::Entity::find().count(db).await? == 0)
}

/// Parses every demo file (also run by the tests, so a broken file fails CI).
pub fn demo_tenants() -> anyhow::Result<Vec<DemoTenant>> {
    DEMO.iter()
        .map(|(name, text)| {
            toml::from_str(text).map_err(|err| anyhow::anyhow!("demo/{name}.toml: {err}"))
        })
        .collect()
}

/// Loads the demo tenants that are not in the database yet, each in one transaction.
/// Returns the keys of the tenants loaded.
pub async fn load_demo(db: &DatabaseConnection) -> anyhow::Result<Vec<String>> {
    let mut loaded = Vec::new();
    for demo in demo_tenants()? {
        let exists = tenant::Entity::find()
            .filter(tenant::Column::Key.eq(demo.tenant.key.as_str()))
            .count(db)
            .await?
            > 0;
        if exists {
            continue;
        }
        let txn = db.begin().await?;
        let tenant = Loader::new(&txn, Utc::now()).tenant(&demo).await?;
        crate::status_report::latest::mark_tenant(&txn, tenant).await?;
        txn.commit().await?;
        loaded.push(demo.tenant.key.clone());
    }
    Ok(loaded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_files_parse() {
        let tenants = demo_tenants().expect("demo files parse");
        let keys: Vec<_> = tenants.iter().map(|t| t.tenant.key.as_str()).collect();
        assert_eq!(keys, ["aachen", "tuk", "kisa", "sachsen"]);
    }
}
