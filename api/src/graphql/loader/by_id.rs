//! Rows by primary key, as far as the viewer may see them.

use std::{collections::HashMap, marker::PhantomData};

use async_graphql::dataloader::Loader;
use entity::{
    decode::{self, Decode},
    keyed::Keyed,
};
use sea_orm::QueryFilter;

use super::LoaderScope;
use crate::error::LoadError;
use service::policy::{FindVisible, Scoped};

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
    E: Keyed + Scoped + Decode,
    E::Model: Clone + Send + Sync,
{
    type Value = E::Model;
    type Error = LoadError;

    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        let select = E::find_visible_to(&self.scope.viewer).filter(self.scope.keys_in(E::ID, keys));
        let rows = decode::all(&self.scope.db, select).await?;
        Ok(rows.into_iter().map(|row| (E::id(&row), row)).collect())
    }
}
