//! Warnings derived from the data, as the API shows them.

use async_graphql::SimpleObject;

use crate::graphql::enums::WarningKind;

use service::report::live;

/// A warning derived from the data, independent of the reported traffic light.
#[derive(SimpleObject, Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    /// What the warning is about.
    pub kind: WarningKind,
    /// What is wrong, in words.
    pub message: String,
    /// How many milestones are overdue; days since the last report; for budgets 1.
    pub count: i32,
}

impl From<live::Warning> for Warning {
    fn from(warning: live::Warning) -> Self {
        Self {
            kind: warning.kind.into(),
            message: warning.message,
            count: warning.count,
        }
    }
}
