//! Row rules: the condition under which a viewer sees a row of each entity.
//!
//! Every row carries its tenant, and no viewer sees another tenant's rows. Within the tenant:
//! central IT sees everything; a department sees every row that is not a draft, plus the
//! drafts its unit subtree owns; the council sees non-draft rows released as `COUNCIL` or
//! `PUBLIC`; the public sees non-draft `PUBLIC` rows. Child rows (goals of a strategy,
//! sub-projects, milestones, reports, budget lines, ...) are visible only when their parent is,
//! so a hidden row never shows up behind a relation. For central IT, who sees every row of its
//! tenant, that follows from the child's own tenant and is not asked of the database again.

use entity::enums::Status;
use entity::{
    application, audit_entry, budget_line, category, enums::ReviewState, enums::StrategyStatus,
    enums::Visibility, funding, goal, indicator, indicator_target, indicator_value, measure,
    measure_goal, milestone, org_unit, participant, project, project_category, project_link, risk,
    status_report, steering_meeting, strategy, sub_project, tenant,
};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, QueryFilter, QuerySelect, QueryTrait, Select,
    sea_query::{Expr, SelectStatement, SimpleExpr},
};

use crate::viewer::{Role, Viewer};

/// An entity whose rows are filtered by the policy.
pub trait Scoped: EntityTrait {
    /// The condition a row must meet for `viewer` to see it.
    fn visible_to(viewer: &Viewer) -> Condition;
}

/// The scoped select every read starts from.
pub trait FindVisible: Scoped {
    /// `SELECT ... WHERE <visible to viewer>`.
    fn find_visible_to(viewer: &Viewer) -> Select<Self> {
        Self::find().filter(Self::visible_to(viewer))
    }
}

impl<E: Scoped> FindVisible for E {}

/// The ids of the rows of `E` the viewer can see, as a subquery.
fn visible_ids<E: Scoped>(viewer: &Viewer, id: E::Column) -> SelectStatement {
    E::find_visible_to(viewer)
        .select_only()
        .column(id)
        .into_query()
}

fn nothing() -> Condition {
    Condition::all().add(Expr::cust("1 = 0"))
}

fn units(viewer: &Viewer) -> Vec<i32> {
    let mut units: Vec<i32> = viewer.units.iter().copied().collect();
    units.sort_unstable();
    units
}

/// The rule for rows with a visibility, a draft state and an owning unit; `shared` picks the
/// rows a department takes part in without owning them (it sees their drafts too).
fn released<C: ColumnTrait>(
    viewer: &Viewer,
    tenant: C,
    visibility: C,
    not_draft: SimpleExpr,
    owner: C,
    archived: C,
    shared: Option<SimpleExpr>,
) -> Condition {
    let in_tenant = Condition::all()
        .add(tenant.eq(viewer.tenant_id))
        .add_option(live(viewer, archived));
    match viewer.role {
        Role::CentralIt => in_tenant,
        Role::Department => in_tenant.add(
            Condition::any()
                .add(not_draft)
                .add(owner.is_in(units(viewer)))
                .add_option(shared),
        ),
        Role::Council => in_tenant
            .add(visibility.is_in([Visibility::Council, Visibility::Public]))
            .add(not_draft),
        Role::Public => in_tenant
            .add(visibility.eq(Visibility::Public))
            .add(not_draft),
    }
}

/// Archived rows are gone for everyone but central IT, who may restore them.
fn live<C: ColumnTrait>(viewer: &Viewer, archived: C) -> Option<SimpleExpr> {
    (viewer.role != Role::CentralIt).then(|| archived.is_null())
}

/// Projects whose financials the viewer may read (see [`super::can_see_financials`]), as a
/// condition on a money row's project: `None` when that is every project of the money row's
/// tenant (central IT; see [`under`]).
fn financial_projects(viewer: &Viewer, project_id: impl ColumnTrait) -> Option<Condition> {
    let visible = || {
        project::Entity::find_visible_to(viewer)
            .select_only()
            .column(project::Column::Id)
    };
    let projects = match viewer.role {
        Role::CentralIt => return None,
        Role::Public => return Some(nothing()),
        Role::Council => visible().into_query(),
        Role::Department => visible()
            .filter(
                Condition::any()
                    .add(project::Column::OrgUnitId.is_in(units(viewer)))
                    .add_option(among(
                        project::Column::Id,
                        viewer.shares.ids(false, |s| s.financials),
                    )),
            )
            .into_query(),
    };
    Some(Condition::all().add(project_id.in_subquery(projects)))
}

/// `fk` points at a row of `P` the viewer can see.
///
/// `None` for central IT: it sees every row of its tenant, the child carries its tenant like
/// every row, and so the child's own tenant condition says all there is. (Were a child ever
/// to point at another tenant's parent, it would still be this tenant's row, shown to this
/// tenant's central IT only.) The sub-select of the parent's visible ids cost PostgreSQL more
/// planning and execution time than the rest of such a statement (BENCHMARKS.md).
fn under<P: Scoped>(
    viewer: &Viewer,
    fk: impl ColumnTrait,
    parent_id: P::Column,
) -> Option<SimpleExpr> {
    (viewer.role != Role::CentralIt).then(|| fk.in_subquery(visible_ids::<P>(viewer, parent_id)))
}

/// A nullable `fk` is empty or points at a row of `P` the viewer can see (see [`under`]).
fn under_if_set<P: Scoped>(
    viewer: &Viewer,
    fk: impl ColumnTrait,
    parent_id: P::Column,
) -> Option<Condition> {
    let visible = under::<P>(viewer, fk, parent_id)?;
    Some(Condition::any().add(fk.is_null()).add(visible))
}

/// Rows with their own visibility, draft state and owning unit.
macro_rules! released_rows {
    ($($module:ident: $draft:expr;)+) => {$(
        impl Scoped for $module::Entity {
            fn visible_to(viewer: &Viewer) -> Condition {
                use $module::Column as C;
                released(viewer, C::TenantId, C::Visibility, C::Status.ne($draft), C::OrgUnitId, C::ArchivedAt, None)
            }
        }
    )+};
}

/// Rows visible exactly when the rows they point at are.
macro_rules! dependent_rows {
    ($($module:ident: $($fk:ident -> $parent:ident),+;)+) => {$(
        impl Scoped for $module::Entity {
            fn visible_to(viewer: &Viewer) -> Condition {
                Condition::all()
                    .add($module::Column::TenantId.eq(viewer.tenant_id))
                    $(.add_option(under::<$parent::Entity>(viewer, $module::Column::$fk, $parent::Column::Id)))+
            }
        }
    )+};
}

impl Scoped for tenant::Entity {
    fn visible_to(viewer: &Viewer) -> Condition {
        Condition::all().add(tenant::Column::Id.eq(viewer.tenant_id))
    }
}

// The organisation tree and the categories are the frame of everything else: every role of
// the tenant sees them.
impl Scoped for org_unit::Entity {
    fn visible_to(viewer: &Viewer) -> Condition {
        Condition::all().add(org_unit::Column::TenantId.eq(viewer.tenant_id))
    }
}

impl Scoped for category::Entity {
    fn visible_to(viewer: &Viewer) -> Condition {
        Condition::all().add(category::Column::TenantId.eq(viewer.tenant_id))
    }
}

released_rows! {
    strategy: StrategyStatus::Draft;
    measure: Status::Draft;
}

/// The projects (or sub-projects) among `id` that a department takes part in.
fn shared(viewer: &Viewer, id: impl ColumnTrait, sub_projects: bool) -> Option<SimpleExpr> {
    among(id, viewer.shares.ids(sub_projects, |_| true))
}

/// `column IN (ids)`; nothing to add when there are none.
fn among(column: impl ColumnTrait, ids: Vec<i32>) -> Option<SimpleExpr> {
    (!ids.is_empty()).then(|| column.is_in(ids))
}

impl Scoped for project::Entity {
    fn visible_to(viewer: &Viewer) -> Condition {
        use project::Column as C;
        released(
            viewer,
            C::TenantId,
            C::Visibility,
            C::Status.ne(Status::Draft),
            C::OrgUnitId,
            C::ArchivedAt,
            shared(viewer, C::Id, false),
        )
    }
}

dependent_rows! {
    indicator_value: IndicatorId -> indicator;
    indicator_target: IndicatorId -> indicator;
    measure_goal: MeasureId -> measure, GoalId -> goal;
    project_category: ProjectId -> project;
    project_link: ProjectId -> project;
}

// Goals and sub-projects have a visibility of their own and are visible only with their parent.
impl Scoped for goal::Entity {
    fn visible_to(viewer: &Viewer) -> Condition {
        use goal::Column as C;
        released(
            viewer,
            C::TenantId,
            C::Visibility,
            C::Status.ne(Status::Draft),
            C::OrgUnitId,
            C::ArchivedAt,
            None,
        )
        .add_option(under::<strategy::Entity>(
            viewer,
            C::StrategyId,
            strategy::Column::Id,
        ))
    }
}

impl Scoped for sub_project::Entity {
    fn visible_to(viewer: &Viewer) -> Condition {
        use sub_project::Column as C;
        released(
            viewer,
            C::TenantId,
            C::Visibility,
            C::Status.ne(Status::Draft),
            C::OrgUnitId,
            C::ArchivedAt,
            shared(viewer, C::Id, true),
        )
        .add_option(under::<project::Entity>(
            viewer,
            C::ProjectId,
            project::Column::Id,
        ))
    }
}

// Participations are visible with the project or sub-project they are of.
impl Scoped for participant::Entity {
    fn visible_to(viewer: &Viewer) -> Condition {
        use participant::Column as C;
        Condition::all()
            .add(C::TenantId.eq(viewer.tenant_id))
            .add_option(under_if_set::<project::Entity>(
                viewer,
                C::ProjectId,
                project::Column::Id,
            ))
            .add_option(under_if_set::<sub_project::Entity>(
                viewer,
                C::SubProjectId,
                sub_project::Column::Id,
            ))
    }
}

/// Money rows: visible with their project, to those who may see its financials.
macro_rules! financial_rows {
    ($($module:ident),+) => {$(
        impl Scoped for $module::Entity {
            fn visible_to(viewer: &Viewer) -> Condition {
                Condition::all()
                    .add($module::Column::TenantId.eq(viewer.tenant_id))
                    .add_option(financial_projects(viewer, $module::Column::ProjectId))
            }
        }
    )+};
}

financial_rows!(funding, budget_line);

impl Scoped for indicator::Entity {
    fn visible_to(viewer: &Viewer) -> Condition {
        use indicator::Column as C;
        // An indicator is on exactly one goal, measure or project; the other two are empty.
        let parent = [
            under::<goal::Entity>(viewer, C::GoalId, goal::Column::Id),
            under::<measure::Entity>(viewer, C::MeasureId, measure::Column::Id),
            under::<project::Entity>(viewer, C::ProjectId, project::Column::Id),
        ]
        .into_iter()
        .collect::<Option<Vec<_>>>()
        .map(|visible| visible.into_iter().fold(Condition::any(), Condition::add));
        Condition::all()
            .add(C::TenantId.eq(viewer.tenant_id))
            .add_option(live(viewer, C::ArchivedAt))
            .add_option(parent)
    }
}

impl Scoped for milestone::Entity {
    fn visible_to(viewer: &Viewer) -> Condition {
        use milestone::Column as C;
        Condition::all()
            .add(C::TenantId.eq(viewer.tenant_id))
            .add_option(live(viewer, C::ArchivedAt))
            .add_option(under::<project::Entity>(
                viewer,
                C::ProjectId,
                project::Column::Id,
            ))
            .add_option(under_if_set::<sub_project::Entity>(
                viewer,
                C::SubProjectId,
                sub_project::Column::Id,
            ))
    }
}

impl Scoped for status_report::Entity {
    fn visible_to(viewer: &Viewer) -> Condition {
        use status_report::Column as C;
        // A report is on exactly one subject; the other two columns are empty.
        let subject = [
            under::<measure::Entity>(viewer, C::MeasureId, measure::Column::Id),
            under::<project::Entity>(viewer, C::ProjectId, project::Column::Id),
            under::<sub_project::Entity>(viewer, C::SubProjectId, sub_project::Column::Id),
        ]
        .into_iter()
        .collect::<Option<Vec<_>>>()
        .map(|visible| visible.into_iter().fold(Condition::any(), Condition::add));
        // Reports under review, and returned ones, are for central IT and the department
        // that owns the work: everyone else sees only reports that count.
        let counted = match viewer.role {
            Role::CentralIt => None,
            Role::Department => Some(
                Condition::any()
                    .add(C::ReviewState.eq(ReviewState::Approved))
                    .add(C::MeasureId.in_subquery(owned::<measure::Entity>(
                        viewer,
                        measure::Column::OrgUnitId,
                        measure::Column::Id,
                    )))
                    .add(C::ProjectId.in_subquery(owned::<project::Entity>(
                        viewer,
                        project::Column::OrgUnitId,
                        project::Column::Id,
                    )))
                    .add(C::SubProjectId.in_subquery(owned::<sub_project::Entity>(
                        viewer,
                        sub_project::Column::OrgUnitId,
                        sub_project::Column::Id,
                    )))
                    // What the department leads with the owner it reports on like its own.
                    .add_option(among(C::ProjectId, viewer.shares.ids(false, |s| s.leads)))
                    .add_option(among(C::SubProjectId, viewer.shares.ids(true, |s| s.leads))),
            ),
            Role::Council | Role::Public => {
                Some(Condition::all().add(C::ReviewState.eq(ReviewState::Approved)))
            }
        };
        Condition::all()
            .add(C::TenantId.eq(viewer.tenant_id))
            .add_option(subject)
            .add_option(counted)
    }
}

/// The risk register follows the field rule of a report's risks ([`super::can_see_risks`]):
/// central IT sees every risk of its tenant; a department the risks of the projects and
/// measures its unit subtree owns (and may see: not archived); the council and the public
/// none.
impl Scoped for risk::Entity {
    fn visible_to(viewer: &Viewer) -> Condition {
        use risk::Column as C;
        let in_tenant = Condition::all().add(C::TenantId.eq(viewer.tenant_id));
        match viewer.role {
            Role::CentralIt => in_tenant,
            Role::Department => in_tenant.add(
                Condition::any()
                    .add(C::ProjectId.in_subquery(owned_visible::<project::Entity>(
                        viewer,
                        project::Column::OrgUnitId,
                        project::Column::Id,
                    )))
                    .add(C::MeasureId.in_subquery(owned_visible::<measure::Entity>(
                        viewer,
                        measure::Column::OrgUnitId,
                        measure::Column::Id,
                    ))),
            ),
            Role::Council | Role::Public => nothing(),
        }
    }
}

/// The ids of the rows of `E` the viewer can see and its unit subtree owns.
fn owned_visible<E: Scoped>(viewer: &Viewer, owner: E::Column, id: E::Column) -> SelectStatement {
    E::find_visible_to(viewer)
        .select_only()
        .column(id)
        .filter(owner.is_in(units(viewer)))
        .into_query()
}

/// The ids of the rows of `E` that the viewer's unit subtree owns.
fn owned<E: EntityTrait>(viewer: &Viewer, owner: E::Column, id: E::Column) -> SelectStatement {
    E::find()
        .select_only()
        .column(id)
        .filter(owner.is_in(units(viewer)))
        .into_query()
}

/// The reports that count: approved ones. Histories, latest reports, dashboards and exports
/// read only these; the others are asked for by their state.
pub fn counted_reports() -> Condition {
    Condition::all().add(status_report::Column::ReviewState.eq(ReviewState::Approved))
}

// Applications and steering-committee meetings are internal to the administration.
impl Scoped for application::Entity {
    fn visible_to(viewer: &Viewer) -> Condition {
        match viewer.role {
            Role::CentralIt | Role::Department => {
                Condition::all().add(application::Column::TenantId.eq(viewer.tenant_id))
            }
            Role::Council | Role::Public => nothing(),
        }
    }
}

impl Scoped for steering_meeting::Entity {
    fn visible_to(viewer: &Viewer) -> Condition {
        match viewer.role {
            Role::CentralIt | Role::Department => {
                Condition::all().add(steering_meeting::Column::TenantId.eq(viewer.tenant_id))
            }
            Role::Council | Role::Public => nothing(),
        }
    }
}

impl Scoped for audit_entry::Entity {
    fn visible_to(viewer: &Viewer) -> Condition {
        let in_tenant = Condition::all().add(audit_entry::Column::TenantId.eq(viewer.tenant_id));
        match viewer.role {
            Role::CentralIt => in_tenant,
            Role::Department => in_tenant.add(audit_entry::Column::OrgUnitId.is_in(units(viewer))),
            Role::Council | Role::Public => nothing(),
        }
    }
}

/// The reuse catalogue: projects any tenant released as `PUBLIC` and marked transferable, for
/// every municipality to learn from. The one rule that crosses tenants: it exposes only
/// the public, transferable project itself, never what hangs below it.
pub fn reuse_offers() -> Condition {
    use project::Column as C;
    Condition::all()
        .add(C::Visibility.eq(Visibility::Public))
        .add(C::Transferable.eq(true))
        .add(C::Status.ne(Status::Draft))
        .add(C::ArchivedAt.is_null())
}

#[cfg(test)]
mod tests;
