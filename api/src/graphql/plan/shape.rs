//! A page's plan, read once from its selection: what is written of the connection, its page
//! info, its edges and its nodes, which nested lists are fetched, and which fields are left
//! to their resolvers. Anything the plan does not know makes no plan at all, and the page
//! goes through the resolvers whole.

use std::borrow::Cow;

use async_graphql::{
    ContextSelectionSet, Name, OutputType, Positioned,
    connection::{DefaultEdgeName, EdgeNameType},
    parser::types::Field,
};

use super::{
    select::{collect, sets_of},
    work::{Nested, Order, Work, paging},
};
use crate::graphql::{
    connection::{Conn, PageArgs, Paging, cursor::Cursor},
    object::{Measure, Project, SubProject, plain::Plain},
};

/// What is written of a connection.
pub(crate) struct ConnPlan<'a> {
    /// The connection's type name (`MeasureConnection`).
    pub type_name: Cow<'static, str>,
    /// Its edge type's name (`MeasureEdge`).
    pub edge_type: Cow<'static, str>,
    /// Its fields by response key, in order.
    pub items: Vec<(&'a Name, ConnItem<'a>)>,
    /// The nodes, under `edges { node }` or `nodes`, if selected.
    pub nodes: Option<Nodes<'a>>,
}

/// A field of a connection.
pub(crate) enum ConnItem<'a> {
    Typename,
    TotalCount,
    PageInfo(Vec<(&'a Name, PageField)>),
    Edges(Vec<(&'a Name, EdgeItem)>),
    /// `nodes`, written by [`ConnPlan::nodes`].
    Nodes,
}

/// A field of `pageInfo`.
#[derive(Clone, Copy)]
pub(crate) enum PageField {
    Typename,
    HasPreviousPage,
    HasNextPage,
    StartCursor,
    EndCursor,
}

/// A field of an edge.
#[derive(Clone, Copy)]
pub(crate) enum EdgeItem {
    Typename,
    Cursor,
    /// `node`, written by [`ConnPlan::nodes`].
    Node,
}

/// Where a connection's nodes are selected, and what of them.
pub(crate) struct Nodes<'a> {
    /// The `edges` or `nodes` field (its first occurrence: the resolvers' paths run
    /// through it).
    pub list: &'a Positioned<Field>,
    /// The `node` field under `edges`; `None` for `nodes`.
    pub node: Option<&'a Positioned<Field>>,
    /// What is written of each node.
    pub plan: NodePlan<'a>,
}

/// What is written of each node of a page.
pub(crate) struct NodePlan<'a> {
    /// Its fields by response key, in order.
    pub items: Vec<(&'a Name, NodeItem<'a>)>,
    /// The nested lists, fetched for all nodes of the page at once.
    pub children: Vec<ChildPlan<'a>>,
    /// The fields left to the resolvers, each with every occurrence of its key.
    pub resolved: Vec<Occurrences<'a>>,
}

/// Every field selected under one response key.
type Occurrences<'a> = Vec<&'a Positioned<Field>>;

/// A field of a node.
pub(crate) enum NodeItem<'a> {
    Typename,
    /// A stored column, by its field name.
    Column(&'a str),
    /// A nested list: [`NodePlan::children`]`[i]`.
    Child(usize),
    /// A field its resolver answers: [`NodePlan::resolved`]`[i]`.
    Resolved(usize),
}

/// A nested list of work, and what is written of it.
pub(crate) struct ChildPlan<'a> {
    /// The field (its first occurrence).
    pub field: &'a Positioned<Field>,
    /// Which list it is, in which order.
    pub order: Order,
    /// Its paging arguments, checked.
    pub paging: Paging,
    /// What is written of each parent's page.
    pub conn: ConnPlan<'a>,
}

impl ConnPlan<'_> {
    /// Whether `totalCount` is written.
    pub(crate) fn counts(&self) -> bool {
        self.items
            .iter()
            .any(|(_, item)| matches!(item, ConnItem::TotalCount))
    }

    /// Whether any field, here or in a nested list, is left to its resolver.
    pub(crate) fn resolves(&self) -> bool {
        self.nodes
            .as_ref()
            .is_some_and(|nodes| nodes.plan.resolves())
    }

    /// The nested lists of the nodes.
    pub(crate) fn children(&self) -> &[ChildPlan<'_>] {
        self.nodes
            .as_ref()
            .map_or(&[], |nodes| nodes.plan.children.as_slice())
    }
}

impl NodePlan<'_> {
    /// Whether any field, here or in a nested list, is left to its resolver.
    pub(crate) fn resolves(&self) -> bool {
        !self.resolved.is_empty() || self.children.iter().any(|child| child.conn.resolves())
    }
}

/// The plan of a connection of `W` selected by the fields `occurrences` (one response key).
pub(crate) fn conn<'a, W: Work>(
    ctx: &ContextSelectionSet<'a>,
    occurrences: &[&'a Positioned<Field>],
) -> Option<ConnPlan<'a>>
where
    Plain<W>: OutputType,
{
    let type_name = <Conn<Plain<W>> as OutputType>::type_name();
    let edge_type: Cow<'static, str> = DefaultEdgeName::type_name::<Plain<W>>().into();
    let mut items = Vec::new();
    let mut nodes = None;
    for (key, fields) in collect(ctx, &sets_of(occurrences), &type_name)? {
        let item = match fields[0].node.name.node.as_str() {
            "__typename" => ConnItem::Typename,
            "totalCount" => ConnItem::TotalCount,
            "pageInfo" => ConnItem::PageInfo(page_info(ctx, &fields)?),
            "edges" => {
                let (edge_items, node) = edges(ctx, &fields, &edge_type)?;
                if let Some(node) = node {
                    // One place for the nodes: a second (an aliased `edges`, or `nodes`
                    // beside `edges`) goes through the resolvers.
                    if nodes.is_some() {
                        return None;
                    }
                    nodes = Some(Nodes {
                        list: fields[0],
                        node: Some(node[0]),
                        plan: node_plan::<W>(ctx, &node)?,
                    });
                }
                ConnItem::Edges(edge_items)
            }
            "nodes" => {
                if nodes.is_some() {
                    return None;
                }
                nodes = Some(Nodes {
                    list: fields[0],
                    node: None,
                    plan: node_plan::<W>(ctx, &fields)?,
                });
                ConnItem::Nodes
            }
            _ => return None,
        };
        items.push((key, item));
    }
    Some(ConnPlan {
        type_name,
        edge_type,
        items,
        nodes,
    })
}

fn page_info<'a>(
    ctx: &ContextSelectionSet<'a>,
    occurrences: &[&'a Positioned<Field>],
) -> Option<Vec<(&'a Name, PageField)>> {
    collect(ctx, &sets_of(occurrences), "PageInfo")?
        .into_iter()
        .map(|(key, fields)| {
            let field = match fields[0].node.name.node.as_str() {
                "__typename" => PageField::Typename,
                "hasPreviousPage" => PageField::HasPreviousPage,
                "hasNextPage" => PageField::HasNextPage,
                "startCursor" => PageField::StartCursor,
                "endCursor" => PageField::EndCursor,
                _ => return None,
            };
            Some((key, field))
        })
        .collect()
}

/// An edge's fields, and every occurrence of its `node` field if selected.
#[allow(clippy::type_complexity)]
fn edges<'a>(
    ctx: &ContextSelectionSet<'a>,
    occurrences: &[&'a Positioned<Field>],
    edge_type: &str,
) -> Option<(
    Vec<(&'a Name, EdgeItem)>,
    Option<Vec<&'a Positioned<Field>>>,
)> {
    let mut items = Vec::new();
    let mut node = None;
    for (key, fields) in collect(ctx, &sets_of(occurrences), edge_type)? {
        let item = match fields[0].node.name.node.as_str() {
            "__typename" => EdgeItem::Typename,
            "cursor" => EdgeItem::Cursor,
            "node" if node.is_none() => {
                node = Some(fields);
                EdgeItem::Node
            }
            _ => return None,
        };
        items.push((key, item));
    }
    Some((items, node))
}

/// The plan of a node of type `W` selected by the fields `occurrences` (one response key).
fn node_plan<'a, W: Work>(
    ctx: &ContextSelectionSet<'a>,
    occurrences: &[&'a Positioned<Field>],
) -> Option<NodePlan<'a>> {
    let mut plan = NodePlan {
        items: Vec::new(),
        children: Vec::new(),
        resolved: Vec::new(),
    };
    let type_name = W::type_name();
    for (key, fields) in collect(ctx, &sets_of(occurrences), &type_name)? {
        let name = fields[0].node.name.node.as_str();
        let item = if name == "__typename" {
            NodeItem::Typename
        } else if W::is_column(name) {
            NodeItem::Column(name)
        } else if let Some(nested) = W::nested(name) {
            plan.children.push(child(ctx, nested, &fields)?);
            NodeItem::Child(plan.children.len() - 1)
        } else {
            plan.resolved.push(fields);
            NodeItem::Resolved(plan.resolved.len() - 1)
        };
        plan.items.push((key, item));
    }
    Some(plan)
}

/// The plan of a nested list. Its arguments are read once for all parents; arguments the
/// resolver would refuse (a page too large, a cursor of another kind of list, an order
/// that does not parse) make no plan, so that the resolvers report them as they do.
fn child<'a>(
    ctx: &ContextSelectionSet<'a>,
    nested: Nested,
    occurrences: &[&'a Positioned<Field>],
) -> Option<ChildPlan<'a>> {
    let field = occurrences[0];
    let ctx_field = ctx.with_field(field);
    let paging = paging(&ctx_field)?;
    let args = PageArgs::new(&paging).ok()?;
    let row_cursor = |cursor: &Option<Cursor>| !matches!(cursor, Some(Cursor::Keys { .. }));
    if !row_cursor(&args.after) || !row_cursor(&args.before) {
        return None;
    }
    let order = nested.order(&ctx_field)?;
    let conn = match nested {
        Nested::GoalMeasures => conn::<Measure>(ctx, occurrences)?,
        Nested::MeasureProjects => conn::<Project>(ctx, occurrences)?,
        Nested::ProjectSubProjects => conn::<SubProject>(ctx, occurrences)?,
    };
    Some(ChildPlan {
        field,
        order,
        paging,
        conn,
    })
}
