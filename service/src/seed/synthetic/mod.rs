//! Synthetic tenants at state scale, for benchmarks: `digidash seed --synthetic --tenants N`
//! (and `--large-tenant` for one larger tenant, `synth-large`, see [`load_large`]).
//!
//! Every tenant has the shape of a mid-sized city's portfolio: an org-unit tree of 21 units,
//! one adopted strategy with 25 goals, 100 measures, 150 projects, 600 sub-projects, about
//! 1,500 milestones, about 5,000 status reports, budget lines per year and ten applications.
//! Tenant `i` is drawn from a random generator seeded with the run's seed and `i`, so the
//! same seed gives the same data. Rows are written with multi-row `INSERT`s (`rows`), one
//! transaction per tenant; ids are assigned here (`ids`). Run it while nothing else writes
//! to the database.

mod applications;
mod drawing;
mod ids;
mod measures;
mod milestones;
mod names;
mod org_units;
mod projects;
mod random;
mod reports;
mod rows;
mod scale;
mod strategy;

use chrono::{DateTime, Utc};
use entity::tenant;
use rand::{SeedableRng, rngs::StdRng};
use sea_orm::TransactionTrait;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};

use drawing::Drawing;
use ids::Ids;
use scale::Scale;

/// What a run loaded.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Loaded {
    /// Tenants written (those present already are not counted).
    pub tenants: usize,
    /// Rows written, over all tables.
    pub rows: usize,
}

/// Loads tenants `synth-0001` to `synth-NNNN` that are not present yet.
pub async fn load(db: &DatabaseConnection, tenants: u32, seed: u64) -> anyhow::Result<Loaded> {
    anyhow::ensure!(
        (1..=10_000).contains(&tenants),
        "--tenants must be between 1 and 10000"
    );
    let present: Vec<String> = tenant::Entity::find()
        .select_only()
        .column(tenant::Column::Key)
        .filter(tenant::Column::Key.starts_with("synth-"))
        .into_tuple()
        .all(db)
        .await?;
    let mut ids = Ids::after_max(db).await?;
    let mut loaded = Loaded::default();
    let now = Utc::now();
    for index in 1..=tenants {
        let key = format!("synth-{index:04}");
        if present.contains(&key) {
            continue;
        }
        loaded.rows +=
            draw_and_insert(db, &mut ids, (&key, index), Scale::CITY, (seed, now)).await?;
        loaded.tenants += 1;
        if loaded.tenants % 50 == 0 {
            tracing::info!(
                tenants = loaded.tenants,
                rows = loaded.rows,
                "synthetic data"
            );
        }
    }
    ids::move_sequences_past(db).await?;
    Ok(loaded)
}

/// The key of the large tenant of [`load_large`].
pub const LARGE_TENANT: &str = "synth-large";

/// Loads the large tenant `synth-large` when it is not present yet: 50 goals, 250 measures,
/// 450 projects and their sub-projects, milestones and reports, drawn like the others (the
/// benchmark's deep page of about 1 MB, issue #21). The tenants of [`load`] are not touched.
pub async fn load_large(db: &DatabaseConnection, seed: u64) -> anyhow::Result<Loaded> {
    let present = tenant::Entity::find()
        .filter(tenant::Column::Key.eq(LARGE_TENANT))
        .one(db)
        .await?
        .is_some();
    if present {
        return Ok(Loaded::default());
    }
    let mut ids = Ids::after_max(db).await?;
    // Index 0: a generator of its own, none of `synth-0001`... has it.
    let rows = draw_and_insert(
        db,
        &mut ids,
        (LARGE_TENANT, 0),
        Scale::LARGE,
        (seed, Utc::now()),
    )
    .await?;
    ids::move_sequences_past(db).await?;
    Ok(Loaded { tenants: 1, rows })
}

/// Draws the tenant `key`, the `index`th, at `scale` from `seed`, created `now`, and writes it
/// in one transaction; returns the rows written.
async fn draw_and_insert(
    db: &DatabaseConnection,
    ids: &mut Ids,
    (key, index): (&str, u32),
    scale: Scale,
    (seed, now): (u64, DateTime<Utc>),
) -> anyhow::Result<usize> {
    let mut rng = tenant_rng(seed, index);
    let rows = Drawing::tenant(&mut rng, ids, key, index, scale, now);
    let tenant = rows.tenant_id();
    let txn = db.begin().await?;
    let written = rows.insert(&txn).await?;
    crate::status_report::latest::mark_tenant(&txn, tenant).await?;
    txn.commit().await?;
    Ok(written)
}

/// The generator of the `index`th tenant: the same for the same seed, whichever tenants
/// are present already.
fn tenant_rng(seed: u64, index: u32) -> StdRng {
    StdRng::seed_from_u64(seed ^ u64::from(index).wrapping_mul(0x9E37_79B9_7F4A_7C15))
}
