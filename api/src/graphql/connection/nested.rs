//! Pages of nested lists, over the rows their loader fetched for all parents at once.
//!
//! A cursor names its edge's row, so a page goes on after that row wherever it has moved; if
//! the row is gone, the page goes on at the position it had.

use std::sync::Arc;

use async_graphql::OutputType;
use entity::keyed::{Keyed, RowId};
use sea_orm::ModelTrait;

use super::{
    Conn, TotalCount, connection,
    cursor::Cursor,
    keyset::{Page, Sort},
    page::{End, PageArgs, Paging},
};
use crate::error::{ApiError, ApiResult};

/// Pages over a list a loader fetched whole, in the loader's order or in `order`.
///
/// The loaders keep no cache, so a parent's list is usually its own by now and its rows are
/// moved into the page; a list shared with another parent (the same key asked for twice) is
/// copied.
pub fn slice<E, T>(
    all: Arc<Vec<E::Model>>,
    order: Option<Sort<E>>,
    paging: Paging,
    node: impl Fn(E::Model) -> T,
) -> ApiResult<Conn<T>>
where
    E: Keyed,
    E::Model: ModelTrait<Entity = E> + Clone + RowId,
    T: OutputType,
{
    let page = PageArgs::new(&paging)?;
    let all = match order {
        Some(order) => {
            let rows = Arc::try_unwrap(all).unwrap_or_else(|shared| (*shared).clone());
            Arc::new(order.sort_rows(rows))
        }
        None => all,
    };
    let total = all.len();
    let start = match &page.after {
        Some(cursor) => position(&all, cursor, "after")?.map_or_else(|gone| gone, |at| at + 1),
        None => 0,
    };
    let end = match &page.before {
        Some(cursor) => position(&all, cursor, "before")?.unwrap_or_else(|gone| gone),
        None => total,
    }
    .max(start);
    let (from, to) = match page.end {
        End::Start => (start, end.min(start.saturating_add(page.limit))),
        End::End => (end.saturating_sub(page.limit).max(start), end),
    };
    let cursor = |(row, offset): (E::Model, usize)| {
        let id = row.row_id();
        (Cursor::Row { id, offset }, row)
    };
    // One pass: a page holds rows of some hundred bytes each, moved once.
    let rows: Vec<(Cursor, E::Model)> = match Arc::try_unwrap(all) {
        Ok(all) => all
            .into_iter()
            .skip(from)
            .take(to - from)
            .zip(from..)
            .map(cursor)
            .collect(),
        Err(all) => all[from..to]
            .iter()
            .cloned()
            .zip(from..)
            .map(cursor)
            .collect(),
    };
    let page = Page {
        rows,
        has_previous: from > 0,
        has_next: to < total,
        total: Some(total),
    };
    Ok(connection(page, TotalCount::known(total), node))
}

/// Where `cursor`'s row is in `all`: `Ok(index)`, or `Err(position)` of the first row after
/// it when it is gone.
fn position<M: RowId>(all: &[M], cursor: &Cursor, field: &str) -> ApiResult<Result<usize, usize>> {
    let Cursor::Row { id, offset } = *cursor else {
        return Err(ApiError::bad_input(field, "not a cursor of this list"));
    };
    // Usually the row is still where it was.
    if all.get(offset).is_some_and(|row| row.row_id() == id) {
        return Ok(Ok(offset));
    }
    Ok(all
        .iter()
        .position(|row| row.row_id() == id)
        .ok_or(offset.min(all.len())))
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Row(i32);

    impl RowId for Row {
        fn row_id(&self) -> i32 {
            self.0
        }
    }

    fn at(rows: &[i32], id: i32, offset: usize) -> Result<usize, usize> {
        let rows: Vec<Row> = rows.iter().copied().map(Row).collect();
        position(&rows, &Cursor::Row { id, offset }, "after").unwrap()
    }

    #[test]
    fn a_cursor_follows_its_row() {
        // In place, moved down by an insert before it, moved up by a removal.
        assert_eq!(at(&[5, 6, 7, 8], 7, 2), Ok(2));
        assert_eq!(at(&[9, 5, 6, 7, 8], 7, 2), Ok(3));
        assert_eq!(at(&[6, 7, 8], 7, 2), Ok(1));
    }

    #[test]
    fn a_gone_row_leaves_its_position() {
        assert_eq!(at(&[5, 6, 8], 7, 2), Err(2));
        assert_eq!(at(&[5], 7, 2), Err(1));
        assert_eq!(at(&[], 7, usize::MAX), Err(0));
    }

    #[test]
    fn a_cursor_of_a_top_level_list_is_refused() {
        let cursor = Cursor::Keys {
            order: "id.asc".into(),
            values: vec![crate::graphql::connection::cursor::Key::Int(1)],
        };
        assert!(position(&[Row(1)], &cursor, "after").is_err());
    }
}
