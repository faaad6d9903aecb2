//! The Relay `Node` interface: every object with a global id can be fetched by it.

use async_graphql::{ID, Interface};

use super::council_report::CouncilReport;
use super::dashboard::{DepartmentDashboard, PortfolioDashboard};
use super::{
    Application, AuditEntry, BudgetLine, Category, Funding, Goal, Indicator, IndicatorValue,
    Measure, Milestone, OrgUnit, Participant, Project, ProjectLink, Risk, StatusReport,
    SteeringMeeting, Strategy, SubProject, Tenant,
};

/// An object with a global id, resolvable through `node(id:)`.
#[derive(Interface, Clone)]
#[graphql(field(name = "id", ty = "ID", desc = "Global id."))]
pub enum Node {
    OrgUnit(OrgUnit),
    Strategy(Strategy),
    Goal(Goal),
    Indicator(Indicator),
    Measure(Measure),
    Project(Project),
    SubProject(SubProject),
    Milestone(Milestone),
    StatusReport(StatusReport),
    Application(Application),
    SteeringMeeting(SteeringMeeting),
    Category(Category),
    BudgetLine(BudgetLine),
    Funding(Funding),
    ProjectLink(ProjectLink),
    Participant(Participant),
    IndicatorValue(IndicatorValue),
    Risk(Risk),
    AuditEntry(AuditEntry),
    Tenant(Tenant),
    PortfolioDashboard(PortfolioDashboard),
    DepartmentDashboard(DepartmentDashboard),
    CouncilReport(CouncilReport),
}
