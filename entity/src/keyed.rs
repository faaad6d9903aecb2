//! Generic access to the `id` and `version` of rows, for code that works on any entity.

use sea_orm::EntityTrait;

use crate::{
    application, audit_entry, budget_line, category, funding, goal, indicator, indicator_target,
    indicator_value, measure, milestone, org_unit, participant, project, project_link, risk,
    status_report, steering_meeting, strategy, sub_project, tenant, webhook, webhook_delivery,
};

/// An entity with an `i32` primary key `id`.
pub trait Keyed: EntityTrait {
    /// The `id` column.
    const ID: Self::Column;
    /// The id of a row.
    fn id(model: &Self::Model) -> i32;
}

/// A row with an `i32` primary key `id`, for code that holds rows without their entity.
pub trait RowId {
    /// The id of the row.
    fn row_id(&self) -> i32;
}

/// An entity whose rows carry a `version` for optimistic concurrency.
pub trait Versioned: Keyed {
    /// The `version` column.
    const VERSION: Self::Column;
    /// The version of a row.
    fn version(model: &Self::Model) -> i32;
}

macro_rules! keyed {
    ($($module:ident),+ $(,)?) => {$(
        impl Keyed for $module::Entity {
            const ID: Self::Column = $module::Column::Id;
            fn id(model: &Self::Model) -> i32 {
                model.id
            }
        }

        impl RowId for $module::Model {
            fn row_id(&self) -> i32 {
                self.id
            }
        }
    )+};
}

macro_rules! versioned {
    ($($module:ident),+ $(,)?) => {$(
        impl Versioned for $module::Entity {
            const VERSION: Self::Column = $module::Column::Version;
            fn version(model: &Self::Model) -> i32 {
                model.version
            }
        }
    )+};
}

keyed!(
    tenant,
    org_unit,
    participant,
    category,
    strategy,
    goal,
    indicator,
    indicator_target,
    indicator_value,
    measure,
    project,
    project_link,
    funding,
    budget_line,
    sub_project,
    milestone,
    status_report,
    steering_meeting,
    application,
    audit_entry,
    webhook,
    webhook_delivery,
    risk,
);

versioned!(
    tenant,
    org_unit,
    participant,
    category,
    strategy,
    goal,
    indicator,
    indicator_value,
    measure,
    project,
    project_link,
    funding,
    budget_line,
    sub_project,
    milestone,
    status_report,
    steering_meeting,
    application,
    webhook,
    risk,
);
