//! Taking over another municipality's project from the reuse catalogue ("Nachnutzung"), and
//! who has taken over an offer.
//!
//! Adopting makes an application of the adopting tenant, so the project goes through the
//! adopter's own steering committee like any idea; the application keeps where it came from.
//! An offer lists only adoptions their adopter has released publicly: the adopter's project
//! made from the adopted application is `PUBLIC` and past its draft. Until then the adoption
//! is the adopter's internal business, counted nowhere.

use std::collections::HashMap;

use chrono::NaiveDate;
use entity::{
    application,
    enums::{ApplicationStatus, Status, Visibility},
    org_unit, project, tenant,
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, JoinType, QueryFilter,
    QueryOrder, QuerySelect, RelationDef, sea_query::Expr,
};

use crate::{
    audit::Subject,
    error::{ApiError, ApiResult},
    policy::{rows::reuse_offers, writes},
    viewer::Viewer,
    write::Write,
};

/// Central IT takes over an offer of the catalogue.
#[derive(Debug, Clone)]
pub struct Adopt {
    /// The other tenant's project, as the catalogue lists it.
    pub project_id: i32,
    /// The unit the application is made for (default: the adopter's own, else the tenant's
    /// top unit).
    pub org_unit_id: Option<i32>,
}

/// An adoption of an offer, as the offer lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adoption {
    pub tenant_key: String,
    pub tenant_name: String,
    /// The adopter's project made from it.
    pub title: String,
    /// When the adopter applied for it.
    pub adopted_on: NaiveDate,
}

/// Makes an application of the viewer's tenant from an offer of another tenant (central IT).
#[tracing::instrument(skip_all, fields(tenant = viewer.tenant_id))]
pub async fn adopt(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: Adopt,
) -> ApiResult<application::Model> {
    writes::require_central_it(viewer, "adopt projects from the reuse catalogue")?;
    let w = Write::begin(db, viewer).await?;
    let offer = project::Entity::find_by_id(input.project_id)
        .filter(reuse_offers())
        .one(&w.txn)
        .await?
        .ok_or_else(|| {
            ApiError::bad_input(
                "projectId",
                "is not in the reuse catalogue: only public, transferable projects can be adopted",
            )
        })?;
    if offer.tenant_id == viewer.tenant_id {
        return Err(ApiError::bad_input(
            "projectId",
            "is a project of your own: adopt another municipality's",
        ));
    }
    let open = application::Entity::find()
        .filter(application::Column::TenantId.eq(viewer.tenant_id))
        .filter(application::Column::AdoptedFromProjectId.eq(offer.id))
        .filter(application::Column::Status.ne(ApplicationStatus::Rejected))
        .one(&w.txn)
        .await?;
    if open.is_some() {
        return Err(ApiError::bad_input(
            "projectId",
            "is adopted already: an application for it exists",
        ));
    }
    let origin = tenant::Entity::find_by_id(offer.tenant_id)
        .one(&w.txn)
        .await?
        .ok_or(ApiError::NotFound("tenant"))?;
    let unit = adopting_unit(&w, input.org_unit_id).await?;
    let description = [
        offer.summary.as_deref(),
        offer.transferable_results.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join("\n\n");
    let row = application::ActiveModel {
        tenant_id: Set(viewer.tenant_id),
        org_unit_id: Set(unit),
        title: Set(offer.title.clone()),
        description: Set(if description.is_empty() {
            format!("Nachnutzung: {} ({})", offer.title, origin.name)
        } else {
            description
        }),
        expected_benefit: Set(offer.benefit_for_all.clone()),
        estimated_cost: Set(None),
        status: Set(ApplicationStatus::Submitted),
        submitted_by: Set(viewer.sub.clone()),
        submitted_by_name: Set(viewer.name.clone()),
        submitted_on: Set(w.now.date_naive()),
        adopted_from_tenant_id: Set(Some(origin.id)),
        adopted_from_project_id: Set(Some(offer.id)),
        adopted_from_tenant_key: Set(Some(origin.key.clone())),
        adopted_from_tenant_name: Set(Some(origin.name.clone())),
        adopted_from_title: Set(Some(offer.title.clone())),
        ..Default::default()
    };
    let application = w
        .insert(
            row,
            Subject {
                kind: "Application",
                owner: Some(unit),
            },
        )
        .await?;
    w.commit().await?;
    Ok(application)
}

/// The unit an adoption is applied for: the one named, the adopter's own, or the top unit.
async fn adopting_unit(w: &Write<'_>, named: Option<i32>) -> ApiResult<i32> {
    if let Some(unit) = named {
        return w.org_unit(unit).await;
    }
    if let Some(own) = w.viewer.org_unit_id {
        return Ok(own);
    }
    org_unit::Entity::find()
        .filter(org_unit::Column::TenantId.eq(w.viewer.tenant_id))
        .filter(org_unit::Column::ParentId.is_null())
        .order_by_asc(org_unit::Column::Id)
        .one(&w.txn)
        .await?
        .map(|u| u.id)
        .ok_or_else(|| ApiError::bad_input("orgUnitId", "name the adopting unit"))
}

/// The publicly released adoptions of the offers `offers`, by offer, oldest first: one
/// statement.
pub async fn adoptions(
    db: &DatabaseConnection,
    offers: &[i32],
) -> ApiResult<HashMap<i32, Vec<Adoption>>> {
    let mut found: HashMap<i32, Vec<Adoption>> = HashMap::new();
    if offers.is_empty() {
        return Ok(found);
    }
    let rows: Vec<(i32, String, String, String, NaiveDate)> = application::Entity::find()
        .select_only()
        .column(application::Column::AdoptedFromProjectId)
        .column_as(
            Expr::col((tenant::Entity, tenant::Column::Key)),
            "tenant_key",
        )
        .column_as(
            Expr::col((tenant::Entity, tenant::Column::Name)),
            "tenant_name",
        )
        .column_as(
            Expr::col((project::Entity, project::Column::Title)),
            "title",
        )
        .column(application::Column::SubmittedOn)
        .join(JoinType::InnerJoin, made_from())
        .join(JoinType::InnerJoin, adopter())
        .filter(application::Column::AdoptedFromProjectId.is_in(offers.iter().copied()))
        .filter(project::Column::Visibility.eq(Visibility::Public))
        .filter(project::Column::Status.ne(Status::Draft))
        .filter(project::Column::ArchivedAt.is_null())
        .order_by_asc(application::Column::SubmittedOn)
        .order_by_asc(application::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    for (offer, tenant_key, tenant_name, title, adopted_on) in rows {
        found.entry(offer).or_default().push(Adoption {
            tenant_key,
            tenant_name,
            title,
            adopted_on,
        });
    }
    Ok(found)
}

/// `application` → the project approved from it.
fn made_from() -> RelationDef {
    application::Entity::belongs_to(project::Entity)
        .from(application::Column::Id)
        .to(project::Column::ApplicationId)
        .into()
}

/// `application` → its tenant.
fn adopter() -> RelationDef {
    application::Entity::belongs_to(tenant::Entity)
        .from(application::Column::TenantId)
        .to(tenant::Column::Id)
        .into()
}
