//! A tenant's settings: central IT sets them, everyone of the tenant reads them, and where set
//! they replace the installation's defaults (`REPORTING_CYCLE_DAYS`, German exports, the
//! standard title of the council report).

use entity::tenant;
use sea_orm::{ActiveValue::Set, DatabaseConnection, EntityTrait};

use crate::{
    audit::{Action, Subject},
    error::{ApiError, ApiResult},
    export::labels::Lang,
    policy::writes,
    report::weighting::Weighting,
    validate,
    viewer::Viewer,
    write::{Change, Write},
};

/// Longest reporting cycle, in days (ten years).
pub const CYCLE_MAX: u32 = 3650;

/// A tenant's settings as they apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Days without a report after which running work needs one; `None`: the installation's.
    pub reporting_cycle_days: Option<u32>,
    /// The month (1-12) the fiscal year starts.
    pub fiscal_year_start_month: u32,
    /// Language of exports that do not ask for one.
    pub export_language: Lang,
    /// Whether anonymous readers may read the tenant's public rows (when the installation
    /// allows public access at all).
    pub public_reads: bool,
    /// Title line of the council report; `None`: the standard title.
    pub council_report_title: Option<String>,
    /// Issuer line of the council report.
    pub council_report_issuer: Option<String>,
    /// Whether departments' status reports count only once central IT approved them.
    pub report_review: bool,
    /// The central steering unit's e-mail address (tenant-wide reminders).
    pub steering_email: Option<String>,
    /// How parents weigh their children in roll-ups (`report::weighting`).
    pub rollup_weighting: Weighting,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            reporting_cycle_days: None,
            fiscal_year_start_month: 1,
            export_language: Lang::De,
            public_reads: true,
            council_report_title: None,
            council_report_issuer: None,
            report_review: false,
            steering_email: None,
            rollup_weighting: Weighting::Equal,
        }
    }
}

impl Settings {
    /// The settings stored with `tenant`; a stored value out of range counts as unset.
    pub fn of(tenant: &tenant::Model) -> Self {
        let default = Self::default();
        Self {
            reporting_cycle_days: tenant
                .reporting_cycle_days
                .and_then(|days| u32::try_from(days).ok())
                .filter(|days| (1..=CYCLE_MAX).contains(days)),
            fiscal_year_start_month: tenant
                .fiscal_year_start_month
                .and_then(|month| u32::try_from(month).ok())
                .filter(|month| (1..=12).contains(month))
                .unwrap_or(default.fiscal_year_start_month),
            export_language: tenant
                .export_language
                .as_deref()
                .and_then(|code| Lang::parse(Some(code)).ok())
                .unwrap_or(default.export_language),
            public_reads: tenant.public_reads,
            council_report_title: tenant.council_report_title.clone(),
            council_report_issuer: tenant.council_report_issuer.clone(),
            report_review: tenant.report_review,
            steering_email: tenant.steering_email.clone(),
            rollup_weighting: tenant
                .rollup_weighting
                .as_deref()
                .and_then(Weighting::parse)
                .unwrap_or(default.rollup_weighting),
        }
    }
}

/// Changes to the settings of the viewer's tenant read at `version`; `None` leaves a setting,
/// `Some(None)` returns it to the default.
#[derive(Debug, Clone, Default)]
pub struct SettingsPatch {
    pub version: i32,
    pub reporting_cycle_days: Change<u32>,
    pub fiscal_year_start_month: Change<u32>,
    pub export_language: Change<Lang>,
    pub public_reads: Option<bool>,
    pub council_report_title: Change<String>,
    pub council_report_issuer: Change<String>,
    pub report_review: Option<bool>,
    pub steering_email: Change<String>,
    pub rollup_weighting: Option<Weighting>,
}

/// Changes the settings of the viewer's tenant (central IT).
#[tracing::instrument(skip_all, fields(tenant = viewer.tenant_id))]
pub async fn update_settings(
    db: &DatabaseConnection,
    viewer: &Viewer,
    patch: SettingsPatch,
) -> ApiResult<tenant::Model> {
    writes::require_central_it(viewer, "change the tenant's settings")?;
    let mut changes = <tenant::ActiveModel as Default>::default();
    if let Some(days) = patch.reporting_cycle_days {
        if days.is_some_and(|days| !(1..=CYCLE_MAX).contains(&days)) {
            return Err(ApiError::bad_input(
                "reportingCycleDays",
                format!("must be between 1 and {CYCLE_MAX}"),
            ));
        }
        changes.reporting_cycle_days = Set(days.map(|days| days as i32));
    }
    if let Some(month) = patch.fiscal_year_start_month {
        if month.is_some_and(|month| !(1..=12).contains(&month)) {
            return Err(ApiError::bad_input(
                "fiscalYearStartMonth",
                "must be a month between 1 and 12",
            ));
        }
        changes.fiscal_year_start_month = Set(month.map(|month| month as i32));
    }
    if let Some(lang) = patch.export_language {
        changes.export_language = Set(lang.map(|lang| lang.code().to_owned()));
    }
    if let Some(public) = patch.public_reads {
        changes.public_reads = Set(public);
    }
    if let Some(title) = patch.council_report_title {
        changes.council_report_title = Set(validate::short_text("councilReportTitle", title)?);
    }
    if let Some(issuer) = patch.council_report_issuer {
        changes.council_report_issuer = Set(validate::short_text("councilReportIssuer", issuer)?);
    }
    if let Some(review) = patch.report_review {
        changes.report_review = Set(review);
    }
    if let Some(email) = patch.steering_email {
        changes.steering_email = Set(email
            .filter(|email| !email.trim().is_empty())
            .map(|email| validate::email("steeringEmail", &email))
            .transpose()?);
    }
    if let Some(weighting) = patch.rollup_weighting {
        changes.rollup_weighting = Set(Some(weighting.code().to_owned()));
    }
    let w = Write::begin(db, viewer).await?;
    let before = tenant::Entity::find_by_id(viewer.tenant_id)
        .one(&w.txn)
        .await?
        .ok_or(ApiError::NotFound("Tenant"))?;
    let subject = Subject {
        kind: "Tenant",
        owner: None,
    };
    let after = w
        .update::<tenant::Entity, _>(&before, patch.version, changes, Action::Update, subject)
        .await?;
    w.commit().await?;
    Ok(after)
}
