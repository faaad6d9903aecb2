//! A fast path for connections: `edges { cursor node }` without a future per edge and field.
//!
//! A page of the work types goes first to [`plan`](crate::graphql::plan), which answers it
//! as a planned whole when it can; what follows is the way for every other page.
//!
//! async-graphql answers a connection as two objects per row: the edge, whose `cursor` and
//! `node` are each a boxed future polled through a `FuturesUnordered`, and the node. On a
//! page of nested lists that is hundreds of edges, each costing more than its columns. When
//! the selections of the connection and of its edges are fields without directives,
//! [`Conn`] writes each edge's cursor at once and resolves the nodes concurrently, with the
//! contexts (and so the error paths) async-graphql would give them; `pageInfo`, `totalCount`
//! and anything else go through async-graphql's own connection type, as does a selection with
//! fragments, whole. The types and the schema are async-graphql's (`…Connection`, `…Edge`).
//! `tests/api/reads.rs` compares both ways.

use std::borrow::Cow;

use async_graphql::{
    Context, ContextSelectionSet, Name, OutputType, Positioned, ServerResult, Value,
    connection::{Connection, CursorType, EmptyFields},
    futures_util::future::{BoxFuture, join_all},
    indexmap::IndexMap,
    parser::types::Field,
    registry::Registry,
};

use super::{Conn, TotalCount, cursor::Cursor};
use crate::graphql::selection::{insert, object, plain_fields};

type Inner<T> = Connection<Cursor, T, TotalCount, EmptyFields>;

/// What one selection of an edge becomes.
enum EdgeField<'a> {
    Cursor,
    Typename(Cow<'static, str>),
    Node(&'a Positioned<Field>),
}

impl<T: OutputType + 'static> OutputType for Conn<T> {
    fn type_name() -> Cow<'static, str> {
        <Inner<T> as OutputType>::type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        let name = <Inner<T> as OutputType>::create_type_info(registry);
        // async-graphql's connection type carries no description of its own.
        registry.set_description(
            Self::type_name(),
            format!(
                "A page of a list of `{}`, as Relay's cursor connections have it: `edges` with \
                 a cursor and a node each, `pageInfo` to page on, and `totalCount` over all \
                 pages.",
                T::type_name()
            ),
        );
        name
    }

    async fn resolve(
        &self,
        ctx: &ContextSelectionSet<'_>,
        field: &Positioned<Field>,
    ) -> ServerResult<Value> {
        if let Some(page) = crate::graphql::plan::page(self, ctx, field).await {
            return Ok(page);
        }
        let Some(fields) = plain_fields(ctx.item) else {
            return OutputType::resolve(&self.0, ctx, field).await;
        };
        let values = join_all(fields.clone().map(|field| async move {
            let name = field.node.name.node.as_str();
            let ctx_field = ctx.with_field(field);
            match name {
                "__typename" => Ok(Some(Value::String(Self::type_name().into_owned()))),
                // Boxed: a node's fields hold connections again (a project's sub-projects, a
                // sub-project's project), and the future type must not contain itself.
                "edges" => {
                    let edges: BoxFuture<'_, _> = Box::pin(self.edges(&ctx_field));
                    edges.await
                }
                _ => async_graphql::ContainerType::resolve_field(&self.0, &ctx_field).await,
            }
        }))
        .await;
        let mut map = IndexMap::with_capacity(values.len());
        for (field, value) in fields.zip(values) {
            match value {
                Ok(value) => insert(
                    &mut map,
                    field.node.response_key().node.clone(),
                    value.unwrap_or_default(),
                ),
                Err(error) => ctx.add_error(error),
            }
        }
        Ok(object(map))
    }
}

impl<T: OutputType + 'static> Conn<T> {
    /// The `edges` field, `ctx` being its context.
    async fn edges(&self, ctx: &Context<'_>) -> ServerResult<Option<Value>> {
        let field = ctx.item;
        let Some(plan) = plain_fields(&field.node.selection_set).and_then(|fields| {
            fields
                .map(|field| {
                    let kind = match field.node.name.node.as_str() {
                        "cursor" => EdgeField::Cursor,
                        "node" => EdgeField::Node(field),
                        "__typename" => EdgeField::Typename(edge_type_name::<T>()),
                        _ => return None,
                    };
                    Some((field.node.response_key().node.clone(), kind))
                })
                .collect::<Option<Vec<(Name, EdgeField)>>>()
        }) else {
            return async_graphql::ContainerType::resolve_field(&self.0, ctx).await;
        };
        let ctx_edges = ctx.with_selection_set(&field.node.selection_set);
        let plan = &plan;
        let edges = join_all(self.0.edges.iter().enumerate().map(|(index, edge)| {
            let ctx_edge = ctx_edges.with_index(index);
            async move {
                let mut map = IndexMap::with_capacity(plan.len());
                for (key, kind) in plan {
                    let value = match kind {
                        EdgeField::Cursor => Value::String(edge.cursor.encode_cursor()),
                        EdgeField::Typename(name) => Value::String(name.clone().into_owned()),
                        EdgeField::Node(field) => {
                            let ctx_node = ctx_edge.with_field(field);
                            let ctx_node = ctx_node.with_selection_set(&field.node.selection_set);
                            match OutputType::resolve(&edge.node, &ctx_node, field).await {
                                Ok(value) => value,
                                Err(error) => {
                                    ctx_edge.add_error(error);
                                    continue;
                                }
                            }
                        }
                    };
                    insert(&mut map, key.clone(), value);
                }
                object(map)
            }
        }))
        .await;
        Ok(Some(Value::List(edges)))
    }
}

/// The name async-graphql gives the edge type of a connection of `T`.
fn edge_type_name<T: OutputType>() -> Cow<'static, str> {
    use async_graphql::connection::{DefaultEdgeName, EdgeNameType};
    DefaultEdgeName::type_name::<T>().into()
}
