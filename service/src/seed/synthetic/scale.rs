//! How large a synthetic tenant is drawn: the city every `synth-NNNN` tenant is, and the one
//! large tenant of the benchmark's `--large-tenant` (issue #21: a deep page of about 1 MB).

/// The counts a tenant is drawn with; everything else (sub-projects per project, milestones,
/// reports) follows from them as drawn.
#[derive(Debug, Clone, Copy)]
pub(super) struct Scale {
    /// Top-level goals of the strategy.
    pub(super) goals: i32,
    /// Sub-goals of each top-level goal; the measures serve these.
    pub(super) sub_goals: i32,
    pub(super) measures: u32,
    pub(super) projects: u32,
}

impl Scale {
    /// A mid-sized city: 25 goals, 100 measures, 150 projects. Every `synth-NNNN` tenant, as
    /// it always was (tests fingerprint the rows drawn with it).
    pub(super) const CITY: Scale = Scale {
        goals: 5,
        sub_goals: 4,
        measures: 100,
        projects: 150,
    };

    /// The large tenant: 50 goals (5 with 9 sub-goals each), so that `goals(first: 50)` is a
    /// full page, and measures and projects in the same proportion to the sub-goals as in the
    /// city, more of them per sub-goal: the deep page (50 goals, 20 measures of each, 20
    /// projects of each, 20 sub-projects of each) is then about 1 MB of JSON.
    pub(super) const LARGE: Scale = Scale {
        goals: 5,
        sub_goals: 9,
        measures: 250,
        projects: 450,
    };
}
