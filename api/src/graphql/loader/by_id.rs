//! Rows by primary key, as far as the viewer may see them.

use std::{collections::HashMap, marker::PhantomData};

use async_graphql::dataloader::Loader;
use entity::{
    application, budget_line, category, funding, goal, indicator, indicator_value, measure,
    milestone, org_unit, project, project_link, status_report, steering_meeting, strategy,
    sub_project, tenant,
};
use sea_orm::{ColumnTrait, QueryFilter};

use super::LoaderScope;
use crate::error::LoadError;
use crate::policy::{FindVisible, Scoped};

/// An entity with an `i32` primary key `id`.
pub trait Keyed: Scoped {
    /// The `id` column.
    const ID: Self::Column;
    /// The id of a row.
    fn id(model: &Self::Model) -> i32;
}

macro_rules! keyed {
    ($($module:ident),+ $(,)?) => {$(
        impl Keyed for $module::Entity {
            const ID: Self::Column = $module::Column::Id;
            fn id(model: &Self::Model) -> i32 {
                model.id
            }
        }
    )+};
}

keyed!(
    tenant,
    org_unit,
    category,
    strategy,
    goal,
    indicator,
    indicator_value,
    measure,
    project,
    project_link,
    funding,
    budget_line,
    sub_project,
    milestone,
    status_report,
    steering_meeting,
    application,
);

/// Loads visible rows of `E` by id; a hidden row is simply absent.
pub struct ById<E> {
    scope: LoaderScope,
    entity: PhantomData<fn() -> E>,
}

impl<E> ById<E> {
    pub fn new(scope: LoaderScope) -> Self {
        Self {
            scope,
            entity: PhantomData,
        }
    }
}

impl<E> Loader<i32> for ById<E>
where
    E: Keyed,
    E::Model: Clone + Send + Sync,
{
    type Value = E::Model;
    type Error = LoadError;

    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        let rows = E::find_visible_to(&self.scope.viewer)
            .filter(E::ID.is_in(keys.iter().copied()))
            .all(&self.scope.db)
            .await?;
        Ok(rows.into_iter().map(|row| (E::id(&row), row)).collect())
    }
}
