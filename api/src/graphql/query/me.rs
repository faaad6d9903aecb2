//! `me`.

use async_graphql::{Context, Object};

use crate::error::Result;

use crate::graphql::{context::scope, object::Me};

#[derive(Default)]
pub struct MeQuery;

#[Object]
impl MeQuery {
    /// Who is asking: subject, role, tenant and org unit of the token.
    async fn me(&self, ctx: &Context<'_>) -> Result<Me> {
        scope(ctx)?;
        Ok(Me)
    }
}
