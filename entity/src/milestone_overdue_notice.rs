//! A milestone announced as overdue: once per milestone and due date, however many processes
//! look and however often.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "milestone_overdue_notice")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub tenant_id: i32,
    pub milestone_id: i32,
    /// The due date it was overdue against: moved to a later date, it can be overdue again.
    pub due_date: Date,
    pub noticed_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
