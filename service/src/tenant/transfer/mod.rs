//! A tenant as one file, for backups and for moving it between installations: every row it
//! owns, history included (status reports, the audit trail, applications, meetings, published
//! council reports, indicator values, settings).
//!
//! The file is JSON:
//!
//! ```text
//! { "format": "digidash-tenant", "version": 1, "exportedAt": "...",
//!   "tenant": { "key": ..., "name": ..., settings ... },
//!   "tables": { "org_unit": [ {row}, ... ], "category": [...], ... } }
//! ```
//!
//! Each row is the table's row as stored (column names, ids included). Importing it creates
//! the tenant anew, under its own key or another, in an empty database or beside other
//! tenants: rows get new ids, and every reference to another row of the file (columns, the
//! links of published council reports, the subjects of audit entries) follows them.

mod export;
mod import;

pub use export::export;
pub use import::{Imported, import};

/// What the file says it is.
pub const FORMAT: &str = "digidash-tenant";
/// The version this build writes; it reads every version up to it.
pub const VERSION: u32 = 1;

/// A table of a tenant's rows: its name, and its columns that refer to rows of other tables
/// (or of itself), with the table they refer to.
pub(super) struct Table {
    pub name: &'static str,
    pub refs: &'static [(&'static str, &'static str)],
}

/// The tables in an order in which they can be inserted: every row after the rows it refers
/// to, except a table's references to itself (a parent goal, org unit or predecessor
/// strategy), which are set once the whole table is in.
pub(super) const TABLES: [Table; 20] = [
    Table {
        name: "org_unit",
        refs: &[("parent_id", "org_unit")],
    },
    Table {
        name: "category",
        refs: &[],
    },
    Table {
        name: "strategy",
        refs: &[("org_unit_id", "org_unit"), ("predecessor_id", "strategy")],
    },
    Table {
        name: "goal",
        refs: &[
            ("strategy_id", "strategy"),
            ("parent_id", "goal"),
            ("org_unit_id", "org_unit"),
        ],
    },
    Table {
        name: "indicator",
        refs: &[("goal_id", "goal")],
    },
    Table {
        name: "indicator_value",
        refs: &[("indicator_id", "indicator")],
    },
    Table {
        name: "measure",
        refs: &[("org_unit_id", "org_unit")],
    },
    Table {
        name: "measure_goal",
        refs: &[("measure_id", "measure"), ("goal_id", "goal")],
    },
    Table {
        name: "steering_meeting",
        refs: &[],
    },
    Table {
        name: "application",
        refs: &[
            ("org_unit_id", "org_unit"),
            ("meeting_id", "steering_meeting"),
        ],
    },
    Table {
        name: "project",
        refs: &[
            ("measure_id", "measure"),
            ("org_unit_id", "org_unit"),
            ("application_id", "application"),
        ],
    },
    Table {
        name: "project_category",
        refs: &[("project_id", "project"), ("category_id", "category")],
    },
    Table {
        name: "project_link",
        refs: &[("project_id", "project")],
    },
    Table {
        name: "funding",
        refs: &[("project_id", "project")],
    },
    Table {
        name: "budget_line",
        refs: &[("project_id", "project")],
    },
    Table {
        name: "sub_project",
        refs: &[("project_id", "project"), ("org_unit_id", "org_unit")],
    },
    Table {
        name: "milestone",
        refs: &[("project_id", "project"), ("sub_project_id", "sub_project")],
    },
    Table {
        name: "status_report",
        refs: &[
            ("measure_id", "measure"),
            ("project_id", "project"),
            ("sub_project_id", "sub_project"),
        ],
    },
    Table {
        name: "council_report",
        refs: &[],
    },
    Table {
        name: "audit_entry",
        refs: &[("org_unit_id", "org_unit")],
    },
];

/// The table of the rows of a GraphQL type, as audit entries name their subjects.
pub(super) fn table_of(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "OrgUnit" => "org_unit",
        "Category" => "category",
        "Strategy" => "strategy",
        "Goal" => "goal",
        "Indicator" => "indicator",
        "IndicatorValue" => "indicator_value",
        "Measure" => "measure",
        "SteeringMeeting" => "steering_meeting",
        "Application" => "application",
        "Project" => "project",
        "ProjectLink" => "project_link",
        "Funding" => "funding",
        "BudgetLine" => "budget_line",
        "SubProject" => "sub_project",
        "Milestone" => "milestone",
        "StatusReport" => "status_report",
        "CouncilReport" => "council_report",
        _ => return None,
    })
}
