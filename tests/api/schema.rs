//! The checked-in SDL must match the code.

#[test]
fn schema_graphql_matches_the_code() {
    let checked_in =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/schema.graphql"))
            .expect("schema.graphql at the top of the repository");
    let generated = api::graphql::sdl();
    assert!(
        checked_in == generated,
        "schema.graphql is out of date: run `cargo run -- export-schema > schema.graphql`"
    );
}

#[test]
fn schema_names_clients_rely_on() {
    let sdl = api::graphql::sdl();
    for needle in [
        "type OrgUnit",
        "type Measure",
        "type Project",
        "type SubProject",
        "type Milestone",
        "type StatusReport",
        "type Goal",
        "type Strategy",
        "type Application",
        "enum Status {",
        "IN_PROGRESS",
        "enum Rag {",
        "enum Visibility {",
        "viewerCanEdit: Boolean!",
        "viewerCanSeeFinancials: Boolean!",
        "interface Node",
        "totalCount: Int!",
    ] {
        assert!(sdl.contains(needle), "schema lacks {needle}");
    }
}
