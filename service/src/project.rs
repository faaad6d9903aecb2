//! Creating and changing projects and sub-projects.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use entity::{category, enums as db, measure, project, project_category, sub_project};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
};

use crate::{
    audit::{self, Action, Subject},
    error::ApiResult,
    policy::writes,
    validate,
    viewer::Viewer,
    write::{Change, Write},
};

/// A contact person.
#[derive(Debug, Clone)]
pub struct Contact {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// A new project.
#[derive(Debug, Clone)]
pub struct NewProject {
    pub title: String,
    pub code: Option<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub measure_id: Option<i32>,
    pub org_unit_id: i32,
    pub status: db::Status,
    pub visibility: db::Visibility,
    pub contact: Option<Contact>,
    pub unique_selling_point: Option<String>,
    pub benefit_for_all: Option<String>,
    pub transferable: bool,
    pub transferable_results: Option<String>,
    pub transferable_from: Option<NaiveDate>,
    pub funding_recipient: Option<String>,
    pub model_region: Option<String>,
    pub pilot_areas: Option<String>,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub application_approved_on: Option<NaiveDate>,
    pub implementation_commissioned_on: Option<NaiveDate>,
    pub go_live_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    pub category_ids: Vec<i32>,
    /// Weight in the measure's roll-up; none: 1.
    pub weight: Option<Decimal>,
}

/// Changes to a project read at `version`; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct ProjectPatch {
    pub id: i32,
    pub version: i32,
    pub title: Option<String>,
    pub code: Change<String>,
    pub summary: Change<String>,
    pub description: Change<String>,
    pub measure_id: Change<i32>,
    pub org_unit_id: Option<i32>,
    pub status: Option<db::Status>,
    pub visibility: Option<db::Visibility>,
    pub contact: Change<Contact>,
    pub unique_selling_point: Change<String>,
    pub benefit_for_all: Change<String>,
    pub transferable: Option<bool>,
    pub transferable_results: Change<String>,
    pub transferable_from: Change<NaiveDate>,
    pub funding_recipient: Change<String>,
    pub model_region: Change<String>,
    pub pilot_areas: Change<String>,
    pub start_date: Change<NaiveDate>,
    pub end_date: Change<NaiveDate>,
    pub application_approved_on: Change<NaiveDate>,
    pub implementation_commissioned_on: Change<NaiveDate>,
    pub go_live_on: Change<NaiveDate>,
    pub closed_on: Change<NaiveDate>,
    /// Replaces the categories.
    pub category_ids: Option<Vec<i32>>,
    /// Weight in the measure's roll-up. Master data: the measure's figure is central IT's
    /// steering, and a department weighing its own project would weigh it against other
    /// units' projects in that figure.
    pub weight: Option<Decimal>,
}

impl ProjectPatch {
    /// Whether the change goes beyond the status (only central IT may do that).
    pub fn touches_master_data(&self) -> bool {
        let changed = [
            self.code.is_some(),
            self.summary.is_some(),
            self.description.is_some(),
            self.measure_id.is_some(),
            self.contact.is_some(),
            self.unique_selling_point.is_some(),
            self.benefit_for_all.is_some(),
            self.transferable_results.is_some(),
            self.transferable_from.is_some(),
            self.funding_recipient.is_some(),
            self.model_region.is_some(),
            self.pilot_areas.is_some(),
            self.start_date.is_some(),
            self.end_date.is_some(),
            self.application_approved_on.is_some(),
            self.implementation_commissioned_on.is_some(),
            self.go_live_on.is_some(),
            self.closed_on.is_some(),
        ];
        self.title.is_some()
            || self.org_unit_id.is_some()
            || self.visibility.is_some()
            || self.transferable.is_some()
            || self.category_ids.is_some()
            || self.weight.is_some()
            || changed.iter().any(|changed| *changed)
    }
}

/// A new sub-project.
#[derive(Debug, Clone)]
pub struct NewSubProject {
    pub project_id: i32,
    pub title: String,
    pub code: Option<String>,
    pub description: Option<String>,
    /// The lead unit (default: the project's).
    pub org_unit_id: Option<i32>,
    pub status: db::Status,
    pub visibility: db::Visibility,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    /// Weight in the project's roll-up; none: 1.
    pub weight: Option<Decimal>,
}

/// Changes to a sub-project read at `version`.
#[derive(Debug, Clone, Default)]
pub struct SubProjectPatch {
    pub id: i32,
    pub version: i32,
    pub title: Option<String>,
    pub code: Change<String>,
    pub description: Change<String>,
    pub org_unit_id: Option<i32>,
    pub status: Option<db::Status>,
    pub visibility: Option<db::Visibility>,
    pub start_date: Change<NaiveDate>,
    pub end_date: Change<NaiveDate>,
    /// Weight in the project's roll-up: whoever may edit the sub-project (the project's
    /// figure is the owning department's to report anyway).
    pub weight: Option<Decimal>,
}

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

/// Name, e-mail and phone of a contact as stored.
type ContactColumns = (Option<String>, Option<String>, Option<String>);

fn contact(input: Option<Contact>) -> ApiResult<ContactColumns> {
    let Some(c) = input else {
        return Ok((None, None, None));
    };
    Ok((
        Some(validate::title("contact.name", &c.name)?),
        validate::short_text("contact.email", c.email)?,
        validate::short_text("contact.phone", c.phone)?,
    ))
}

async fn categories(w: &Write<'_>, ids: &[i32]) -> ApiResult<BTreeSet<i32>> {
    w.referenced_all::<category::Entity>(ids, "categoryIds")
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

async fn measure_ref(w: &Write<'_>, measure: i32) -> ApiResult<i32> {
    Ok(w.referenced::<measure::Entity>(measure, "measureId")
        .await?
        .id)
}

/// Creates a project (central IT).
#[tracing::instrument(skip_all, fields(tenant = viewer.tenant_id))]
pub async fn create(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: NewProject,
) -> ApiResult<project::Model> {
    crate::write::single!(db, viewer, |w| create_in(&w, input))
}

/// [`create`] within a write that others share (an import of many rows).
pub async fn create_in(w: &Write<'_>, input: NewProject) -> ApiResult<project::Model> {
    let viewer = w.viewer;
    writes::require_central_it(viewer, "create projects")?;
    let org_unit = w.org_unit(input.org_unit_id).await?;
    let measure = match input.measure_id {
        Some(m) => Some(measure_ref(w, m).await?),
        None => None,
    };
    let categories = categories(w, &input.category_ids).await?;
    let (start, end) = (input.start_date, input.end_date);
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
        status: Set(input.status),
        rag: Set(db::Rag::Green),
        progress: Set(0),
        visibility: Set(input.visibility),
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
        transferable_from: Set(input.transferable_from),
        funding_recipient: Set(validate::short_text(
            "fundingRecipient",
            input.funding_recipient,
        )?),
        model_region: Set(validate::short_text("modelRegion", input.model_region)?),
        pilot_areas: Set(validate::text("pilotAreas", input.pilot_areas)?),
        start_date: Set(start),
        end_date: Set(end),
        application_approved_on: Set(input.application_approved_on),
        implementation_commissioned_on: Set(input.implementation_commissioned_on),
        go_live_on: Set(input.go_live_on),
        closed_on: Set(input.closed_on),
        weight: Set(validate::weight("weight", input.weight)?),
        archived_at: Set(None),
        ..Default::default()
    };
    let project = w.insert(row, project_subject(org_unit)).await?;
    tag(w, project.id, project.org_unit_id, &categories).await?;
    Ok(project)
}

/// Changes a project: central IT anything, the owning department its status.
#[tracing::instrument(skip_all, fields(tenant = viewer.tenant_id))]
pub async fn update(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: ProjectPatch,
) -> ApiResult<project::Model> {
    crate::write::single!(db, viewer, |w| update_in(&w, input))
}

/// [`update`] within a write that others share (an import of many rows).
pub async fn update_in(w: &Write<'_>, input: ProjectPatch) -> ApiResult<project::Model> {
    let viewer = w.viewer;
    let before = w.visible::<project::Entity>(input.id, "project").await?;
    if input.touches_master_data() {
        writes::require_central_it(viewer, "change more than the status of a project")?;
    } else {
        writes::require_edit(viewer, &before, "change this project")?;
    }
    let mut c = <project::ActiveModel as Default>::default();
    if let Some(title) = &input.title {
        c.title = Set(validate::title("title", title)?);
    }
    if let Some(v) = input.code {
        c.code = Set(validate::short_text("code", v)?);
    }
    if let Some(v) = input.summary {
        c.summary = Set(validate::text("summary", v)?);
    }
    if let Some(v) = input.description {
        c.description = Set(validate::text("description", v)?);
    }
    if let Some(v) = input.measure_id {
        c.measure_id = Set(match v {
            Some(m) => Some(measure_ref(w, m).await?),
            None => None,
        });
    }
    let mut owner = before.org_unit_id;
    if let Some(u) = input.org_unit_id {
        owner = w.org_unit(u).await?;
        c.org_unit_id = Set(owner);
    }
    if let Some(status) = input.status {
        c.status = Set(status);
    }
    if let Some(visibility) = input.visibility {
        c.visibility = Set(visibility);
    }
    if let Some(v) = input.contact {
        let (name, email, phone) = contact(v)?;
        c.contact_name = Set(name);
        c.contact_email = Set(email);
        c.contact_phone = Set(phone);
    }
    if let Some(v) = input.unique_selling_point {
        c.unique_selling_point = Set(validate::text("uniqueSellingPoint", v)?);
    }
    if let Some(v) = input.benefit_for_all {
        c.benefit_for_all = Set(validate::text("benefitForAll", v)?);
    }
    if let Some(v) = input.transferable {
        c.transferable = Set(v);
    }
    if let Some(v) = input.transferable_results {
        c.transferable_results = Set(validate::text("transferableResults", v)?);
    }
    if let Some(v) = input.transferable_from {
        c.transferable_from = Set(v);
    }
    if let Some(v) = input.funding_recipient {
        c.funding_recipient = Set(validate::short_text("fundingRecipient", v)?);
    }
    if let Some(v) = input.model_region {
        c.model_region = Set(validate::short_text("modelRegion", v)?);
    }
    if let Some(v) = input.pilot_areas {
        c.pilot_areas = Set(validate::text("pilotAreas", v)?);
    }
    let (start, end) = (input.start_date, input.end_date);
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
    if let Some(v) = input.application_approved_on {
        c.application_approved_on = Set(v);
    }
    if let Some(v) = input.implementation_commissioned_on {
        c.implementation_commissioned_on = Set(v);
    }
    if let Some(v) = input.go_live_on {
        c.go_live_on = Set(v);
    }
    if let Some(v) = input.closed_on {
        c.closed_on = Set(v);
    }
    if let Some(weight) = input.weight {
        c.weight = Set(validate::weight("weight", Some(weight))?);
    }
    let categories = match &input.category_ids {
        Some(ids) => Some(categories(w, ids).await?),
        None => None,
    };
    let after = w
        .update(
            &before,
            input.version,
            c,
            Action::Update,
            project_subject(owner),
        )
        .await?;
    if let Some(categories) = categories {
        tag(w, after.id, after.org_unit_id, &categories).await?;
    }
    Ok(after)
}

/// Creates a sub-project (central IT, or the department owning the project).
#[tracing::instrument(skip_all, fields(tenant = viewer.tenant_id))]
pub async fn create_sub_project(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: NewSubProject,
) -> ApiResult<sub_project::Model> {
    crate::write::single!(db, viewer, |w| create_sub_project_in(&w, input))
}

/// [`create_sub_project`] within a write that others share (an import of many rows).
pub async fn create_sub_project_in(
    w: &Write<'_>,
    input: NewSubProject,
) -> ApiResult<sub_project::Model> {
    let viewer = w.viewer;
    writes::require_administration(viewer, "add sub-projects")?;
    let project = w
        .referenced::<project::Entity>(input.project_id, "projectId")
        .await?;
    writes::require_edit(viewer, &project, "add sub-projects to this project")?;
    let lead = match input.org_unit_id {
        Some(u) => w.org_unit(u).await?,
        None => project.org_unit_id,
    };
    writes::require_lead(viewer, lead)?;
    if input.visibility != db::Visibility::Internal {
        writes::require_central_it(viewer, "release sub-projects beyond the administration")?;
    }
    let (start, end) = (input.start_date, input.end_date);
    validate::period("endDate", start, end)?;
    let status = input.status;
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
        visibility: Set(input.visibility),
        weight: Set(validate::weight("weight", input.weight)?),
        archived_at: Set(None),
        ..Default::default()
    };
    let sub = w.insert(row, sub_project_subject(lead)).await?;
    Ok(sub)
}

/// Changes a sub-project (central IT, or the department owning it).
#[tracing::instrument(skip_all, fields(tenant = viewer.tenant_id))]
pub async fn update_sub_project(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: SubProjectPatch,
) -> ApiResult<sub_project::Model> {
    crate::write::single!(db, viewer, |w| update_sub_project_in(&w, input))
}

/// [`update_sub_project`] within a write that others share (an import of many rows).
pub async fn update_sub_project_in(
    w: &Write<'_>,
    input: SubProjectPatch,
) -> ApiResult<sub_project::Model> {
    let viewer = w.viewer;
    let before = w
        .visible::<sub_project::Entity>(input.id, "sub-project")
        .await?;
    writes::require_edit(viewer, &before, "change this sub-project")?;
    let mut c = <sub_project::ActiveModel as Default>::default();
    if let Some(title) = &input.title {
        c.title = Set(validate::title("title", title)?);
    }
    if let Some(v) = input.code {
        c.code = Set(validate::short_text("code", v)?);
    }
    if let Some(v) = input.description {
        c.description = Set(validate::text("description", v)?);
    }
    let mut owner = before.org_unit_id;
    if let Some(u) = input.org_unit_id {
        owner = w.org_unit(u).await?;
        writes::require_lead(viewer, owner)?;
        c.org_unit_id = Set(owner);
    }
    if let Some(status) = input.status {
        c.status = Set(status);
    }
    if let Some(visibility) = input.visibility {
        writes::require_central_it(viewer, "change the visibility of a sub-project")?;
        c.visibility = Set(visibility);
    }
    let (start, end) = (input.start_date, input.end_date);
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
    if let Some(weight) = input.weight {
        c.weight = Set(validate::weight("weight", Some(weight))?);
    }
    let after = w
        .update(
            &before,
            input.version,
            c,
            Action::Update,
            sub_project_subject(owner),
        )
        .await?;
    Ok(after)
}
