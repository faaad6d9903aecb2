//! The four paging arguments of a connection field, checked.

use crate::error::{ApiError, ApiResult};

use super::cursor::Cursor;

/// Largest page a client may ask for.
pub const MAX_PAGE_SIZE: i32 = 100;
/// Page size when neither `first` nor `last` is given.
pub const DEFAULT_PAGE_SIZE: i32 = 20;

/// The Relay arguments of a connection field as the client gave them.
#[derive(Debug, Clone, Default)]
pub struct Paging {
    /// Page size from the start of the window.
    pub first: Option<i32>,
    /// The window starts after the edge with this cursor.
    pub after: Option<String>,
    /// Page size from the end of the window.
    pub last: Option<i32>,
    /// The window ends before the edge with this cursor.
    pub before: Option<String>,
}

impl Paging {
    /// The four arguments as a resolver receives them.
    pub fn new(
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Self {
        Self {
            first,
            after,
            last,
            before,
        }
    }
}

/// Which end of the window a page is taken from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// The first rows of the window (`first`, or neither `first` nor `last`).
    Start,
    /// The last rows of the window (`last`).
    End,
}

/// Checked paging arguments: the window between two decoded cursors and the rows wanted.
#[derive(Debug, Clone, PartialEq)]
pub struct PageArgs {
    /// Rows to return.
    pub limit: usize,
    /// Which end of the window they are taken from.
    pub end: End,
    /// The window starts after this edge.
    pub after: Option<Cursor>,
    /// The window ends before this edge.
    pub before: Option<Cursor>,
}

impl PageArgs {
    /// Checks the sizes (0..=100, not both) and decodes the cursors.
    pub fn new(paging: &Paging) -> ApiResult<Self> {
        let (size, end, field) = match (paging.first, paging.last) {
            (Some(_), Some(_)) => {
                return Err(ApiError::bad_input(
                    "last",
                    "give `first` or `last`, not both",
                ));
            }
            (Some(first), None) => (first, End::Start, "first"),
            (None, Some(last)) => (last, End::End, "last"),
            (None, None) => (DEFAULT_PAGE_SIZE, End::Start, "first"),
        };
        let limit = usize::try_from(size)
            .ok()
            .filter(|&size| size <= MAX_PAGE_SIZE as usize)
            .ok_or_else(|| {
                ApiError::bad_input(field, format!("must be between 0 and {MAX_PAGE_SIZE}"))
            })?;
        let decode = |cursor: &Option<String>, field: &str| {
            cursor
                .as_deref()
                .map(|text| {
                    Cursor::decode(text).map_err(|message| ApiError::bad_input(field, message))
                })
                .transpose()
        };
        Ok(Self {
            limit,
            end,
            after: decode(&paging.after, "after")?,
            before: decode(&paging.before, "before")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paging(first: Option<i32>, last: Option<i32>) -> Paging {
        Paging {
            first,
            last,
            ..Paging::default()
        }
    }

    #[test]
    fn sizes_are_bounded_and_exclusive() {
        let page = PageArgs::new(&Paging::default()).unwrap();
        assert_eq!((page.limit, page.end), (20, End::Start));
        let page = PageArgs::new(&paging(None, Some(5))).unwrap();
        assert_eq!((page.limit, page.end), (5, End::End));
        assert!(PageArgs::new(&paging(Some(101), None)).is_err());
        assert!(PageArgs::new(&paging(Some(-1), None)).is_err());
        assert!(PageArgs::new(&paging(None, Some(101))).is_err());
        assert!(PageArgs::new(&paging(Some(1), Some(1))).is_err());
        assert_eq!(PageArgs::new(&paging(Some(0), None)).unwrap().limit, 0);
    }

    #[test]
    fn cursors_are_decoded_or_refused() {
        let cursor = Cursor::Row { id: 7, offset: 3 };
        let page = PageArgs::new(&Paging {
            after: Some(cursor.encode()),
            before: Some("garbage".into()),
            ..Paging::default()
        });
        assert!(page.is_err());
        let page = PageArgs::new(&Paging {
            before: Some(cursor.encode()),
            ..Paging::default()
        })
        .unwrap();
        assert_eq!(page.before, Some(cursor));
    }
}
