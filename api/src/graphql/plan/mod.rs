//! Pages executed as planned wholes.
//!
//! async-graphql answers a page as a tree of futures, one per field of every object, each
//! nested list resolved per parent, and builds a value tree that is encoded afterwards. A
//! page of the work types (goals, measures, projects, sub-projects) needs none of that: when
//! a connection of them is resolved, its selection is read once into a plan ([`shape`]),
//! the nested lists are fetched for all parents of a level in one statement each, through
//! the loaders the resolvers use ([`fetch`]), the fields the plan does not know (relations,
//! fields with a viewer or arguments) are resolved by their resolvers for all nodes at once
//! ([`resolve`]), and the page is written as JSON straight from the rows ([`write`]). The
//! JSON goes into the response through a token ([`splice`]).
//!
//! Whatever the plan does not cover goes through the resolvers whole, so its answers and
//! errors stay theirs: a directive other than `@skip`/`@include` (those are applied before
//! execution), a field of a connection or an edge the plan does not know, the nodes
//! selected in two places, arguments of a nested list its resolver would refuse, a page
//! whose response key is selected twice in its parent (async-graphql merges those as
//! values), a failed statement, a request without [`Splices`] (the WebSocket transport, the
//! exports), and the `PLANNED_PAGES=false` setting. The rows are the loaders' and the
//! top-level resolvers', so the policy decides them as before; columns carry no field
//! rules, and every field that does is left to its resolver. `tests/api/planned.rs`
//! compares both ways.

pub(crate) mod fetch;
pub(crate) mod json;
pub(crate) mod resolve;
pub(crate) mod select;
pub(crate) mod shape;
pub mod splice;
pub(crate) mod work;
mod write;

use std::{any::Any, sync::Arc};

use async_graphql::{ContextSelectionSet, OutputType, Positioned, Value, parser::types::Field};

pub use self::splice::Splices;
use self::work::Work;
use crate::graphql::{
    connection::Conn,
    context::RequestScope,
    object::{Goal, Measure, Project, SubProject, plain::Plain},
};

/// Answers `page` as a planned whole, if it is a page of a work type and its selection can
/// be planned; `None` leaves it to the resolvers.
pub(crate) async fn page<T: OutputType + 'static>(
    page: &Conn<T>,
    ctx: &ContextSelectionSet<'_>,
    field: &Positioned<Field>,
) -> Option<Value> {
    let splices = ctx.data_opt::<Arc<Splices>>()?;
    let page = page as &dyn Any;
    let planned = if let Some(page) = page.downcast_ref::<Conn<Plain<Measure>>>() {
        planned(page, ctx, field, splices).await
    } else if let Some(page) = page.downcast_ref::<Conn<Plain<Project>>>() {
        planned(page, ctx, field, splices).await
    } else if let Some(page) = page.downcast_ref::<Conn<Plain<SubProject>>>() {
        planned(page, ctx, field, splices).await
    } else if let Some(page) = page.downcast_ref::<Conn<Plain<Goal>>>() {
        planned(page, ctx, field, splices).await
    } else {
        return None;
    };
    if planned.is_none() {
        splices.left_to_resolvers();
    }
    planned
}

async fn planned<W: Work>(
    page: &Conn<Plain<W>>,
    ctx: &ContextSelectionSet<'_>,
    field: &Positioned<Field>,
    splices: &Splices,
) -> Option<Value>
where
    Plain<W>: OutputType,
{
    let scope = ctx.data_opt::<RequestScope>()?;
    if !select::selected_once(ctx) {
        return None;
    }
    let plan = shape::conn::<W>(ctx, &[field])?;
    let total = if plan.counts() {
        page.0.additional_fields.count().await.ok()?
    } else {
        0
    };
    let nodes = fetch::nodes(page).collect();
    let fetched = fetch::fetch(&scope.loaders, nodes, plan.children())
        .await
        .ok()?;
    let values = if plan.resolves() {
        let _resolving = splices.resolving();
        Some(resolve::conn(ctx, page, &plan, &fetched).await)
    } else {
        None
    };
    let mut out = Vec::with_capacity(4096);
    write::conn(&mut out, page, &plan, total, &fetched, values.as_ref());
    Some(splices.push(out))
}
