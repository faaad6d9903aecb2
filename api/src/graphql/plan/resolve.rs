//! The fields a plan leaves to their resolvers (relations such as `orgUnit`, fields with a
//! viewer or arguments), resolved for every node of the page at once, with the contexts
//! (and so the error paths) async-graphql would give them: all nodes' futures are polled
//! together, so the loaders batch them into one statement per relation as they do for the
//! resolvers.

use async_graphql::{
    ContextSelectionSet, Value,
    futures_util::future::{BoxFuture, join, join_all},
};

use super::{
    fetch::{Fetched, Pages},
    shape::{ChildPlan, ConnPlan, NodePlan},
    work::Work,
};
use crate::graphql::{
    connection::Conn,
    object::{Measure, Project, SubProject, plain::Plain},
    selection::merge,
};

/// The resolved values of a page's nodes, in page order.
#[derive(Default)]
pub(crate) struct ConnValues {
    pub nodes: Vec<NodeValues>,
}

/// A node's resolved fields (`None`: the resolver failed, its error is reported) and the
/// resolved values of its nested pages, aligned with its plan.
pub(crate) struct NodeValues {
    pub fields: Vec<Option<Value>>,
    pub children: Vec<ConnValues>,
}

/// Resolves what `plan` leaves to the resolvers on `page`, `ctx` being the connection's
/// context (its field's path, its selection set).
pub(crate) fn conn<'a, W: Work>(
    ctx: &'a ContextSelectionSet<'a>,
    page: &'a Conn<Plain<W>>,
    plan: &'a ConnPlan<'a>,
    fetched: &'a [Fetched],
) -> BoxFuture<'a, ConnValues> {
    Box::pin(async move {
        let Some(nodes) = plan.nodes.as_ref().filter(|nodes| nodes.plan.resolves()) else {
            return ConnValues::default();
        };
        let ctx_list = ctx.with_field(nodes.list);
        let ctx_items = ctx_list.with_selection_set(&nodes.list.node.selection_set);
        let ctx_items = &ctx_items;
        let values = join_all(
            page.0
                .edges
                .iter()
                .enumerate()
                .map(|(index, edge)| async move {
                    let ctx_item = ctx_items.with_index(index);
                    match nodes.node {
                        Some(field) => {
                            let ctx_node = ctx_item.with_field(field);
                            let ctx_node = ctx_node.with_selection_set(&field.node.selection_set);
                            node(&ctx_node, &edge.node, &nodes.plan, fetched).await
                        }
                        None => node(&ctx_item, &edge.node, &nodes.plan, fetched).await,
                    }
                }),
        )
        .await;
        ConnValues { nodes: values }
    })
}

/// Resolves a node's fields left to the resolvers, and those of its nested pages.
async fn node<'a, W: Work>(
    ctx: &ContextSelectionSet<'a>,
    node: &'a Plain<W>,
    plan: &'a NodePlan<'a>,
    fetched: &'a [Fetched],
) -> NodeValues {
    let fields = join_all(plan.resolved.iter().map(|occurrences| async move {
        // Each occurrence of a key is resolved on its own and the answers merged, as
        // async-graphql does.
        let answers = join_all(occurrences.iter().map(|field| async move {
            let ctx_field = ctx.with_field(field);
            node.0.resolve_field(&ctx_field).await
        }))
        .await;
        let mut merged: Option<Value> = None;
        for answer in answers {
            match (answer, &mut merged) {
                (Ok(value), None) => merged = Some(value.unwrap_or_default()),
                (Ok(value), Some(first)) => merge(first, value.unwrap_or_default()),
                (Err(error), _) => ctx.add_error(error),
            }
        }
        merged
    }));
    let children = join_all(
        plan.children
            .iter()
            .zip(fetched)
            .map(|(child, fetched)| child_values(ctx, node.0.row_id(), child, fetched)),
    );
    let (fields, children) = join(fields, children).await;
    NodeValues { fields, children }
}

/// Resolves what a nested page leaves to the resolvers, under its parent's context.
async fn child_values<'a>(
    ctx: &ContextSelectionSet<'a>,
    parent: i32,
    child: &'a ChildPlan<'a>,
    fetched: &'a Fetched,
) -> ConnValues {
    if !child.conn.resolves() {
        return ConnValues::default();
    }
    let ctx_field = ctx.with_field(child.field);
    let ctx_set = ctx_field.with_selection_set(&child.field.node.selection_set);
    let below = &fetched.below;
    match &fetched.pages {
        Pages::Measures(pages) => match pages.get(&parent) {
            Some(page) => conn::<Measure>(&ctx_set, page, &child.conn, below).await,
            None => ConnValues::default(),
        },
        Pages::Projects(pages) => match pages.get(&parent) {
            Some(page) => conn::<Project>(&ctx_set, page, &child.conn, below).await,
            None => ConnValues::default(),
        },
        Pages::SubProjects(pages) => match pages.get(&parent) {
            Some(page) => conn::<SubProject>(&ctx_set, page, &child.conn, below).await,
            None => ConnValues::default(),
        },
    }
}
