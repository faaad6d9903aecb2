//! The work a status report is about.

/// The subject of a status report: exactly one of a measure, a project or a sub-project.
#[derive(Clone, Copy)]
pub(super) enum Subject {
    Measure(i32),
    Project(i32),
    SubProject(i32),
}

impl Subject {
    /// The report's `measure_id`, `project_id` and `sub_project_id`.
    pub(super) fn columns(self) -> (Option<i32>, Option<i32>, Option<i32>) {
        match self {
            Self::Measure(id) => (Some(id), None, None),
            Self::Project(id) => (None, Some(id), None),
            Self::SubProject(id) => (None, None, Some(id)),
        }
    }
}
