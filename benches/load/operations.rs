//! The benchmarked operations and their GraphQL documents, digidash's and PostGraphile's.

/// Declares [`Op`] from one row per operation (its key, its share of the mix in percent), so
/// that the list of all operations, their keys and their weights cannot disagree.
macro_rules! operations {
    ($($op:ident => $key:literal, mix $weight:literal;)+) => {
        /// One benchmarked operation.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub(crate) enum Op {
            $($op,)+
        }

        impl Op {
            pub(crate) const ALL: [Op; [$(Op::$op),+].len()] = [$(Op::$op),+];

            /// The operation's name in `BENCH_OPS`, on the console and in the report files.
            pub(crate) fn key(self) -> &'static str {
                match self {
                    $(Op::$op => $key,)+
                }
            }

            /// Share of the operation in the mix, in percent.
            pub(crate) fn mix_weight(self) -> u64 {
                match self {
                    $(Op::$op => $weight,)+
                }
            }
        }
    };
}

operations! {
    MeasuresPage => "measures_page", mix 25;
    DeepPage => "deep_page", mix 5;
    MediumPage => "medium_page", mix 0;
    PortfolioDashboard => "portfolio_dashboard", mix 10;
    DepartmentDashboard => "department_dashboard", mix 15;
    CouncilReport => "council_report", mix 5;
    NodeLookup => "node_lookup", mix 30;
    WriteMix => "write_mix", mix 10;
}

impl Op {
    /// Position in [`Op::ALL`], where the samples of each operation are kept.
    pub(crate) fn index(self) -> usize {
        Op::ALL.iter().position(|op| *op == self).unwrap_or(0)
    }

    /// PostGraphile's equivalent document, for the [`COMPARED`] operations only.
    pub(crate) fn postgraphile_document(self, version: Pg) -> Option<&'static str> {
        match (self, version) {
            (Op::MeasuresPage, Pg::V4) => Some(PG_MEASURES_PAGE),
            (Op::DeepPage, Pg::V4) => Some(PG_DEEP_PAGE),
            (Op::MediumPage, Pg::V4) => Some(PG_MEDIUM_PAGE),
            (Op::MeasuresPage, Pg::V5) => Some(PG5_MEASURES_PAGE),
            (Op::DeepPage, Pg::V5) => Some(PG5_DEEP_PAGE),
            (Op::MediumPage, Pg::V5) => Some(PG5_MEDIUM_PAGE),
            _ => None,
        }
    }
}

/// The PostGraphile a page is compared with: 4.14, or 5 with the amber preset.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Pg {
    V4,
    V5,
}

impl Pg {
    pub(crate) const BOTH: [Pg; 2] = [Pg::V4, Pg::V5];

    /// The system's name in the report (`postgraphile` as before for 4).
    pub(crate) fn system(self) -> &'static str {
        match self {
            Pg::V4 => "postgraphile",
            Pg::V5 => "postgraphile5",
        }
    }

    /// The name in messages and notes.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Pg::V4 => "PostGraphile 4",
            Pg::V5 => "PostGraphile 5",
        }
    }

    /// The field of a row's own id: PostGraphile 5 (amber) calls the global id `id` and the
    /// column `id` `rowId`; 4 calls the global id `nodeId` and keeps `id`.
    pub(crate) fn row_id_field(self) -> &'static str {
        match self {
            Pg::V4 => "id",
            Pg::V5 => "rowId",
        }
    }
}

/// The operations also run against PostGraphile and as bare SQL.
pub(crate) const COMPARED: [Op; 3] = [Op::MeasuresPage, Op::DeepPage, Op::MediumPage];

/// The operations whose statements are captured from the PostgreSQL log: the pages, the
/// dashboards and the council report (not the look-ups and writes).
pub(crate) const CAPTURED: [Op; 6] = [
    Op::MeasuresPage,
    Op::DeepPage,
    Op::MediumPage,
    Op::PortfolioDashboard,
    Op::DepartmentDashboard,
    Op::CouncilReport,
];

/// A page of goals -> measures -> projects -> sub-projects. The deep and the medium page
/// differ only in their name and in how many goals and measures per goal they ask for, so
/// they are written once here and cannot drift apart.
macro_rules! goals_page {
    ($name:literal, $goals:literal, $measures:literal) => {
        concat!(
            "query ",
            $name,
            " { goals(first: ",
            $goals,
            ") { edges { node { id code title description status measures(first: ",
            $measures,
            ") { edges { node { id code title description kind priority status rag progress startDate dueDate visibility updatedAt projects(first: 20) { edges { node { id code title summary description status rag progress visibility startDate dueDate updatedAt subProjects(first: 20) { edges { node { id code title description status rag progress visibility startDate dueDate updatedAt } } } } } } } } } } } } }",
        )
    };
}

/// PostGraphile's equivalent of [`goals_page`]: its generated schema, through the
/// `measure_goal` join table, the tenant as a filter (PostGraphile knows no tenants or roles),
/// each level in digidash's order (goals by strategy, position, code; projects by title;
/// sub-projects by code and title; then the id; a goal's measures in the join table's order,
/// which is the measures' id order and, in the synthetic data, their number's, digidash's
/// order).
/// `$id` is the row id's field and `$by_id` its order (`id`, `ID_ASC` in PostGraphile 4;
/// `rowId`, `ROW_ID_ASC` in 5: see [`Pg::row_id_field`]).
macro_rules! postgraphile_goals_page {
    ($name:literal, $goals:literal, $measures:literal, $id:literal, $by_id:literal) => {
        concat!(
            "query ",
            $name,
            "($tenant: Int!) { allGoals(first: ",
            $goals,
            ", filter: { tenantId: { equalTo: $tenant }, archivedAt: { isNull: true } }, orderBy: [STRATEGY_ID_ASC, POSITION_ASC, CODE_ASC, ",
            $by_id,
            "]) { edges { node { ",
            $id,
            " code title description status measureGoalsByGoalId(first: ",
            $measures,
            ") { edges { node { measureByMeasureId { ",
            $id,
            " number title description kind priority status rag progress startDate dueDate visibility updatedAt projectsByMeasureId(first: 20, orderBy: [TITLE_ASC, ",
            $by_id,
            "]) { edges { node { ",
            $id,
            " code title summary description status rag progress visibility startDate endDate updatedAt subProjectsByProjectId(first: 20, orderBy: [CODE_ASC, TITLE_ASC, ",
            $by_id,
            "]) { edges { node { ",
            $id,
            " code title description status rag progress visibility startDate endDate updatedAt } } } } } } } } } } } } } }",
        )
    };
}

/// PostGraphile's equivalent of [`MEASURES_PAGE`]: its generated schema, the
/// connection-filter plugin for the status list, the tenant as a filter (PostGraphile knows no
/// tenants or roles); `$id` and `$by_id` as in [`postgraphile_goals_page`].
macro_rules! postgraphile_measures_page {
    ($id:literal, $by_id:literal) => {
        concat!(
            "query MeasuresPage($tenant: Int!) { allMeasures(first: 50, filter: { tenantId: { equalTo: $tenant }, status: { in: [\"planned\", \"in_progress\"] }, archivedAt: { isNull: true } }, orderBy: [DUE_DATE_ASC, ",
            $by_id,
            "]) { totalCount edges { cursor node { ",
            $id,
            " number title status rag progress dueDate orgUnitByOrgUnitId { code name } measureGoalsByMeasureId { nodes { goalByGoalId { code title } } } } } pageInfo { hasNextPage endCursor } } }",
        )
    };
}

pub(crate) const MEASURES_PAGE: &str = "query MeasuresPage { measures(first: 50, filter: { status: [PLANNED, IN_PROGRESS] }, orderBy: { field: DUE_DATE }) { totalCount edges { cursor node { id code title status rag progress dueDate orgUnit { code name } goals { code title } } } pageInfo { hasNextPage endCursor } } }";

pub(crate) const DEEP_PAGE: &str = goals_page!("DeepPage", 50, 20);

pub(crate) const MEDIUM_PAGE: &str = goals_page!("MediumPage", 10, 5);

pub(crate) const PORTFOLIO_DASHBOARD: &str = "query PortfolioDashboard { portfolioDashboard { asOf reportingCycleDays measuresByStatus { status count } measuresByRag { rag count } projectsByStatus { status count } projectsByRag { rag count } byGoal { goal { code title } rolledUpProgress measuresByStatus { status count } measuresByRag { rag count } projectsByStatus { status count } projectsByRag { rag count } } byOrgUnit { orgUnit { code name } measuresByStatus { status count } measuresByRag { rag count } projectsByStatus { status count } projectsByRag { rag count } } budgetByYear { year planned approved spent fundedPlanned fundedApproved fundingShare } overdueMilestones(first: 20) { totalCount edges { node { code title dueDate project { title } } } } measuresWithoutCurrentReport(first: 20) { totalCount edges { node { code title lastReportedOn } } } applicationsAwaitingDecision(first: 20) { totalCount edges { node { title status submittedOn } } } } }";

pub(crate) const DEPARTMENT_DASHBOARD: &str = "query DepartmentDashboard { departmentDashboard { orgUnit { code name } asOf measuresByStatus { status count } measuresByRag { rag count } projectsByStatus { status count } projectsByRag { rag count } measures(first: 20) { totalCount edges { node { code title status rag progress } } } projects(first: 20) { totalCount edges { node { title status rag progress } } } lateMeasures(first: 20) { totalCount edges { node { code title dueDate } } } lateProjects(first: 20) { totalCount edges { node { title dueDate } } } overdueMilestones(first: 20) { totalCount edges { node { code title dueDate } } } measuresNeedingReport(first: 20) { totalCount edges { node { code title lastReportedOn } } } projectsNeedingReport(first: 20) { totalCount edges { node { title lastReportedOn } } } } }";

pub(crate) const COUNCIL_REPORT: &str = "query CouncilReport { councilReport(period: \"2026-Q3\") { tenantName period from to asOf goals { code title strategy progressStart progressEnd measuresTotal measuresCompleted milestonesAchieved milestonesMissed budget { planned approved spent } measures { code title status progressStart progressEnd ragStart ragEnd completedOn summary reportedOn } ragChanges { subjectKind code title fromRag toRag reportedOn summary } } totals { goalCount measureCount measuresCompleted milestonesAchieved milestonesMissed budget { planned approved spent } } } }";

pub(crate) const NODE_LOOKUP: &str = "query NodeLookup($id: ID!) { node(id: $id) { id ... on Measure { number: code title status rag progress } ... on Project { code title status rag progress } ... on SubProject { code title status rag progress } } }";

pub(crate) const SUBMIT_STATUS_REPORT: &str = "mutation SubmitStatusReport($input: SubmitStatusReportInput!) { submitStatusReport(input: $input) { statusReport { id } } }";

pub(crate) const UPDATE_MEASURE: &str = "mutation UpdateMeasure($input: UpdateMeasureInput!) { updateMeasure(input: $input) { measure { id version status } } }";

/// A measure's version and status, read again after a failed update.
pub(crate) const MEASURE_VERSION: &str =
    "query($id: ID!) { node(id: $id) { ... on Measure { version status } } }";

/// PostGraphile 4's equivalent of [`MEASURES_PAGE`].
const PG_MEASURES_PAGE: &str = postgraphile_measures_page!("id", "ID_ASC");

/// PostGraphile 4's equivalent of [`DEEP_PAGE`].
const PG_DEEP_PAGE: &str = postgraphile_goals_page!("DeepPage", 50, 20, "id", "ID_ASC");

/// PostGraphile 4's equivalent of [`MEDIUM_PAGE`].
const PG_MEDIUM_PAGE: &str = postgraphile_goals_page!("MediumPage", 10, 5, "id", "ID_ASC");

/// PostGraphile 5's equivalent of [`MEASURES_PAGE`].
const PG5_MEASURES_PAGE: &str = postgraphile_measures_page!("rowId", "ROW_ID_ASC");

/// PostGraphile 5's equivalent of [`DEEP_PAGE`].
const PG5_DEEP_PAGE: &str = postgraphile_goals_page!("DeepPage", 50, 20, "rowId", "ROW_ID_ASC");

/// PostGraphile 5's equivalent of [`MEDIUM_PAGE`].
const PG5_MEDIUM_PAGE: &str = postgraphile_goals_page!("MediumPage", 10, 5, "rowId", "ROW_ID_ASC");
