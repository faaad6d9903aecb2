//! Output types, built from entity models so that no column is exposed by accident.

pub mod application;
pub mod audit_entry;
pub mod calendar_feed;
pub mod category;
pub mod columns;
pub mod council_indicator;
pub mod council_report;
pub mod dashboard;
pub mod goal;
pub mod indicator;
pub mod measure;
pub mod milestone;
pub mod node;
pub mod org_unit;
pub mod participant;
pub mod plain;
pub mod progress;
pub mod project;
pub mod reuse;
pub mod risk;
pub mod status_report;
pub mod strategy;
pub mod sub_project;
pub mod tenant;
pub mod tracking;
pub mod warning;
pub mod webhook;
pub mod work_item;

pub use application::{Application, SteeringMeeting};
pub use audit_entry::AuditEntry;
pub use calendar_feed::CalendarFeed;
pub use category::Category;
pub use goal::Goal;
pub use indicator::{Indicator, IndicatorValue};
pub use measure::Measure;
pub use milestone::Milestone;
pub use node::Node;
pub use org_unit::OrgUnit;
pub use participant::Participant;
pub use project::{Budget, BudgetLine, Contact, Funding, Project, ProjectLink};
pub use risk::Risk;
pub use status_report::StatusReport;
pub use strategy::Strategy;
pub use sub_project::SubProject;
pub use tenant::{Me, Tenant};
pub use webhook::{Webhook, WebhookDelivery};
pub use work_item::WorkItem;

use crate::error::ApiError;

/// A parent that the policy guarantees to be visible whenever its child is.
pub(crate) fn required<T>(row: Option<T>, what: &'static str) -> Result<T, ApiError> {
    row.ok_or_else(|| ApiError::Internal(anyhow::anyhow!("{what} of a visible row is missing")))
}

#[cfg(test)]
mod future_sizes {
    use async_graphql::{ContainerType, Context};

    /// The size of the future `resolve_field` returns, without calling it.
    fn size<'a, T: 'a, Fut>(_: fn(&'a T, &'a Context<'a>) -> Fut) -> usize {
        std::mem::size_of::<Fut>()
    }

    /// async-graphql boxes one `resolve_field` future per selected field, sized for the
    /// type's largest field: a resolver that awaits a big load inline makes every scalar
    /// field of its type allocate and copy that much (the work types were at 2 KiB before the
    /// report loads were boxed).
    #[test]
    fn field_futures_of_the_work_types_stay_small() {
        for (name, bytes) in [
            ("Goal", size(<super::Goal as ContainerType>::resolve_field)),
            (
                "Measure",
                size(<super::Measure as ContainerType>::resolve_field),
            ),
            (
                "Project",
                size(<super::Project as ContainerType>::resolve_field),
            ),
            (
                "SubProject",
                size(<super::SubProject as ContainerType>::resolve_field),
            ),
        ] {
            assert!(bytes <= 1280, "{name}: {bytes} bytes per field future");
        }
    }
}
