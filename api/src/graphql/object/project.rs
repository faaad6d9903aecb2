//! Projects with their profile, money and links.

use crate::graphql::input::milestone::MilestoneOrder;
use crate::graphql::input::project::SubProjectOrder;
use async_graphql::{Context, ID, Object, SimpleObject};

use crate::error::Result;
use entity::{budget_line, funding, project, project_link};
use rust_decimal::Decimal;

use super::{
    Application, Category, Measure, Milestone, OrgUnit, Participant, SubProject,
    columns::work_object,
    measure::is_overdue,
    plain::Plain,
    required,
    tracking::{Tracked, Tracking},
};
use crate::graphql::{
    connection::{Conn, Paging, slice},
    context::scope,
    enums::{FundingSource, LinkKind, Rag, Status, Visibility},
    id,
    scalar::Date,
};
use service::{
    policy,
    report::budget::{BudgetSum, cents},
};

/// A project implementing a measure (or standing in a project area), with the full project
/// profile: phases, lead unit and contact, unique selling point, benefit for all
/// municipalities, transferable results, funding and budget.
#[derive(Clone, async_graphql::Description)]
pub struct Project(pub project::Model);

// The columns first, answered without a future per field (see `plain.rs`), then the other
// fields.
work_object! {
    #[Object(use_type_description)]
    impl Project {
        columns(m) {
            /// Global id.
            pub id "id": ID = id::encode("Project", m.id);
            /// Project number or short code.
            code "code": Option<&str> = m.code.as_deref();
            /// Title, e.g. "egov multidigital".
            title "title": &str = &m.title;
            /// One-paragraph summary.
            summary "summary": Option<&str> = m.summary.as_deref();
            /// Full project description.
            description "description": Option<&str> = m.description.as_deref();
            /// Life-cycle state.
            status "status": Status = m.status.into();
            /// Traffic light, as of the latest status report.
            rag "rag": Rag = m.rag.into();
            /// Progress in percent (0-100), as of the latest status report.
            progress "progress": i32 = m.progress;
            /// Who may read this project.
            visibility "visibility": Visibility = m.visibility.into();
            /// Weight of the project in its parent's roll-up when the tenant weighs by
            /// `WEIGHT` (`TenantSettings.rollupWeighting`); 0 counts for nothing. Default 1.
            resolved weight "weight": Decimal = m.weight.normalize();
            shared archived_at;
            shared version;
            shared created_at;
            shared updated_at;
            /// What sets the project apart ("Alleinstellungsmerkmal").
            unique_selling_point "uniqueSellingPoint": Option<&str> =
                m.unique_selling_point.as_deref();
            /// Benefit for all municipalities ("Mehrwert für alle Kommunen").
            benefit_for_all "benefitForAll": Option<&str> = m.benefit_for_all.as_deref();
            /// Whether results can be reused by other administrations.
            transferable "transferable": bool = m.transferable;
            /// Transferable results ("übertragbare Ergebnisse").
            transferable_results "transferableResults": Option<&str> =
                m.transferable_results.as_deref();
            /// From when the results can be transferred.
            transferable_from "transferableFrom": Option<Date> = m.transferable_from.map(Date);
            /// Recipient of the funding ("Zuwendungsempfänger").
            funding_recipient "fundingRecipient": Option<&str> = m.funding_recipient.as_deref();
            /// Model region the project belongs to.
            model_region "modelRegion": Option<&str> = m.model_region.as_deref();
            /// Pilot areas the project is tried out in.
            pilot_areas "pilotAreas": Option<&str> = m.pilot_areas.as_deref();
            /// Planned start.
            start_date "startDate": Option<Date> = m.start_date.map(Date);
            /// When the work is due: the planned end.
            due_date "dueDate": Option<Date> = m.end_date.map(Date);
            /// The planned end: the old name of `dueDate`.
            deprecated("Use `dueDate`: the same date, named as on every WorkItem.")
            end_date "endDate": Option<Date> = m.end_date.map(Date);
            /// Whether the planned end has passed while the project is still open.
            is_overdue "isOverdue": bool = is_overdue(m.end_date, m.status);
            /// Phase "Vorbereitung": the project application was approved.
            application_approved_on "applicationApprovedOn": Option<Date> =
                m.application_approved_on.map(Date);
            /// Phase "Konzeption": implementation was commissioned.
            implementation_commissioned_on "implementationCommissionedOn": Option<Date> =
                m.implementation_commissioned_on.map(Date);
            /// Phase "Umsetzung": go-live (e.g. in the model regions).
            go_live_on "goLiveOn": Option<Date> = m.go_live_on.map(Date);
            /// Phase "Projektabschluss": the project was closed.
            closed_on "closedOn": Option<Date> = m.closed_on.map(Date);
        }

        /// Contact person; null unless the viewer may see contact details of this project.
        async fn contact(&self, ctx: &Context<'_>) -> Result<Option<Contact>> {
            if !policy::can_see_contact(&scope(ctx)?.viewer, &self.0) {
                return Ok(None);
            }
            Ok(self.0.contact_name.clone().map(|name| Contact {
                name,
                email: self.0.contact_email.clone(),
                phone: self.0.contact_phone.clone(),
            }))
        }
        /// The measure the project implements; null when there is none or it is hidden.
        async fn measure(&self, ctx: &Context<'_>) -> Result<Option<Measure>> {
            let Some(id) = self.0.measure_id else {
                return Ok(None);
            };
            Ok(scope(ctx)?.loaders.measure.load_one(id).await?.map(Measure))
        }
        /// The lead unit (or project area).
        pub(crate) async fn org_unit(&self, ctx: &Context<'_>) -> Result<Plain<OrgUnit>> {
            super::org_unit::unit(ctx, self.0.org_unit_id).await
        }
        /// The application the project was created from.
        async fn application(&self, ctx: &Context<'_>) -> Result<Option<Application>> {
            let Some(id) = self.0.application_id else {
                return Ok(None);
            };
            Ok(scope(ctx)?
                .loaders
                .application
                .load_one(id)
                .await?
                .map(Application))
        }
        /// Sub-projects of the project.
        async fn sub_projects(
            &self,
            ctx: &Context<'_>,
            #[graphql(desc = "Page size, at most 100.")] first: Option<i32>,
            #[graphql(desc = "Cursor of the last edge of the previous page.")]
            after: Option<String>,
            #[graphql(desc = "Page size counted from the end, at most 100; instead of `first`.")] last: Option<i32>,
            #[graphql(desc = "Cursor of the first edge of the next page: the page ends before it.")] before: Option<String>,
#[graphql(desc = "Sort order (default: by code, then title).")] order_by: Option<SubProjectOrder>,
        ) -> Result<Conn<Plain<SubProject>>> {
            let rows = scope(ctx)?
                .loaders
                .sub_projects_by_project
                .load_one(self.0.id)
                .await?
                .unwrap_or_default();
            Ok(slice(rows, order_by.map(|order| order.sort()), Paging::new(first, after, last, before), |m| Plain(SubProject(m)))?)
        }
        /// Milestones of the project and of its sub-projects, by due date.
        async fn milestones(
            &self,
            ctx: &Context<'_>,
            #[graphql(desc = "Page size, at most 100.")] first: Option<i32>,
            #[graphql(desc = "Cursor of the last edge of the previous page.")]
            after: Option<String>,
            #[graphql(desc = "Page size counted from the end, at most 100; instead of `first`.")] last: Option<i32>,
            #[graphql(desc = "Cursor of the first edge of the next page: the page ends before it.")] before: Option<String>,
#[graphql(desc = "Sort order (default: by due date).")] order_by: Option<MilestoneOrder>,
        ) -> Result<Conn<Milestone>> {
            let rows = scope(ctx)?
                .loaders
                .milestones_by_project
                .load_one(self.0.id)
                .await?
                .unwrap_or_default();
            Ok(slice(rows, order_by.map(|order| order.sort()), Paging::new(first, after, last, before), Milestone)?)
        }
        /// Key performance indicators of the project, with their target paths.
        async fn indicators(&self, ctx: &Context<'_>) -> Result<Vec<super::Indicator>> {
            let rows = scope(ctx)?
                .loaders
                .indicators_by_project
                .load_one(self.0.id)
                .await?
                .unwrap_or_default();
            Ok(rows.iter().cloned().map(super::Indicator).collect())
        }
        /// The open milestone due first (it may be overdue already).
        async fn next_milestone(&self, ctx: &Context<'_>) -> Result<Option<Milestone>> {
            let rows = scope(ctx)?
                .loaders
                .milestones_by_project
                .load_one(self.0.id)
                .await?
                .unwrap_or_default();
            // Loaded by due date: the first open one is the next.
            Ok(rows
                .iter()
                .find(|m| m.achieved_on.is_none())
                .cloned()
                .map(Milestone))
        }
        /// Sums of the budget lines; null unless the viewer may see this project's financials.
        async fn budget(&self, ctx: &Context<'_>) -> Result<Option<Budget>> {
            let s = scope(ctx)?;
            if !policy::can_see_financials(&s.viewer, &self.0) {
                return Ok(None);
            }
            let lines = s
                .loaders
                .budget_lines_by_project
                .load_one(self.0.id)
                .await?
                .unwrap_or_default();
            Ok(Some(Budget::sum(&lines)))
        }
        /// Budget per year and source; null unless the viewer may see this project's financials.
        async fn budget_lines(&self, ctx: &Context<'_>) -> Result<Option<Vec<BudgetLine>>> {
            let s = scope(ctx)?;
            if !policy::can_see_financials(&s.viewer, &self.0) {
                return Ok(None);
            }
            let lines = s
                .loaders
                .budget_lines_by_project
                .load_one(self.0.id)
                .await?
                .unwrap_or_default();
            Ok(Some(lines.iter().cloned().map(BudgetLine).collect()))
        }
        /// Funding programmes; null unless the viewer may see this project's financials.
        async fn funding(&self, ctx: &Context<'_>) -> Result<Option<Vec<Funding>>> {
            let s = scope(ctx)?;
            if !policy::can_see_financials(&s.viewer, &self.0) {
                return Ok(None);
            }
            let rows = s
                .loaders
                .funding_by_project
                .load_one(self.0.id)
                .await?
                .unwrap_or_default();
            Ok(Some(rows.iter().cloned().map(Funding).collect()))
        }
        /// Categories the project is tagged with.
        async fn categories(&self, ctx: &Context<'_>) -> Result<Vec<Category>> {
            let rows = scope(ctx)?
                .loaders
                .categories_by_project
                .load_one(self.0.id)
                .await?
                .unwrap_or_default();
            Ok(rows.iter().cloned().map(Category).collect())
        }
        /// Web pages and documents.
        async fn links(&self, ctx: &Context<'_>) -> Result<Vec<ProjectLink>> {
            let rows = scope(ctx)?
                .loaders
                .links_by_project
                .load_one(self.0.id)
                .await?
                .unwrap_or_default();
            Ok(rows.iter().cloned().map(ProjectLink).collect())
        }
        /// Org units taking part beside the owning unit (leading it together, participating
        /// or reusing its results), leads first.
        async fn participants(&self, ctx: &Context<'_>) -> Result<Vec<Participant>> {
            let rows = scope(ctx)?
                .loaders
                .participants_by_project
                .load_one(self.0.id)
                .await?
                .unwrap_or_default();
            Ok(rows.iter().cloned().map(Participant).collect())
        }
        /// The risk register, highest probability × impact first; null unless the viewer may
        /// see this project's risks (central IT and the owning department), as a status
        /// report's risks.
        async fn risks(&self, ctx: &Context<'_>) -> Result<Option<Vec<super::Risk>>> {
            let s = scope(ctx)?;
            if !service::policy::can_see_risks(&s.viewer, self.0.org_unit_id) {
                return Ok(None);
            }
            let rows = s.loaders.risks_by_project.load_one(self.0.id).await?;
            Ok(Some(super::risk::by_score(rows)))
        }
        /// Status reports, the newest report and what the viewer may do.
        #[graphql(flatten)]
        pub(crate) async fn tracking(&self) -> Tracking {
            Tracking {
                work: Tracked::Project(self.0.id),
                owner: self.0.org_unit_id,
                rag: self.0.rag,
            }
        }
    }
}

/// The project `id`, which the policy shows whenever a row below it is visible.
pub(crate) async fn parent_project(ctx: &Context<'_>, id: i32) -> Result<Project> {
    let row = scope(ctx)?.loaders.project.load_one(id).await?;
    Ok(Project(required(row, "project")?))
}

/// A contact person.
#[derive(SimpleObject)]
pub struct Contact {
    /// Name of the person or unit.
    pub name: String,
    /// E-mail address.
    pub email: Option<String>,
    /// Phone number.
    pub phone: Option<String>,
}

/// Sums over budget lines, in euros.
#[derive(SimpleObject, Default)]
pub struct Budget {
    /// Planned.
    pub planned: Decimal,
    /// Approved.
    pub approved: Decimal,
    /// Spent.
    pub spent: Decimal,
}

impl Budget {
    /// Adds up budget lines.
    pub fn sum(lines: &[budget_line::Model]) -> Self {
        let BudgetSum {
            planned,
            approved,
            spent,
        } = BudgetSum::of(lines);
        Self {
            planned,
            approved,
            spent,
        }
    }
}

#[derive(Clone)]
pub struct BudgetLine(pub budget_line::Model);

/// The budget of a project for one year and one source of money, in euros.
#[Object]
impl BudgetLine {
    /// Global id.
    pub async fn id(&self) -> ID {
        id::encode("BudgetLine", self.0.id)
    }
    /// The project the line belongs to.
    async fn project(&self, ctx: &Context<'_>) -> Result<Project> {
        parent_project(ctx, self.0.project_id).await
    }
    /// Budget year.
    async fn year(&self) -> i32 {
        self.0.year
    }
    /// Own funds or funding.
    async fn source(&self) -> FundingSource {
        self.0.source.into()
    }
    /// Planned amount.
    async fn planned(&self) -> Decimal {
        cents(self.0.planned)
    }
    /// Approved amount.
    async fn approved(&self) -> Decimal {
        cents(self.0.approved)
    }
    /// Amount spent.
    async fn spent(&self) -> Decimal {
        cents(self.0.spent)
    }
    /// Remark.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
    /// Version for optimistic concurrency: send it back with an update.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

#[derive(Clone)]
pub struct Funding(pub funding::Model);

/// Funding of a project by a programme.
#[Object]
impl Funding {
    /// Global id.
    pub async fn id(&self) -> ID {
        id::encode("Funding", self.0.id)
    }
    /// The project the funding belongs to.
    async fn project(&self, ctx: &Context<'_>) -> Result<Project> {
        parent_project(ctx, self.0.project_id).await
    }
    /// Funding programme.
    async fn programme(&self) -> &str {
        &self.0.programme
    }
    /// Who provides the money.
    async fn funder(&self) -> &str {
        &self.0.funder
    }
    /// Amount granted, in euros.
    async fn amount(&self) -> Decimal {
        cents(self.0.amount)
    }
    /// Funding rate in percent.
    async fn rate(&self) -> Option<Decimal> {
        self.0.rate.map(|v| v.normalize())
    }
    /// Remark.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
    /// Version for optimistic concurrency: send it back with an update.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

#[derive(Clone)]
pub struct ProjectLink(pub project_link::Model);

/// A web page or document of a project.
#[Object]
impl ProjectLink {
    /// Global id.
    pub async fn id(&self) -> ID {
        id::encode("ProjectLink", self.0.id)
    }
    /// The project the link belongs to.
    async fn project(&self, ctx: &Context<'_>) -> Result<Project> {
        parent_project(ctx, self.0.project_id).await
    }
    /// Web page or document.
    async fn kind(&self) -> LinkKind {
        self.0.kind.into()
    }
    /// Title shown for the link.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// Address.
    async fn url(&self) -> &str {
        &self.0.url
    }
    /// Version for optimistic concurrency: send it back with an update.
    async fn version(&self) -> i32 {
        self.0.version
    }
}
