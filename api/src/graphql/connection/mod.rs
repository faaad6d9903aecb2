//! Relay cursor connections: `first`/`after`, `edges { cursor node }`, `pageInfo`, `totalCount`.
//!
//! Cursors are opaque offsets into the ordered list. Top-level lists page in SQL and count
//! lazily (the count runs only when `totalCount` is asked for); nested lists page over what
//! their loader fetched for all parents at once.

mod edges;

use std::sync::Arc;

use async_graphql::{
    Object, OutputType,
    connection::{Connection, CursorType, Edge, EmptyFields},
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use entity::decode::{self, Decode};
use sea_orm::{
    ConnectionTrait, DatabaseConnection, EntityTrait, QuerySelect, QueryTrait, Select,
    sea_query::{Alias, Expr, Query, SelectStatement},
};

use crate::error::{ApiError, ApiResult};

/// Largest page a client may ask for.
pub const MAX_PAGE_SIZE: i32 = 100;
/// Page size when `first` is not given.
pub const DEFAULT_PAGE_SIZE: i32 = 20;

/// The complexity of a connection field: the page size (`first`, default
/// [`DEFAULT_PAGE_SIZE`], at most [`MAX_PAGE_SIZE`] counted) times the complexity of what is
/// selected for each edge. Nested connections multiply, as the rows they fetch do.
pub fn page_complexity(first: Option<i32>, child_complexity: usize) -> usize {
    let rows = first.unwrap_or(DEFAULT_PAGE_SIZE).clamp(1, MAX_PAGE_SIZE);
    usize::try_from(rows)
        .unwrap_or(1)
        .saturating_mul(child_complexity.max(1))
}

/// Position of an edge in its list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Offset(pub usize);

impl CursorType for Offset {
    type Error = &'static str;

    fn decode_cursor(s: &str) -> Result<Self, Self::Error> {
        let raw = URL_SAFE_NO_PAD.decode(s).map_err(|_| "invalid cursor")?;
        let text = std::str::from_utf8(&raw).map_err(|_| "invalid cursor")?;
        let number = text.strip_prefix("cursor:").ok_or("invalid cursor")?;
        number.parse().map(Offset).map_err(|_| "invalid cursor")
    }

    fn encode_cursor(&self) -> String {
        crate::graphql::id::tagged("cursor", self.0)
    }
}

/// A validated `first`/`after` pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageArgs {
    /// Rows to skip.
    pub offset: usize,
    /// Rows to return.
    pub limit: usize,
}

impl PageArgs {
    /// Checks `first` (0..=100) and decodes `after`.
    pub fn new(first: Option<i32>, after: Option<&str>) -> ApiResult<Self> {
        let first = first.unwrap_or(DEFAULT_PAGE_SIZE);
        if !(0..=MAX_PAGE_SIZE).contains(&first) {
            return Err(ApiError::bad_input(
                "first",
                format!("must be between 0 and {MAX_PAGE_SIZE}"),
            ));
        }
        let offset = match after {
            Some(cursor) => Offset::decode_cursor(cursor)
                .map_err(|message| ApiError::bad_input("after", message))?
                .0
                .checked_add(1)
                .ok_or_else(|| ApiError::bad_input("after", "invalid cursor"))?,
            None => 0,
        };
        // `first` is checked to be 0..=100 above.
        Ok(Self {
            offset,
            limit: first as usize,
        })
    }
}

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

#[Object]
impl TotalCount {
    /// Number of items in the whole list, over all pages.
    async fn total_count(&self) -> crate::error::Result<i32> {
        // GraphQL's Int is 32 bits; no list of one tenant comes near that.
        match &self.0 {
            Count::Known(count) => Ok(i32::try_from(*count).unwrap_or(i32::MAX)),
            Count::Query(query) => {
                let (db, statement) = &**query;
                let row = db.query_one(statement).await.map_err(ApiError::from)?;
                let count = match row {
                    Some(row) => row.try_get_by_index::<i64>(0).map_err(ApiError::from)?,
                    None => 0,
                };
                Ok(i32::try_from(count).unwrap_or(i32::MAX))
            }
        }
    }
}

/// A connection of `T` with `totalCount`: async-graphql's connection and edge types, answered
/// through a fast path for edges (see `edges.rs`).
pub struct Conn<T: OutputType>(Connection<Offset, T, TotalCount, EmptyFields>);

/// Builds a connection from one page of rows.
pub fn connection<M, T: OutputType>(
    rows: Vec<M>,
    page: PageArgs,
    has_next_page: bool,
    total: TotalCount,
    node: impl Fn(M) -> T,
) -> Conn<T> {
    let mut connection = Connection::with_additional_fields(page.offset > 0, has_next_page, total);
    connection.edges.extend(
        rows.into_iter()
            .enumerate()
            .map(|(index, row)| Edge::new(Offset(page.offset + index), node(row))),
    );
    Conn(connection)
}

/// Pages over a list a loader fetched whole.
///
/// The loaders keep no cache, so a parent's list is usually its own by now and its rows are
/// moved into the page; a list shared with another parent (the same key asked for twice) is
/// copied.
pub fn slice<M: Clone, T: OutputType>(
    all: Arc<Vec<M>>,
    first: Option<i32>,
    after: Option<String>,
    node: impl Fn(M) -> T,
) -> ApiResult<Conn<T>> {
    let page = PageArgs::new(first, after.as_deref())?;
    let total = all.len();
    let rows: Vec<M> = match Arc::try_unwrap(all) {
        Ok(all) => all.into_iter().skip(page.offset).take(page.limit).collect(),
        Err(all) => all
            .iter()
            .skip(page.offset)
            .take(page.limit)
            .cloned()
            .collect(),
    };
    let has_next = total > page.offset.saturating_add(page.limit);
    Ok(connection(
        rows,
        page,
        has_next,
        TotalCount::known(total),
        node,
    ))
}

/// Runs one page of a top-level list: `first + 1` rows tell whether another page follows.
pub async fn fetch<E, T>(
    db: &DatabaseConnection,
    filtered: Select<E>,
    ordered: Select<E>,
    first: Option<i32>,
    after: Option<String>,
    node: impl Fn(E::Model) -> T,
) -> ApiResult<Conn<T>>
where
    E: Decode,
    T: OutputType,
{
    let page = PageArgs::new(first, after.as_deref())?;
    let total = TotalCount::of(db, filtered);
    let mut rows = if page.limit == 0 {
        Vec::new()
    } else {
        let page_rows = ordered
            .offset(page.offset as u64)
            .limit(page.limit as u64 + 1);
        decode::all(db, page_rows).await?
    };
    let has_next = rows.len() > page.limit;
    rows.truncate(page.limit);
    Ok(connection(rows, page, has_next, total, node))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_encode_the_offset() {
        for n in [0, 7, 10, 99, 12_345, usize::MAX] {
            let cursor = Offset(n).encode_cursor();
            assert_eq!(cursor, URL_SAFE_NO_PAD.encode(format!("cursor:{n}")));
            assert_eq!(Offset::decode_cursor(&cursor), Ok(Offset(n)));
        }
    }

    #[test]
    fn page_arguments_are_bounded() {
        assert_eq!(
            PageArgs::new(None, None).unwrap(),
            PageArgs {
                offset: 0,
                limit: 20
            }
        );
        assert!(PageArgs::new(Some(101), None).is_err());
        assert!(PageArgs::new(Some(-1), None).is_err());
        let after = Offset(9).encode_cursor();
        assert_eq!(
            PageArgs::new(Some(5), Some(&after)).unwrap(),
            PageArgs {
                offset: 10,
                limit: 5
            }
        );
        assert!(PageArgs::new(Some(5), Some("garbage")).is_err());
    }
}
