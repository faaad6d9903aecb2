//! Project applications and the steering committee that decides on them.

use async_graphql::{Context, ID, Object};

use crate::error::Result;
use chrono::{DateTime, Utc};
use entity::{application, steering_meeting};
use rust_decimal::Decimal;

use service::report::budget::cents;

use super::{OrgUnit, Project, participant::AdoptedFrom, required};
use crate::graphql::{context::scope, enums::ApplicationStatus, id, scalar::Date};

#[derive(Clone)]
pub struct Application(pub application::Model);

/// A project idea submitted by a unit; the steering committee (Lenkungsausschuss) decides on
/// it, and approval creates the project.
#[Object]
impl Application {
    /// Global id.
    pub async fn id(&self) -> ID {
        id::encode("Application", self.0.id)
    }
    /// Title of the idea.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// What is proposed.
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// Expected benefit.
    async fn expected_benefit(&self) -> Option<&str> {
        self.0.expected_benefit.as_deref()
    }
    /// Estimated cost in euros.
    async fn estimated_cost(&self) -> Option<Decimal> {
        self.0.estimated_cost.map(cents)
    }
    /// Where the application stands.
    async fn status(&self) -> ApplicationStatus {
        self.0.status.into()
    }
    /// Name of the person who submitted it.
    async fn submitted_by_name(&self) -> Option<&str> {
        self.0.submitted_by_name.as_deref()
    }
    /// The other municipality's project it takes over, when it was adopted from the reuse
    /// catalogue (`adoptFromCatalogue`): tenant and project as the catalogue showed them.
    async fn adopted_from(&self) -> Option<AdoptedFrom> {
        let a = &self.0;
        Some(AdoptedFrom {
            project_id: a.adopted_from_project_id?,
            tenant_key: a.adopted_from_tenant_key.clone().unwrap_or_default(),
            tenant_name: a.adopted_from_tenant_name.clone().unwrap_or_default(),
            title: a.adopted_from_title.clone().unwrap_or_default(),
        })
    }
    /// When it was submitted.
    async fn submitted_on(&self) -> Date {
        self.0.submitted_on.into()
    }
    /// When the steering committee decided.
    async fn decided_on(&self) -> Option<Date> {
        self.0.decided_on.map(Date)
    }
    /// Number of the decision in the committee's minutes.
    async fn decision_number(&self) -> Option<&str> {
        self.0.decision_number.as_deref()
    }
    /// Note on the decision.
    async fn decision_note(&self) -> Option<&str> {
        self.0.decision_note.as_deref()
    }
    /// Conditions attached to an approval.
    async fn conditions(&self) -> Option<&str> {
        self.0.conditions.as_deref()
    }
    /// Budget released with the approval, in euros.
    async fn budget_released(&self) -> Option<Decimal> {
        self.0.budget_released.map(cents)
    }
    /// Version for optimistic concurrency: send it back with an update.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// When the row was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// The submitting unit.
    async fn org_unit(&self, ctx: &Context<'_>) -> Result<OrgUnit> {
        let unit = scope(ctx)?
            .loaders
            .org_unit
            .load_one(self.0.org_unit_id)
            .await?;
        Ok(OrgUnit(required(unit, "org unit")?))
    }
    /// The steering-committee meeting that decided (or will decide).
    async fn meeting(&self, ctx: &Context<'_>) -> Result<Option<SteeringMeeting>> {
        let Some(id) = self.0.meeting_id else {
            return Ok(None);
        };
        Ok(scope(ctx)?
            .loaders
            .meeting
            .load_one(id)
            .await?
            .map(SteeringMeeting))
    }
    /// The project the approval created.
    async fn project(&self, ctx: &Context<'_>) -> Result<Option<Project>> {
        let rows = scope(ctx)?
            .loaders
            .projects_by_application
            .load_one(self.0.id)
            .await?
            .unwrap_or_default();
        Ok(rows.first().cloned().map(Project))
    }
}

#[derive(Clone)]
pub struct SteeringMeeting(pub steering_meeting::Model);

/// A meeting of the steering committee (Lenkungsausschuss, jour fixe).
#[Object]
impl SteeringMeeting {
    /// Global id.
    pub async fn id(&self) -> ID {
        id::encode("SteeringMeeting", self.0.id)
    }
    /// Title, e.g. "Lenkungsausschuss E-Services, 12. Sitzung".
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// Date of the meeting.
    async fn held_on(&self) -> Date {
        self.0.held_on.into()
    }
    /// Where it took place.
    async fn location(&self) -> Option<&str> {
        self.0.location.as_deref()
    }
    /// Minutes or notes.
    async fn notes(&self) -> Option<&str> {
        self.0.notes.as_deref()
    }
    /// Version for optimistic concurrency: send it back with an update.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// Applications on the agenda of this meeting.
    async fn applications(&self, ctx: &Context<'_>) -> Result<Vec<Application>> {
        let rows = scope(ctx)?
            .loaders
            .applications_by_meeting
            .load_one(self.0.id)
            .await?
            .unwrap_or_default();
        Ok(rows.iter().cloned().map(Application).collect())
    }
}
