//! Inputs of the project-link and category mutations (central IT).

use async_graphql::{ID, InputObject, MaybeUndefined};
use entity::{category, project};

use super::command::{change_as_is, kept};
use crate::{
    error::{ApiError, ApiResult},
    graphql::{enums::LinkKind, id},
};
use service::catalogue::{CategoryPatch, NewCategory, NewProjectLink, ProjectLinkPatch};

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
    pub kind: MaybeUndefined<LinkKind>,
    /// Title shown for the link (at most 300 characters).
    pub title: MaybeUndefined<String>,
    /// Address: `http://` or `https://`, at most 2,000 characters.
    pub url: MaybeUndefined<String>,
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
    pub name: MaybeUndefined<String>,
    /// What the category covers (at most 20,000 characters).
    pub description: MaybeUndefined<String>,
}

impl TryFrom<CreateProjectLinkInput> for NewProjectLink {
    type Error = ApiError;

    fn try_from(input: CreateProjectLinkInput) -> ApiResult<Self> {
        Ok(Self {
            project_id: id::decode(&input.project_id, "Project", "projectId")?,
            kind: input.kind.into(),
            title: input.title,
            url: input.url,
        })
    }
}

impl TryFrom<UpdateProjectLinkInput> for ProjectLinkPatch {
    type Error = ApiError;

    fn try_from(input: UpdateProjectLinkInput) -> ApiResult<Self> {
        Ok(Self {
            id: id::decode(&input.id, "ProjectLink", "id")?,
            version: input.version,
            kind: kept(input.kind, "kind")?.map(Into::into),
            title: kept(input.title, "title")?,
            url: kept(input.url, "url")?,
        })
    }
}

impl From<CreateCategoryInput> for NewCategory {
    fn from(input: CreateCategoryInput) -> Self {
        Self {
            name: input.name,
            description: input.description,
        }
    }
}

impl TryFrom<UpdateCategoryInput> for CategoryPatch {
    type Error = ApiError;

    fn try_from(input: UpdateCategoryInput) -> ApiResult<Self> {
        Ok(Self {
            id: id::decode(&input.id, "Category", "id")?,
            version: input.version,
            name: kept(input.name, "name")?,
            description: change_as_is(input.description),
        })
    }
}

order_input! {
    /// Sort order of `categories` (default: by name).
    CategoryOrder, CategoryOrderField on category {
        /// Name.
        Name => Name,
        /// Creation.
        CreatedAt => CreatedAt,
        /// Last change.
        UpdatedAt => UpdatedAt,
    }
}

order_input! {
    /// Sort order of `reuseCatalogue` (default: newest transfer start first, then by title).
    ReuseOfferOrder, ReuseOfferOrderField on project {
        /// The day the results can be taken over from.
        TransferableFrom => TransferableFrom,
        /// Title.
        Title => Title,
        /// Start date of the project.
        StartDate => StartDate,
    }
}
