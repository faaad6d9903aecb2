//! Org units: the organisation tree of a tenant.

use crate::graphql::input::measure::MeasureOrder;
use crate::graphql::input::project::ProjectOrder;
use crate::graphql::input::project::SubProjectOrder;
use async_graphql::{Context, ID, Object, SimpleObject};

use crate::error::Result;
use chrono::{DateTime, Utc};
use entity::org_unit;
use service::policy;

use super::{Measure, Project, SubProject, columns::work_object, plain::Plain};
use crate::graphql::{
    connection::{Conn, Paging, slice},
    context::scope,
    enums::OrgUnitKind,
    id,
};

/// The unit `id` (a row's owning unit, which every reader of the row may see).
pub(crate) async fn unit(ctx: &Context<'_>, id: i32) -> Result<Plain<OrgUnit>> {
    let unit = scope(ctx)?.loaders.org_unit.load_one(id).await?;
    Ok(Plain(OrgUnit(super::required(unit, "org unit")?)))
}

/// The person leading an org unit.
#[derive(SimpleObject)]
pub struct OrgUnitLead {
    /// Name.
    pub name: String,
    /// E-mail address (contact detail: see `OrgUnit.lead`).
    pub email: Option<String>,
}

/// A unit of the organisation: the city, a department ("Fachbereich"), a division, a project
/// area or a partner administration. Units form a tree.
#[derive(Clone, async_graphql::Description)]
pub struct OrgUnit(pub org_unit::Model);

// The columns first, answered without a future per field (see `plain.rs`; a measures page
// names each measure's unit), then the other fields.
work_object! {
    #[Object(use_type_description)]
    impl OrgUnit {
        columns(m) {
            /// Global id.
            pub id "id": ID = id::encode("OrgUnit", m.id);
            /// Short code, e.g. "FB 15".
            code "code": &str = &m.code;
            /// Name, e.g. "Digitale Verwaltung und IT Steuerung".
            name "name": &str = &m.name;
            /// What kind of unit this is.
            kind "kind": OrgUnitKind = m.kind.into();
            /// Sort position among its siblings.
            position "position": i32 = m.position;
        }

        /// The person leading the unit: whom reminders go to. The e-mail address is a contact
        /// detail: null except for central IT and the departments of the unit's subtree.
        async fn lead(&self, ctx: &Context<'_>) -> Result<Option<OrgUnitLead>> {
            let Some(name) = &self.0.lead_name else {
                return Ok(None);
            };
            let viewer = &scope(ctx)?.viewer;
            let email = self
                .0
                .lead_email
                .clone()
                .filter(|_| policy::can_see_contact(viewer, self.0.id));
            Ok(Some(OrgUnitLead {
                name: name.clone(),
                email,
            }))
        }
        /// When the unit was archived; archived units keep their history.
        async fn archived_at(&self) -> Option<DateTime<Utc>> {
            self.0.archived_at
        }
        /// Version for optimistic concurrency: send it back with an update.
        async fn version(&self) -> i32 {
            self.0.version
        }
        /// The unit above this one; null for the root.
        async fn parent(&self, ctx: &Context<'_>) -> Result<Option<OrgUnit>> {
            let Some(parent) = self.0.parent_id else {
                return Ok(None);
            };
            Ok(scope(ctx)?
                .loaders
                .org_unit
                .load_one(parent)
                .await?
                .map(OrgUnit))
        }
        /// The units directly below this one.
        async fn children(&self, ctx: &Context<'_>) -> Result<Vec<OrgUnit>> {
            let rows = scope(ctx)?
                .loaders
                .org_units_by_parent
                .load_one(self.0.id)
                .await?
                .unwrap_or_default();
            Ok(rows.iter().cloned().map(OrgUnit).collect())
        }
        /// Measures this unit is responsible for (not those of its sub-units).
        async fn measures(
            &self,
            ctx: &Context<'_>,
            #[graphql(desc = "Page size, at most 100.")] first: Option<i32>,
            #[graphql(desc = "Cursor of the last edge of the previous page.")] after: Option<String>,
            #[graphql(desc = "Page size counted from the end, at most 100; instead of `first`.")] last: Option<i32>,
            #[graphql(desc = "Cursor of the first edge of the next page: the page ends before it.")]
            before: Option<String>,
            #[graphql(desc = "Sort order (default: by code).")] order_by: Option<MeasureOrder>,
        ) -> Result<Conn<Plain<Measure>>> {
            let rows = scope(ctx)?
                .loaders
                .measures_by_org_unit
                .load_one(self.0.id)
                .await?
                .unwrap_or_default();
            Ok(slice(
                rows,
                order_by.map(|order| order.sort()),
                Paging::new(first, after, last, before),
                |m| Plain(Measure(m)),
            )?)
        }
        /// Projects this unit leads.
        async fn projects(
            &self,
            ctx: &Context<'_>,
            #[graphql(desc = "Page size, at most 100.")] first: Option<i32>,
            #[graphql(desc = "Cursor of the last edge of the previous page.")] after: Option<String>,
            #[graphql(desc = "Page size counted from the end, at most 100; instead of `first`.")] last: Option<i32>,
            #[graphql(desc = "Cursor of the first edge of the next page: the page ends before it.")]
            before: Option<String>,
            #[graphql(desc = "Sort order (default: by title).")] order_by: Option<ProjectOrder>,
        ) -> Result<Conn<Plain<Project>>> {
            let rows = scope(ctx)?
                .loaders
                .projects_by_org_unit
                .load_one(self.0.id)
                .await?
                .unwrap_or_default();
            Ok(slice(
                rows,
                order_by.map(|order| order.sort()),
                Paging::new(first, after, last, before),
                |m| Plain(Project(m)),
            )?)
        }
        /// Sub-projects this unit leads.
        async fn sub_projects(
            &self,
            ctx: &Context<'_>,
            #[graphql(desc = "Page size, at most 100.")] first: Option<i32>,
            #[graphql(desc = "Cursor of the last edge of the previous page.")] after: Option<String>,
            #[graphql(desc = "Page size counted from the end, at most 100; instead of `first`.")] last: Option<i32>,
            #[graphql(desc = "Cursor of the first edge of the next page: the page ends before it.")]
            before: Option<String>,
            #[graphql(desc = "Sort order (default: by title).")] order_by: Option<SubProjectOrder>,
        ) -> Result<Conn<Plain<SubProject>>> {
            let rows = scope(ctx)?
                .loaders
                .sub_projects_by_org_unit
                .load_one(self.0.id)
                .await?
                .unwrap_or_default();
            Ok(slice(
                rows,
                order_by.map(|order| order.sort()),
                Paging::new(first, after, last, before),
                |m| Plain(SubProject(m)),
            )?)
        }
    }
}
