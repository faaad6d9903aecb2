//! GraphQL enums, mirrored from the stored value sets of `entity::enums` and the enums of
//! reporting.

use async_graphql::Enum;

mod subject;
use entity::enums as db;
pub use subject::AuditSubjectType;

use service::{
    audit,
    indicator::path,
    report::{live, rollup, weighting},
    status_report::dimension,
};

macro_rules! mirror {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident),+ $(,)? }) => {
        mirror!($(#[$doc])* db::$name => $name { $($(#[$vdoc])* $variant),+ });
    };
    ($(#[$doc:meta])* $module:ident :: $source:ident => $name:ident { $($(#[$vdoc:meta])* $variant:ident),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
        pub enum $name {
            $($(#[$vdoc])* $variant,)+
        }

        impl From<$module::$source> for $name {
            fn from(value: $module::$source) -> Self {
                match value {
                    $($module::$source::$variant => Self::$variant,)+
                }
            }
        }

        impl From<$name> for $module::$source {
            fn from(value: $name) -> Self {
                match value {
                    $($name::$variant => Self::$variant,)+
                }
            }
        }

        impl $name {
            /// The GraphQL value of the variant, its name made once: a page's rows each carry
            /// a few enums, and async-graphql's `enum_value` allocates the name every time.
            pub fn value(self) -> async_graphql::Value {
                static NAMES: std::sync::LazyLock<Vec<($name, async_graphql::Name)>> =
                    std::sync::LazyLock::new(|| {
                        <$name as async_graphql::EnumType>::items()
                            .iter()
                            .map(|item| (item.value, async_graphql::Name::new(item.name)))
                            .collect()
                    });
                match NAMES.iter().find(|(variant, _)| *variant == self) {
                    Some((_, name)) => async_graphql::Value::Enum(name.clone()),
                    None => async_graphql::resolver_utils::enum_value(self),
                }
            }
        }
    };
}

mirror!(
    /// Life-cycle state of goals, measures, projects and sub-projects.
    Status {
        /// Being prepared; seen only by the owning unit and central IT.
        Draft,
        /// Decided, not started.
        Planned,
        /// Running.
        InProgress,
        /// Paused.
        OnHold,
        /// Done.
        Completed,
        /// Stopped for good.
        Cancelled,
    }
);

mirror!(
    /// Traffic light of a measure, project or sub-project.
    Rag {
        /// On track.
        Green,
        /// At risk.
        Amber,
        /// Off track.
        Red,
    }
);

mirror!(
    /// Where a status report stands in central IT's review (`TenantSettings.reportReview`).
    ReviewState {
        /// Waiting for central IT: it does not count yet.
        Submitted,
        /// Counts: it sets progress and traffic light (central IT's own reports at once).
        Approved,
        /// Sent back to the department with a comment; it never counts.
        Returned,
    }
);

mirror!(
    /// What a webhook can be told of. The payload's `type` is the event's stored name:
    /// `status_report.submitted`, `status_report.approved`, `status_report.returned`,
    /// `work.status_changed`, `work.traffic_light_changed`, `milestone.achieved`,
    /// `milestone.overdue`, `application.decided`, `council_report.published`.
    WebhookEvent {
        /// A status report was submitted (`data.id`: the `StatusReport`).
        ReportSubmitted,
        /// Central IT approved a status report (`StatusReport`).
        ReportApproved,
        /// Central IT returned a status report to its department (`StatusReport`).
        ReportReturned,
        /// The status of a `Measure`, `Project` or `SubProject` changed.
        StatusChanged,
        /// The traffic light of a `Measure`, `Project` or `SubProject` changed.
        TrafficLightChanged,
        /// A `Milestone` was marked achieved.
        MilestoneAchieved,
        /// A `Milestone` passed its due date without being achieved (once per due date).
        MilestoneOverdue,
        /// The steering committee decided an `Application`.
        ApplicationDecided,
        /// A `CouncilReport` was published.
        CouncilReportPublished,
    }
);

mirror!(
    /// Where a webhook delivery stands.
    DeliveryStatus {
        /// Not delivered yet: tried at `nextAttemptAt`.
        Pending,
        /// The receiver answered 2xx.
        Delivered,
        /// No attempt succeeded within the retry window (a day): given up.
        Failed,
    }
);

mirror!(
    /// Who may read a row.
    Visibility {
        /// Administration only.
        Internal,
        /// Released for political reporting (the council).
        Council,
        /// Released to the public.
        Public,
    }
);

mirror!(
    /// Life-cycle state of a strategy version.
    StrategyStatus {
        /// Being written.
        Draft,
        /// Adopted and in force.
        Adopted,
        /// Replaced by a later version.
        Superseded,
    }
);

mirror!(
    /// What a measure does.
    MeasureKind {
        /// Builds or introduces something.
        Implementation,
        /// Informs a target group through a channel.
        Communication,
        /// Trains staff.
        Training,
        /// Changes the organisation or its processes.
        Organisation,
        /// Provides infrastructure.
        Infrastructure,
    }
);

mirror!(
    /// Priority of a measure.
    Priority {
        /// Most urgent.
        High,
        /// Normal urgency (the default for a new measure).
        Medium,
        /// Least urgent.
        Low,
    }
);

mirror!(
    /// What kind of unit an org unit is.
    OrgUnitKind {
        /// The whole administration (city, university, state agency).
        Administration,
        /// A department ("Fachbereich", "Dezernat").
        Department,
        /// A division within a department.
        Division,
        /// A project area of a programme.
        ProjectArea,
        /// A partner administration in a joint programme.
        Partner,
        /// A team or office.
        Team,
    }
);

mirror!(
    /// What kind of body a tenant is.
    TenantKind {
        /// A city or municipality, e.g. "Stadt Aachen".
        Municipality,
        /// A district ("Landkreis").
        District,
        /// A university, e.g. "TU Kaiserslautern".
        University,
        /// A state's e-government platform, e.g. "Sächsische eGovernment-Plattform".
        StatePlatform,
        /// An association or joint service provider of several administrations, e.g. KISA.
        Association,
    }
);

mirror!(
    /// Where the money of a budget line comes from.
    FundingSource {
        /// The administration's own budget.
        OwnFunds,
        /// Third-party funding.
        Funding,
    }
);

mirror!(
    /// Kind of a project link.
    LinkKind {
        /// A web page.
        Website,
        /// A document.
        Document,
    }
);

mirror!(
    /// How an org unit takes part in a project or sub-project it does not own.
    ParticipantRole {
        /// Leads the work together with the owning unit: reports on it, keeps its milestones
        /// and reads its budgets, contacts and internal notes like the owner.
        Lead,
        /// Works on it: reads it (drafts included) and its contacts; its budgets only when
        /// central IT grants them; never writes.
        Participant,
        /// Takes over its results ("Nachnutzung"): reads it like a participant.
        Reuser,
    }
);

mirror!(
    /// Where a project application stands.
    ApplicationStatus {
        /// Submitted, awaiting review.
        Submitted,
        /// Under review by central IT, to be decided by the steering committee.
        InReview,
        /// Approved; a project was created.
        Approved,
        /// Rejected.
        Rejected,
        /// Deferred to a later meeting.
        Deferred,
    }
);

mirror!(
    /// Where an indicator's latest measured value stands against its target path.
    path::Status => IndicatorStatus {
        /// At or beyond the path at the date it was measured.
        OnTrack,
        /// Short of the path at the date it was measured.
        Behind,
        /// The final target is met.
        Reached,
    }
);

/// Which way an indicator should move.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum IndicatorDirection {
    /// Larger values are better (e.g. services online).
    HigherIsBetter,
    /// Smaller values are better (e.g. processing days).
    LowerIsBetter,
}

impl IndicatorDirection {
    /// The direction the stored `higher_is_better` says.
    pub fn from_higher_is_better(higher: bool) -> Self {
        if higher {
            Self::HigherIsBetter
        } else {
            Self::LowerIsBetter
        }
    }

    /// Whether larger values are better.
    pub fn higher_is_better(self) -> bool {
        self == Self::HigherIsBetter
    }
}

/// Direction of an `orderBy`.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum OrderDirection {
    /// Smallest first.
    #[default]
    Asc,
    /// Largest first.
    Desc,
}

impl From<OrderDirection> for sea_orm::Order {
    fn from(direction: OrderDirection) -> Self {
        match direction {
            OrderDirection::Asc => sea_orm::Order::Asc,
            OrderDirection::Desc => sea_orm::Order::Desc,
        }
    }
}

/// The role of a viewer.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Central IT steering unit.
    CentralIt,
    /// Department or project-area head.
    Department,
    /// Council and political reporting.
    Council,
    /// Anonymous public reader.
    Public,
    /// Operator of the installation: creates and configures tenants, reads none of their
    /// rows (seen in audit entries of the tenants it created or changed).
    PlatformAdmin,
}

/// The language of exported files.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportLanguage {
    /// German, what council documents speak.
    De,
    /// English.
    En,
}

impl From<service::export::labels::Lang> for ExportLanguage {
    fn from(lang: service::export::labels::Lang) -> Self {
        match lang {
            service::export::labels::Lang::De => Self::De,
            service::export::labels::Lang::En => Self::En,
        }
    }
}

impl From<ExportLanguage> for service::export::labels::Lang {
    fn from(lang: ExportLanguage) -> Self {
        match lang {
            ExportLanguage::De => Self::De,
            ExportLanguage::En => Self::En,
        }
    }
}

impl From<crate::auth::Role> for Role {
    fn from(role: crate::auth::Role) -> Self {
        match role {
            crate::auth::Role::CentralIt => Self::CentralIt,
            crate::auth::Role::Department => Self::Department,
            crate::auth::Role::Council => Self::Council,
            crate::auth::Role::Public => Self::Public,
        }
    }
}

mirror!(
    /// Where a risk of the register stands.
    RiskStatus {
        /// The risk may still happen: it counts in the dashboards' matrix and, when high,
        /// raises the work's traffic light.
        Open,
        /// Measures have brought it down; it is watched but no longer open.
        Mitigated,
        /// It is over (it happened, or it can no longer happen).
        Closed,
    }
);

mirror!(
    /// A dimension of a status report, lit beside the overall traffic light.
    dimension::Dimension => StatusDimension {
        /// Dates and milestones.
        Schedule,
        /// Money: plan against spending.
        Budget,
        /// Scope and quality of what is delivered.
        Scope,
        /// People and other resources.
        Resources,
    }
);

mirror!(
    /// What derives a warning on a piece of work.
    live::WarningKind => WarningKind {
        /// Milestones past their due date and not achieved.
        OverdueMilestones,
        /// More money spent than approved.
        OverBudget,
        /// Running work without a status report within the reporting cycle.
        ReportOverdue,
        /// Open risks with probability × impact of 15 or more; only for viewers who may see
        /// the risks (central IT and the owning department).
        HighRisk,
    }
);

mirror!(
    /// Where a progress figure comes from: `REPORTED` when the row has a counted status
    /// report of its own (on or before the day asked about), else `ROLLED_UP` from its
    /// children by the tenant's weighting (`progressWeighting` says which applied), else
    /// `NONE`.
    rollup::ProgressSource => ProgressSource {
        /// The row's own latest status report.
        Reported,
        /// The weighted mean of its counted children (see the roll-up rules and
        /// `progressWeighting`).
        RolledUp,
        /// Nothing reported, neither for the row nor below it.
        None,
    }
);

mirror!(
    /// How a parent weighs its children in the roll-up of progress (the tenant's
    /// `rollupWeighting`); cancelled children never count, and unreported ones count 0 %
    /// while a sibling has reported.
    weighting::Weighting => RollupWeighting {
        /// Every child weighs the same (the default).
        Equal,
        /// Every child weighs its `weight` (default 1; 0 counts for nothing); when all
        /// weigh 0, equal weights.
        Weight,
        /// Every child weighs its planned budget (projects: their budget lines' planned
        /// amounts; measures and goals: those of the projects below them; sub-projects have
        /// none); a child without a budget weighs 0. Equal weights when no child has a
        /// budget, or where the viewer may not see every budget involved.
        Budget,
    }
);

mirror!(
    /// What a change in the audit trail did.
    audit::Action => AuditAction {
        /// The row was created.
        Create,
        /// Fields of the row were changed.
        Update,
        /// The row was deleted.
        Delete,
        /// The row was archived.
        Archive,
        /// An archived row was restored.
        Restore,
        /// A milestone was marked achieved.
        Achieve,
        /// An achieved milestone was opened again.
        Reopen,
        /// A status report was submitted on the row.
        Report,
        /// An application was reviewed.
        Review,
        /// The steering committee decided an application.
        Decide,
        /// A council report was published.
        Publish,
        /// The row's links (a measure's goals, a project's categories) were changed.
        Link,
        /// A strategy version was superseded by the adoption of a newer one.
        Supersede,
        /// Central IT approved a status report: it counts.
        Approve,
        /// Central IT returned a status report to its department, with a comment.
        Return,
    }
);

/// Which kind of work a row is.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorkKind {
    /// A `Measure`.
    Measure,
    /// A `Project`.
    Project,
    /// A `SubProject`.
    SubProject,
}

impl WorkKind {
    /// The kind a stored GraphQL type name (`Measure`, `Project`, `SubProject`) stands for.
    pub fn from_stored(name: &str) -> Option<Self> {
        match name {
            "Measure" => Some(Self::Measure),
            "Project" => Some(Self::Project),
            "SubProject" => Some(Self::SubProject),
            _ => None,
        }
    }
}
