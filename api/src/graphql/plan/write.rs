//! A planned page written as JSON, straight from its rows: no value tree, no map per object.
//! The keys, their order and the values are those the resolvers would answer.

use super::{
    fetch::{Fetched, Pages},
    json,
    resolve::{ConnValues, NodeValues},
    shape::{ChildPlan, ConnItem, ConnPlan, EdgeItem, NodeItem, NodePlan, PageField},
    work::Work,
};
use crate::graphql::{
    connection::Conn,
    object::{Measure, Project, SubProject, plain::Plain},
};
use async_graphql::connection::CursorType;

/// Writes a page of `W`: `total` is its `totalCount` (if selected), `fetched` its nested
/// lists, `values` what the resolvers answered for the fields the plan left to them.
pub(crate) fn conn<W: Work>(
    out: &mut Vec<u8>,
    page: &Conn<Plain<W>>,
    plan: &ConnPlan<'_>,
    total: i32,
    fetched: &[Fetched],
    values: Option<&ConnValues>,
) {
    let mut object = Object::open(out);
    for (key, item) in &plan.items {
        let out = object.field(key);
        match item {
            ConnItem::Typename => json::string(out, &plan.type_name),
            ConnItem::TotalCount => json::int(out, total),
            ConnItem::PageInfo(fields) => page_info(out, page, fields),
            ConnItem::Edges(items) => {
                out.push(b'[');
                for (index, edge) in page.0.edges.iter().enumerate() {
                    if index > 0 {
                        out.push(b',');
                    }
                    let mut object = Object::open(out);
                    for (key, item) in items {
                        let out = object.field(key);
                        match item {
                            EdgeItem::Typename => json::string(out, &plan.edge_type),
                            EdgeItem::Cursor => json::string(out, &edge.cursor.encode_cursor()),
                            EdgeItem::Node => {
                                nodes_at(out, plan, &edge.node.0, index, fetched, values)
                            }
                        }
                    }
                    object.close();
                }
                out.push(b']');
            }
            ConnItem::Nodes => {
                out.push(b'[');
                for (index, edge) in page.0.edges.iter().enumerate() {
                    if index > 0 {
                        out.push(b',');
                    }
                    nodes_at(out, plan, &edge.node.0, index, fetched, values);
                }
                out.push(b']');
            }
        }
    }
    object.close();
}

/// The node at `index` of a page, by the page's node plan.
fn nodes_at<W: Work>(
    out: &mut Vec<u8>,
    plan: &ConnPlan<'_>,
    node: &W,
    index: usize,
    fetched: &[Fetched],
    values: Option<&ConnValues>,
) {
    match &plan.nodes {
        Some(nodes) => write_node(
            out,
            node,
            &nodes.plan,
            fetched,
            values.and_then(|values| values.nodes.get(index)),
        ),
        // The plan puts a node field only where it plans the nodes.
        None => out.extend_from_slice(b"null"),
    }
}

fn page_info<W: Work>(
    out: &mut Vec<u8>,
    page: &Conn<Plain<W>>,
    fields: &[(&async_graphql::Name, PageField)],
) {
    let edges = &page.0.edges;
    let mut object = Object::open(out);
    for (key, field) in fields {
        let out = object.field(key);
        match field {
            PageField::Typename => json::string(out, "PageInfo"),
            PageField::HasPreviousPage => json::boolean(out, page.0.has_previous_page),
            PageField::HasNextPage => json::boolean(out, page.0.has_next_page),
            PageField::StartCursor => cursor(out, edges.first().map(|edge| &edge.cursor)),
            PageField::EndCursor => cursor(out, edges.last().map(|edge| &edge.cursor)),
        }
    }
    object.close();
}

fn cursor(out: &mut Vec<u8>, cursor: Option<&impl CursorType>) {
    match cursor {
        Some(cursor) => json::string(out, &cursor.encode_cursor()),
        None => out.extend_from_slice(b"null"),
    }
}

/// A node: its columns, its nested lists and the values of its resolved fields (a field
/// whose resolver failed is left out, its error reported, as async-graphql does).
fn write_node<W: Work>(
    out: &mut Vec<u8>,
    node: &W,
    plan: &NodePlan<'_>,
    fetched: &[Fetched],
    values: Option<&NodeValues>,
) {
    let mut object = Object::open(out);
    for (key, item) in &plan.items {
        match item {
            NodeItem::Typename => json::string(object.field(key), &W::type_name()),
            NodeItem::Column(name) => {
                node.write_column(name, object.field(key));
            }
            NodeItem::Child(index) => {
                if let (Some(child), Some(fetched)) =
                    (plan.children.get(*index), fetched.get(*index))
                {
                    let values = values.and_then(|values| values.children.get(*index));
                    write_child(object.field(key), node.row_id(), child, fetched, values);
                }
            }
            NodeItem::Resolved(index) => {
                if let Some(Some(value)) = values.and_then(|values| values.fields.get(*index)) {
                    json::value(object.field(key), value);
                }
            }
        }
    }
    object.close();
}

/// A node's page of a nested list.
fn write_child(
    out: &mut Vec<u8>,
    parent: i32,
    plan: &ChildPlan<'_>,
    fetched: &Fetched,
    values: Option<&ConnValues>,
) {
    fn one<W: Work>(
        out: &mut Vec<u8>,
        page: Option<&Conn<Plain<W>>>,
        plan: &ChildPlan<'_>,
        below: &[Fetched],
        values: Option<&ConnValues>,
    ) {
        match page {
            Some(page) => {
                let total = page.0.additional_fields.counted().unwrap_or_default();
                conn(out, page, &plan.conn, total, below, values);
            }
            // Every parent of a level gets a page when the level is fetched.
            None => out.extend_from_slice(b"null"),
        }
    }
    let below = &fetched.below;
    match &fetched.pages {
        Pages::Measures(pages) => one::<Measure>(out, pages.get(&parent), plan, below, values),
        Pages::Projects(pages) => one::<Project>(out, pages.get(&parent), plan, below, values),
        Pages::SubProjects(pages) => {
            one::<SubProject>(out, pages.get(&parent), plan, below, values)
        }
    }
}

/// A JSON object being written: commas between its fields, and `null` for an object with
/// none, as async-graphql answers an object nothing went into.
struct Object<'o> {
    out: &'o mut Vec<u8>,
    start: usize,
    fields: usize,
}

impl<'o> Object<'o> {
    fn open(out: &'o mut Vec<u8>) -> Self {
        let start = out.len();
        out.push(b'{');
        Self {
            out,
            start,
            fields: 0,
        }
    }

    /// Starts field `key`; its value is written to the buffer returned.
    fn field(&mut self, key: &str) -> &mut Vec<u8> {
        if self.fields > 0 {
            self.out.push(b',');
        }
        self.fields += 1;
        json::key(self.out, key);
        self.out
    }

    fn close(self) {
        if self.fields == 0 {
            self.out.truncate(self.start);
            self.out.extend_from_slice(b"null");
        } else {
            self.out.push(b'}');
        }
    }
}
