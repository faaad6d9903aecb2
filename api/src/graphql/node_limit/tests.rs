//! The count on documents of the real schema.

use async_graphql::{Variables, parser::parse_query, value};

use super::{TooManyNodes, check_nodes, count::count_nodes, shapes::SHAPES};

fn nodes_with(query: &str, operation: Option<&str>, variables: Variables) -> u64 {
    let document = parse_query(query).unwrap();
    count_nodes(&SHAPES, &document, operation, &variables)
}

fn nodes(query: &str) -> u64 {
    nodes_with(query, None, Variables::default())
}

/// The benchmark's deep page (benches/load/operations.rs), its fields left out: they count
/// nothing.
const DEEP_PAGE: &str = "query DeepPage { goals(first: 50) { edges { node { id code \
    measures(first: 20) { edges { node { id code projects(first: 20) { edges { node { id \
    subProjects(first: 20) { edges { node { id code } } } } } } } } } } } } }";

#[test]
fn nested_pages_multiply_as_github_counts_them() {
    // 50 + 50 x 20 + 50 x 20 x 20 + 50 x 20 x 20 x 20
    assert_eq!(nodes(DEEP_PAGE), 421_050);
    let three = "{ measures(first: 100) { edges { node { projects(first: 100) { edges { node { \
        subProjects(first: 100) { edges { node { id } } } } } } } } } }";
    assert_eq!(nodes(three), 1_010_100);
    // Pages side by side add up; `nodes` is the same page as `edges`.
    assert_eq!(
        nodes(
            "{ goals(first: 5) { nodes { id } edges { node { id } } } measures(last: 7) { totalCount } }"
        ),
        12
    );
}

#[test]
fn page_sizes_default_and_are_bounded() {
    assert_eq!(nodes("{ goals { nodes { id } } }"), 20);
    assert_eq!(nodes("{ goals(first: 1000) { nodes { id } } }"), 100);
    assert_eq!(nodes("{ goals(first: 0) { nodes { id } } }"), 1);
    assert_eq!(nodes("{ goals(first: null) { nodes { id } } }"), 20);
}

#[test]
fn variables_set_page_sizes_and_conditions() {
    let query = "query($n: Int, $m: Int = 7) { goals(first: $n) { nodes { measures(first: $m) { totalCount } } } }";
    let set = |variables| nodes_with(query, None, Variables::from_value(variables));
    assert_eq!(set(value!({ "n": 50, "m": 2 })), 150);
    // Without `$m` its default counts; without `$n` the default page.
    assert_eq!(set(value!({ "n": 10 })), 80);
    assert_eq!(set(value!({})), 160);
    let conditional = "query($deep: Boolean!) { goals(first: 10) { nodes { \
        measures(first: 10) @include(if: $deep) { totalCount } \
        projects: measures(first: 5) @skip(if: $deep) { totalCount } } } }";
    let with = |deep| {
        nodes_with(
            conditional,
            None,
            Variables::from_value(value!({ "deep": deep })),
        )
    };
    assert_eq!(with(true), 110);
    assert_eq!(with(false), 60);
    assert_eq!(
        nodes(
            "{ goals(first: 10) @skip(if: true) { totalCount } measures @include(if: true) { totalCount } }"
        ),
        20
    );
}

#[test]
fn fragments_and_aliases_count_what_they_select() {
    // A named fragment spread twice counts twice; an inline fragment and an alias count.
    let query = "{ a: goals(first: 10) { nodes { ...Pages } } b: goals(first: 10) { nodes { ...Pages } } \
        node(id: \"x\") { ... on Goal { measures(first: 3) { totalCount } } } } \
        fragment Pages on Goal { measures(first: 5) { nodes { ...Deeper } } } \
        fragment Deeper on Measure { projects(first: 2) { totalCount } }";
    // a, b: 10 + 10 x (5 + 5 x 2) each; the inline fragment: 3.
    assert_eq!(nodes(query), 2 * 160 + 3);
    // Fragments on the operation's root and spread inside inline fragments.
    assert_eq!(
        nodes("{ ...Root } fragment Root on Query { ... { goals(first: 4) { totalCount } } }"),
        4
    );
    // A cycle (refused by validation) ends.
    assert_eq!(
        nodes(
            "{ goals { nodes { ...A } } } fragment A on Goal { ...B } fragment B on Goal { ...A }"
        ),
        20
    );
}

#[test]
fn plain_lists_multiply_the_pages_below_them() {
    // 10 measures; for each, its goals (20 counted) each with a page of 3.
    assert_eq!(
        nodes(
            "{ measures(first: 10) { nodes { goals { code measures(first: 3) { totalCount } } } } }"
        ),
        10 + 10 * 20 * 3
    );
    assert_eq!(
        nodes("{ portfolioDashboard { byGoal { goal { measures(first: 5) { totalCount } } } } }"),
        20 * 5
    );
    // A list's own rows are not nodes, nor are lists of scalars, single objects or
    // introspection's.
    assert_eq!(
        nodes(
            "{ goals(first: 100) { nodes { indicators { targets { value } values { value } } } } }"
        ),
        100
    );
    assert_eq!(
        nodes("{ portfolioDashboard { byGoal { goal { code } measuresByStatus { count } } } }"),
        0
    );
    assert_eq!(nodes("{ me { sub } node(id: \"x\") { id } }"), 0);
    assert_eq!(nodes("{ __schema { types { fields { name } } } }"), 0);
}

#[test]
fn the_operation_that_runs_is_counted() {
    let two = "query Small { goals(first: 1) { totalCount } } query Large { goals(first: 90) { totalCount } }";
    assert_eq!(nodes_with(two, Some("Small"), Variables::default()), 1);
    assert_eq!(nodes_with(two, Some("Large"), Variables::default()), 90);
    // Neither runs without a name, nor an unknown one.
    assert_eq!(nodes_with(two, None, Variables::default()), 0);
    assert_eq!(nodes_with(two, Some("Other"), Variables::default()), 0);
    // A mutation's payload counts from the mutation root.
    assert_eq!(
        nodes("mutation { archive(input: { id: \"x\", version: 1 }) { node { id } } }"),
        0
    );
}

#[test]
fn the_limit_names_the_count() {
    let document = parse_query(DEEP_PAGE).unwrap();
    let variables = Variables::default();
    assert_eq!(check_nodes(&document, None, &variables, 500_000), Ok(()));
    let refused = check_nodes(&document, None, &variables, 400_000).unwrap_err();
    assert_eq!(
        refused,
        TooManyNodes {
            nodes: 421_050,
            limit: 400_000
        }
    );
    let message = refused.to_string();
    assert!(
        message.contains("421050 nodes") && message.contains("at most 400000"),
        "{message}"
    );
}
