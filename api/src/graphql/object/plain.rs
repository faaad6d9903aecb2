//! A fast path for the stored columns of the work types.
//!
//! async-graphql resolves every selected field of an object as a future of its own, boxed
//! and polled through a `FuturesUnordered`, and builds the object's map from their results:
//! about a microsecond per field here, most of a deep page's CPU (hundreds of objects with a
//! dozen columns each). A column needs none of that. When every selection of an object is a
//! field without directives (`@skip`/`@include` are applied and removed by async-graphql
//! before execution), [`Plain`] writes its columns ([`Columns`]) into the map at once
//! and resolves only the other fields (relations, fields with arguments or a viewer) through
//! async-graphql, concurrently, as it would; a selection set with fragments or directives
//! goes the normal way whole. Errors of the resolved fields are reported as async-graphql
//! reports them (the field is left out, the error added). `tests/api/reads.rs` checks that
//! both ways give the same answer for every column.

use std::borrow::Cow;

use async_graphql::{
    ContainerType, ContextSelectionSet, Name, OutputType, Positioned, ServerResult, Value,
    futures_util::future::{BoxFuture, join_all},
    indexmap::IndexMap,
    parser::types::Field,
    registry::Registry,
};

use crate::graphql::selection::{insert, object, plain_fields};

/// The fields of an object type that are stored columns, read without context or waiting.
/// Implemented by [`work_object!`](super::columns::work_object) beside the type's getters,
/// from the same declaration.
pub trait Columns: ContainerType + OutputType {
    /// The value of column field `name`, or `None` when `name` is not one.
    fn column(&self, name: &str) -> Option<Value>;

    /// Whether `name` is a column field, answered by [`Columns::column`].
    fn is_column(name: &str) -> bool;

    /// Appends the JSON of column field `name` to `out`, as the response would encode
    /// [`Columns::column`]'s value; `false` (and nothing written) when `name` is not one.
    fn write_column(&self, name: &str, out: &mut Vec<u8>) -> bool;
}

/// An object whose columns are answered at once (see the module).
pub struct Plain<T>(pub T);

/// What one selection of an object becomes.
enum Slot<'a> {
    Ready(Name, Value),
    Resolve(Name, &'a Positioned<Field>),
}

impl<T: Columns> Plain<T> {
    /// The selections as columns and fields to resolve, or `None` when a fragment or a
    /// directive asks for the normal way.
    fn slots<'a>(&self, ctx: &ContextSelectionSet<'a>) -> Option<Vec<Slot<'a>>> {
        let fields = plain_fields(ctx.item)?;
        let mut slots = Vec::with_capacity(ctx.item.node.items.len());
        for field in fields {
            let key = field.node.response_key().node.clone();
            let name = field.node.name.node.as_str();
            slots.push(if name == "__typename" {
                Slot::Ready(key, Value::String(T::type_name().into_owned()))
            } else {
                match self.0.column(name) {
                    Some(value) => Slot::Ready(key, value),
                    None => Slot::Resolve(key, field),
                }
            });
        }
        Some(slots)
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
        let Some(slots) = self.slots(ctx) else {
            return self.0.resolve(ctx, field).await;
        };
        let resolved = join_all(slots.iter().filter_map(|slot| match slot {
            Slot::Resolve(_, field) => Some(async move {
                let ctx_field = ctx.with_field(field);
                // Boxed, as async-graphql boxes every field: a relation's type may lead back
                // to this one (a measure's unit lists measures), and a future type must not
                // contain itself.
                let resolved: BoxFuture<'_, _> = Box::pin(self.0.resolve_field(&ctx_field));
                resolved.await
            }),
            Slot::Ready(..) => None,
        }))
        .await;
        let mut resolved = resolved.into_iter();
        let mut map = IndexMap::with_capacity(slots.len());
        for slot in slots {
            let (key, value) = match slot {
                Slot::Ready(key, value) => (key, value),
                Slot::Resolve(key, _) => match resolved.next() {
                    Some(Ok(value)) => (key, value.unwrap_or_default()),
                    Some(Err(error)) => {
                        ctx.add_error(error);
                        continue;
                    }
                    // One result per field to resolve, in order: cannot run out.
                    None => continue,
                },
            };
            insert(&mut map, key, value);
        }
        Ok(object(map))
    }
}
