//! The walk over a document that counts the nodes its operation could fetch.

use std::collections::HashMap;

use async_graphql::{
    Name, Positioned, Value, Variables,
    parser::types::{
        Directive, ExecutableDocument, Field, OperationDefinition, Selection, SelectionSet,
        VariableDefinition,
    },
};

use super::shapes::{Rows, Shapes};
use crate::graphql::connection::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};

/// Deepest nesting of selections, fragments included, the walk follows. Deeper documents are
/// refused anyway (`DEPTH_LIMIT`, or a fragment cycle failing validation); the bound keeps
/// the walk off the stack's end before those checks run.
const MAX_NESTING: usize = 64;

/// The nodes the operation of `document` that runs (`operation_name`, or the only one) could
/// fetch; 0 when none would run (execution reports that).
pub(crate) fn count_nodes(
    shapes: &Shapes,
    document: &ExecutableDocument,
    operation_name: Option<&str>,
    variables: &Variables,
) -> u64 {
    let Some(operation) = operation_that_runs(document, operation_name) else {
        return 0;
    };
    let mut walk = Walk {
        shapes,
        document,
        variables,
        definitions: &operation.variable_definitions,
        fragments: HashMap::new(),
    };
    let root = shapes.root(operation.ty);
    walk.selections(&operation.selection_set.node, Some(root), 0)
}

/// The page size a connection field counts: `first` or `last`, [`DEFAULT_PAGE_SIZE`] without
/// either, within 1..=[`MAX_PAGE_SIZE`] (the resolver refuses a size beyond).
fn counted_page_size(first: Option<i64>, last: Option<i64>) -> u64 {
    let size = first
        .or(last)
        .unwrap_or(DEFAULT_PAGE_SIZE.into())
        .clamp(1, MAX_PAGE_SIZE.into());
    u64::try_from(size).unwrap_or(1)
}

fn operation_that_runs<'a>(
    document: &'a ExecutableDocument,
    operation_name: Option<&str>,
) -> Option<&'a OperationDefinition> {
    let mut operations = document.operations.iter();
    let (_, operation) = match operation_name {
        Some(wanted) => {
            operations.find(|(name, _)| name.is_some_and(|name| name.as_str() == wanted))?
        }
        None => {
            let only = operations.next()?;
            operations.next().is_none().then_some(only)?
        }
    };
    Some(&operation.node)
}

/// One count: the document, the operation's variables, and what each named fragment selects
/// (spread twice, counted once).
struct Walk<'a> {
    shapes: &'a Shapes,
    document: &'a ExecutableDocument,
    variables: &'a Variables,
    definitions: &'a [Positioned<VariableDefinition>],
    fragments: HashMap<&'a str, u64>,
}

impl<'a> Walk<'a> {
    /// The nodes `set` fetches for one object of type `ty` (`None`: a type the schema does not
    /// describe, such as introspection's).
    fn selections(&mut self, set: &'a SelectionSet, ty: Option<&'a str>, nesting: usize) -> u64 {
        if nesting > MAX_NESTING {
            return 0;
        }
        let mut nodes: u64 = 0;
        for selection in &set.items {
            let part = match &selection.node {
                Selection::Field(field) => self.field(&field.node, ty, nesting),
                Selection::InlineFragment(fragment) if !self.skipped(&fragment.node.directives) => {
                    let on = fragment.node.type_condition.as_ref();
                    let ty = on.map(|condition| condition.node.on.node.as_str()).or(ty);
                    self.selections(&fragment.node.selection_set.node, ty, nesting + 1)
                }
                Selection::FragmentSpread(spread) if !self.skipped(&spread.node.directives) => {
                    self.spread(&spread.node.fragment_name.node, nesting)
                }
                Selection::InlineFragment(_) | Selection::FragmentSpread(_) => 0,
            };
            nodes = nodes.saturating_add(part);
        }
        nodes
    }

    /// A connection's own page and, for each of its rows (or a plain list's), what is
    /// selected below it.
    fn field(&mut self, field: &'a Field, ty: Option<&'a str>, nesting: usize) -> u64 {
        if field.selection_set.node.items.is_empty() || self.skipped(&field.directives) {
            return 0;
        }
        let shape = ty.and_then(|ty| self.shapes.field(ty, field.name.node.as_str()));
        let inner = shape.map(|shape| shape.ty.as_str());
        let below = self.selections(&field.selection_set.node, inner, nesting + 1);
        match shape.map(|shape| shape.rows) {
            Some(Rows::Page) => {
                let page = counted_page_size(
                    self.integer_argument(field, "first"),
                    self.integer_argument(field, "last"),
                );
                page.saturating_add(page.saturating_mul(below))
            }
            Some(Rows::List) => counted_page_size(None, None).saturating_mul(below),
            Some(Rows::Edges | Rows::One) | None => below,
        }
    }

    /// What a named fragment selects, counted once per document.
    fn spread(&mut self, name: &'a Name, nesting: usize) -> u64 {
        if let Some(&nodes) = self.fragments.get(name.as_str()) {
            return nodes;
        }
        let Some(fragment) = self.document.fragments.get(name) else {
            return 0;
        };
        let ty = fragment.node.type_condition.node.on.node.as_str();
        let nodes = self.selections(&fragment.node.selection_set.node, Some(ty), nesting + 1);
        self.fragments.insert(name.as_str(), nodes);
        nodes
    }

    /// Whether `@skip(if: true)` or `@include(if: false)` leaves a selection out: it fetches
    /// nothing then, as execution skips it.
    fn skipped(&self, directives: &[Positioned<Directive>]) -> bool {
        directives.iter().any(|directive| {
            let condition = directive
                .node
                .get_argument("if")
                .and_then(|value| value.node.clone().into_const_with(self.variable()).ok());
            matches!(
                (directive.node.name.node.as_str(), condition),
                ("skip", Some(Value::Boolean(true))) | ("include", Some(Value::Boolean(false)))
            )
        })
    }

    fn integer_argument(&self, field: &Field, name: &str) -> Option<i64> {
        let value = field.get_argument(name)?;
        match value.node.clone().into_const_with(self.variable()).ok()? {
            Value::Number(number) => number.as_i64(),
            _ => None,
        }
    }

    /// A variable's value: as the request sets it, else its default. (Arguments are cloned to
    /// be read: sizes and flags, numbers and booleans, or a variable's name.)
    fn variable(&self) -> impl FnMut(Name) -> Result<Value, ()> + '_ {
        |name| {
            if let Some(value) = self.variables.get(&name) {
                return Ok(value.clone());
            }
            self.definitions
                .iter()
                .find(|definition| definition.node.name.node == name)
                .and_then(|definition| definition.node.default_value.as_ref())
                .map(|value| value.node.clone())
                .ok_or(())
        }
    }
}
