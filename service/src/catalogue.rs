//! Links of projects and the categories projects are tagged with: central IT keeps them.

use entity::{category, enums as db, project_link};
use sea_orm::{ActiveValue::Set, DatabaseConnection};

use crate::{
    audit::{Action, Subject},
    error::{ApiError, ApiResult},
    policy::writes,
    project_part::{self, subject},
    validate,
    viewer::Viewer,
    write::{Change, Write},
};

/// A new web page or document of a project.
#[derive(Debug, Clone)]
pub struct NewProjectLink {
    pub project_id: i32,
    pub kind: db::LinkKind,
    pub title: String,
    pub url: String,
}

/// Changes to a project link read at `version`.
#[derive(Debug, Clone, Default)]
pub struct ProjectLinkPatch {
    pub id: i32,
    pub version: i32,
    pub kind: Option<db::LinkKind>,
    pub title: Option<String>,
    pub url: Option<String>,
}

/// A new category to tag projects with.
#[derive(Debug, Clone)]
pub struct NewCategory {
    pub name: String,
    pub description: Option<String>,
}

/// Changes to a category read at `version`.
#[derive(Debug, Clone, Default)]
pub struct CategoryPatch {
    pub id: i32,
    pub version: i32,
    pub name: Option<String>,
    pub description: Change<String>,
}

/// Longest link address, in characters.
const URL_MAX: usize = 2000;

/// Categories belong to the tenant, not to a unit.
const CATEGORY: Subject = Subject {
    kind: "Category",
    owner: None,
};

/// A web address: `http://` or `https://` with a host, no blanks, at most [`URL_MAX`]
/// characters.
fn url(value: &str) -> ApiResult<String> {
    let value = value.trim();
    if value.chars().count() > URL_MAX {
        return Err(ApiError::bad_input(
            "url",
            format!("at most {URL_MAX} characters"),
        ));
    }
    let lower = value.to_ascii_lowercase();
    let host = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .and_then(|rest| rest.split(['/', '?', '#']).next())
        .unwrap_or_default();
    if host.is_empty() || value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(ApiError::bad_input(
            "url",
            "must be an http:// or https:// address",
        ));
    }
    Ok(value.to_owned())
}

/// Adds a web page or document to a project (central IT).
#[tracing::instrument(skip_all, fields(tenant = viewer.tenant_id))]
pub async fn create_link(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: NewProjectLink,
) -> ApiResult<project_link::Model> {
    crate::write::single!(db, viewer, |w| create_link_in(&w, input))
}

/// [`create_link`] within a write that others share (an import of many rows).
pub async fn create_link_in(
    w: &Write<'_>,
    input: NewProjectLink,
) -> ApiResult<project_link::Model> {
    let viewer = w.viewer;
    writes::require_central_it(viewer, "maintain project links")?;
    let project = project_part::parent(w, input.project_id).await?;
    let row = project_link::ActiveModel {
        tenant_id: Set(viewer.tenant_id),
        project_id: Set(project.id),
        kind: Set(input.kind),
        title: Set(validate::title("title", &input.title)?),
        url: Set(url(&input.url)?),
        ..Default::default()
    };
    let link = w
        .insert(row, subject::<project_link::Entity>(project.org_unit_id))
        .await?;
    Ok(link)
}

/// Changes a project link (central IT).
#[tracing::instrument(skip_all, fields(tenant = viewer.tenant_id))]
pub async fn update_link(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: ProjectLinkPatch,
) -> ApiResult<project_link::Model> {
    crate::write::single!(db, viewer, |w| update_link_in(&w, input))
}

/// [`update_link`] within a write that others share (an import of many rows).
pub async fn update_link_in(
    w: &Write<'_>,
    input: ProjectLinkPatch,
) -> ApiResult<project_link::Model> {
    let viewer = w.viewer;
    writes::require_central_it(viewer, "maintain project links")?;
    let (before, subject) = project_part::load::<project_link::Entity>(w, input.id).await?;
    let mut c = <project_link::ActiveModel as Default>::default();
    if let Some(kind) = input.kind {
        c.kind = Set(kind);
    }
    if let Some(title) = &input.title {
        c.title = Set(validate::title("title", title)?);
    }
    if let Some(address) = &input.url {
        c.url = Set(url(address)?);
    }
    let after = w
        .update(&before, input.version, c, Action::Update, subject)
        .await?;
    Ok(after)
}

/// Creates a category (central IT); a name already taken in the tenant is a `CONFLICT`.
#[tracing::instrument(skip_all, fields(tenant = viewer.tenant_id))]
pub async fn create_category(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: NewCategory,
) -> ApiResult<category::Model> {
    crate::write::single!(db, viewer, |w| create_category_in(&w, input))
}

/// [`create_category`] within a write that others share (an import of many rows).
pub async fn create_category_in(w: &Write<'_>, input: NewCategory) -> ApiResult<category::Model> {
    let viewer = w.viewer;
    writes::require_central_it(viewer, "maintain categories")?;
    let row = category::ActiveModel {
        tenant_id: Set(viewer.tenant_id),
        name: Set(validate::title("name", &input.name)?),
        description: Set(validate::text("description", input.description)?),
        ..Default::default()
    };
    let category = w.insert(row, CATEGORY).await?;
    Ok(category)
}

/// Renames or describes a category (central IT); a name already taken is a `CONFLICT`.
#[tracing::instrument(skip_all, fields(tenant = viewer.tenant_id))]
pub async fn update_category(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: CategoryPatch,
) -> ApiResult<category::Model> {
    crate::write::single!(db, viewer, |w| update_category_in(&w, input))
}

/// [`update_category`] within a write that others share (an import of many rows).
pub async fn update_category_in(w: &Write<'_>, input: CategoryPatch) -> ApiResult<category::Model> {
    let viewer = w.viewer;
    writes::require_central_it(viewer, "maintain categories")?;
    let before = w.visible::<category::Entity>(input.id, "category").await?;
    let mut c = <category::ActiveModel as Default>::default();
    if let Some(name) = &input.name {
        c.name = Set(validate::title("name", name)?);
    }
    if let Some(v) = input.description {
        c.description = Set(validate::text("description", v)?);
    }
    let after = w
        .update(&before, input.version, c, Action::Update, CATEGORY)
        .await?;
    Ok(after)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_addresses_are_links() {
        assert_eq!(
            url(" https://www.aachen.de/digital ").unwrap(),
            "https://www.aachen.de/digital"
        );
        assert!(url("HTTP://example.org").is_ok());
        for bad in [
            "",
            "www.aachen.de",
            "ftp://example.org",
            "javascript:alert(1)",
            "https://",
            "https:///path",
            "https://exa mple.org",
        ] {
            assert!(url(bad).is_err(), "{bad}");
        }
        let long = format!("https://example.org/{}", "x".repeat(URL_MAX));
        match url(&long).unwrap_err() {
            ApiError::BadInput { field, .. } => assert_eq!(field, "url"),
            other => panic!("{other:?}"),
        }
    }
}
