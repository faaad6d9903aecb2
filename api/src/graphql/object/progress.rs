//! Progress as the roll-up rules compute it, today and over time. Flattened into strategies,
//! goals, measures, projects and sub-projects.

use async_graphql::{Context, Enum, Object, SimpleObject};

use crate::error::Result;
use chrono::Months;

use crate::{
    error::ApiError,
    graphql::{
        context::scope,
        enums::{ProgressSource, Rag, RollupWeighting},
        scalar::{Date, today},
    },
};

use service::report::{live::sample_days, rollup::Kind};

/// The roll-up of one row.
pub struct Progress {
    pub kind: Kind,
    pub id: i32,
}

/// How far apart the points of a progress history are.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum HistoryInterval {
    /// The last day of every month.
    #[default]
    Month,
    /// The last day of every quarter.
    Quarter,
}

/// Where a row stood on one day.
#[derive(SimpleObject)]
pub struct ProgressPoint {
    /// The day.
    pub date: Date,
    /// Progress in percent by the roll-up rules; null when nothing was reported yet.
    pub progress: Option<i32>,
    /// Traffic light of the row's own latest report, else the worst below it.
    pub rag: Option<Rag>,
    /// Where the figure comes from.
    pub source: ProgressSource,
    /// The weighting a rolled-up figure was computed with (see `progressWeighting`).
    pub weighting: Option<RollupWeighting>,
}

/// Most points one history may have.
const MAX_POINTS: usize = 240;

#[Object]
impl Progress {
    /// Progress in percent by the roll-up rules: the row's own latest status report; without
    /// one, the weighted mean of its children (project ← sub-projects, measure ← projects,
    /// goal ← measures, or its sub-goals when no measure is derived from it, strategy ←
    /// top-level goals), weighted as the tenant's `rollupWeighting` says (`EQUAL`, `WEIGHT`,
    /// `BUDGET`; `progressWeighting` tells which applied), rounded half up. Cancelled work is
    /// left out; unreported children count 0 % while a sibling has reported. Only rows the
    /// viewer may see count. Null when nothing was reported.
    pub(crate) async fn rolled_up_progress(&self, ctx: &Context<'_>) -> Result<Option<i32>> {
        let live = scope(ctx)?.reporting.live().await?;
        Ok(live.rollup.get(self.kind, self.id).progress)
    }

    /// Whether `rolledUpProgress` is the row's own report or a roll-up.
    pub(crate) async fn progress_source(&self, ctx: &Context<'_>) -> Result<ProgressSource> {
        let live = scope(ctx)?.reporting.live().await?;
        Ok(live.rollup.get(self.kind, self.id).source.into())
    }

    /// How `rolledUpProgress` weighed the children when it is a roll-up (`progressSource`
    /// `ROLLED_UP`); null for a reported figure or none. Usually the tenant's
    /// `rollupWeighting`; `EQUAL` where that fell back to equal weights: every child weighs
    /// 0, or (`BUDGET`) no child has a budget or the viewer may not see every budget below.
    pub(crate) async fn progress_weighting(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Option<RollupWeighting>> {
        let live = scope(ctx)?.reporting.live().await?;
        let standing = live.rollup.get(self.kind, self.id);
        Ok(standing.weighting.map(Into::into))
    }

    /// The rolled-up progress over time, for charts: one point at the end of every month
    /// (or quarter) from `from` to `to`, and one for `to` itself. Each point is computed from
    /// the status reports up to its day, by the same rules as `rolledUpProgress`.
    pub(crate) async fn progress_history(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "First day (default: two years before `to`).")] from: Option<Date>,
        #[graphql(desc = "Last day (default: today).")] to: Option<Date>,
        #[graphql(default, desc = "Distance between points.")] every: HistoryInterval,
    ) -> Result<Vec<ProgressPoint>> {
        let to = to.map_or_else(today, |d| d.0);
        let from = match from {
            Some(from) => from.0,
            None => to.checked_sub_months(Months::new(24)).unwrap_or(to),
        };
        if from > to {
            return Err(ApiError::bad_input("from", "lies after `to`").into());
        }
        let months = match every {
            HistoryInterval::Month => 1,
            HistoryInterval::Quarter => 3,
        };
        let days = sample_days(from, to, months);
        if days.len() > MAX_POINTS {
            return Err(ApiError::bad_input(
                "from",
                format!("at most {MAX_POINTS} points: shorten the range or use QUARTER"),
            )
            .into());
        }
        let reporting = &scope(ctx)?.reporting;
        let mut points = Vec::with_capacity(days.len());
        for day in days {
            let standing = reporting.on(day).await?.get(self.kind, self.id);
            points.push(ProgressPoint {
                date: day.into(),
                progress: standing.progress,
                rag: standing.rag.map(Into::into),
                source: standing.source.into(),
                weighting: standing.weighting.map(Into::into),
            });
        }
        Ok(points)
    }
}
