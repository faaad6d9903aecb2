//! The tables of a tenant's rows, and how they refer to each other: one list for deleting,
//! exporting and importing a tenant.

/// A table of a tenant's rows: its name, what its rows are, and its columns that refer to rows of other tables
/// (or of itself), with the table they refer to.
pub(super) struct Table {
    pub name: &'static str,
    /// What its rows are, as `tenant show` and `tenant delete` count them.
    pub label: &'static str,
    pub refs: &'static [(&'static str, &'static str)],
}

/// The tables in an order in which they can be inserted: every row after the rows it refers
/// to, except a table's references to itself (a parent goal, org unit or predecessor
/// strategy), which are set once the whole table is in.
pub(super) const TABLES: [Table; 21] = [
    Table {
        name: "org_unit",
        label: "org units",
        refs: &[("parent_id", "org_unit")],
    },
    Table {
        name: "category",
        label: "categories",
        refs: &[],
    },
    Table {
        name: "strategy",
        label: "strategies",
        refs: &[("org_unit_id", "org_unit"), ("predecessor_id", "strategy")],
    },
    Table {
        name: "goal",
        label: "goals",
        refs: &[
            ("strategy_id", "strategy"),
            ("parent_id", "goal"),
            ("org_unit_id", "org_unit"),
        ],
    },
    Table {
        name: "indicator",
        label: "indicators",
        refs: &[("goal_id", "goal")],
    },
    Table {
        name: "indicator_value",
        label: "indicator values",
        refs: &[("indicator_id", "indicator")],
    },
    Table {
        name: "measure",
        label: "measures",
        refs: &[("org_unit_id", "org_unit")],
    },
    Table {
        name: "measure_goal",
        label: "measure goals",
        refs: &[("measure_id", "measure"), ("goal_id", "goal")],
    },
    Table {
        name: "steering_meeting",
        label: "steering meetings",
        refs: &[],
    },
    Table {
        name: "application",
        label: "applications",
        refs: &[
            ("org_unit_id", "org_unit"),
            ("meeting_id", "steering_meeting"),
        ],
    },
    Table {
        name: "project",
        label: "projects",
        refs: &[
            ("measure_id", "measure"),
            ("org_unit_id", "org_unit"),
            ("application_id", "application"),
        ],
    },
    Table {
        name: "project_category",
        label: "project categories",
        refs: &[("project_id", "project"), ("category_id", "category")],
    },
    Table {
        name: "project_link",
        label: "project links",
        refs: &[("project_id", "project")],
    },
    Table {
        name: "funding",
        label: "funding",
        refs: &[("project_id", "project")],
    },
    Table {
        name: "budget_line",
        label: "budget lines",
        refs: &[("project_id", "project")],
    },
    Table {
        name: "sub_project",
        label: "sub-projects",
        refs: &[("project_id", "project"), ("org_unit_id", "org_unit")],
    },
    Table {
        name: "milestone",
        label: "milestones",
        refs: &[("project_id", "project"), ("sub_project_id", "sub_project")],
    },
    Table {
        name: "status_report",
        label: "status reports",
        refs: &[
            ("measure_id", "measure"),
            ("project_id", "project"),
            ("sub_project_id", "sub_project"),
        ],
    },
    Table {
        name: "risk",
        label: "risks",
        refs: &[("project_id", "project"), ("measure_id", "measure")],
    },
    Table {
        name: "council_report",
        label: "published council reports",
        refs: &[],
    },
    Table {
        name: "audit_entry",
        label: "audit entries",
        refs: &[("org_unit_id", "org_unit")],
    },
];

/// Tables that came after the first tenant files: a file without one holds no such rows.
pub(super) const ADDED_LATER: &[&str] = &["risk"];

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
        "Risk" => "risk",
        "CouncilReport" => "council_report",
        _ => return None,
    })
}
