//! Goals.

use crate::graphql::input::measure::MeasureOrder;
use async_graphql::{Context, ID, Object};

use crate::error::Result;
use entity::goal;
use rust_decimal::Decimal;

use super::{Indicator, Measure, OrgUnit, Strategy, columns::work_object, plain::Plain, required};
use crate::graphql::{
    connection::{Conn, Paging, slice},
    context::scope,
    enums::{Status, Visibility},
    id,
};

/// A strategic goal of one strategy version. Goals form a tree; measures are derived from them.
#[derive(Clone, async_graphql::Description)]
pub struct Goal(pub goal::Model);

// The columns first, answered without a future per field (see `plain.rs`), then the other
// fields.
work_object! {
    #[Object(use_type_description)]
    impl Goal {
        columns(m) {
            /// Global id.
            pub id "id": ID = id::encode("Goal", m.id);
            /// Short code within the strategy, e.g. "Z2.1".
            code "code": &str = &m.code;
            /// Title of the goal.
            title "title": &str = &m.title;
            /// What the goal means.
            description "description": Option<&str> = m.description.as_deref();
            /// Life-cycle state.
            status "status": Status = m.status.into();
            /// Who may read this goal.
            visibility "visibility": Visibility = m.visibility.into();
            /// Sort position among its siblings.
            position "position": i32 = m.position;
            /// Weight of the goal in its parent's roll-up when the tenant weighs by
            /// `WEIGHT` (`TenantSettings.rollupWeighting`); 0 counts for nothing. Default 1.
            resolved weight "weight": Decimal = m.weight.normalize();
            shared archived_at;
            shared version;
            shared created_at;
            shared updated_at;
        }

        /// The strategy version the goal belongs to.
        async fn strategy(&self, ctx: &Context<'_>) -> Result<Strategy> {
            let strategy = scope(ctx)?
                .loaders
                .strategy
                .load_one(self.0.strategy_id)
                .await?;
            Ok(Strategy(required(strategy, "strategy")?))
        }
        /// The unit responsible for the goal.
        async fn org_unit(&self, ctx: &Context<'_>) -> Result<Plain<OrgUnit>> {
            super::org_unit::unit(ctx, self.0.org_unit_id).await
        }
        /// The goal above this one, if any and visible.
        async fn parent(&self, ctx: &Context<'_>) -> Result<Option<Goal>> {
            let Some(id) = self.0.parent_id else {
                return Ok(None);
            };
            Ok(scope(ctx)?.loaders.goal.load_one(id).await?.map(Goal))
        }
        /// Sub-goals of this goal.
        async fn children(&self, ctx: &Context<'_>) -> Result<Vec<Goal>> {
            let rows = scope(ctx)?
                .loaders
                .goals_by_parent
                .load_one(self.0.id)
                .await?
                .unwrap_or_default();
            Ok(rows.iter().cloned().map(Goal).collect())
        }
        /// Measures derived from this goal.
        async fn measures(
            &self,
            ctx: &Context<'_>,
            #[graphql(desc = "Page size, at most 100.")] first: Option<i32>,
            #[graphql(desc = "Cursor of the last edge of the previous page.")]
            after: Option<String>,
            #[graphql(desc = "Page size counted from the end, at most 100; instead of `first`.")] last: Option<i32>,
            #[graphql(desc = "Cursor of the first edge of the next page: the page ends before it.")] before: Option<String>,
#[graphql(desc = "Sort order (default: by code).")] order_by: Option<MeasureOrder>,
        ) -> Result<Conn<Plain<Measure>>> {
            let rows = scope(ctx)?
                .loaders
                .measures_by_goal
                .load_one(self.0.id)
                .await?
                .unwrap_or_default();
            Ok(slice(rows, order_by.map(|order| order.sort()), Paging::new(first, after, last, before), |m| Plain(Measure(m)))?)
        }
        /// Key performance indicators of the goal.
        async fn indicators(&self, ctx: &Context<'_>) -> Result<Vec<Indicator>> {
            let rows = scope(ctx)?
                .loaders
                .indicators_by_goal
                .load_one(self.0.id)
                .await?
                .unwrap_or_default();
            Ok(rows.iter().cloned().map(Indicator).collect())
        }
        /// Progress rolled up from the goal's measures, and its history.
        #[graphql(flatten)]
        async fn progress_rollup(&self) -> super::progress::Progress {
            super::progress::Progress {
                kind: service::report::rollup::Kind::Goal,
                id: self.0.id,
            }
        }
    }
}
