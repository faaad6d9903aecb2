//! Measures derived from goals.

use async_graphql::{Context, ID, Object, Result, ScalarType, Value};

use super::plain::{Columns, Plain, optional, text, tracking_columns};
use chrono::{DateTime, Utc};
use entity::{enums as db, measure};
use rust_decimal::Decimal;

use super::{
    Goal, OrgUnit, Project, required,
    tracking::{Tracked, Tracking},
};
use crate::graphql::{
    connection::{Conn, slice},
    context::scope,
    enums::{MeasureKind, Priority, Rag, Status, Visibility},
    id,
    scalar::{Date, today},
};

/// A measure derived from one or more goals and implemented by projects. Communication
/// measures also carry target group, channel, organiser and effort in person-days.
pub struct Measure(pub measure::Model);

/// The columns of the type below, answered without a future per field (see `plain.rs`).
impl Columns for Measure {
    fn column(&self, name: &str) -> Option<Value> {
        let m = &self.0;
        let date = |d: Option<chrono::NaiveDate>| optional(d, |d| Date(d).to_value());
        Some(match name {
            "id" => Value::String(id::encode("Measure", m.id).0),
            "number" => text(&m.number),
            "title" => text(&m.title),
            "description" => optional(m.description.as_deref(), text),
            "kind" => MeasureKind::from(m.kind).value(),
            "priority" => Priority::from(m.priority).value(),
            "startDate" => date(m.start_date),
            "dueDate" => date(m.due_date),
            "completedOn" => date(m.completed_on),
            "isOverdue" => Value::Boolean(is_overdue(m.due_date, m.status)),
            "status" => Status::from(m.status).value(),
            "rag" => Rag::from(m.rag).value(),
            "progress" => Value::from(m.progress),
            "targetGroup" => optional(m.target_group.as_deref(), text),
            "channel" => optional(m.channel.as_deref(), text),
            "organiser" => optional(m.organiser.as_deref(), text),
            _ => return tracking_columns!(name, m),
        })
    }
}

/// Whether a piece of work with this due date and status is late today.
pub(crate) fn is_overdue(due: Option<chrono::NaiveDate>, status: db::Status) -> bool {
    let open = !matches!(status, db::Status::Completed | db::Status::Cancelled);
    open && due.is_some_and(|due| due < today())
}

#[Object]
impl Measure {
    /// Global id.
    pub async fn id(&self) -> ID {
        id::encode("Measure", self.0.id)
    }
    /// Number of the measure, e.g. "M-07".
    async fn number(&self) -> &str {
        &self.0.number
    }
    /// Title of the measure.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// What the measure does (for communication measures: the content).
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    /// What kind of measure this is.
    async fn kind(&self) -> MeasureKind {
        self.0.kind.into()
    }
    /// How urgent the measure is.
    async fn priority(&self) -> Priority {
        self.0.priority.into()
    }
    /// Planned start.
    async fn start_date(&self) -> Option<Date> {
        self.0.start_date.map(Date)
    }
    /// When the measure is due.
    async fn due_date(&self) -> Option<Date> {
        self.0.due_date.map(Date)
    }
    /// When the measure was completed.
    async fn completed_on(&self) -> Option<Date> {
        self.0.completed_on.map(Date)
    }
    /// Whether the due date has passed while the measure is still open.
    async fn is_overdue(&self) -> bool {
        is_overdue(self.0.due_date, self.0.status)
    }
    /// Life-cycle state.
    async fn status(&self) -> Status {
        self.0.status.into()
    }
    /// Traffic light, as of the latest status report.
    async fn rag(&self) -> Rag {
        self.0.rag.into()
    }
    /// Progress in percent (0-100), as of the latest status report.
    async fn progress(&self) -> i32 {
        self.0.progress
    }
    /// Planned effort in person-days.
    async fn planned_effort_days(&self) -> Option<Decimal> {
        self.0.planned_effort_days.map(|v| v.normalize())
    }
    /// Effort spent so far in person-days.
    async fn actual_effort_days(&self) -> Option<Decimal> {
        self.0.actual_effort_days.map(|v| v.normalize())
    }
    /// Target group of a communication measure.
    async fn target_group(&self) -> Option<&str> {
        self.0.target_group.as_deref()
    }
    /// Channel of a communication measure.
    async fn channel(&self) -> Option<&str> {
        self.0.channel.as_deref()
    }
    /// Organiser of a communication measure.
    async fn organiser(&self) -> Option<&str> {
        self.0.organiser.as_deref()
    }
    /// Who may read this measure.
    async fn visibility(&self) -> Visibility {
        self.0.visibility.into()
    }
    /// When the row was archived (visible to central IT only); null while it is live.
    async fn archived_at(&self) -> Option<DateTime<Utc>> {
        self.0.archived_at
    }
    /// Version for optimistic concurrency: send it back with an update.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// When the row was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When the row was last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// The unit responsible for the measure.
    async fn org_unit(&self, ctx: &Context<'_>) -> Result<OrgUnit> {
        let unit = scope(ctx)?
            .loaders
            .org_unit
            .load_one(self.0.org_unit_id)
            .await?;
        Ok(OrgUnit(required(unit, "org unit")?))
    }
    /// The goals the measure is derived from (those the viewer may see).
    async fn goals(&self, ctx: &Context<'_>) -> Result<Vec<Goal>> {
        let rows = scope(ctx)?
            .loaders
            .goals_by_measure
            .load_one(self.0.id)
            .await?
            .unwrap_or_default();
        Ok(rows.iter().cloned().map(Goal).collect())
    }
    /// Projects implementing the measure.
    #[graphql(complexity = "crate::graphql::connection::page_complexity(first, child_complexity)")]
    async fn projects(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, at most 100.")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last edge of the previous page.")] after: Option<String>,
    ) -> Result<Conn<Plain<Project>>> {
        let rows = scope(ctx)?
            .loaders
            .projects_by_measure
            .load_one(self.0.id)
            .await?
            .unwrap_or_default();
        Ok(slice(rows, first, after, |m| Plain(Project(m)))?)
    }
    /// The open milestone due first among the measure's projects (it may be overdue).
    async fn next_milestone(&self, ctx: &Context<'_>) -> Result<Option<super::Milestone>> {
        let loaders = &scope(ctx)?.loaders;
        let projects = loaders
            .projects_by_measure
            .load_one(self.0.id)
            .await?
            .unwrap_or_default();
        let milestones = loaders
            .milestones_by_project
            .load_many(projects.iter().map(|p| p.id))
            .await?;
        Ok(milestones
            .values()
            .flat_map(|rows| rows.iter())
            .filter(|m| m.achieved_on.is_none())
            .min_by_key(|m| (m.due_date, m.code.clone(), m.id))
            .cloned()
            .map(super::Milestone))
    }
    /// Status reports, the newest report and what the viewer may do.
    #[graphql(flatten)]
    async fn tracking(&self) -> Tracking {
        Tracking {
            work: Tracked::Measure(self.0.id),
            owner: self.0.org_unit_id,
            rag: self.0.rag,
        }
    }
}
