//! Drawing one tenant: the random generator and the ids it is drawn with, and the order of
//! its parts. Every draw from the generator happens in a fixed order, so the same seed gives
//! the same rows.

use chrono::{DateTime, NaiveDate, Utc};
use entity::{enums::TenantKind, tenant};
use rand::rngs::StdRng;

use super::{ids::Ids, rows::Rows, scale::Scale};

/// What the parts of a tenant are drawn with, and the rows drawn so far.
pub(super) struct Drawing<'r> {
    pub(super) rng: &'r mut StdRng,
    pub(super) ids: &'r mut Ids,
    pub(super) tenant_id: i32,
    /// How many goals, measures and projects.
    pub(super) scale: Scale,
    /// When the rows are created.
    pub(super) now: DateTime<Utc>,
    /// The day reports run up to and milestones are achieved by.
    pub(super) today: NaiveDate,
    pub(super) rows: Rows,
}

impl<'r> Drawing<'r> {
    /// Draws every row of the tenant `key`, the `index`th of the run.
    pub(super) fn tenant(
        rng: &'r mut StdRng,
        ids: &'r mut Ids,
        key: &str,
        index: u32,
        scale: Scale,
        now: DateTime<Utc>,
    ) -> Rows {
        let tenant_id = ids.take("tenant");
        let mut drawing = Self {
            rng,
            ids,
            tenant_id,
            scale,
            now,
            today: now.date_naive(),
            rows: Rows::default(),
        };
        drawing.tenant_row(key, index);
        let units = drawing.org_units();
        let leaves = drawing.strategy(index, units.root);
        let measures = drawing.measures(&units.owners, &leaves);
        drawing.projects(key, &units.owners, &measures);
        drawing.applications(&units.owners);
        drawing.rows
    }

    fn tenant_row(&mut self, key: &str, index: u32) {
        self.rows.tenant.push(tenant::Model {
            id: self.tenant_id,
            key: key.to_owned(),
            name: format!("Musterstadt {index}"),
            kind: TenantKind::Municipality,
            description: Some("Synthetischer Mandant für Lasttests".into()),
            council_live_report: false,
            data_version: 0,
            reporting_cycle_days: None,
            fiscal_year_start_month: None,
            export_language: None,
            public_reads: true,
            council_report_title: None,
            council_report_issuer: None,
            audit_head: None,
            report_review: false,
            steering_email: None,
            created_at: self.now,
            updated_at: self.now,
            version: 1,
            rollup_weighting: None,
        });
    }
}
