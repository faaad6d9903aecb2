//! Database logic behind the resolvers: every read starts from a scoped select.

pub mod org_tree;
pub mod viewer;
