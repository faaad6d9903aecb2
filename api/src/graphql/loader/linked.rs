//! Rows linked through a join table (measures and goals, projects and categories).

use std::{collections::HashMap, marker::PhantomData, sync::Arc};

use async_graphql::dataloader::Loader;
use entity::{category, goal, measure, measure_goal, project, project_category};
use sea_orm::{
    ConnectionTrait, EntityTrait, JoinType, QueryFilter, QueryOrder, QuerySelect, QueryTrait,
    Select,
};

use entity::{decode::Decode, keyed::Keyed};

use super::LoaderScope;
use crate::error::LoadError;
use service::policy::{FindVisible, Scoped};

/// A many-to-many relation through a join table.
pub trait Link: Send + Sync + 'static {
    /// The join table.
    type Via: Scoped;
    /// The rows on the far side.
    type Target: Keyed + Scoped + Decode;
    /// The join-table column holding the key we load by.
    fn from_column() -> <Self::Via as EntityTrait>::Column;
    /// The join-table column holding the target's id.
    fn target_column() -> <Self::Via as EntityTrait>::Column;
    /// The order targets are listed in.
    fn order(select: Select<Self::Target>) -> Select<Self::Target>;
}

/// Loads the visible targets linked to many keys at once (one statement).
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
{
    type Value = Arc<Vec<<L::Target as EntityTrait>::Model>>;
    type Error = LoadError;

    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        let viewer = &self.scope.viewer;
        // One statement: the visible targets joined to the visible links of the keys, each
        // target once per key it is linked to, with that key beside its columns.
        let through = L::Via::belongs_to(L::Target::default())
            .from(L::target_column())
            .to(<L::Target as Keyed>::ID)
            .into();
        let select = L::order(
            L::Target::find_visible_to(viewer)
                .join_rev(JoinType::InnerJoin, through)
                .filter(L::Via::visible_to(viewer))
                .filter(self.scope.keys_in(L::from_column(), keys))
                .column_as(L::from_column(), LINK_KEY),
        );
        let rows = self
            .scope
            .db
            .query_all_raw(select.build(self.scope.db.get_database_backend()))
            .await?;
        let mut grouped: HashMap<i32, Vec<_>> = keys.iter().map(|&key| (key, Vec::new())).collect();
        for row in rows {
            let key: i32 = row.try_get("", LINK_KEY)?;
            let target = L::Target::decode(&row)?;
            if let Some(targets) = grouped.get_mut(&key) {
                targets.push(target);
            }
        }
        Ok(grouped
            .into_iter()
            .map(|(key, rows)| (key, Arc::new(rows)))
            .collect())
    }
}

/// The column a linked row's key is read from.
const LINK_KEY: &str = "link_key";

macro_rules! link {
    ($(#[$doc:meta])* $name:ident: $via:ident . $from:ident => $target_column:ident -> $target:ident order [$($order:ident $dir:ident),+]) => {
        $(#[$doc])*
        pub struct $name;

        impl Link for $name {
            type Via = $via::Entity;
            type Target = $target::Entity;
            fn from_column() -> $via::Column {
                $via::Column::$from
            }
            fn target_column() -> $via::Column {
                $via::Column::$target_column
            }
            fn order(select: Select<$target::Entity>) -> Select<$target::Entity> {
                select$(.order_by($target::Column::$order, sea_orm::Order::$dir))+
            }
        }
    };
}

link!(
    /// Measures derived from a goal.
    MeasuresByGoal: measure_goal.GoalId => MeasureId -> measure order [Number Asc, Id Asc]
);
link!(
    /// Goals a measure is derived from.
    GoalsByMeasure: measure_goal.MeasureId => GoalId -> goal order [Position Asc, Code Asc, Id Asc]
);
link!(
    /// Categories of a project.
    CategoriesByProject: project_category.ProjectId => CategoryId -> category order [Name Asc, Id Asc]
);
link!(
    /// Projects tagged with a category.
    ProjectsByCategory: project_category.CategoryId => ProjectId -> project order [Title Asc, Id Asc]
);
