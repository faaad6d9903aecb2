//! The node limit (`MAX_QUERY_COMPLEXITY`, refused with `COMPLEXITY_LIMIT`): how many nodes
//! an operation could fetch, counted before it runs, as GitHub counts them.
//!
//! - A connection (a field taking `first`/`last`) fetches its page: `first` or `last`, 20
//!   without either, at most 100, from a literal or a variable (or its default). Its page
//!   is multiplied by the pages around it: `goals(first: 50) { ... measures(first: 20) }`
//!   fetches 50 + 50 x 20 nodes.
//! - A plain list of objects (`Measure.goals`, a dashboard's `byGoal`, the council report's
//!   `goals`) has no paging arguments: its length is the data's (a measure's goals, an
//!   indicator's values), which no client can raise, so its rows are not nodes, as one
//!   object's (`node`, `orgUnit`) are not. But each of its rows fetches the pages selected
//!   below it again: for that multiplication it counts like a page of 20
//!   (`measures(first: 10) { goals { measures(first: 5) } }` could fetch 10 + 10 x 20 x 5).
//!   Counting its rows too would refuse what the SPA reads of a portfolio: 100 goals with
//!   their indicators' targets and values would be 100 x 20 x 20 x 2 = 80,000 nodes per
//!   strategy.
//! - `edges` and `nodes` of a connection are the rows of its page, counted once.
//! - Fragments (named and inline) count what they select where they are spread, aliases each
//!   time they are selected (the same connection under two aliases counts twice; so does one
//!   selected twice without alias, which GraphQL merges).
//! - A selection left out by `@skip(if: true)` or `@include(if: false)` counts nothing: it
//!   fetches nothing.
//!
//! The count walks the parsed document once, with the schema's shapes ([`shapes`]) read
//! once per process; it is checked on `/graphql` with the other limits on a document, before
//! the response cache is asked, and on the WebSocket before a subscription starts. It is no
//! schema extension: with any extension async-graphql routes every field of every row
//! through the extension chain (see [`super::build_schema_for`]).

mod count;
mod shapes;

use std::fmt;

use async_graphql::{Variables, parser::types::ExecutableDocument};

use shapes::SHAPES;

/// An operation that could fetch more nodes than the limit allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TooManyNodes {
    /// Nodes it could fetch.
    pub(crate) nodes: u64,
    /// The limit (`MAX_QUERY_COMPLEXITY`).
    pub(crate) limit: u64,
}

impl fmt::Display for TooManyNodes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the query could fetch {} nodes (rows of its pages, multiplied by the pages and \
             lists around them); at most {} are allowed",
            self.nodes, self.limit
        )
    }
}

/// Checks the operation of `document` that runs (`operation_name`, or the only one) against
/// `limit`.
pub(crate) fn check_nodes(
    document: &ExecutableDocument,
    operation_name: Option<&str>,
    variables: &Variables,
    limit: u64,
) -> Result<(), TooManyNodes> {
    let nodes = count::count_nodes(&SHAPES, document, operation_name, variables);
    if nodes > limit {
        Err(TooManyNodes { nodes, limit })
    } else {
        Ok(())
    }
}

/// Reads the schema's shapes now, so that the first request does not wait for them.
pub(crate) fn learn_schema() {
    std::sync::LazyLock::force(&SHAPES);
}

#[cfg(test)]
mod tests;
