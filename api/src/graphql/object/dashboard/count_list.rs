//! The dashboards' lists of counts, written as JSON.
//!
//! A portfolio dashboard holds several hundred small count objects: six states and three
//! lights, four lists per goal and per org unit. async-graphql resolves each as an object,
//! a future and a map entry per field, and that was most of the server's work on a dashboard.
//! A count is two or three numbers the dashboard already holds, with no field rules and no
//! errors, so when a list's selection is plain (the count's fields, `__typename`, fragments
//! that apply, each key selected once) the list is written as JSON and put into the response
//! as the planned pages are ([`Splices`]). Anything else goes through the resolvers.

use std::{borrow::Cow, sync::Arc};

use async_graphql::{
    ContextSelectionSet, OutputType, Positioned, ServerResult, Value, parser::types::Field,
    registry::Registry,
};

use super::{RagCount, RiskCount, StatusCount};
use crate::graphql::plan::{
    json::{self, Json},
    select,
    splice::Splices,
};

/// A count object whose fields can be written as JSON.
pub trait Count: OutputType {
    /// Appends the JSON of the field `name`; `false` for a field it does not have.
    fn write_field(&self, name: &str, out: &mut Vec<u8>) -> bool;
}

impl Count for StatusCount {
    fn write_field(&self, name: &str, out: &mut Vec<u8>) -> bool {
        match name {
            "status" => self.status.write_json(out),
            "count" => self.count.write_json(out),
            _ => return false,
        }
        true
    }
}

impl Count for RagCount {
    fn write_field(&self, name: &str, out: &mut Vec<u8>) -> bool {
        match name {
            "rag" => self.rag.write_json(out),
            "count" => self.count.write_json(out),
            _ => return false,
        }
        true
    }
}

impl Count for RiskCount {
    fn write_field(&self, name: &str, out: &mut Vec<u8>) -> bool {
        match name {
            "probability" => self.probability.write_json(out),
            "impact" => self.impact.write_json(out),
            "count" => self.count.write_json(out),
            _ => return false,
        }
        true
    }
}

/// A list of counts: in the schema a `[T!]!` like the `Vec` it holds.
pub struct CountList<T>(pub Vec<T>);

impl<T: Count> OutputType for CountList<T> {
    fn type_name() -> Cow<'static, str> {
        <Vec<T> as OutputType>::type_name()
    }

    fn qualified_type_name() -> String {
        <Vec<T> as OutputType>::qualified_type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        <Vec<T> as OutputType>::create_type_info(registry)
    }

    async fn resolve(
        &self,
        ctx: &ContextSelectionSet<'_>,
        field: &Positioned<Field>,
    ) -> ServerResult<Value> {
        match written(&self.0, ctx) {
            Some(token) => Ok(token),
            None => OutputType::resolve(&self.0, ctx, field).await,
        }
    }
}

/// The token of the list written as JSON, or `None` when its selection is not plain.
fn written<T: Count>(counts: &[T], ctx: &ContextSelectionSet<'_>) -> Option<Value> {
    let splices = ctx.data_opt::<Arc<Splices>>()?;
    // A key selected twice in a parent is merged by async-graphql as values; a token would
    // not merge.
    if !select::selected_once(ctx) {
        return None;
    }
    let type_name = T::type_name();
    let keys = select::collect(ctx, &[ctx.item], &type_name)?;
    let mut out = Vec::with_capacity(2 + counts.len() * 32);
    out.push(b'[');
    for (n, count) in counts.iter().enumerate() {
        if n > 0 {
            out.push(b',');
        }
        out.push(b'{');
        for (k, (key, fields)) in keys.iter().enumerate() {
            if k > 0 {
                out.push(b',');
            }
            json::key(&mut out, key);
            // Validation let through only fields of the same name and arguments under one
            // key, and a count's fields take none.
            match fields[0].node.name.node.as_str() {
                "__typename" => json::string(&mut out, &type_name),
                name if count.write_field(name, &mut out) => {}
                _ => return None,
            }
        }
        out.push(b'}');
    }
    out.push(b']');
    Some(splices.push(out))
}
