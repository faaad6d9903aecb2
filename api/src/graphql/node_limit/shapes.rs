//! What the node count knows of the schema: for each field that returns objects, whether it
//! is a page of a connection, the rows of such a page, a plain list or one object, and the
//! type it returns. Read once per process from the schema's SDL (async-graphql's documented
//! export, parsed by its own parser), so it follows every change of the schema by itself.

use std::{
    collections::{HashMap, HashSet},
    sync::LazyLock,
};

use async_graphql::parser::{
    parse_schema,
    types::{BaseType, FieldDefinition, OperationType, TypeKind, TypeSystemDefinition},
};

/// How a field's rows count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rows {
    /// A connection (a field taking `first` or `last`): a page of rows.
    Page,
    /// `edges` or `nodes` of a connection: the rows its page counted already.
    Edges,
    /// A list of objects without paging arguments: as long as the data, not the client, makes
    /// it.
    List,
    /// One object.
    One,
}

/// A field that returns objects: how its rows count, and their type.
#[derive(Debug)]
pub(crate) struct FieldShape {
    /// How its rows count.
    pub(crate) rows: Rows,
    /// The object, interface or union type it returns (lists unwrapped).
    pub(crate) ty: String,
}

/// The fields that return objects, by type and field name; fields of scalars and enums
/// select nothing and are not kept.
#[derive(Debug)]
pub(crate) struct Shapes {
    fields: HashMap<String, HashMap<String, FieldShape>>,
    roots: [String; 3],
}

/// The shapes of the schema digidash serves. Its types do not depend on the configuration,
/// so the default schema's SDL describes every server's.
pub(crate) static SHAPES: LazyLock<Shapes> =
    LazyLock::new(|| Shapes::from_sdl(&crate::graphql::build_schema().sdl()));

impl Shapes {
    /// Reads the shapes from an SDL document.
    ///
    /// # Panics
    ///
    /// When `sdl` does not parse; the SDL async-graphql exports of digidash's schema does
    /// (the unit tests below read it), so a server never meets this.
    pub(crate) fn from_sdl(sdl: &str) -> Self {
        let document = parse_schema(sdl).expect("the schema's own SDL parses");
        let mut objects = HashSet::new();
        let mut roots = ["Query", "Mutation", "Subscription"].map(str::to_owned);
        for definition in &document.definitions {
            match definition {
                TypeSystemDefinition::Type(ty) => {
                    if matches!(
                        ty.node.kind,
                        TypeKind::Object(_) | TypeKind::Interface(_) | TypeKind::Union(_)
                    ) {
                        objects.insert(ty.node.name.node.to_string());
                    }
                }
                TypeSystemDefinition::Schema(schema) => {
                    let named = [
                        &schema.node.query,
                        &schema.node.mutation,
                        &schema.node.subscription,
                    ];
                    for (root, name) in roots.iter_mut().zip(named) {
                        if let Some(name) = name {
                            *root = name.node.to_string();
                        }
                    }
                }
                TypeSystemDefinition::Directive(_) => {}
            }
        }
        let mut fields: HashMap<String, HashMap<String, FieldShape>> = HashMap::new();
        for definition in &document.definitions {
            let TypeSystemDefinition::Type(ty) = definition else {
                continue;
            };
            let declared = match &ty.node.kind {
                TypeKind::Object(object) => &object.fields,
                TypeKind::Interface(interface) => &interface.fields,
                _ => continue,
            };
            let shapes = declared
                .iter()
                .filter_map(|field| shape_of(&field.node, &objects))
                .map(|(name, shape)| (name.to_owned(), shape))
                .collect();
            fields.insert(ty.node.name.node.to_string(), shapes);
        }
        // The lists of a type some connection returns are the rows of its page.
        let pages: HashSet<String> = fields
            .values()
            .flat_map(HashMap::values)
            .filter(|shape| shape.rows == Rows::Page)
            .map(|shape| shape.ty.clone())
            .collect();
        for (name, shapes) in &mut fields {
            if pages.contains(name) {
                for shape in shapes.values_mut() {
                    if shape.rows == Rows::List {
                        shape.rows = Rows::Edges;
                    }
                }
            }
        }
        Self { fields, roots }
    }

    /// The shape of `field` of `ty`; `None` for a field of a scalar or enum, an introspection
    /// field, or a name the schema does not know (validation refuses it).
    pub(crate) fn field(&self, ty: &str, field: &str) -> Option<&FieldShape> {
        self.fields.get(ty)?.get(field)
    }

    /// The root type of an operation.
    pub(crate) fn root(&self, operation: OperationType) -> &str {
        let index = match operation {
            OperationType::Query => 0,
            OperationType::Mutation => 1,
            OperationType::Subscription => 2,
        };
        &self.roots[index]
    }
}

/// The shape of a field that returns objects, with its name; `None` for scalars and enums.
fn shape_of<'a>(
    field: &'a FieldDefinition,
    objects: &HashSet<String>,
) -> Option<(&'a str, FieldShape)> {
    let mut ty = &field.ty.node;
    let mut list = false;
    let name = loop {
        match &ty.base {
            BaseType::Named(name) => break name,
            BaseType::List(inner) => {
                list = true;
                ty = inner;
            }
        }
    };
    if !objects.contains(name.as_str()) {
        return None;
    }
    let paged = field
        .arguments
        .iter()
        .any(|argument| matches!(argument.node.name.node.as_str(), "first" | "last"));
    let rows = match (paged, list) {
        (true, _) => Rows::Page,
        (false, true) => Rows::List,
        (false, false) => Rows::One,
    };
    Some((
        field.name.node.as_str(),
        FieldShape {
            rows,
            ty: name.to_string(),
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(ty: &str, field: &str) -> Option<(Rows, &'static str)> {
        SHAPES
            .field(ty, field)
            .map(|shape| (shape.rows, shape.ty.as_str()))
    }

    #[test]
    fn the_schema_s_connections_and_lists_are_known() {
        assert_eq!(rows("Query", "goals"), Some((Rows::Page, "GoalConnection")));
        assert_eq!(
            rows("Goal", "measures"),
            Some((Rows::Page, "MeasureConnection"))
        );
        assert_eq!(
            rows("GoalConnection", "edges"),
            Some((Rows::Edges, "GoalEdge"))
        );
        assert_eq!(rows("GoalConnection", "nodes"), Some((Rows::Edges, "Goal")));
        assert_eq!(rows("GoalEdge", "node"), Some((Rows::One, "Goal")));
        assert_eq!(rows("Measure", "goals"), Some((Rows::List, "Goal")));
        assert_eq!(
            rows("PortfolioDashboard", "byGoal"),
            Some((Rows::List, "GoalBreakdown"))
        );
        // An interface's fields, too; scalars and enums are not kept.
        assert_eq!(rows("WorkItem", "warnings"), Some((Rows::List, "Warning")));
        assert_eq!(rows("Goal", "title"), None);
        assert_eq!(rows("Goal", "status"), None);
        assert_eq!(SHAPES.root(OperationType::Mutation), "Mutation");
    }
}
