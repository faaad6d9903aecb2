//! A selection set read as GraphQL's `CollectFields` reads it: fragments that apply to the
//! type flattened into it, the fields grouped by response key in the order first selected.

use async_graphql::{
    ContextBase, Name, Positioned, QueryPathSegment,
    parser::types::{Field, Selection, SelectionSet},
};

/// Fields by response key, each key with every field selected under it.
pub(crate) type Keys<'a> = Vec<(&'a Name, Vec<&'a Positioned<Field>>)>;

/// The fields the selection sets `sets` (the sets of every field sharing one response key)
/// select on an object of type `type_name`, grouped by response key in first-seen order, as
/// async-graphql collects them: an inline fragment without a type condition, and a fragment
/// on the type or on an interface it implements, add their fields; other fragments add
/// nothing. `None` when a selection carries a directive: `@skip` and `@include` are applied
/// and removed before execution, so what is left is one the plan does not know.
pub(crate) fn collect<'a, T>(
    ctx: &ContextBase<'a, T>,
    sets: &[&'a Positioned<SelectionSet>],
    type_name: &str,
) -> Option<Keys<'a>> {
    let mut fields = Vec::new();
    for set in sets {
        add(ctx, set, type_name, &mut fields)?;
    }
    Some(fields)
}

fn add<'a, T>(
    ctx: &ContextBase<'a, T>,
    set: &'a Positioned<SelectionSet>,
    type_name: &str,
    fields: &mut Keys<'a>,
) -> Option<()> {
    for selection in &set.node.items {
        if !selection.node.directives().is_empty() {
            return None;
        }
        let (condition, inner) = match &selection.node {
            Selection::Field(field) => {
                let key = &field.node.response_key().node;
                match fields.iter_mut().find(|(seen, _)| *seen == key) {
                    Some((_, occurrences)) => occurrences.push(field),
                    None => fields.push((key, vec![field])),
                }
                continue;
            }
            Selection::FragmentSpread(spread) => {
                let fragment = ctx
                    .query_env
                    .fragments
                    .get(&spread.node.fragment_name.node)?;
                (
                    Some(fragment.node.type_condition.node.on.node.as_str()),
                    &fragment.node.selection_set,
                )
            }
            Selection::InlineFragment(fragment) => (
                fragment
                    .node
                    .type_condition
                    .as_ref()
                    .map(|condition| condition.node.on.node.as_str()),
                &fragment.node.selection_set,
            ),
        };
        if applies(ctx, condition, type_name) {
            add(ctx, inner, type_name, fields)?;
        }
    }
    Some(())
}

/// Whether a fragment on `condition` applies to an object of type `type_name`.
fn applies<T>(ctx: &ContextBase<'_, T>, condition: Option<&str>, type_name: &str) -> bool {
    match condition {
        None => true,
        Some(condition) => {
            condition == type_name
                || ctx
                    .schema_env
                    .registry
                    .implements
                    .get(type_name)
                    .is_some_and(|interfaces| interfaces.contains(condition))
        }
    }
}

/// The selection sets of a field's occurrences, to be collected together.
pub(crate) fn sets_of<'a>(
    occurrences: &[&'a Positioned<Field>],
) -> Vec<&'a Positioned<SelectionSet>> {
    occurrences
        .iter()
        .map(|field| &field.node.selection_set)
        .collect()
}

/// Whether the field `ctx` resolves is the only one of its response key in its parent's
/// selection, the parent's own key merged over all its occurrences. async-graphql resolves
/// each occurrence of a key on its own and merges the answers as values; a planned page is
/// one opaque value, which would not merge, so a key selected twice is left to the
/// resolvers. Fragments count whatever their type condition: counting more only costs the
/// plan.
pub(crate) fn selected_once<T>(ctx: &ContextBase<'_, T>) -> bool {
    let mut keys = Vec::new();
    let mut node = ctx.path_node.as_ref();
    while let Some(path) = node {
        if let QueryPathSegment::Name(key) = path.segment {
            keys.push(key);
        }
        node = path.parent;
    }
    let mut sets = vec![&ctx.query_env.operation.node.selection_set];
    while let Some(key) = keys.pop() {
        let mut fields = Vec::new();
        for set in &sets {
            occurrences(ctx, set, key, &mut fields);
        }
        if keys.is_empty() {
            return fields.len() == 1;
        }
        sets = sets_of(&fields);
    }
    false
}

fn occurrences<'a, T>(
    ctx: &ContextBase<'a, T>,
    set: &'a Positioned<SelectionSet>,
    key: &str,
    fields: &mut Vec<&'a Positioned<Field>>,
) {
    for selection in &set.node.items {
        match &selection.node {
            Selection::Field(field) => {
                if field.node.response_key().node.as_str() == key {
                    fields.push(field);
                }
            }
            Selection::FragmentSpread(spread) => {
                if let Some(fragment) = ctx.query_env.fragments.get(&spread.node.fragment_name.node)
                {
                    occurrences(ctx, &fragment.node.selection_set, key, fields);
                }
            }
            Selection::InlineFragment(fragment) => {
                occurrences(ctx, &fragment.node.selection_set, key, fields);
            }
        }
    }
}
