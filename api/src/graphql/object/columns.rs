//! One declaration per column field of the work types (goal, measure, project, sub-project).
//!
//! [`work_object!`] takes a type's column fields, one line each, and makes from them both
//! the `#[Object]` getter (its doc becomes the field's description in the SDL) and the arm of
//! the fast path's [`Columns::column`] match, so that the two cannot answer apart. A line reads
//!
//! ```text
//! /// What the field is: its description.
//! rust_name "graphqlName": OutputType = value read from the model `m`;
//! ```
//!
//! The getter returns the value; the fast path turns the same value into a [`Value`] as
//! async-graphql would ([`ColumnValue`]), with the same work as a hand-written arm and no
//! dynamic dispatch. A line starting with `resolved` gets a getter only: async-graphql answers
//! it, the fast path leaves it out. A line starting with `deprecated("reason")` is a field kept
//! under an old name. `shared name;` stands for a column that every work type
//! has, declared once in the macro below. The hand-written resolvers (relations, fields with
//! arguments or a viewer) follow the block of columns and go into the same `#[Object]` impl,
//! after the columns: the SDL lists the fields in the order written. rustfmt leaves the inside
//! of a macro call alone, so those resolvers are kept formatted (and within 100 columns) by
//! hand.
//!
//! The decoding of rows by position (`entity/src/decode.rs`) lists every field of a model,
//! also those no GraphQL field shows; it is guarded by the compiler (a field left out does not
//! build) and by its test against `Column::iter()`.
//!
//! [`Columns::column`]: super::plain::Columns::column

use async_graphql::{ID, ScalarType, Value};
use chrono::{DateTime, Utc};

use crate::graphql::{
    enums::{MeasureKind, OrgUnitKind, Priority, Rag, Status, Visibility},
    scalar::Date,
};

/// The value of a column field as async-graphql resolves its output type, made without a
/// context or a future.
pub(crate) trait ColumnValue {
    /// The field's value in the response.
    fn column_value(self) -> Value;
}

impl ColumnValue for &str {
    fn column_value(self) -> Value {
        Value::String(self.to_owned())
    }
}

impl ColumnValue for i32 {
    fn column_value(self) -> Value {
        Value::from(self)
    }
}

impl ColumnValue for bool {
    fn column_value(self) -> Value {
        Value::Boolean(self)
    }
}

impl ColumnValue for ID {
    /// The string moved, where `ScalarType::to_value` would copy it.
    fn column_value(self) -> Value {
        Value::String(self.0)
    }
}

impl ColumnValue for Date {
    fn column_value(self) -> Value {
        self.to_value()
    }
}

impl ColumnValue for DateTime<Utc> {
    fn column_value(self) -> Value {
        self.to_value()
    }
}

impl<T: ColumnValue> ColumnValue for Option<T> {
    fn column_value(self) -> Value {
        self.map_or(Value::Null, T::column_value)
    }
}

/// The enums of the columns, with their names made once (see `enums.rs`).
macro_rules! enum_columns {
    ($($name:ident),+) => {
        $(impl ColumnValue for $name {
            fn column_value(self) -> Value {
                self.value()
            }
        })+
    };
}
enum_columns!(MeasureKind, OrgUnitKind, Priority, Rag, Status, Visibility);

/// The `#[Object]` impl of a work type and its [`Columns`](super::plain::Columns) impl, from
/// one line per column field (see the module):
///
/// ```text
/// work_object! {
///     #[Object]
///     impl Measure {
///         columns(m) {
///             /// Title of the measure.
///             title "title": &str = &m.title;
///             shared version;
///         }
///         /// The unit responsible for the measure.
///         async fn org_unit(&self, ctx: &Context<'_>) -> Result<OrgUnit> { ... }
///     }
/// }
/// ```
///
/// The type is a tuple struct around its model; `columns(m)` names the model for the lines.
/// The GraphQL name is written out because `macro_rules!` cannot make it from the Rust name;
/// the getter is named by it too, so the fast path and the schema cannot disagree.
///
/// The lines are read one at a time (`@columns`), each adding a getter and, unless it is
/// `resolved`, a `{name, type, value}` entry from which the last step makes the arms of the
/// fast path's matches; `[m Type #[Object]]` carries what the last step needs.
macro_rules! work_object {
    // A column answered by its getter only.
    (@columns [$m:ident $($head:tt)*] [$($getters:tt)*] $arms:tt $resolvers:tt
        $(#[$($attr:tt)*])*
        resolved $field:ident $name:literal : $output:ty = $value:expr;
        $($rest:tt)*
    ) => {
        $crate::graphql::object::columns::work_object!(@columns [$m $($head)*]
            [
                $($getters)*
                $(#[$($attr)*])*
                #[graphql(name = $name)]
                pub async fn $field(&self) -> $output {
                    let $m = &self.0;
                    $value
                }
            ]
            $arms $resolvers $($rest)*
        );
    };

    // The columns every work type has, declared once: its archiving and its versioning.
    (@columns [$m:ident $($head:tt)*] $getters:tt $arms:tt $resolvers:tt
        shared archived_at; $($rest:tt)*
    ) => {
        $crate::graphql::object::columns::work_object!(@columns [$m $($head)*]
            $getters $arms $resolvers
            /// When the row was archived (visible to central IT only); null while it is live.
            archived_at "archivedAt": Option<::chrono::DateTime<::chrono::Utc>> = $m.archived_at;
            $($rest)*
        );
    };
    (@columns [$m:ident $($head:tt)*] $getters:tt $arms:tt $resolvers:tt
        shared version; $($rest:tt)*
    ) => {
        $crate::graphql::object::columns::work_object!(@columns [$m $($head)*]
            $getters $arms $resolvers
            /// Version for optimistic concurrency: send it back with an update.
            version "version": i32 = $m.version;
            $($rest)*
        );
    };
    (@columns [$m:ident $($head:tt)*] $getters:tt $arms:tt $resolvers:tt
        shared created_at; $($rest:tt)*
    ) => {
        $crate::graphql::object::columns::work_object!(@columns [$m $($head)*]
            $getters $arms $resolvers
            /// When the row was created.
            created_at "createdAt": ::chrono::DateTime<::chrono::Utc> = $m.created_at;
            $($rest)*
        );
    };
    (@columns [$m:ident $($head:tt)*] $getters:tt $arms:tt $resolvers:tt
        shared updated_at; $($rest:tt)*
    ) => {
        $crate::graphql::object::columns::work_object!(@columns [$m $($head)*]
            $getters $arms $resolvers
            /// When the row was last changed.
            updated_at "updatedAt": ::chrono::DateTime<::chrono::Utc> = $m.updated_at;
            $($rest)*
        );
    };

    // A column under an old name, deprecated: the same column with the reason in the one
    // `graphql` attribute `#[Object]` reads (it strips only one).
    (@columns [$m:ident $($head:tt)*] [$($getters:tt)*] [$($arms:tt)*] $resolvers:tt
        $(#[$($attr:tt)*])*
        deprecated($reason:literal) $field:ident $name:literal : $output:ty = $value:expr;
        $($rest:tt)*
    ) => {
        $crate::graphql::object::columns::work_object!(@columns [$m $($head)*]
            [
                $($getters)*
                $(#[$($attr)*])*
                #[graphql(name = $name, deprecation = $reason)]
                pub async fn $field(&self) -> $output {
                    let $m = &self.0;
                    $value
                }
            ]
            [$($arms)* {$name, $output, $value}]
            $resolvers $($rest)*
        );
    };

    // A column of the getters and of the fast path.
    (@columns [$m:ident $($head:tt)*] [$($getters:tt)*] [$($arms:tt)*] $resolvers:tt
        $(#[$($attr:tt)*])*
        $vis:vis $field:ident $name:literal : $output:ty = $value:expr;
        $($rest:tt)*
    ) => {
        $crate::graphql::object::columns::work_object!(@columns [$m $($head)*]
            [
                $($getters)*
                $(#[$($attr)*])*
                #[graphql(name = $name)]
                pub async fn $field(&self) -> $output {
                    let $m = &self.0;
                    $value
                }
            ]
            [$($arms)* {$name, $output, $value}]
            $resolvers $($rest)*
        );
    };

    // Every line read: the two impls. Each column's value is read by one expression, turned
    // into a `Value` for the fast path and into JSON for planned pages.
    (@columns [$m:ident $type:ident $pound:tt $object:tt]
        [$($getters:tt)*] [$({$name:literal, $output:ty, $value:expr})*] [$($resolvers:tt)*]
    ) => {
        impl $crate::graphql::object::plain::Columns for $type {
            fn column(&self, name: &str) -> ::std::option::Option<::async_graphql::Value> {
                let $m = &self.0;
                ::std::option::Option::Some(match name {
                    $($name => {
                        let value: $output = $value;
                        $crate::graphql::object::columns::ColumnValue::column_value(value)
                    })*
                    _ => return ::std::option::Option::None,
                })
            }

            fn is_column(name: &str) -> bool {
                matches!(name, $($name)|*)
            }

            fn write_column(&self, name: &str, out: &mut ::std::vec::Vec<u8>) -> bool {
                let $m = &self.0;
                match name {
                    $($name => {
                        let value: $output = $value;
                        $crate::graphql::plan::json::Json::write_json(value, out);
                    })*
                    _ => return false,
                }
                true
            }
        }

        $pound $object
        impl $type {
            $($getters)*
            $($resolvers)*
        }
    };

    // The attribute is taken whole, `#` and brackets, so that the code `#[Object]` makes is
    // the caller's: an expression in a resolver's attribute may read the bindings of that
    // code, which an attribute written in this macro would hide from it (hygiene).
    (
        $pound:tt $object:tt
        impl $type:ident { columns($m:ident) { $($columns:tt)* } $($resolvers:tt)* }
    ) => {
        $crate::graphql::object::columns::work_object!(@columns [$m $type $pound $object]
            [] [] [$($resolvers)*] $($columns)*
        );
    };
}
pub(crate) use work_object;
