//! The projects (150 in a city), most of them implementing a measure, with budget lines for up to three
//! years and four sub-projects on average.

use chrono::{Datelike, Days, NaiveDate};
use entity::{
    budget_line,
    enums::{FundingSource, Status},
    project, sub_project,
};
use rand::Rng;
use rust_decimal::Decimal;

use super::{
    drawing::Drawing,
    names::{ACTIONS, TOPICS},
    random::{day, draw_status, money, pick, progress, rag, visibility},
};
use crate::seed::subject::Subject;

/// When a project runs and how it stands.
#[derive(Clone, Copy)]
pub(super) struct Span {
    pub(super) id: i32,
    pub(super) n: u32,
    pub(super) status: Status,
    pub(super) start: NaiveDate,
    pub(super) end: NaiveDate,
}

impl Drawing<'_> {
    /// Projects of the tenant `key`, owned by `owners`, implementing `measures`.
    pub(super) fn projects(&mut self, key: &str, owners: &[i32], measures: &[i32]) {
        for n in 1..=self.scale.projects {
            let project = self.project(n, key, owners, measures);
            self.budget_lines(&project);
            let subs = self.sub_projects(&project, owners);
            self.milestones(&project, &subs);
            self.reports(Subject::Project(project.id), project.status, project.start);
            for (sub_id, status) in subs {
                if self.rng.random_bool(0.85) {
                    self.reports(Subject::SubProject(sub_id), status, project.start);
                }
            }
        }
    }

    fn project(&mut self, n: u32, key: &str, owners: &[i32], measures: &[i32]) -> Span {
        let id = self.ids.take("project");
        let rng = &mut *self.rng;
        let status = draw_status(rng);
        let start = day(rng.random_range(2023..=2026), rng.random_range(1..365));
        let end = start + Days::new(rng.random_range(300..1400));
        let transferable = rng.random_bool(0.2);
        self.rows.projects.push(project::Model {
            id,
            tenant_id: self.tenant_id,
            measure_id: rng.random_bool(0.9).then(|| *pick(rng, measures)),
            org_unit_id: *pick(rng, owners),
            application_id: None,
            code: Some(format!("P-{n:03}")),
            title: format!("{} {} (P-{n:03})", pick(rng, &ACTIONS), pick(rng, &TOPICS)),
            summary: Some("Ein Vorhaben der digitalen Transformation.".into()),
            description: None,
            status,
            rag: rag(rng),
            progress: progress(rng, status),
            visibility: visibility(rng),
            contact_name: Some(format!("Projektleitung {n}")),
            contact_email: Some(format!("projekt{n}@{key}.example")),
            contact_phone: None,
            unique_selling_point: None,
            benefit_for_all: transferable.then(|| "Nachnutzbar für alle Kommunen.".into()),
            transferable,
            transferable_results: transferable.then(|| "Konzept, Leistungsbeschreibung".into()),
            transferable_from: transferable.then_some(end),
            funding_recipient: None,
            model_region: None,
            pilot_areas: None,
            start_date: Some(start),
            end_date: Some(end),
            application_approved_on: None,
            implementation_commissioned_on: None,
            go_live_on: None,
            closed_on: (status == Status::Completed).then(|| end.min(self.today)),
            archived_at: None,
            created_at: self.now,
            updated_at: self.now,
            version: 1,
            weight: entity::weight::one(),
        });
        Span {
            id,
            n,
            status,
            start,
            end,
        }
    }

    /// Own funds every year, external funding in some; spent only up to this year.
    fn budget_lines(&mut self, project: &Span) {
        let (start, end) = (project.start.year(), project.end.year());
        for year in start..=end.min(start + 2) {
            for source in [FundingSource::OwnFunds, FundingSource::Funding] {
                if source == FundingSource::Funding && !self.rng.random_bool(0.4) {
                    continue;
                }
                let planned = money(self.rng, 20, 400);
                let approved = planned * Decimal::new(self.rng.random_range(80..=100), 2);
                let spent = if year <= self.today.year() {
                    approved * Decimal::new(self.rng.random_range(50..=110), 2)
                } else {
                    Decimal::ZERO
                };
                self.rows.budget.push(budget_line::Model {
                    id: self.ids.take("budget_line"),
                    tenant_id: self.tenant_id,
                    project_id: project.id,
                    year,
                    source,
                    planned,
                    approved: approved.round_dp(2),
                    spent: spent.round_dp(2),
                    note: None,
                    created_at: self.now,
                    updated_at: self.now,
                    version: 1,
                });
            }
        }
    }

    /// Two to six sub-projects over the project's time; returns their ids and status.
    fn sub_projects(&mut self, project: &Span, owners: &[i32]) -> Vec<(i32, Status)> {
        let mut subs = Vec::new();
        for s in 1..=self.rng.random_range(2..=6) {
            let sub_id = self.ids.take("sub_project");
            let rng = &mut *self.rng;
            let status = draw_status(rng);
            self.rows.sub_projects.push(sub_project::Model {
                id: sub_id,
                tenant_id: self.tenant_id,
                project_id: project.id,
                org_unit_id: *pick(rng, owners),
                code: Some(format!("P-{:03}.{s}", project.n)),
                title: format!("Teilprojekt {s}: {}", pick(rng, &TOPICS)),
                description: None,
                status,
                rag: rag(rng),
                progress: progress(rng, status),
                start_date: Some(project.start),
                end_date: Some(project.end),
                visibility: visibility(rng),
                archived_at: None,
                created_at: self.now,
                updated_at: self.now,
                version: 1,
                weight: entity::weight::one(),
            });
            subs.push((sub_id, status));
        }
        subs
    }
}
