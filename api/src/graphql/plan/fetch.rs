//! The nested lists of a planned page, fetched level by level: one statement per level for
//! all parents (the loaders' statements, so the rows and the policy are the resolvers'),
//! each parent's list paged as its resolver pages it.

use async_graphql::futures_util::future::BoxFuture;

use super::{
    shape::ChildPlan,
    work::{Order, PagesOf, Work, pages},
};
use crate::{
    error::ApiResult,
    graphql::{
        connection::Conn,
        loader::Loaders,
        object::{Measure, Project, SubProject, plain::Plain},
    },
};

/// One nested list's pages for every parent, and the lists nested in them.
pub(crate) struct Fetched {
    pub pages: Pages,
    /// Aligned with the child plan's own children.
    pub below: Vec<Fetched>,
}

/// The pages of a nested list by parent id, typed by the list's work type.
pub(crate) enum Pages {
    Measures(PagesOf<Measure>),
    Projects(PagesOf<Project>),
    SubProjects(PagesOf<SubProject>),
}

/// Fetches the lists `children` of the nodes `parents`, and theirs, level by level.
pub(crate) fn fetch<'a, W: Work>(
    loaders: &'a Loaders,
    parents: Vec<&'a W>,
    children: &'a [ChildPlan<'a>],
) -> BoxFuture<'a, ApiResult<Vec<Fetched>>> {
    Box::pin(async move {
        let mut ids: Vec<i32> = parents.iter().map(|parent| parent.row_id()).collect();
        ids.sort_unstable();
        ids.dedup();
        let mut fetched = Vec::with_capacity(children.len());
        for child in children {
            let paging = &child.paging;
            let (pages, below) = match &child.order {
                Order::Measures(order) => {
                    let lists = loaders.measures_by_goal.load_many(ids.clone()).await?;
                    let pages = pages(lists, &ids, order, paging, Measure)?;
                    let below = fetch(loaders, nodes_of(&pages), child.conn.children()).await?;
                    (Pages::Measures(pages), below)
                }
                Order::Projects(order) => {
                    let lists = loaders.projects_by_measure.load_many(ids.clone()).await?;
                    let pages = pages(lists, &ids, order, paging, Project)?;
                    let below = fetch(loaders, nodes_of(&pages), child.conn.children()).await?;
                    (Pages::Projects(pages), below)
                }
                Order::SubProjects(order) => {
                    let lists = loaders
                        .sub_projects_by_project
                        .load_many(ids.clone())
                        .await?;
                    let pages = pages(lists, &ids, order, paging, SubProject)?;
                    let below = fetch(loaders, nodes_of(&pages), child.conn.children()).await?;
                    (Pages::SubProjects(pages), below)
                }
            };
            fetched.push(Fetched { pages, below });
        }
        Ok(fetched)
    })
}

/// The nodes of every page of one list.
fn nodes_of<W: Work>(pages: &PagesOf<W>) -> Vec<&W> {
    pages.values().flat_map(nodes).collect()
}

/// The nodes of a page, in order.
pub(crate) fn nodes<W: Work>(page: &Conn<Plain<W>>) -> impl Iterator<Item = &W> {
    page.0.edges.iter().map(|edge| &edge.node.0)
}
