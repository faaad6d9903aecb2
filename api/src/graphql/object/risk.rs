//! The risk register of projects and measures.

use std::sync::Arc;

use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};

use crate::error::Result;
use entity::risk;

use super::{WorkItem, work_item};
use crate::graphql::{context::scope, enums::RiskStatus, id, scalar::Date};
use service::risk::RiskOf;

#[derive(Clone)]
pub struct Risk(pub risk::Model);

/// A risk of the register of a project or measure. Only central IT and the department owning
/// the work see risks (as a status report's risks): for everyone else there are none.
#[Object]
impl Risk {
    /// Global id.
    pub async fn id(&self) -> ID {
        id::encode("Risk", self.0.id)
    }
    /// The project or measure whose register holds the risk.
    async fn subject(&self, ctx: &Context<'_>) -> Result<Option<WorkItem>> {
        subject_of(ctx, &self.0).await
    }
    /// What could happen.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// The risk in more words.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    /// How likely it is: 1 (rare) to 5 (almost certain).
    async fn probability(&self) -> i32 {
        self.0.probability
    }
    /// How hard it would hit: 1 (slight) to 5 (severe).
    async fn impact(&self) -> i32 {
        self.0.impact
    }
    /// Probability × impact, 1 to 25.
    async fn score(&self) -> i32 {
        self.0.probability * self.0.impact
    }
    /// Whether the risk is open and scores 15 or more: it raises its work's `derivedRag`
    /// to at least AMBER with a HIGH_RISK warning.
    async fn is_high(&self) -> bool {
        service::risk::is_high(&self.0)
    }
    /// The person who watches the risk.
    async fn owner(&self) -> Option<&str> {
        self.0.owner_name.as_deref()
    }
    /// What is done against it.
    async fn mitigation(&self) -> Option<&str> {
        self.0.mitigation.as_deref()
    }
    /// Where it stands.
    async fn status(&self) -> RiskStatus {
        self.0.status.into()
    }
    /// When it is to be looked at again.
    async fn review_date(&self) -> Option<Date> {
        self.0.review_on.map(Date)
    }
    /// When the risk was recorded.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When it was last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// Version for optimistic concurrency: send it back with an update.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// The work a risk belongs to, as the viewer sees it.
pub(crate) async fn subject_of(ctx: &Context<'_>, risk: &risk::Model) -> Result<Option<WorkItem>> {
    let (kind, id) = match RiskOf::of(risk) {
        Some(RiskOf::Project(id)) => ("Project", id),
        Some(RiskOf::Measure(id)) => ("Measure", id),
        None => return Ok(None),
    };
    work_item::load(scope(ctx)?, kind, id).await
}

/// A register as loaded, highest probability × impact first.
pub(crate) fn by_score(rows: Option<Arc<Vec<risk::Model>>>) -> Vec<Risk> {
    let mut risks: Vec<Risk> = rows.unwrap_or_default().iter().cloned().map(Risk).collect();
    // Loaded by probability, then impact: the stable sort keeps that order within a score.
    risks.sort_by_key(|r| std::cmp::Reverse(r.0.probability * r.0.impact));
    risks
}
