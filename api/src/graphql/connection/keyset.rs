//! Pages of top-level lists by keyset: a page starts after its cursor's values of the sort
//! keys, not after a number of rows, so rows added or removed before it do not shift it.
//!
//! Every order ends in the id, so no two rows tie. Empty values sort last in either direction
//! on both databases (`NULLS LAST`, written only for columns that can be empty, so that the
//! other orders keep their plain `ORDER BY` and indexes). `last` reads the window from its
//! end in the reversed order and turns the rows round.

use std::sync::Arc;

use entity::{
    decode::{self, Decode},
    keyed::Keyed,
};
use sea_orm::{
    ColumnTrait, ColumnType, Condition, DatabaseConnection, EntityTrait, IdenStatic, ModelTrait,
    Order, QueryFilter, QueryOrder, QuerySelect, Select, Value, sea_query::NullOrdering,
};

use super::{
    cursor::{Cursor, Key},
    page::{End, PageArgs},
};
use crate::error::{ApiError, ApiResult};

/// The order of a list: sort keys, each ascending or descending, ending in the id.
pub struct Sort<E: EntityTrait> {
    keys: Vec<SortKey<E::Column>>,
}

#[derive(Clone, Copy)]
struct SortKey<C> {
    column: C,
    descending: bool,
}

// By hand: a derive would ask `E: Clone`, which no entity is.
impl<E: EntityTrait> Clone for Sort<E> {
    fn clone(&self) -> Self {
        Self {
            keys: self.keys.clone(),
        }
    }
}

impl<E: EntityTrait> Default for Sort<E> {
    fn default() -> Self {
        Self { keys: Vec::new() }
    }
}

impl<E: EntityTrait> Sort<E> {
    /// Sorts by `column` next, in `order`.
    pub fn by(mut self, column: E::Column, order: Order) -> Self {
        self.keys.push(SortKey {
            column,
            descending: matches!(order, Order::Desc),
        });
        self
    }

    /// Sorts by `column` next, smallest first.
    pub fn asc(self, column: E::Column) -> Self {
        self.by(column, Order::Asc)
    }

    /// Sorts by `column` next, largest first.
    pub fn desc(self, column: E::Column) -> Self {
        self.by(column, Order::Desc)
    }

    /// The order as cursors name it: `due_date.asc,id.asc`.
    fn name(&self) -> String {
        let keys: Vec<String> = self
            .keys
            .iter()
            .map(|key| {
                let direction = if key.descending { "desc" } else { "asc" };
                format!("{}.{direction}", key.column.as_str())
            })
            .collect();
        keys.join(",")
    }

    /// `select` in this order, whole (exports read every row).
    pub fn order(&self, select: Select<E>) -> Select<E> {
        self.apply(select, false)
    }

    /// `select` in this order, or in its reverse for reading a window from its end.
    fn apply(&self, mut select: Select<E>, reversed: bool) -> Select<E> {
        for key in &self.keys {
            let order = if key.descending != reversed {
                Order::Desc
            } else {
                Order::Asc
            };
            select = if key.column.def().is_null() {
                let nulls = if reversed {
                    NullOrdering::First
                } else {
                    NullOrdering::Last
                };
                select.order_by_with_nulls(key.column, order, nulls)
            } else {
                select.order_by(key.column, order)
            };
        }
        select
    }

    /// The values of `cursor`, checked against this order's keys and their column types.
    fn values(&self, cursor: &Cursor, field: &str) -> ApiResult<Vec<Value>> {
        let wrong = |message: &str| ApiError::bad_input(field, message.to_owned());
        let Cursor::Keys { order, values } = cursor else {
            return Err(wrong("not a cursor of this list"));
        };
        if **order != *self.name() || values.len() != self.keys.len() {
            return Err(wrong(
                "a cursor of this list in another order; start again from the first page",
            ));
        }
        self.keys
            .iter()
            .zip(values)
            .map(|(key, value)| {
                typed(key.column, value).ok_or_else(|| wrong("not a cursor of this list"))
            })
            .collect()
    }

    /// Rows strictly after (`after` true) or strictly before the row whose keys are `values`.
    fn beyond(&self, values: &[Value], after: bool) -> Condition {
        let mut any = Condition::any();
        for (index, key) in self.keys.iter().enumerate() {
            let mut all = Condition::all();
            for (earlier, value) in self.keys[..index].iter().zip(values) {
                all = all.add(equal(earlier.column, value));
            }
            if let Some(past) = past(*key, &values[index], after) {
                any = any.add(all.add(past));
            }
        }
        any
    }

    /// The cursor of `row`.
    fn cursor(&self, row: &E::Model, order: &Arc<str>) -> Cursor
    where
        E::Model: ModelTrait<Entity = E>,
    {
        Cursor::Keys {
            order: Arc::clone(order),
            values: self.keys_of(row),
        }
    }

    /// The values of `row` for the sort keys.
    fn keys_of(&self, row: &E::Model) -> Vec<Key>
    where
        E::Model: ModelTrait<Entity = E>,
    {
        self.keys
            .iter()
            // Every column a list sorts by has a key kind; a test walks all orders.
            .map(|key| Key::of(&row.get(key.column)).unwrap_or(Key::Null))
            .collect()
    }

    /// `rows` in this order, sorted in memory as the database sorts them (text by its bytes,
    /// as SQLite does; empty values last).
    pub fn sort_rows(self, rows: Vec<E::Model>) -> Vec<E::Model>
    where
        E: Keyed,
        E::Model: ModelTrait<Entity = E>,
    {
        let sort = self.ending_in_id();
        let mut keyed: Vec<(Vec<Key>, E::Model)> = rows
            .into_iter()
            .map(|row| (sort.keys_of(&row), row))
            .collect();
        keyed.sort_by(|(a, _), (b, _)| {
            sort.keys
                .iter()
                .zip(a.iter().zip(b))
                .map(|(key, (a, b))| a.order(b, key.descending))
                .find(|ordering| ordering.is_ne())
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        keyed.into_iter().map(|(_, row)| row).collect()
    }

    /// The order ends in the id, so that no two rows tie.
    fn ending_in_id(mut self) -> Self
    where
        E: Keyed,
    {
        let id = E::ID.as_str();
        if self.keys.last().is_none_or(|key| key.column.as_str() != id) {
            self.keys.push(SortKey {
                column: E::ID,
                descending: false,
            });
        }
        self
    }
}

/// `column` equal to `value`, an empty value included.
fn equal<C: ColumnTrait>(column: C, value: &Value) -> Condition {
    let condition = Condition::all();
    if is_null(value) {
        condition.add(column.is_null())
    } else {
        condition.add(column.eq(value.clone()))
    }
}

/// `column` past `value` in the key's direction; `None` where nothing can be (past an empty
/// value, which sorts last, going forward).
fn past<C: ColumnTrait>(key: SortKey<C>, value: &Value, after: bool) -> Option<Condition> {
    let column = key.column;
    let nullable = column.def().is_null();
    if is_null(value) {
        // Only empty values follow an empty value; everything else precedes it.
        return (!after).then(|| Condition::all().add(column.is_not_null()));
    }
    let greater = key.descending != after;
    let compared = if greater {
        column.gt(value.clone())
    } else {
        column.lt(value.clone())
    };
    let mut condition = Condition::any().add(compared);
    if after && nullable {
        condition = condition.add(column.is_null());
    }
    Some(condition)
}

fn is_null(value: &Value) -> bool {
    matches!(Key::of(value), Some(Key::Null))
}

/// A cursor's key as a value of `column`'s type, `None` if it is not one.
fn typed<C: ColumnTrait>(column: C, key: &Key) -> Option<Value> {
    let definition = column.def();
    let column_type = definition.get_column_type();
    Some(match (column_type, key) {
        (_, Key::Null) if definition.is_null() => null_of(column_type)?,
        (ColumnType::Boolean, Key::Bool(value)) => Value::Bool(Some(*value)),
        (ColumnType::SmallInteger, Key::Int(value)) => {
            Value::SmallInt(Some(i16::try_from(*value).ok()?))
        }
        (ColumnType::Integer, Key::Int(value)) => Value::Int(Some(i32::try_from(*value).ok()?)),
        (ColumnType::BigInteger, Key::Int(value)) => Value::BigInt(Some(*value)),
        (
            ColumnType::String(_)
            | ColumnType::Text
            | ColumnType::Char(_)
            | ColumnType::Enum { .. },
            Key::Text(value),
        ) => Value::String(Some(value.clone())),
        (ColumnType::Date, Key::Date(value)) => Value::ChronoDate(Some(*value)),
        (ColumnType::TimestampWithTimeZone, Key::Time(value)) => {
            Value::ChronoDateTimeUtc(Some(*value))
        }
        (ColumnType::Decimal(_), Key::Decimal(value)) => Value::Decimal(Some(*value)),
        _ => return None,
    })
}

/// The empty value of a column type a list sorts by.
fn null_of(column_type: &ColumnType) -> Option<Value> {
    Some(match column_type {
        ColumnType::Boolean => Value::Bool(None),
        ColumnType::SmallInteger => Value::SmallInt(None),
        ColumnType::Integer => Value::Int(None),
        ColumnType::BigInteger => Value::BigInt(None),
        ColumnType::String(_)
        | ColumnType::Text
        | ColumnType::Char(_)
        | ColumnType::Enum { .. } => Value::String(None),
        ColumnType::Date => Value::ChronoDate(None),
        ColumnType::TimestampWithTimeZone => Value::ChronoDateTimeUtc(None),
        ColumnType::Decimal(_) => Value::Decimal(None),
        _ => return None,
    })
}

/// One page of rows with their cursors, and whether more lie before and after it.
pub struct Page<M> {
    /// The rows in list order, each with its cursor.
    pub rows: Vec<(Cursor, M)>,
    /// Rows precede the page.
    pub has_previous: bool,
    /// Rows follow the page.
    pub has_next: bool,
    /// The number of rows in the whole list, when it came with the page.
    pub total: Option<usize>,
}

/// Reads one page of `filtered` in `sort` order: one statement, `limit + 1` rows telling
/// whether the window goes on. With `counted`, the page counts the whole list too (a window
/// over all rows, so one statement instead of two) where it starts at an end of the list:
/// after or before a cursor the window no longer spans the list, so the total is then left to
/// its own statement.
///
/// Whether rows lie on the far side of a cursor is not read: a page after a cursor reports
/// rows before it, a page before a cursor rows after it, as the Relay specification allows.
pub async fn rows<E>(
    db: &DatabaseConnection,
    filtered: Select<E>,
    sort: Sort<E>,
    page: &PageArgs,
    counted: bool,
) -> ApiResult<Page<E::Model>>
where
    E: Decode + Keyed,
    E::Model: ModelTrait<Entity = E>,
{
    let sort = sort.ending_in_id();
    let mut window = filtered;
    if let Some(after) = &page.after {
        window = window.filter(sort.beyond(&sort.values(after, "after")?, true));
    }
    if let Some(before) = &page.before {
        window = window.filter(sort.beyond(&sort.values(before, "before")?, false));
    }
    let from_end = page.end == End::End;
    let counted = counted && page.after.is_none() && page.before.is_none();
    let (mut rows, total) = if page.limit == 0 {
        (Vec::new(), None)
    } else {
        let select = sort.apply(window, from_end).limit(page.limit as u64 + 1);
        if counted {
            let (rows, total) = decode::all_counted(db, select).await?;
            (rows, usize::try_from(total).ok())
        } else {
            (decode::all(db, select).await?, None)
        }
    };
    let more = rows.len() > page.limit;
    rows.truncate(page.limit);
    if from_end {
        rows.reverse();
    }
    let name: Arc<str> = sort.name().into();
    let rows = rows
        .into_iter()
        .map(|row| (sort.cursor(&row, &name), row))
        .collect();
    let (has_previous, has_next) = match page.end {
        End::Start => (page.after.is_some(), more),
        End::End => (more, page.before.is_some()),
    };
    Ok(Page {
        rows,
        has_previous,
        has_next,
        total,
    })
}
