//! A fast path for objects of which a request selects stored columns only.
//!
//! async-graphql resolves every selected field of an object as a future of its own, boxed
//! and polled through a `FuturesUnordered`, and builds the object's map from their results:
//! about a microsecond per field here, most of a deep page's CPU (hundreds of sub-projects
//! with a dozen columns each). A column needs none of that. When every selection of an object
//! is a field its type reads synchronously ([`Columns`]), without directives or fragments,
//! [`Plain`] writes the object's map at once; any other selection set goes the normal way,
//! so relations, arguments, `@skip`/`@include` and fragments behave exactly as before.
//! `tests/api/reads.rs` checks that both ways give the same answer for every column.

use std::borrow::Cow;

use async_graphql::{
    ContextSelectionSet, OutputType, Positioned, ServerResult, Value,
    indexmap::IndexMap,
    parser::types::{Field, Selection},
    registry::Registry,
};

/// The fields of an object type that are stored columns, read without context or waiting.
pub trait Columns: OutputType {
    /// The value of column field `name`, or `None` when `name` is not one.
    fn column(&self, name: &str) -> Option<Value>;
}

/// An object that answers column-only selections at once (see the module).
pub struct Plain<T>(pub T);

impl<T: Columns> Plain<T> {
    /// The whole object, when every selection is a column.
    fn columns_only(&self, ctx: &ContextSelectionSet<'_>) -> Option<Value> {
        let items = &ctx.item.node.items;
        let mut map = IndexMap::with_capacity(items.len());
        for selection in items {
            let Selection::Field(field) = &selection.node else {
                return None;
            };
            let field = &field.node;
            if !field.directives.is_empty() {
                return None;
            }
            let name = field.name.node.as_str();
            let value = if name == "__typename" {
                Value::String(T::type_name().into_owned())
            } else {
                self.0.column(name)?
            };
            map.insert(field.response_key().node.clone(), value);
        }
        Some(Value::Object(map))
    }
}

impl<T: Columns> OutputType for Plain<T> {
    fn type_name() -> Cow<'static, str> {
        T::type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        T::create_type_info(registry)
    }

    async fn resolve(
        &self,
        ctx: &ContextSelectionSet<'_>,
        field: &Positioned<Field>,
    ) -> ServerResult<Value> {
        match self.columns_only(ctx) {
            Some(value) => Ok(value),
            None => self.0.resolve(ctx, field).await,
        }
    }
}

/// A string column.
pub fn text(value: &str) -> Value {
    Value::String(value.to_owned())
}

/// An optional column of any output scalar.
pub fn optional<T>(value: Option<T>, to_value: impl FnOnce(T) -> Value) -> Value {
    value.map_or(Value::Null, to_value)
}
