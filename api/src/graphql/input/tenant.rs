//! Inputs of the tenant mutations: the operator's (`createTenant`, `updateTenant`) and central
//! IT's (`updateTenantSettings`).

use async_graphql::{ID, InputObject, MaybeUndefined};
use entity::tenant;

use super::command::{change, change_as_is, kept};
use crate::{
    error::ApiResult,
    graphql::{
        enums::{ExportLanguage, RollupWeighting, TenantKind},
        id,
    },
};
use service::{
    report::weighting::Weighting,
    tenant::{NewTenant, SettingsPatch, TenantPatch},
};

order_input! {
    /// Sort order of `tenants` (default: by key).
    TenantOrder, TenantOrderField on tenant {
        /// Key.
        Key => Key,
        /// Name.
        Name => Name,
        /// Creation.
        CreatedAt => CreatedAt,
    }
}

/// A new tenant; it starts with one org unit, its root, named like the tenant.
#[derive(InputObject)]
pub struct CreateTenantInput {
    /// Key in tokens and URLs: a lower-case slug such as `aachen` or `kreis-heinsberg`
    /// (unique, at most 40 characters; it cannot change later).
    pub key: String,
    /// Full name, e.g. "Stadt Aachen" (at most 300 characters).
    pub name: String,
    /// What kind of body it is (default: municipality).
    #[graphql(default_with = "TenantKind::Municipality")]
    pub kind: TenantKind,
    /// Code of the root org unit (default: the key in capitals).
    pub root_code: Option<String>,
}

impl From<CreateTenantInput> for NewTenant {
    fn from(input: CreateTenantInput) -> Self {
        Self {
            key: input.key,
            name: input.name,
            kind: input.kind.into(),
            root_code: input.root_code,
        }
    }
}

/// Changes to a tenant; fields left out stay as they are. The key never changes.
#[derive(InputObject)]
pub struct UpdateTenantInput {
    /// The tenant.
    pub id: ID,
    /// The `version` the tenant was read at.
    pub version: i32,
    /// Full name (at most 300 characters).
    pub name: MaybeUndefined<String>,
    /// What kind of body it is.
    pub kind: MaybeUndefined<TenantKind>,
}

impl TryFrom<UpdateTenantInput> for TenantPatch {
    type Error = service::error::ApiError;

    fn try_from(input: UpdateTenantInput) -> ApiResult<Self> {
        Ok(Self {
            id: id::decode(&input.id, "Tenant", "id")?,
            version: input.version,
            name: kept(input.name, "name")?,
            kind: kept(input.kind, "kind")?.map(Into::into),
        })
    }
}

/// Changes to the settings of the viewer's tenant; fields left out stay as they are, `null`
/// returns a setting to the installation's default.
#[derive(InputObject)]
pub struct UpdateTenantSettingsInput {
    /// The tenant's `version` as read.
    pub version: i32,
    /// Days without a status report after which running work needs one (1-3650).
    pub reporting_cycle_days: MaybeUndefined<i32>,
    /// The month (1-12) the fiscal year starts.
    pub fiscal_year_start_month: MaybeUndefined<i32>,
    /// Language of exports that do not ask for one.
    pub export_language: MaybeUndefined<ExportLanguage>,
    /// Whether anonymous readers may read the tenant's public rows.
    pub public_reads: MaybeUndefined<bool>,
    /// Title line of the council report (at most 300 characters).
    pub council_report_title: MaybeUndefined<String>,
    /// Issuer line of the council report (at most 300 characters).
    pub council_report_issuer: MaybeUndefined<String>,
    /// Whether departments' status reports count only once central IT approved them.
    pub report_review: MaybeUndefined<bool>,
    /// The central steering unit's e-mail address; `null` removes it.
    pub steering_email: MaybeUndefined<String>,
    /// How parents weigh their children in roll-ups; `null` returns to `EQUAL`.
    pub rollup_weighting: MaybeUndefined<RollupWeighting>,
}

impl TryFrom<UpdateTenantSettingsInput> for SettingsPatch {
    type Error = service::error::ApiError;

    fn try_from(input: UpdateTenantSettingsInput) -> ApiResult<Self> {
        // A negative number is out of range like a too large one; `u32::MAX` fails the
        // service's range check.
        let natural = |n: i32| u32::try_from(n).unwrap_or(u32::MAX);
        Ok(Self {
            version: input.version,
            reporting_cycle_days: change(input.reporting_cycle_days, natural),
            fiscal_year_start_month: change(input.fiscal_year_start_month, natural),
            export_language: change(input.export_language, Into::into),
            public_reads: kept(input.public_reads, "publicReads")?,
            council_report_title: change_as_is(input.council_report_title),
            council_report_issuer: change_as_is(input.council_report_issuer),
            report_review: kept(input.report_review, "reportReview")?,
            steering_email: change_as_is(input.steering_email),
            rollup_weighting: match input.rollup_weighting {
                MaybeUndefined::Undefined => None,
                MaybeUndefined::Null => Some(Weighting::Equal),
                MaybeUndefined::Value(weighting) => Some(weighting.into()),
            },
        })
    }
}
