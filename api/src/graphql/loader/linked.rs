//! Rows linked through a join table (measures and goals, projects and categories).

use std::{
    collections::{BTreeMap, HashMap},
    marker::PhantomData,
    sync::Arc,
};

use async_graphql::dataloader::Loader;
use entity::{category, goal, measure, measure_goal, project, project_category};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Select};

use entity::keyed::Keyed;

use super::LoaderScope;
use crate::error::LoadError;
use crate::policy::{FindVisible, Scoped};

/// A many-to-many relation through a join table.
pub trait Link: Send + Sync + 'static {
    /// The join table.
    type Via: Scoped;
    /// The rows on the far side.
    type Target: Keyed + Scoped;
    /// The join-table column holding the key we load by.
    fn from_column() -> <Self::Via as EntityTrait>::Column;
    /// Both ends of a join row: (key, target id).
    fn ends(model: &<Self::Via as EntityTrait>::Model) -> (i32, i32);
    /// The order targets are listed in.
    fn order(select: Select<Self::Target>) -> Select<Self::Target>;
}

/// Loads the visible targets linked to many keys at once (two statements).
pub struct Linked<L> {
    scope: LoaderScope,
    link: PhantomData<fn() -> L>,
}

impl<L> Linked<L> {
    pub fn new(scope: LoaderScope) -> Self {
        Self {
            scope,
            link: PhantomData,
        }
    }
}

impl<L> Loader<i32> for Linked<L>
where
    L: Link,
    <L::Target as EntityTrait>::Model: Send + Sync,
    <L::Via as EntityTrait>::Model: Send + Sync,
{
    type Value = Arc<Vec<<L::Target as EntityTrait>::Model>>;
    type Error = LoadError;

    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        let viewer = &self.scope.viewer;
        let links: Vec<(i32, i32)> = L::Via::find_visible_to(viewer)
            .filter(L::from_column().is_in(keys.iter().copied()))
            .all(&self.scope.db)
            .await?
            .iter()
            .map(L::ends)
            .collect();
        let mut grouped: HashMap<i32, Vec<_>> = keys.iter().map(|&key| (key, Vec::new())).collect();
        if links.is_empty() {
            return Ok(grouped
                .into_iter()
                .map(|(key, rows)| (key, Arc::new(rows)))
                .collect());
        }
        // Keys by target, so each target row is placed in one look-up, and asked for once (in
        // id order: the same request gives the same statement).
        let mut keys_of: BTreeMap<i32, Vec<i32>> = BTreeMap::new();
        for &(key, target) in &links {
            keys_of.entry(target).or_default().push(key);
        }
        let targets = L::order(
            L::Target::find_visible_to(viewer)
                .filter(<L::Target as Keyed>::ID.is_in(keys_of.keys().copied())),
        )
        .all(&self.scope.db)
        .await?;
        for target in targets {
            let Some(keys) = keys_of.get(&L::Target::id(&target)) else {
                continue;
            };
            for key in keys {
                if let Some(rows) = grouped.get_mut(key) {
                    rows.push(target.clone());
                }
            }
        }
        Ok(grouped
            .into_iter()
            .map(|(key, rows)| (key, Arc::new(rows)))
            .collect())
    }
}

macro_rules! link {
    ($(#[$doc:meta])* $name:ident: $via:ident . $from:ident => ($key:ident, $target_id:ident) -> $target:ident order [$($order:ident $dir:ident),+]) => {
        $(#[$doc])*
        pub struct $name;

        impl Link for $name {
            type Via = $via::Entity;
            type Target = $target::Entity;
            fn from_column() -> $via::Column {
                $via::Column::$from
            }
            fn ends(model: &$via::Model) -> (i32, i32) {
                (model.$key, model.$target_id)
            }
            fn order(select: Select<$target::Entity>) -> Select<$target::Entity> {
                select$(.order_by($target::Column::$order, sea_orm::Order::$dir))+
            }
        }
    };
}

link!(
    /// Measures derived from a goal.
    MeasuresByGoal: measure_goal.GoalId => (goal_id, measure_id) -> measure order [Number Asc, Id Asc]
);
link!(
    /// Goals a measure is derived from.
    GoalsByMeasure: measure_goal.MeasureId => (measure_id, goal_id) -> goal order [Position Asc, Code Asc, Id Asc]
);
link!(
    /// Categories of a project.
    CategoriesByProject: project_category.ProjectId => (project_id, category_id) -> category order [Name Asc, Id Asc]
);
link!(
    /// Projects tagged with a category.
    ProjectsByCategory: project_category.CategoryId => (category_id, project_id) -> project order [Title Asc, Id Asc]
);
