//! What the fast paths ([`Plain`](crate::graphql::object::plain::Plain) and the connections
//! of [`Conn`](crate::graphql::connection::Conn)) share: reading a selection set that holds
//! only plain fields, and building a response map as async-graphql builds it.

use async_graphql::{
    Name, Positioned, Value,
    indexmap::{IndexMap, map::Entry},
    parser::types::{Field, Selection, SelectionSet},
};

/// The fields of a selection set, or `None` when it holds a fragment or a field with a
/// directive (`@skip`/`@include` are applied and removed by async-graphql before execution,
/// so what is left is a directive the fast paths do not know): those go the normal way.
/// Read for every object of a page, so nothing is collected.
pub fn plain_fields(
    set: &Positioned<SelectionSet>,
) -> Option<impl Iterator<Item = &Positioned<Field>> + Clone> {
    fn plain(selection: &Positioned<Selection>) -> Option<&Positioned<Field>> {
        match &selection.node {
            Selection::Field(field) if field.node.directives.is_empty() => Some(field),
            _ => None,
        }
    }
    let items = set.node.items.iter();
    items
        .clone()
        .all(|selection| plain(selection).is_some())
        .then(|| items.filter_map(plain))
}

/// Adds a field to an object's map as async-graphql does: a key selected twice keeps its
/// first value, objects under one key are merged, and so are lists, item by item.
pub fn insert(map: &mut IndexMap<Name, Value>, key: Name, value: Value) {
    match map.entry(key) {
        Entry::Vacant(entry) => {
            entry.insert(value);
        }
        Entry::Occupied(mut entry) => merge(entry.get_mut(), value),
    }
}

/// Merges `more` into `existing`, a value selected under the same key, as async-graphql
/// does: objects key by key, lists item by item; anything else keeps the first value.
pub fn merge(existing: &mut Value, more: Value) {
    match (existing, more) {
        (Value::Object(existing), Value::Object(more)) => {
            for (key, value) in more {
                insert(existing, key, value);
            }
        }
        (Value::List(existing), Value::List(more)) => {
            for (existing, more) in existing.iter_mut().zip(more) {
                if let (Value::Object(_), Value::Object(_)) = (&*existing, &more) {
                    merge(existing, more);
                }
            }
        }
        _ => {}
    }
}

/// An object's map, or `null` when nothing went into it, as async-graphql answers.
pub fn object(map: IndexMap<Name, Value>) -> Value {
    if map.is_empty() {
        Value::Null
    } else {
        Value::Object(map)
    }
}

#[cfg(test)]
mod tests {
    use async_graphql::value;

    use super::*;

    #[test]
    fn keys_selected_twice_merge_like_async_graphql() {
        let mut map = IndexMap::new();
        insert(&mut map, Name::new("a"), value!(1));
        insert(&mut map, Name::new("a"), value!(2));
        insert(&mut map, Name::new("o"), value!({"x": 1}));
        insert(&mut map, Name::new("o"), value!({"x": 9, "y": 2}));
        insert(&mut map, Name::new("l"), value!([{"x": 1}, {"x": 2}]));
        insert(&mut map, Name::new("l"), value!([{"y": 1}, {"y": 2}]));
        assert_eq!(
            Value::Object(map),
            value!({"a": 1, "o": {"x": 1, "y": 2}, "l": [{"x": 1, "y": 1}, {"x": 2, "y": 2}]})
        );
    }
}
