//! Relay cursor connections: `first`/`after` and `last`/`before`, `edges { cursor node }`,
//! `pageInfo`, `totalCount`.
//!
//! Top-level lists page in SQL by keyset and count lazily (the count runs only when
//! `totalCount` is asked for); nested lists page over what their loader fetched for all
//! parents at once. Cursors name a row, never an offset, so pages stay exact while rows are
//! added and removed (see [`cursor`]).

pub mod cursor;
mod edges;
pub mod keyset;
mod nested;
pub mod page;

pub use keyset::Sort;
pub use nested::slice;
pub use page::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PageArgs, Paging};

use async_graphql::{
    Context, Object, OutputType,
    connection::{Connection, Edge, EmptyFields},
};
use entity::{decode::Decode, keyed::Keyed};
use sea_orm::{
    ConnectionTrait, DatabaseConnection, EntityTrait, ModelTrait, QueryTrait, Select,
    sea_query::{Alias, Expr, Query, SelectStatement},
};

use self::{cursor::Cursor, keyset::Page};

use crate::error::ApiResult;

/// `totalCount`: known for nested lists, counted on demand for top-level ones.
pub struct TotalCount(Count);

enum Count {
    Known(usize),
    Query(Box<(DatabaseConnection, SelectStatement)>),
}

impl TotalCount {
    /// A count already known.
    pub fn known(count: usize) -> Self {
        Self(Count::Known(count))
    }

    /// The count of what `select` returns, run only if asked for.
    pub fn of<E: EntityTrait>(db: &DatabaseConnection, select: Select<E>) -> Self {
        let inner = select.into_query();
        let count = Query::select()
            .expr(Expr::cust("COUNT(*)"))
            .from_subquery(inner, Alias::new("counted"))
            .to_owned();
        Self(Count::Query(Box::new((db.clone(), count))))
    }
}

impl TotalCount {
    /// The count if it is known without a statement.
    pub(crate) fn counted(&self) -> Option<i32> {
        match &self.0 {
            // GraphQL's Int is 32 bits; no list of one tenant comes near that.
            Count::Known(count) => Some(i32::try_from(*count).unwrap_or(i32::MAX)),
            Count::Query(_) => None,
        }
    }

    /// The count, counted now if it is not known.
    pub(crate) async fn count(&self) -> ApiResult<i32> {
        match &self.0 {
            Count::Known(_) => Ok(self.counted().unwrap_or_default()),
            Count::Query(query) => {
                let (db, statement) = &**query;
                let row = db.query_one(statement).await?;
                let count = match row {
                    Some(row) => row.try_get_by_index::<i64>(0)?,
                    None => 0,
                };
                Ok(i32::try_from(count).unwrap_or(i32::MAX))
            }
        }
    }
}

#[Object]
impl TotalCount {
    /// Number of items in the whole list, over all pages.
    async fn total_count(&self) -> crate::error::Result<i32> {
        Ok(self.count().await?)
    }
}

/// A connection of `T` with `totalCount`: async-graphql's connection and edge types, answered
/// through a fast path for edges (see `edges.rs`).
pub struct Conn<T: OutputType>(pub(crate) Connection<Cursor, T, TotalCount, EmptyFields>);

/// Builds a connection from one page of rows.
pub fn connection<M, T: OutputType>(
    page: Page<M>,
    total: TotalCount,
    mut node: impl FnMut(M) -> T,
) -> Conn<T> {
    let mut connection =
        Connection::with_additional_fields(page.has_previous, page.has_next, total);
    connection.edges.extend(
        page.rows
            .into_iter()
            .map(|(cursor, row)| Edge::new(cursor, node(row))),
    );
    Conn(connection)
}

/// Runs one page of a top-level list in `sort` order (see [`keyset`]); the total is counted
/// only if the selection asks for it, with the page where it can be.
pub async fn fetch<E, T>(
    ctx: &Context<'_>,
    db: &DatabaseConnection,
    filtered: Select<E>,
    sort: Sort<E>,
    paging: Paging,
    node: impl Fn(E::Model) -> T,
) -> ApiResult<Conn<T>>
where
    E: Decode + Keyed,
    E::Model: ModelTrait<Entity = E>,
    T: OutputType,
{
    let page = PageArgs::new(&paging)?;
    let counted = ctx.look_ahead().field("totalCount").exists();
    let rows = keyset::rows(db, filtered.clone(), sort, &page, counted).await?;
    let total = match rows.total {
        Some(total) => TotalCount::known(total),
        None => TotalCount::of(db, filtered),
    };
    Ok(connection(rows, total, node))
}
