//! The types of rows the audit trail names.

use async_graphql::Enum;

/// The type of a row the audit trail records changes of: the GraphQL type of its global id.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuditSubjectType {
    /// An `OrgUnit`.
    OrgUnit,
    /// A `Strategy` version.
    Strategy,
    /// A `Goal`.
    Goal,
    /// An `Indicator`.
    Indicator,
    /// An `IndicatorValue`.
    IndicatorValue,
    /// A `Measure`.
    Measure,
    /// A `Project`.
    Project,
    /// A `SubProject`.
    SubProject,
    /// A `Milestone`.
    Milestone,
    /// A `StatusReport`.
    StatusReport,
    /// An `Application`.
    Application,
    /// A `SteeringMeeting`.
    SteeringMeeting,
    /// A `Category`.
    Category,
    /// A `BudgetLine`.
    BudgetLine,
    /// A `Funding`.
    Funding,
    /// A `ProjectLink`.
    ProjectLink,
    /// A published `CouncilReport`.
    CouncilReport,
    /// The `Tenant` (its settings).
    Tenant,
    /// A `CalendarFeed` (made or revoked).
    CalendarFeed,
    /// A `Webhook` (registered, changed or removed).
    Webhook,
    /// A `Risk` of a register.
    Risk,
    /// A `Participant` of a project or sub-project.
    Participant,
}

impl AuditSubjectType {
    const ALL: [Self; 22] = [
        Self::OrgUnit,
        Self::Strategy,
        Self::Goal,
        Self::Indicator,
        Self::IndicatorValue,
        Self::Measure,
        Self::Project,
        Self::SubProject,
        Self::Milestone,
        Self::StatusReport,
        Self::Application,
        Self::SteeringMeeting,
        Self::Category,
        Self::BudgetLine,
        Self::Funding,
        Self::ProjectLink,
        Self::CouncilReport,
        Self::Tenant,
        Self::CalendarFeed,
        Self::Webhook,
        Self::Risk,
        Self::Participant,
    ];

    /// The type a stored GraphQL type name (`SubProject`) stands for; the variants are named
    /// exactly so.
    pub fn from_stored(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|kind| format!("{kind:?}") == name)
    }
}
