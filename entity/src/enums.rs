//! Value sets stored as short strings, so the same schema serves SQLite and PostgreSQL.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// Declares a string-backed enum with its database values.
macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $value:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
        #[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vmeta])* #[sea_orm(string_value = $value)] $variant,)+
        }

        impl $name {
            /// The value stored in the database.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $value,)+
                }
            }
        }
    };
}

string_enum! {
    /// What kind of body a tenant is.
    TenantKind {
        Municipality = "municipality",
        District = "district",
        University = "university",
        StatePlatform = "state_platform",
        Association = "association",
    }
}

string_enum! {
    /// The place of an org unit in the organisation.
    OrgUnitKind {
        Administration = "administration",
        Department = "department",
        Division = "division",
        ProjectArea = "project_area",
        Partner = "partner",
        Team = "team",
    }
}

string_enum! {
    /// Who may read a row.
    Visibility {
        Internal = "internal",
        Council = "council",
        Public = "public",
    }
}

string_enum! {
    /// Life-cycle state of goals, measures, projects and sub-projects.
    Status {
        Draft = "draft",
        Planned = "planned",
        InProgress = "in_progress",
        OnHold = "on_hold",
        Completed = "completed",
        Cancelled = "cancelled",
    }
}

string_enum! {
    /// Traffic light: red, amber, green.
    Rag {
        Green = "green",
        Amber = "amber",
        Red = "red",
    }
}

string_enum! {
    /// Where a status report stands in central IT's review: only approved reports count.
    ReviewState {
        Submitted = "submitted",
        Approved = "approved",
        Returned = "returned",
    }
}

impl ReviewState {
    /// A report that counts (what every report was before reviews existed).
    pub fn approved() -> Self {
        Self::Approved
    }
}

string_enum! {
    /// Where a risk of the register stands.
    RiskStatus {
        Open = "open",
        Mitigated = "mitigated",
        Closed = "closed",
    }
}

string_enum! {
    /// Life-cycle state of a strategy version.
    StrategyStatus {
        Draft = "draft",
        Adopted = "adopted",
        Superseded = "superseded",
    }
}

string_enum! {
    /// What a measure does.
    MeasureKind {
        Implementation = "implementation",
        Communication = "communication",
        Training = "training",
        Organisation = "organisation",
        Infrastructure = "infrastructure",
    }
}

string_enum! {
    /// How urgent a measure is.
    Priority {
        High = "high",
        Medium = "medium",
        Low = "low",
    }
}

string_enum! {
    /// Where the money of a budget line comes from.
    FundingSource {
        OwnFunds = "own_funds",
        Funding = "funding",
    }
}

string_enum! {
    /// A web page or a document.
    LinkKind {
        Website = "website",
        Document = "document",
    }
}

string_enum! {
    /// Where a project application stands.
    ApplicationStatus {
        Submitted = "submitted",
        InReview = "in_review",
        Approved = "approved",
        Rejected = "rejected",
        Deferred = "deferred",
    }
}

string_enum! {
    /// How an org unit takes part in a project or sub-project it does not own.
    ParticipantRole {
        /// Leads it together with the owning unit: reports on it and keeps it like its own.
        Lead = "lead",
        /// Works on it: reads it, its contacts and (when granted) its budgets.
        Participant = "participant",
        /// Takes over its results: reads it like a participant.
        Reuser = "reuser",
    }
}

string_enum! {
    /// What a webhook can be told of; stored as the Standard Webhooks `type` of the payload.
    WebhookEvent {
        ReportSubmitted = "status_report.submitted",
        ReportApproved = "status_report.approved",
        ReportReturned = "status_report.returned",
        StatusChanged = "work.status_changed",
        TrafficLightChanged = "work.traffic_light_changed",
        MilestoneAchieved = "milestone.achieved",
        MilestoneOverdue = "milestone.overdue",
        ApplicationDecided = "application.decided",
        CouncilReportPublished = "council_report.published",
    }
}

string_enum! {
    /// Where a webhook delivery stands.
    DeliveryStatus {
        /// Not delivered yet: the next attempt is due at `next_attempt_at`.
        Pending = "pending",
        /// A 2xx answer came.
        Delivered = "delivered",
        /// No attempt succeeded within the retry window.
        Failed = "failed",
    }
}
