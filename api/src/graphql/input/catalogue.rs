//! Inputs of the project-link and category mutations (central IT).

use async_graphql::{ID, InputObject, MaybeUndefined};

use crate::graphql::enums::LinkKind;

/// A new web page or document of a project.
#[derive(InputObject)]
pub struct CreateProjectLinkInput {
    /// The project the link belongs to.
    pub project_id: ID,
    /// Web page or document (default: web page).
    #[graphql(default_with = "LinkKind::Website")]
    pub kind: LinkKind,
    /// Title shown for the link (at most 300 characters).
    pub title: String,
    /// Address: `http://` or `https://`, at most 2,000 characters.
    pub url: String,
}

/// Changes to a project link; fields left out stay as they are.
#[derive(InputObject)]
pub struct UpdateProjectLinkInput {
    /// The link.
    pub id: ID,
    /// The `version` the link was read at.
    pub version: i32,
    /// Web page or document.
    pub kind: Option<LinkKind>,
    /// Title shown for the link (at most 300 characters).
    pub title: Option<String>,
    /// Address: `http://` or `https://`, at most 2,000 characters.
    pub url: Option<String>,
}

/// A project link to delete.
#[derive(InputObject)]
pub struct DeleteProjectLinkInput {
    /// The link.
    pub id: ID,
    /// The `version` the link was read at.
    pub version: i32,
}

/// A new category to tag projects with.
#[derive(InputObject)]
pub struct CreateCategoryInput {
    /// Name, unique in the tenant (at most 300 characters).
    pub name: String,
    /// What the category covers (at most 20,000 characters).
    pub description: Option<String>,
}

/// Changes to a category; fields left out stay as they are, `null` clears the description.
#[derive(InputObject)]
pub struct UpdateCategoryInput {
    /// The category.
    pub id: ID,
    /// The `version` the category was read at.
    pub version: i32,
    /// Name, unique in the tenant (at most 300 characters).
    pub name: Option<String>,
    /// What the category covers (at most 20,000 characters).
    pub description: MaybeUndefined<String>,
}
