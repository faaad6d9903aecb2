//! Inserts one demo file, resolving its references (org-unit codes, goal codes, measure
//! numbers, ...) to the ids the database assigns, parents before children.

mod measure;
mod project;
mod report;
mod risk;
mod steering;
mod strategy;

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{category, org_unit, tenant};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait};

use super::format::{CategorySpec, DemoTenant, OrgUnitSpec, TenantSpec};

/// Author of generated status reports and applications.
const SEED_AUTHOR: &str = "seed";

/// Resolves the references of one demo file while inserting it.
pub(super) struct Loader<'c, C> {
    db: &'c C,
    now: DateTime<Utc>,
    tenant: i32,
    units: HashMap<String, i32>,
    categories: HashMap<String, i32>,
    strategies: HashMap<String, i32>,
    goals: HashMap<String, i32>,
    measures: HashMap<String, i32>,
    projects: HashMap<String, i32>,
    meetings: HashMap<String, i32>,
}

/// The id of `key` in `map`, or an error naming the unknown `what`.
fn lookup(map: &HashMap<String, i32>, key: &str, what: &str) -> anyhow::Result<i32> {
    map.get(key)
        .copied()
        .ok_or_else(|| anyhow::anyhow!("demo data refers to unknown {what} {key:?}"))
}

impl<'c, C: ConnectionTrait> Loader<'c, C> {
    /// A loader writing to `db`, stamping rows with `now`.
    pub(super) fn new(db: &'c C, now: DateTime<Utc>) -> Self {
        Self {
            db,
            now,
            tenant: 0,
            units: HashMap::new(),
            categories: HashMap::new(),
            strategies: HashMap::new(),
            goals: HashMap::new(),
            measures: HashMap::new(),
            projects: HashMap::new(),
            meetings: HashMap::new(),
        }
    }

    fn unit(&self, code: &str) -> anyhow::Result<i32> {
        lookup(&self.units, code, "org unit")
    }

    /// Inserts the whole file; returns the tenant's id.
    pub(super) async fn tenant(&mut self, demo: &DemoTenant) -> anyhow::Result<i32> {
        self.tenant_row(&demo.tenant).await?;
        self.org_units(&demo.org_units).await?;
        self.categories(&demo.categories).await?;
        self.strategies(&demo.strategies).await?;
        self.goals(&demo.goals).await?;
        self.measures(&demo.measures).await?;
        self.meetings(&demo.meetings).await?;
        // Applications before projects: an approved application is the origin of its project.
        let origin = self.applications(&demo.applications).await?;
        for p in &demo.projects {
            self.project(p, origin.get(&p.code).copied()).await?;
        }
        if let Some(code) = origin
            .keys()
            .find(|code| !self.projects.contains_key(*code))
        {
            anyhow::bail!("an application refers to unknown project {code:?}");
        }
        Ok(self.tenant)
    }

    async fn tenant_row(&mut self, t: &TenantSpec) -> anyhow::Result<()> {
        let now = self.now;
        self.tenant = tenant::ActiveModel {
            key: Set(t.key.clone()),
            name: Set(t.name.clone()),
            kind: Set(t.kind),
            description: Set(t.description.clone()),
            council_live_report: Set(false),
            report_review: Set(t.report_review),
            steering_email: Set(t.steering_email.clone()),
            data_version: Set(0),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            ..Default::default()
        }
        .insert(self.db)
        .await?
        .id;
        Ok(())
    }

    async fn org_units(&mut self, units: &[OrgUnitSpec]) -> anyhow::Result<()> {
        let now = self.now;
        // Parents come before their children in the files; a second pass is not needed.
        for (position, unit) in units.iter().enumerate() {
            let parent = unit
                .parent
                .as_deref()
                .map(|code| self.unit(code))
                .transpose()?;
            let id = org_unit::ActiveModel {
                tenant_id: Set(self.tenant),
                parent_id: Set(parent),
                code: Set(unit.code.clone()),
                name: Set(unit.name.clone()),
                kind: Set(unit.kind),
                position: Set(position as i32),
                archived_at: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
                version: Set(1),
                ..Default::default()
            }
            .insert(self.db)
            .await?
            .id;
            self.units.insert(unit.code.clone(), id);
        }
        Ok(())
    }

    async fn categories(&mut self, categories: &[CategorySpec]) -> anyhow::Result<()> {
        let now = self.now;
        for c in categories {
            let id = category::ActiveModel {
                tenant_id: Set(self.tenant),
                name: Set(c.name.clone()),
                description: Set(c.description.clone()),
                created_at: Set(now),
                updated_at: Set(now),
                version: Set(1),
                ..Default::default()
            }
            .insert(self.db)
            .await?
            .id;
            self.categories.insert(c.name.clone(), id);
        }
        Ok(())
    }
}
