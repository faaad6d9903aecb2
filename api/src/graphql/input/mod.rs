//! Filter and order inputs of the list queries.

/// Declares the `orderBy` input of a list: a field enum (the first variant is the default)
/// and a direction; the id breaks ties so that pages stay stable. Empty values come last in
/// either direction.
macro_rules! order_input {
    (
        $(#[$doc:meta])* $order:ident, $field:ident on $module:ident {
            $(#[$first_doc:meta])* $first:ident => $first_column:ident,
            $($(#[$variant_doc:meta])* $variant:ident => $column:ident,)*
        }
    ) => {
        /// What the list can be sorted by.
        #[derive(async_graphql::Enum, Clone, Copy, PartialEq, Eq, Default)]
        pub enum $field {
            $(#[$first_doc])*
            #[default]
            $first,
            $($(#[$variant_doc])* $variant,)*
        }

        $(#[$doc])*
        #[derive(async_graphql::InputObject, Default)]
        pub struct $order {
            /// Field to sort by.
            pub field: $field,
            /// Direction (default ascending).
            #[graphql(default)]
            pub direction: $crate::graphql::enums::OrderDirection,
        }

        impl $order {
            /// The order, with the id as tie-breaker.
            pub fn sort(&self) -> $crate::graphql::connection::Sort<$module::Entity> {
                let column = match self.field {
                    $field::$first => $module::Column::$first_column,
                    $($field::$variant => $module::Column::$column,)*
                };
                $crate::graphql::connection::Sort::default()
                    .by(column, self.direction.into())
                    .asc($module::Column::Id)
            }
        }
    };
}

pub mod application;
pub mod calendar;
pub mod catalogue;
pub mod command;
pub mod goal;
pub mod indicator;
pub mod measure;
pub mod milestone;
pub mod money;
pub mod org_unit;
pub mod parsed;
pub mod participant;
pub mod project;
pub mod risk;
pub mod status_report;
pub mod strategy;
pub mod tenant;
pub mod webhook;
pub mod work;

use async_graphql::ID;
use sea_orm::{
    ColumnTrait, Condition,
    sea_query::{Expr, ExprTrait, Func, SimpleExpr},
};

use crate::{
    error::{ApiError, ApiResult},
    graphql::{context::RequestScope, id},
};

use service::org_tree;

/// Case-insensitive "contains" on a text column; `%`, `_` and `\` in the text match literally.
pub fn search<C: ColumnTrait>(column: C, text: &str) -> ApiResult<SimpleExpr> {
    let text = text.trim();
    if text.chars().count() > 200 {
        return Err(ApiError::bad_input(
            "filter.search",
            "at most 200 characters",
        ));
    }
    let escaped = text
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    Ok(Expr::expr(Func::lower(Expr::col(column.as_column_ref())))
        .like(sea_orm::sea_query::LikeExpr::new(format!("%{escaped}%")).escape('\\')))
}

/// Rows owned by the org unit `unit` or (with `include_sub_units`) any unit below it.
pub async fn owned_by<C: ColumnTrait>(
    scope: &RequestScope,
    column: C,
    unit: &ID,
    include_sub_units: bool,
) -> ApiResult<SimpleExpr> {
    let unit = id::decode(unit, "OrgUnit", "filter.orgUnitId")?;
    if !include_sub_units {
        return Ok(column.eq(unit));
    }
    let mut units: Vec<i32> = org_tree::subtree(&scope.db, scope.viewer.tenant_id, unit)
        .await?
        .into_iter()
        .collect();
    units.sort_unstable();
    Ok(column.is_in(units))
}

/// Decodes a list of ids of one type.
pub fn ids(values: &[ID], kind: &str, field: &str) -> ApiResult<Vec<i32>> {
    if values.len() > 100 {
        return Err(ApiError::bad_input(field, "at most 100 ids"));
    }
    values
        .iter()
        .map(|value| id::decode(value, kind, field))
        .collect()
}

/// Adds `expr` to `condition` when the filter field was given.
pub fn and_if(condition: Condition, expr: Option<SimpleExpr>) -> Condition {
    match expr {
        Some(expr) => condition.add(expr),
        None => condition,
    }
}

/// `column IN (values)` for a list of GraphQL enum values, if any were given.
pub fn one_of<C, G, D>(column: C, values: &Option<Vec<G>>) -> Option<SimpleExpr>
where
    C: ColumnTrait,
    G: Copy + Into<D>,
    D: Into<sea_orm::Value>,
{
    values
        .as_ref()
        .map(|values| column.is_in(values.iter().map(|&value| value.into().into())))
}
