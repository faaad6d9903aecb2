//! The tables of a tenant's rows, and how they refer to each other: one list for deleting,
//! exporting and importing a tenant.

/// A table of a tenant's rows: its name, what its rows are, and its columns that refer to rows of other tables
/// (or of itself), with the table they refer to.
pub(super) struct Table {
    pub name: &'static str,
    /// What its rows are, as `tenant show` and `tenant delete` count them.
    pub label: &'static str,
    pub refs: &'static [(&'static str, &'static str)],
    /// Added after tenant files were first written: a file from before lacks it, and it is
    /// read as empty.
    pub added_later: bool,
}

/// The tables in an order in which they can be inserted: every row after the rows it refers
/// to, except a table's references to itself (a parent goal, org unit or predecessor
/// strategy), which are set once the whole table is in.
pub(super) const TABLES: [Table; 23] = [
    Table {
        name: "org_unit",
        label: "org units",
        refs: &[("parent_id", "org_unit")],
        added_later: false,
    },
    Table {
        name: "category",
        label: "categories",
        refs: &[],
        added_later: false,
    },
    Table {
        name: "strategy",
        label: "strategies",
        refs: &[("org_unit_id", "org_unit"), ("predecessor_id", "strategy")],
        added_later: false,
    },
    Table {
        name: "goal",
        label: "goals",
        refs: &[
            ("strategy_id", "strategy"),
            ("parent_id", "goal"),
            ("org_unit_id", "org_unit"),
        ],
        added_later: false,
    },
    Table {
        name: "measure",
        label: "measures",
        refs: &[("org_unit_id", "org_unit")],
        added_later: false,
    },
    Table {
        name: "measure_goal",
        label: "measure goals",
        refs: &[("measure_id", "measure"), ("goal_id", "goal")],
        added_later: false,
    },
    Table {
        name: "steering_meeting",
        label: "steering meetings",
        refs: &[],
        added_later: false,
    },
    Table {
        name: "application",
        label: "applications",
        refs: &[
            ("org_unit_id", "org_unit"),
            ("meeting_id", "steering_meeting"),
        ],
        added_later: false,
    },
    Table {
        name: "project",
        label: "projects",
        refs: &[
            ("measure_id", "measure"),
            ("org_unit_id", "org_unit"),
            ("application_id", "application"),
        ],
        added_later: false,
    },
    Table {
        name: "indicator",
        label: "indicators",
        refs: &[
            ("goal_id", "goal"),
            ("measure_id", "measure"),
            ("project_id", "project"),
        ],
        added_later: false,
    },
    Table {
        name: "indicator_value",
        label: "indicator values",
        refs: &[("indicator_id", "indicator")],
        added_later: false,
    },
    Table {
        name: "indicator_target",
        label: "indicator targets",
        refs: &[("indicator_id", "indicator")],
        added_later: false,
    },
    Table {
        name: "project_category",
        label: "project categories",
        refs: &[("project_id", "project"), ("category_id", "category")],
        added_later: false,
    },
    Table {
        name: "project_link",
        label: "project links",
        refs: &[("project_id", "project")],
        added_later: false,
    },
    Table {
        name: "funding",
        label: "funding",
        refs: &[("project_id", "project")],
        added_later: false,
    },
    Table {
        name: "budget_line",
        label: "budget lines",
        refs: &[("project_id", "project")],
        added_later: false,
    },
    Table {
        name: "sub_project",
        label: "sub-projects",
        refs: &[("project_id", "project"), ("org_unit_id", "org_unit")],
        added_later: false,
    },
    Table {
        name: "participant",
        label: "participants",
        refs: &[
            ("project_id", "project"),
            ("sub_project_id", "sub_project"),
            ("org_unit_id", "org_unit"),
        ],
        added_later: true,
    },
    Table {
        name: "milestone",
        label: "milestones",
        refs: &[("project_id", "project"), ("sub_project_id", "sub_project")],
        added_later: false,
    },
    Table {
        name: "status_report",
        label: "status reports",
        refs: &[
            ("measure_id", "measure"),
            ("project_id", "project"),
            ("sub_project_id", "sub_project"),
        ],
        added_later: false,
    },
    Table {
        name: "risk",
        label: "risks",
        refs: &[("project_id", "project"), ("measure_id", "measure")],
        added_later: true,
    },
    Table {
        name: "council_report",
        label: "published council reports",
        refs: &[],
        added_later: false,
    },
    Table {
        name: "audit_entry",
        label: "audit entries",
        refs: &[("org_unit_id", "org_unit")],
        added_later: false,
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
        "Participant" => "participant",
        "Milestone" => "milestone",
        "StatusReport" => "status_report",
        "Risk" => "risk",
        "CouncilReport" => "council_report",
        _ => return None,
    })
}
