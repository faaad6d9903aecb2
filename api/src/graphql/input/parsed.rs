//! Mutation inputs read inside the resolver, so that a value that does not parse fails the
//! mutation's own field.
//!
//! async-graphql parses a field's arguments before its resolver runs, and an argument that
//! does not parse (an inline `planned: "abc"` where a `Decimal` belongs) fails the field
//! outside of it: the field is left out of `data`, and `data` is `null` when it was the only
//! one. [`Parsed`] has the schema of the input it wraps, keeps the outcome of parsing, and
//! gives it up in the resolver ([`Parsed::read`]), where `or_null` answers `null` for the
//! payload with the error beside it.

use std::borrow::Cow;

use async_graphql::{InputType, InputValueResult, Pos, Value, registry::Registry};

use crate::error::ApiError;

/// An input as it was parsed, or why it could not be.
pub struct Parsed<T>(Result<T, String>);

impl<T> Parsed<T> {
    /// The input, or `BAD_USER_INPUT` on `input` with async-graphql's message.
    pub fn read(self) -> Result<T, ApiError> {
        self.0
            .map_err(|message| ApiError::bad_input("input", message))
    }
}

impl<T: InputType> InputType for Parsed<T> {
    type RawValueType = T::RawValueType;

    fn type_name() -> Cow<'static, str> {
        T::type_name()
    }

    fn qualified_type_name() -> String {
        T::qualified_type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        T::create_type_info(registry)
    }

    fn parse(value: Option<Value>) -> InputValueResult<Self> {
        // The position is the resolver's to know; the message is what the client reads.
        let parsed = T::parse(value).map_err(|err| err.into_server_error(Pos::default()).message);
        Ok(Self(parsed))
    }

    fn to_value(&self) -> Value {
        match &self.0 {
            Ok(value) => value.to_value(),
            Err(_) => Value::Null,
        }
    }

    fn as_raw_value(&self) -> Option<&Self::RawValueType> {
        self.0.as_ref().ok()?.as_raw_value()
    }
}
