//! Creating and changing projects and sub-projects.

use std::collections::BTreeSet;

use entity::{category, enums as db, measure, project, project_category, sub_project};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
};

use crate::{
    auth::Viewer,
    error::ApiResult,
    graphql::{
        id,
        input::project::{
            ContactInput, CreateProjectInput, CreateSubProjectInput, UpdateProjectInput,
            UpdateSubProjectInput,
        },
    },
    policy::writes,
    service::{
        audit::{self, Subject},
        validate,
        write::{Write, patch},
    },
};

fn project_subject(owner: i32) -> Subject {
    Subject {
        kind: "Project",
        owner: Some(owner),
    }
}

fn sub_project_subject(owner: i32) -> Subject {
    Subject {
        kind: "SubProject",
        owner: Some(owner),
    }
}

type Contact = (Option<String>, Option<String>, Option<String>);

fn contact(input: Option<ContactInput>) -> ApiResult<Contact> {
    let Some(c) = input else {
        return Ok((None, None, None));
    };
    Ok((
        Some(validate::title("contact.name", &c.name)?),
        validate::short_text("contact.email", c.email)?,
        validate::short_text("contact.phone", c.phone)?,
    ))
}

async fn categories(w: &Write<'_>, ids: &[async_graphql::ID]) -> ApiResult<BTreeSet<i32>> {
    w.referenced_all::<category::Entity>(ids, "Category", "categoryIds")
        .await
}

async fn tag(w: &Write<'_>, project: i32, owner: i32, categories: &BTreeSet<i32>) -> ApiResult<()> {
    let before: BTreeSet<i32> = project_category::Entity::find()
        .filter(project_category::Column::ProjectId.eq(project))
        .all(&w.txn)
        .await?
        .into_iter()
        .map(|link| link.category_id)
        .collect();
    audit::record_links(
        w,
        project_subject(owner),
        project,
        "categories",
        &before,
        categories,
    )
    .await?;
    project_category::Entity::delete_many()
        .filter(project_category::Column::ProjectId.eq(project))
        .exec(&w.txn)
        .await?;
    for &category in categories {
        project_category::ActiveModel {
            project_id: Set(project),
            category_id: Set(category),
            tenant_id: Set(w.viewer.tenant_id),
        }
        .insert(&w.txn)
        .await?;
    }
    Ok(())
}

async fn measure_ref(w: &Write<'_>, measure: &async_graphql::ID) -> ApiResult<i32> {
    Ok(
        w.referenced::<measure::Entity>(measure, "Measure", "measureId")
            .await?
            .id,
    )
}

fn date(value: Option<crate::graphql::scalar::Date>) -> Option<chrono::NaiveDate> {
    value.map(|d| d.0)
}

/// Creates a project (central IT).
#[tracing::instrument(skip_all, fields(tenant = viewer.tenant_id))]
pub async fn create(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: CreateProjectInput,
) -> ApiResult<project::Model> {
    writes::require_central_it(viewer, "create projects")?;
    let w = Write::begin(db, viewer).await?;
    let org_unit = w.org_unit(&input.org_unit_id).await?;
    let measure = match &input.measure_id {
        Some(m) => Some(measure_ref(&w, m).await?),
        None => None,
    };
    let categories = categories(&w, &input.category_ids).await?;
    let (start, end) = (date(input.start_date), date(input.end_date));
    validate::period("endDate", start, end)?;
    let (contact_name, contact_email, contact_phone) = contact(input.contact)?;
    let row = project::ActiveModel {
        tenant_id: Set(viewer.tenant_id),
        measure_id: Set(measure),
        org_unit_id: Set(org_unit),
        application_id: Set(None),
        code: Set(validate::short_text("code", input.code)?),
        title: Set(validate::title("title", &input.title)?),
        summary: Set(validate::text("summary", input.summary)?),
        description: Set(validate::text("description", input.description)?),
        status: Set(input.status.into()),
        rag: Set(db::Rag::Green),
        progress: Set(0),
        visibility: Set(input.visibility.into()),
        contact_name: Set(contact_name),
        contact_email: Set(contact_email),
        contact_phone: Set(contact_phone),
        unique_selling_point: Set(validate::text(
            "uniqueSellingPoint",
            input.unique_selling_point,
        )?),
        benefit_for_all: Set(validate::text("benefitForAll", input.benefit_for_all)?),
        transferable: Set(input.transferable),
        transferable_results: Set(validate::text(
            "transferableResults",
            input.transferable_results,
        )?),
        transferable_from: Set(date(input.transferable_from)),
        funding_recipient: Set(validate::short_text(
            "fundingRecipient",
            input.funding_recipient,
        )?),
        model_region: Set(validate::short_text("modelRegion", input.model_region)?),
        pilot_areas: Set(validate::text("pilotAreas", input.pilot_areas)?),
        start_date: Set(start),
        end_date: Set(end),
        application_approved_on: Set(date(input.application_approved_on)),
        implementation_commissioned_on: Set(date(input.implementation_commissioned_on)),
        go_live_on: Set(date(input.go_live_on)),
        closed_on: Set(date(input.closed_on)),
        archived_at: Set(None),
        ..Default::default()
    };
    let project = w.insert(row, project_subject(org_unit)).await?;
    tag(&w, project.id, project.org_unit_id, &categories).await?;
    w.commit().await?;
    Ok(project)
}

/// Changes a project: central IT anything, the owning department its status.
#[tracing::instrument(skip_all, fields(tenant = viewer.tenant_id))]
pub async fn update(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: UpdateProjectInput,
) -> ApiResult<project::Model> {
    let id = id::decode(&input.id, "Project", "id")?;
    let w = Write::begin(db, viewer).await?;
    let before = w.visible::<project::Entity>(id, "project").await?;
    if input.touches_master_data() {
        writes::require_central_it(viewer, "change more than the status of a project")?;
    } else {
        writes::require_edit(viewer, before.org_unit_id, "change this project")?;
    }
    let mut c = <project::ActiveModel as Default>::default();
    if let Some(title) = &input.title {
        c.title = Set(validate::title("title", title)?);
    }
    if let Some(v) = patch(input.code) {
        c.code = Set(validate::short_text("code", v)?);
    }
    if let Some(v) = patch(input.summary) {
        c.summary = Set(validate::text("summary", v)?);
    }
    if let Some(v) = patch(input.description) {
        c.description = Set(validate::text("description", v)?);
    }
    if let Some(v) = patch(input.measure_id) {
        c.measure_id = Set(match v {
            Some(m) => Some(measure_ref(&w, &m).await?),
            None => None,
        });
    }
    let mut owner = before.org_unit_id;
    if let Some(u) = &input.org_unit_id {
        owner = w.org_unit(u).await?;
        c.org_unit_id = Set(owner);
    }
    if let Some(status) = input.status {
        c.status = Set(status.into());
    }
    if let Some(visibility) = input.visibility {
        c.visibility = Set(visibility.into());
    }
    if let Some(v) = patch(input.contact) {
        let (name, email, phone) = contact(v)?;
        c.contact_name = Set(name);
        c.contact_email = Set(email);
        c.contact_phone = Set(phone);
    }
    if let Some(v) = patch(input.unique_selling_point) {
        c.unique_selling_point = Set(validate::text("uniqueSellingPoint", v)?);
    }
    if let Some(v) = patch(input.benefit_for_all) {
        c.benefit_for_all = Set(validate::text("benefitForAll", v)?);
    }
    if let Some(v) = input.transferable {
        c.transferable = Set(v);
    }
    if let Some(v) = patch(input.transferable_results) {
        c.transferable_results = Set(validate::text("transferableResults", v)?);
    }
    if let Some(v) = patch(input.transferable_from) {
        c.transferable_from = Set(date(v));
    }
    if let Some(v) = patch(input.funding_recipient) {
        c.funding_recipient = Set(validate::short_text("fundingRecipient", v)?);
    }
    if let Some(v) = patch(input.model_region) {
        c.model_region = Set(validate::short_text("modelRegion", v)?);
    }
    if let Some(v) = patch(input.pilot_areas) {
        c.pilot_areas = Set(validate::text("pilotAreas", v)?);
    }
    let start = patch(input.start_date).map(date);
    let end = patch(input.end_date).map(date);
    validate::period(
        "endDate",
        start.unwrap_or(before.start_date),
        end.unwrap_or(before.end_date),
    )?;
    if let Some(v) = start {
        c.start_date = Set(v);
    }
    if let Some(v) = end {
        c.end_date = Set(v);
    }
    if let Some(v) = patch(input.application_approved_on) {
        c.application_approved_on = Set(date(v));
    }
    if let Some(v) = patch(input.implementation_commissioned_on) {
        c.implementation_commissioned_on = Set(date(v));
    }
    if let Some(v) = patch(input.go_live_on) {
        c.go_live_on = Set(date(v));
    }
    if let Some(v) = patch(input.closed_on) {
        c.closed_on = Set(date(v));
    }
    let categories = match &input.category_ids {
        Some(ids) => Some(categories(&w, ids).await?),
        None => None,
    };
    let after = w
        .update(&before, input.version, c, "update", project_subject(owner))
        .await?;
    if let Some(categories) = categories {
        tag(&w, after.id, after.org_unit_id, &categories).await?;
    }
    w.commit().await?;
    Ok(after)
}

/// Creates a sub-project (central IT, or the department owning the project).
#[tracing::instrument(skip_all, fields(tenant = viewer.tenant_id))]
pub async fn create_sub_project(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: CreateSubProjectInput,
) -> ApiResult<sub_project::Model> {
    writes::require_administration(viewer, "add sub-projects")?;
    let w = Write::begin(db, viewer).await?;
    let project = w
        .referenced::<project::Entity>(&input.project_id, "Project", "projectId")
        .await?;
    writes::require_edit(
        viewer,
        project.org_unit_id,
        "add sub-projects to this project",
    )?;
    let lead = match &input.org_unit_id {
        Some(u) => w.org_unit(u).await?,
        None => project.org_unit_id,
    };
    writes::require_lead(viewer, lead)?;
    if input.visibility != crate::graphql::enums::Visibility::Internal {
        writes::require_central_it(viewer, "release sub-projects beyond the administration")?;
    }
    let (start, end) = (date(input.start_date), date(input.end_date));
    validate::period("endDate", start, end)?;
    let status: db::Status = input.status.into();
    let row = sub_project::ActiveModel {
        tenant_id: Set(viewer.tenant_id),
        project_id: Set(project.id),
        org_unit_id: Set(lead),
        code: Set(validate::short_text("code", input.code)?),
        title: Set(validate::title("title", &input.title)?),
        description: Set(validate::text("description", input.description)?),
        status: Set(status),
        rag: Set(db::Rag::Green),
        progress: Set(if status == db::Status::Completed {
            100
        } else {
            0
        }),
        start_date: Set(start),
        end_date: Set(end),
        visibility: Set(input.visibility.into()),
        archived_at: Set(None),
        ..Default::default()
    };
    let sub = w.insert(row, sub_project_subject(lead)).await?;
    w.commit().await?;
    Ok(sub)
}

/// Changes a sub-project (central IT, or the department owning it).
#[tracing::instrument(skip_all, fields(tenant = viewer.tenant_id))]
pub async fn update_sub_project(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: UpdateSubProjectInput,
) -> ApiResult<sub_project::Model> {
    let id = id::decode(&input.id, "SubProject", "id")?;
    let w = Write::begin(db, viewer).await?;
    let before = w.visible::<sub_project::Entity>(id, "sub-project").await?;
    writes::require_edit(viewer, before.org_unit_id, "change this sub-project")?;
    let mut c = <sub_project::ActiveModel as Default>::default();
    if let Some(title) = &input.title {
        c.title = Set(validate::title("title", title)?);
    }
    if let Some(v) = patch(input.code) {
        c.code = Set(validate::short_text("code", v)?);
    }
    if let Some(v) = patch(input.description) {
        c.description = Set(validate::text("description", v)?);
    }
    let mut owner = before.org_unit_id;
    if let Some(u) = &input.org_unit_id {
        owner = w.org_unit(u).await?;
        writes::require_lead(viewer, owner)?;
        c.org_unit_id = Set(owner);
    }
    if let Some(status) = input.status {
        c.status = Set(status.into());
    }
    if let Some(visibility) = input.visibility {
        writes::require_central_it(viewer, "change the visibility of a sub-project")?;
        c.visibility = Set(visibility.into());
    }
    let start = patch(input.start_date).map(date);
    let end = patch(input.end_date).map(date);
    validate::period(
        "endDate",
        start.unwrap_or(before.start_date),
        end.unwrap_or(before.end_date),
    )?;
    if let Some(v) = start {
        c.start_date = Set(v);
    }
    if let Some(v) = end {
        c.end_date = Set(v);
    }
    let after = w
        .update(
            &before,
            input.version,
            c,
            "update",
            sub_project_subject(owner),
        )
        .await?;
    w.commit().await?;
    Ok(after)
}
