//! A webhook: an endpoint central IT registered for events of its tenant, with the secret its
//! deliveries are signed with.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub tenant_id: i32,
    /// Where deliveries are posted.
    pub url: String,
    /// The stored names of the events it receives (`status_report.submitted`), comma-separated.
    #[sea_orm(column_type = "Text")]
    pub events: String,
    #[sea_orm(column_type = "Text")]
    pub description: Option<String>,
    /// The signing secret (`whsec_` and base64): shown once, kept to sign every delivery.
    pub secret: String,
    /// The token subject who registered it.
    pub created_by: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

impl ActiveModelBehavior for ActiveModel {}
