//! What a document asks for, read before it runs: its size (fields and aliases, for the
//! limits), the operation that would run, and whether that operation writes.

use axum::response::Response;

use super::MediaType;
use crate::{config::Limits, error::ErrorCode};

/// Sizes of a document that the limits look at.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DocumentSize {
    /// Field selections, fragments counted where they are spread.
    pub(crate) fields: usize,
    /// Aliased fields, counted the same way.
    pub(crate) aliases: usize,
    /// Whether it asks the schema about itself (`__schema` or `__type`).
    pub(crate) introspects: bool,
    /// Whether it reads a field whose value moves without a write ([`VOLATILE`]).
    pub(crate) volatile: bool,
}

/// Fields whose values change without a write of the reader's tenant, so without a new data
/// version: their answers are never served from the response cache. Webhook deliveries move
/// with every attempt; the reuse catalogue with other tenants' writes (their offers and
/// adoptions); a calendar feed's `lastUsedAt` with every fetch of the feed.
const VOLATILE: [&str; 3] = ["webhookDeliveries", "reuseCatalogue", "lastUsedAt"];

/// What the handler needs to know of a document before it runs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Inspection {
    /// Fields and aliases, for the limits.
    pub(crate) size: DocumentSize,
    /// The name of the operation that would run (for the metrics).
    pub(crate) operation: Option<String>,
    /// Whether that operation is a mutation or subscription (refused over GET).
    pub(crate) mutates: bool,
}

/// Parses the document once for the checks before execution (`None` when it does not parse:
/// execution then reports the syntax error and runs nothing).
#[cfg(test)]
fn inspect(query: &str, operation_name: Option<&str>) -> Option<Inspection> {
    let document = async_graphql::parser::parse_query(query).ok()?;
    inspect_document(&document, operation_name)
}

/// [`inspect`] of a parsed document: the server parses once, keeps the document in the
/// request for execution, and looks at it here.
pub(crate) fn inspect_document(
    document: &async_graphql::parser::types::ExecutableDocument,
    operation_name: Option<&str>,
) -> Option<Inspection> {
    use std::collections::HashMap;

    use async_graphql::parser::types::{OperationType, Selection, SelectionSet};

    fn walk(
        set: &SelectionSet,
        fragments: &HashMap<String, &SelectionSet>,
        memo: &mut HashMap<String, DocumentSize>,
        open: &mut Vec<String>,
    ) -> DocumentSize {
        let mut size = DocumentSize::default();
        for selection in &set.items {
            let part = match &selection.node {
                Selection::Field(field) => {
                    let inner = walk(&field.node.selection_set.node, fragments, memo, open);
                    let name = field.node.name.node.as_str();
                    DocumentSize {
                        fields: inner.fields.saturating_add(1),
                        aliases: inner
                            .aliases
                            .saturating_add(usize::from(field.node.alias.is_some())),
                        introspects: inner.introspects || matches!(name, "__schema" | "__type"),
                        volatile: inner.volatile || VOLATILE.contains(&name),
                    }
                }
                Selection::InlineFragment(fragment) => {
                    walk(&fragment.node.selection_set.node, fragments, memo, open)
                }
                Selection::FragmentSpread(spread) => {
                    let name = spread.node.fragment_name.node.to_string();
                    match (memo.get(&name), fragments.get(&name)) {
                        (Some(known), _) => *known,
                        // A cycle is invalid anyway; validation reports it.
                        (None, Some(set)) if !open.contains(&name) => {
                            open.push(name.clone());
                            let inner = walk(set, fragments, memo, open);
                            open.pop();
                            memo.insert(name, inner);
                            inner
                        }
                        _ => DocumentSize::default(),
                    }
                }
            };
            size.fields = size.fields.saturating_add(part.fields);
            size.aliases = size.aliases.saturating_add(part.aliases);
            size.introspects |= part.introspects;
            size.volatile |= part.volatile;
        }
        size
    }
    let fragments: HashMap<String, &SelectionSet> = document
        .fragments
        .iter()
        .map(|(name, fragment)| (name.to_string(), &fragment.node.selection_set.node))
        .collect();
    let mut memo = HashMap::new();
    let mut total = DocumentSize::default();
    let (mut operation, mut mutates, mut operations) = (None, false, 0);
    for (name, definition) in document.operations.iter() {
        let size = walk(
            &definition.node.selection_set.node,
            &fragments,
            &mut memo,
            &mut Vec::new(),
        );
        total.fields = total.fields.saturating_add(size.fields);
        total.aliases = total.aliases.saturating_add(size.aliases);
        total.introspects |= size.introspects;
        total.volatile |= size.volatile;
        operations += 1;
        let selected =
            operation_name.is_none_or(|wanted| name.is_some_and(|n| n.as_str() == wanted));
        if selected {
            operation = name.map(|n| n.to_string());
            mutates |= definition.node.ty != OperationType::Query;
        }
    }
    // Without an operationName only a document with one operation can run.
    if operation_name.is_none() && operations > 1 {
        operation = None;
    }
    Some(Inspection {
        size: total,
        operation: operation_name.map(str::to_owned).or(operation),
        mutates,
    })
}

/// Refuses a document with more aliases or fields than the limits allow (`ALIAS_LIMIT`,
/// `FIELD_LIMIT`); the node limit alone would let a hundred aliased `__typename` through.
pub(crate) fn oversized(media: MediaType, size: DocumentSize, limits: &Limits) -> Option<Response> {
    let refusal = if size.aliases > limits.max_aliases {
        Some((
            ErrorCode::AliasLimit,
            format!(
                "the document has {} aliases; at most {} are allowed",
                size.aliases, limits.max_aliases
            ),
        ))
    } else if size.fields > limits.max_fields {
        Some((
            ErrorCode::FieldLimit,
            format!(
                "the document selects {} fields; at most {} are allowed",
                size.fields, limits.max_fields
            ),
        ))
    } else {
        None
    };
    refusal.map(|(code, message)| super::refusal(media, code, &message))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_selected_operation_is_named_and_typed() {
        let doc = "query A { me { sub } } mutation B { archive(input: {id: \"x\", version: 1}) { node { id } } }";
        let a = inspect(doc, Some("A")).unwrap();
        assert_eq!((a.operation.as_deref(), a.mutates), (Some("A"), false));
        assert!(inspect(doc, Some("B")).unwrap().mutates);
        let single = inspect("mutation M { x }", None).unwrap();
        assert_eq!(
            (single.operation.as_deref(), single.mutates),
            (Some("M"), true)
        );
    }

    #[test]
    fn fragments_count_where_they_are_spread() {
        let size = inspect(
            "{ a: me { sub } b: me { ...F } } fragment F on Me { x: sub y: role }",
            None,
        )
        .unwrap()
        .size;
        assert_eq!(
            size,
            DocumentSize {
                fields: 5,
                aliases: 4,
                introspects: false,
                volatile: false,
            }
        );
        assert!(inspect("{ me { ", None).is_none());
        // Introspection anywhere, also inside a fragment; `__typename` is not.
        let asks = |doc: &str| inspect(doc, None).unwrap().size.introspects;
        assert!(asks("{ __schema { types { name } } }"));
        assert!(asks(
            "{ ...F } fragment F on Query { __type(name: \"Me\") { name } }"
        ));
        assert!(!asks("{ me { __typename sub } }"));
        let volatile = |doc: &str| inspect(doc, None).unwrap().size.volatile;
        assert!(volatile(
            "{ ...F } fragment F on Query { webhookDeliveries { totalCount } }"
        ));
        assert!(!volatile("{ webhooks { id } }"));
        assert!(volatile("{ reuseCatalogue { totalCount } }"));
        assert!(volatile("{ me { calendarFeeds { lastUsedAt } } }"));
        let cycle = inspect(
            "{ me { ...A } } fragment A on Me { ...B } fragment B on Me { ...A }",
            None,
        )
        .unwrap()
        .size;
        assert_eq!(cycle.fields, 1);
    }
}
