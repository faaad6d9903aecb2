//! Which changes are webhook events. They are read off the audit record every write leaves
//! ([`crate::audit::record`]): what was done to which type of row, and which fields changed.
//! One table here, and no write path (a mutation, an import, a report carried over to its
//! work) can raise an event without its webhook hearing of it, or forget one.

use entity::enums::WebhookEvent;
use serde_json::Value;

use crate::audit::Action;

/// Every event, for listing and reading stored names back.
pub const ALL: [WebhookEvent; 9] = [
    WebhookEvent::ReportSubmitted,
    WebhookEvent::ReportApproved,
    WebhookEvent::ReportReturned,
    WebhookEvent::StatusChanged,
    WebhookEvent::TrafficLightChanged,
    WebhookEvent::MilestoneAchieved,
    WebhookEvent::MilestoneOverdue,
    WebhookEvent::ApplicationDecided,
    WebhookEvent::CouncilReportPublished,
];

/// The event a stored name stands for.
pub fn from_stored(name: &str) -> Option<WebhookEvent> {
    ALL.into_iter().find(|event| event.as_str() == name)
}

/// The events raised by `action` on a row of GraphQL type `kind`, whose audit record lists
/// `changes` (`{ field: { before, after } }`).
pub fn raised(action: Action, kind: &str, changes: &Value) -> Vec<WebhookEvent> {
    use WebhookEvent as E;
    let changed = |field: &str| changes.get(field).is_some();
    match (kind, action) {
        ("StatusReport", Action::Create) => vec![E::ReportSubmitted],
        ("StatusReport", Action::Approve) => vec![E::ReportApproved],
        ("StatusReport", Action::Return) => vec![E::ReportReturned],
        // A new row has no status to change from, a deleted one none to change to.
        ("Measure" | "Project" | "SubProject", Action::Create | Action::Delete) => Vec::new(),
        ("Measure" | "Project" | "SubProject", _) => [
            (changed("status"), E::StatusChanged),
            (changed("rag"), E::TrafficLightChanged),
        ]
        .into_iter()
        .filter_map(|(raised, event)| raised.then_some(event))
        .collect(),
        // Achieved once: a corrected achievement date is no new achievement.
        ("Milestone", Action::Achieve)
            if changed("achieved_on") && changes["achieved_on"]["before"].is_null() =>
        {
            vec![E::MilestoneAchieved]
        }
        ("Application", Action::Decide) => vec![E::ApplicationDecided],
        ("CouncilReport", Action::Publish) => vec![E::CouncilReportPublished],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::audit::changes;

    #[test]
    fn stored_names_read_back() {
        for event in ALL {
            assert_eq!(from_stored(event.as_str()), Some(event));
        }
        assert_eq!(from_stored("measure.deleted"), None);
    }

    #[test]
    fn reports_raise_submitted_approved_returned() {
        let none = json!({});
        assert_eq!(
            raised(Action::Create, "StatusReport", &none),
            [WebhookEvent::ReportSubmitted]
        );
        assert_eq!(
            raised(Action::Approve, "StatusReport", &none),
            [WebhookEvent::ReportApproved]
        );
        assert_eq!(
            raised(Action::Return, "StatusReport", &none),
            [WebhookEvent::ReportReturned]
        );
    }

    #[test]
    fn work_raises_what_changed_of_status_and_traffic_light() {
        let before = json!({"status": "running", "rag": "green", "title": "A"});
        let after = json!({"status": "on_hold", "rag": "red", "title": "B"});
        let both = changes(Some(&before), Some(&after));
        assert_eq!(
            raised(Action::Report, "Project", &both),
            [
                WebhookEvent::StatusChanged,
                WebhookEvent::TrafficLightChanged
            ]
        );
        let title = changes(
            Some(&before),
            Some(&json!({"status": "running", "rag": "green", "title": "B"})),
        );
        assert!(raised(Action::Update, "Measure", &title).is_empty());
        assert!(raised(Action::Create, "SubProject", &both).is_empty());
    }

    #[test]
    fn a_milestone_is_achieved_once() {
        let achieved = changes(
            Some(&json!({"achieved_on": null})),
            Some(&json!({"achieved_on": "2026-03-01"})),
        );
        assert_eq!(
            raised(Action::Achieve, "Milestone", &achieved),
            [WebhookEvent::MilestoneAchieved]
        );
        let corrected = changes(
            Some(&json!({"achieved_on": "2026-02-27"})),
            Some(&json!({"achieved_on": "2026-03-01"})),
        );
        assert!(raised(Action::Achieve, "Milestone", &corrected).is_empty());
        assert!(raised(Action::Achieve, "Milestone", &json!({})).is_empty());
    }

    #[test]
    fn decisions_and_publications_raise_theirs_other_changes_nothing() {
        let none = json!({});
        assert_eq!(
            raised(Action::Decide, "Application", &none),
            [WebhookEvent::ApplicationDecided]
        );
        assert_eq!(
            raised(Action::Publish, "CouncilReport", &none),
            [WebhookEvent::CouncilReportPublished]
        );
        assert!(raised(Action::Create, "CalendarFeed", &none).is_empty());
        assert!(raised(Action::Update, "Application", &none).is_empty());
    }
}
