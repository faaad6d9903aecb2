//! What mutation inputs become on their way to the services: global ids decoded, enums and
//! dates in their stored form, left-out fields told apart from `null`.

use async_graphql::{ID, MaybeUndefined};

use crate::{
    error::{ApiError, ApiResult},
    graphql::id,
};

use service::write::Change;

/// A nullable input field as a change: left out, cleared (`null`) or set.
pub fn change<T, U>(value: MaybeUndefined<T>, into: impl FnOnce(T) -> U) -> Change<U> {
    match value {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(value) => Some(Some(into(value))),
    }
}

/// A required field of an update input: left out, it keeps its value; `null` cannot clear it
/// and is refused, so that a client that sends `null` for "unchanged" learns it at once.
pub fn kept<T>(value: MaybeUndefined<T>, field: &str) -> ApiResult<Option<T>> {
    match value {
        MaybeUndefined::Undefined => Ok(None),
        MaybeUndefined::Null => Err(ApiError::bad_input(
            field,
            "is required and cannot be cleared: leave it out to keep it",
        )),
        MaybeUndefined::Value(value) => Ok(Some(value)),
    }
}

/// A field whose name changed, given by its new name or, for one release, by its deprecated
/// old one: whichever was given; both given must agree. `names` is `(new, old)`.
pub fn renamed<T: PartialEq>(
    new: MaybeUndefined<T>,
    old: MaybeUndefined<T>,
    names: (&str, &str),
) -> ApiResult<MaybeUndefined<T>> {
    match (new, old) {
        (MaybeUndefined::Undefined, old) => Ok(old),
        (new, MaybeUndefined::Undefined) => Ok(new),
        (new, old) if new == old => Ok(new),
        _ => Err(ApiError::bad_input(
            names.0,
            format!(
                "`{}` is the deprecated name of `{}`: give one of them",
                names.1, names.0
            ),
        )),
    }
}

/// [`renamed`] for the fields of a create input, where `null` and left out are alike.
pub fn renamed_option<T: PartialEq>(
    new: Option<T>,
    old: Option<T>,
    names: (&str, &str),
) -> ApiResult<Option<T>> {
    let given = |value: Option<T>| value.map_or(MaybeUndefined::Undefined, MaybeUndefined::Value);
    Ok(renamed(given(new), given(old), names)?.take())
}

/// A nullable input field as a change of its own type.
pub fn change_as_is<T>(value: MaybeUndefined<T>) -> Change<T> {
    change(value, |value| value)
}

/// The row id of an optional global id of type `kind` in input field `field`.
pub fn optional_id(value: Option<&ID>, kind: &str, field: &str) -> ApiResult<Option<i32>> {
    value
        .map(|value| id::decode(value, kind, field))
        .transpose()
}

/// A nullable global id as a change of the row id.
pub fn change_id(value: MaybeUndefined<ID>, kind: &str, field: &str) -> ApiResult<Change<i32>> {
    Ok(match value {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(value) => Some(Some(id::decode(&value, kind, field)?)),
    })
}

/// The row ids of a list of global ids of type `kind`.
pub fn id_list(values: &[ID], kind: &str, field: &str) -> ApiResult<Vec<i32>> {
    values
        .iter()
        .map(|value| id::decode(value, kind, field))
        .collect()
}
