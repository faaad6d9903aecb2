//! The work types a plan covers, and the nested lists it fetches for them.

use std::{collections::HashMap, sync::Arc};

use async_graphql::{Context, OutputType};
use entity::{measure, project, sub_project};

use crate::graphql::{
    connection::{Conn, Paging, Sort, slice},
    input::{
        measure::MeasureOrder,
        project::{ProjectOrder, SubProjectOrder},
    },
    object::{Goal, Measure, Project, SubProject, plain::Columns, plain::Plain},
};

/// A work type whose pages a plan writes: its columns ([`Columns`]) and the nested lists of
/// work it owns.
pub(crate) trait Work: Columns + Send + Sync + Sized + 'static {
    /// The row's id, which its nested lists are fetched by.
    fn row_id(&self) -> i32;

    /// The nested list of work that field `name` of this type is, if it is one.
    fn nested(name: &str) -> Option<Nested>;
}

/// A nested list of work, one per field that is one.
#[derive(Clone, Copy)]
pub(crate) enum Nested {
    /// `Goal.measures`.
    GoalMeasures,
    /// `Measure.projects`.
    MeasureProjects,
    /// `Project.subProjects`.
    ProjectSubProjects,
}

/// `Work` for a type: the nested list of work it owns, if any, by field name.
macro_rules! work {
    ($($type:ident $(: $field:literal => $nested:ident)?;)+) => {
        $(impl Work for $type {
            fn row_id(&self) -> i32 {
                self.0.id
            }

            fn nested(_name: &str) -> Option<Nested> {
                $(if _name == $field {
                    return Some(Nested::$nested);
                })?
                None
            }
        })+
    };
}

work! {
    Goal: "measures" => GoalMeasures;
    Measure: "projects" => MeasureProjects;
    Project: "subProjects" => ProjectSubProjects;
    SubProject;
}

/// A nested list's order as the field's `orderBy` asks (`None`: the loader's order).
pub(crate) enum Order {
    Measures(Option<Sort<measure::Entity>>),
    Projects(Option<Sort<project::Entity>>),
    SubProjects(Option<Sort<sub_project::Entity>>),
}

impl Nested {
    /// The field's `orderBy`, read as its resolver reads it; `None` when it does not parse
    /// (the resolver reports that).
    pub(crate) fn order(self, ctx: &Context<'_>) -> Option<Order> {
        Some(match self {
            Nested::GoalMeasures => Order::Measures(
                ctx.param_value::<Option<MeasureOrder>>("orderBy", None)
                    .ok()?
                    .1
                    .map(|order| order.sort()),
            ),
            Nested::MeasureProjects => Order::Projects(
                ctx.param_value::<Option<ProjectOrder>>("orderBy", None)
                    .ok()?
                    .1
                    .map(|order| order.sort()),
            ),
            Nested::ProjectSubProjects => Order::SubProjects(
                ctx.param_value::<Option<SubProjectOrder>>("orderBy", None)
                    .ok()?
                    .1
                    .map(|order| order.sort()),
            ),
        })
    }
}

/// The field's paging arguments, read as its resolver reads them.
pub(crate) fn paging(ctx: &Context<'_>) -> Option<Paging> {
    let int = |name| ctx.param_value::<Option<i32>>(name, None).ok().map(|v| v.1);
    let text = |name| {
        ctx.param_value::<Option<String>>(name, None)
            .ok()
            .map(|v| v.1)
    };
    Some(Paging::new(
        int("first")?,
        text("after")?,
        int("last")?,
        text("before")?,
    ))
}

/// The pages of one nested list, by parent id.
pub(crate) type PagesOf<W> = HashMap<i32, Conn<Plain<W>>>;

/// Pages every parent's list as the list's resolver does ([`slice`]); a parent the loader
/// found nothing for gets an empty page.
pub(crate) fn pages<E, W>(
    mut lists: HashMap<i32, Arc<Vec<E::Model>>>,
    parents: &[i32],
    order: &Option<Sort<E>>,
    paging: &Paging,
    node: impl Fn(E::Model) -> W + Copy,
) -> crate::error::ApiResult<PagesOf<W>>
where
    E: entity::keyed::Keyed,
    E::Model: sea_orm::ModelTrait<Entity = E> + Clone + entity::keyed::RowId,
    W: OutputType,
    Plain<W>: OutputType,
{
    let mut pages = HashMap::with_capacity(parents.len());
    for &parent in parents {
        let rows = lists.remove(&parent).unwrap_or_default();
        let page = slice(rows, order.clone(), paging.clone(), move |m| Plain(node(m)))?;
        pages.insert(parent, page);
    }
    Ok(pages)
}
