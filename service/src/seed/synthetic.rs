//! Synthetic tenants at state scale, for benchmarks: `digidash seed --synthetic --tenants N`.
//!
//! Every tenant has the shape of a mid-sized city's portfolio: an org-unit tree of 21 units,
//! one adopted strategy with 25 goals, 100 measures, 150 projects, 600 sub-projects, about
//! 1,500 milestones, about 5,000 status reports, budget lines per year and ten applications.
//! Tenant `i` is drawn from a random generator seeded with the run's seed and `i`, so the
//! same seed gives the same data. Rows are written with multi-row `INSERT`s (one statement
//! per table and chunk, never one per row), one transaction per tenant; ids are assigned
//! here, after the highest id in use, and PostgreSQL's sequences are moved past them at the
//! end. Run it while nothing else writes to the database.

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};
use entity::{
    application, budget_line,
    enums::{
        ApplicationStatus, FundingSource, MeasureKind, OrgUnitKind, Priority, Rag, Status,
        StrategyStatus, TenantKind, Visibility,
    },
    goal, measure, measure_goal, milestone, org_unit, project, status_report, strategy,
    sub_project, tenant,
};
use rand::{Rng, SeedableRng, rngs::StdRng, seq::IndexedRandom};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait,
    IntoActiveModel, QueryFilter, QuerySelect, Statement, TransactionTrait,
};

/// Tables whose ids the generator assigns, in insert order.
const TABLES: [&str; 11] = [
    "tenant",
    "org_unit",
    "strategy",
    "goal",
    "measure",
    "project",
    "sub_project",
    "milestone",
    "status_report",
    "budget_line",
    "application",
];

/// Rows per `INSERT`: well below the bind-parameter limits of SQLite (32,766) and
/// PostgreSQL (65,535) for tables of up to 30 columns.
const CHUNK: usize = 1000;

/// What a run loaded.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Loaded {
    pub tenants: usize,
    pub rows: usize,
}

/// Loads tenants `synth-0001` to `synth-NNNN` that are not present yet.
pub async fn load(db: &DatabaseConnection, tenants: u32, seed: u64) -> anyhow::Result<Loaded> {
    anyhow::ensure!(
        (1..=10_000).contains(&tenants),
        "--tenants must be between 1 and 10000"
    );
    let present: Vec<String> = tenant::Entity::find()
        .select_only()
        .column(tenant::Column::Key)
        .filter(tenant::Column::Key.starts_with("synth-"))
        .into_tuple()
        .all(db)
        .await?;
    let mut ids = Ids::after_max(db).await?;
    let mut loaded = Loaded::default();
    let now = Utc::now();
    for index in 1..=tenants {
        let key = format!("synth-{index:04}");
        if present.contains(&key) {
            continue;
        }
        let mut rng =
            StdRng::seed_from_u64(seed ^ u64::from(index).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let rows = Tenant::draw(&mut rng, &mut ids, &key, index, now);
        let txn = db.begin().await?;
        loaded.rows += rows.insert(&txn).await?;
        txn.commit().await?;
        loaded.tenants += 1;
        if loaded.tenants % 50 == 0 {
            tracing::info!(
                tenants = loaded.tenants,
                rows = loaded.rows,
                "synthetic data"
            );
        }
    }
    if db.get_database_backend() == DbBackend::Postgres {
        for table in TABLES {
            db.execute_raw(Statement::from_string(
                DbBackend::Postgres,
                format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), GREATEST((SELECT MAX(id) FROM \"{table}\"), 1))"
                ),
            ))
            .await?;
        }
    }
    Ok(loaded)
}

/// The next free id of every table.
struct Ids([i32; TABLES.len()]);

impl Ids {
    async fn after_max(db: &DatabaseConnection) -> anyhow::Result<Self> {
        let mut next = [1; TABLES.len()];
        for (i, table) in TABLES.iter().enumerate() {
            let row = db
                .query_one_raw(Statement::from_string(
                    db.get_database_backend(),
                    format!("SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) AS m FROM \"{table}\""),
                ))
                .await?;
            let max: i64 = match row {
                Some(row) => row.try_get_by_index(0)?,
                None => 0,
            };
            next[i] = i32::try_from(max + 1)?;
        }
        Ok(Self(next))
    }

    fn take(&mut self, table: &str) -> i32 {
        let i = TABLES.iter().position(|t| *t == table).unwrap_or(0);
        let id = self.0[i];
        self.0[i] += 1;
        id
    }
}

/// Every row of one synthetic tenant.
#[derive(Default)]
struct Tenant {
    tenant: Vec<tenant::Model>,
    org_units: Vec<org_unit::Model>,
    strategies: Vec<strategy::Model>,
    goals: Vec<goal::Model>,
    measures: Vec<measure::Model>,
    links: Vec<measure_goal::Model>,
    projects: Vec<project::Model>,
    sub_projects: Vec<sub_project::Model>,
    milestones: Vec<milestone::Model>,
    reports: Vec<status_report::Model>,
    budget: Vec<budget_line::Model>,
    applications: Vec<application::Model>,
}

const TOPICS: [&str; 20] = [
    "Onlinezugang",
    "E-Akte",
    "Serviceportal",
    "Schulnetz",
    "Geodaten",
    "Open Data",
    "Bürgerkonto",
    "Rechnungseingang",
    "Terminvergabe",
    "Ratsinformation",
    "Fachverfahren",
    "Breitband",
    "Smart City Sensorik",
    "IT-Sicherheit",
    "Personalportal",
    "Digitale Bauakte",
    "Kfz-Zulassung",
    "Wohngeld digital",
    "Kita-Portal",
    "Kommunikationsplattform",
];

const ACTIONS: [&str; 10] = [
    "Einführung",
    "Ausbau",
    "Modernisierung",
    "Pilotierung",
    "Konsolidierung",
    "Migration",
    "Rollout",
    "Konzeption",
    "Betrieb",
    "Evaluation",
];

fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    items.choose(rng).unwrap_or(&items[0])
}

fn day(year: i32, ordinal: u32) -> NaiveDate {
    NaiveDate::from_yo_opt(year, ordinal.clamp(1, 365)).unwrap_or_default()
}

/// Status by weight: mostly running, some done, few drafts.
fn draw_status(rng: &mut StdRng) -> Status {
    match rng.random_range(0..100) {
        0..5 => Status::Draft,
        5..20 => Status::Planned,
        20..72 => Status::InProgress,
        72..77 => Status::OnHold,
        77..95 => Status::Completed,
        _ => Status::Cancelled,
    }
}

fn rag(rng: &mut StdRng) -> Rag {
    match rng.random_range(0..100) {
        0..65 => Rag::Green,
        65..88 => Rag::Amber,
        _ => Rag::Red,
    }
}

fn visibility(rng: &mut StdRng) -> Visibility {
    match rng.random_range(0..10) {
        0..4 => Visibility::Internal,
        4..8 => Visibility::Council,
        _ => Visibility::Public,
    }
}

fn progress(rng: &mut StdRng, status: Status) -> i32 {
    match status {
        Status::Draft | Status::Planned => 0,
        Status::Completed => 100,
        _ => rng.random_range(5..95),
    }
}

fn money(rng: &mut StdRng, low: i64, high: i64) -> Decimal {
    Decimal::new(rng.random_range(low..high) * 500, 0)
}

impl Tenant {
    fn draw(rng: &mut StdRng, ids: &mut Ids, key: &str, index: u32, now: DateTime<Utc>) -> Self {
        let mut t = Self::default();
        let tenant_id = ids.take("tenant");
        t.tenant.push(tenant::Model {
            id: tenant_id,
            key: key.to_owned(),
            name: format!("Musterstadt {index}"),
            kind: TenantKind::Municipality,
            description: Some("Synthetischer Mandant für Lasttests".into()),
            council_live_report: false,
            data_version: 0,
            created_at: now,
            updated_at: now,
            version: 1,
        });
        // Org units: the administration, five departments, three divisions each.
        let root = ids.take("org_unit");
        let unit = |id, parent, code: String, name: String, kind, position| org_unit::Model {
            id,
            tenant_id,
            parent_id: parent,
            code,
            name,
            kind,
            position,
            lead_name: None,
            lead_email: None,
            archived_at: None,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        t.org_units.push(unit(
            root,
            None,
            "VV".into(),
            "Verwaltungsvorstand".into(),
            OrgUnitKind::Administration,
            0,
        ));
        let mut owners = Vec::new();
        for d in 1..=5 {
            let dept = ids.take("org_unit");
            t.org_units.push(unit(
                dept,
                Some(root),
                format!("FB {d}"),
                format!("Fachbereich {d}"),
                OrgUnitKind::Department,
                d,
            ));
            owners.push(dept);
            for v in 1..=3 {
                let division = ids.take("org_unit");
                t.org_units.push(unit(
                    division,
                    Some(dept),
                    format!("FB {d}/{v}0"),
                    format!("Abteilung {d}.{v}"),
                    OrgUnitKind::Division,
                    v,
                ));
                owners.push(division);
            }
        }
        // The strategy: five goals with four sub-goals each.
        let strategy_id = ids.take("strategy");
        t.strategies.push(strategy::Model {
            id: strategy_id,
            tenant_id,
            org_unit_id: root,
            predecessor_id: None,
            title: format!("Digitalstrategie Musterstadt {index} 2024–2028"),
            description: None,
            period_start: day(2024, 1),
            period_end: day(2028, 365),
            status: StrategyStatus::Adopted,
            adopted_on: Some(day(2024, 40)),
            revision: 1,
            visibility: Visibility::Public,
            archived_at: None,
            created_at: now,
            updated_at: now,
            version: 1,
        });
        let mut leaves = Vec::new();
        for g in 1..=5 {
            let parent = ids.take("goal");
            t.goals.push(goal(
                parent,
                tenant_id,
                strategy_id,
                None,
                root,
                format!("Z{g}"),
                g,
                now,
            ));
            for s in 1..=4 {
                let id = ids.take("goal");
                t.goals.push(goal(
                    id,
                    tenant_id,
                    strategy_id,
                    Some(parent),
                    root,
                    format!("Z{g}.{s}"),
                    s,
                    now,
                ));
                leaves.push(id);
            }
        }
        let today = now.date_naive();
        // Measures, each derived from one or two sub-goals.
        for n in 1..=100 {
            let id = ids.take("measure");
            let status = draw_status(rng);
            let start = day(rng.random_range(2024..=2026), rng.random_range(1..365));
            let due = start + Days::new(rng.random_range(180..1100));
            t.measures.push(measure::Model {
                id,
                tenant_id,
                org_unit_id: *pick(rng, &owners),
                number: format!("M-{n:03}"),
                title: format!("{} {}", pick(rng, &ACTIONS), pick(rng, &TOPICS)),
                description: None,
                kind: *pick(
                    rng,
                    &[
                        MeasureKind::Implementation,
                        MeasureKind::Infrastructure,
                        MeasureKind::Organisation,
                        MeasureKind::Communication,
                        MeasureKind::Training,
                    ],
                ),
                priority: *pick(rng, &[Priority::High, Priority::Medium, Priority::Low]),
                start_date: Some(start),
                due_date: Some(due),
                completed_on: (status == Status::Completed).then(|| due.min(today)),
                status,
                rag: rag(rng),
                progress: progress(rng, status),
                planned_effort_days: None,
                actual_effort_days: None,
                target_group: None,
                channel: None,
                organiser: None,
                visibility: visibility(rng),
                archived_at: None,
                created_at: now,
                updated_at: now,
                version: 1,
            });
            let first = *pick(rng, &leaves);
            t.links.push(measure_goal::Model {
                measure_id: id,
                goal_id: first,
                tenant_id,
            });
            if rng.random_bool(0.5) {
                let second = *pick(rng, &leaves);
                if second != first {
                    t.links.push(measure_goal::Model {
                        measure_id: id,
                        goal_id: second,
                        tenant_id,
                    });
                }
            }
        }
        let measure_ids: Vec<i32> = t.measures.iter().map(|m| m.id).collect();
        for n in 1..=150 {
            let id = ids.take("project");
            let status = draw_status(rng);
            let start = day(rng.random_range(2023..=2026), rng.random_range(1..365));
            let end = start + Days::new(rng.random_range(300..1400));
            let transferable = rng.random_bool(0.2);
            t.projects.push(project::Model {
                id,
                tenant_id,
                measure_id: rng.random_bool(0.9).then(|| *pick(rng, &measure_ids)),
                org_unit_id: *pick(rng, &owners),
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
                closed_on: (status == Status::Completed).then(|| end.min(today)),
                archived_at: None,
                created_at: now,
                updated_at: now,
                version: 1,
            });
            for year in start.year()..=end.year().min(start.year() + 2) {
                for source in [FundingSource::OwnFunds, FundingSource::Funding] {
                    if source == FundingSource::Funding && !rng.random_bool(0.4) {
                        continue;
                    }
                    let planned = money(rng, 20, 400);
                    let approved = planned * Decimal::new(rng.random_range(80..=100), 2);
                    let spent = if year <= today.year() {
                        approved * Decimal::new(rng.random_range(50..=110), 2)
                    } else {
                        Decimal::ZERO
                    };
                    t.budget.push(budget_line::Model {
                        id: ids.take("budget_line"),
                        tenant_id,
                        project_id: id,
                        year,
                        source,
                        planned,
                        approved: approved.round_dp(2),
                        spent: spent.round_dp(2),
                        note: None,
                        created_at: now,
                        updated_at: now,
                        version: 1,
                    });
                }
            }
            // Four sub-projects on average, ten milestones.
            let mut subs = Vec::new();
            for s in 1..=rng.random_range(2..=6) {
                let sub_id = ids.take("sub_project");
                let status = draw_status(rng);
                t.sub_projects.push(sub_project::Model {
                    id: sub_id,
                    tenant_id,
                    project_id: id,
                    org_unit_id: *pick(rng, &owners),
                    code: Some(format!("P-{n:03}.{s}")),
                    title: format!("Teilprojekt {s}: {}", pick(rng, &TOPICS)),
                    description: None,
                    status,
                    rag: rag(rng),
                    progress: progress(rng, status),
                    start_date: Some(start),
                    end_date: Some(end),
                    visibility: visibility(rng),
                    archived_at: None,
                    created_at: now,
                    updated_at: now,
                    version: 1,
                });
                subs.push((sub_id, status));
            }
            for m in 1..=rng.random_range(6..=14) {
                let due = start + Days::new(rng.random_range(30..1400));
                t.milestones.push(milestone::Model {
                    id: ids.take("milestone"),
                    tenant_id,
                    project_id: id,
                    sub_project_id: if rng.random_bool(0.5) {
                        subs.choose(rng).map(|s| s.0)
                    } else {
                        None
                    },
                    code: format!("MS-{n:03}-{m:02}"),
                    title: format!("Meilenstein {m}"),
                    description: None,
                    achieved_on: (due < today && rng.random_bool(0.8)).then_some(due),
                    due_date: due,
                    archived_at: None,
                    created_at: now,
                    updated_at: now,
                    version: 1,
                });
            }
            // A report every two months or so for running and finished work.
            let mut report_on = |t: &mut Self,
                                 rng: &mut StdRng,
                                 subject: (Option<i32>, Option<i32>, Option<i32>),
                                 status: Status| {
                if matches!(status, Status::Draft | Status::Planned) {
                    return;
                }
                let mut on = start.max(today - Days::new(730));
                let mut value = 0;
                while on < today {
                    value = (value + rng.random_range(0..15)).min(100);
                    t.reports.push(status_report::Model {
                        id: ids.take("status_report"),
                        tenant_id,
                        measure_id: subject.0,
                        project_id: subject.1,
                        sub_project_id: subject.2,
                        reported_on: on,
                        progress: value,
                        rag: rag(rng),
                        summary: format!("Quartalsbericht {on}: Arbeiten planmäßig fortgeführt."),
                        risks: None,
                        internal_notes: None,
                        next_steps: None,
                        author_sub: "synthetic".into(),
                        author_name: None,
                        created_at: now,
                    });
                    on = on + Days::new(rng.random_range(55..75));
                }
            };
            report_on(&mut t, rng, (None, Some(id), None), status);
            for (sub_id, status) in subs {
                if rng.random_bool(0.85) {
                    report_on(&mut t, rng, (None, None, Some(sub_id)), status);
                }
            }
        }
        for n in 1..=10 {
            let status = *pick(
                rng,
                &[
                    ApplicationStatus::Submitted,
                    ApplicationStatus::InReview,
                    ApplicationStatus::Approved,
                    ApplicationStatus::Rejected,
                ],
            );
            t.applications.push(application::Model {
                id: ids.take("application"),
                tenant_id,
                org_unit_id: *pick(rng, &owners),
                title: format!("Antrag {n}: {}", pick(rng, &TOPICS)),
                description: "Beschreibung des Vorhabens.".into(),
                expected_benefit: None,
                estimated_cost: Some(money(rng, 10, 200)),
                status,
                submitted_by: "synthetic".into(),
                submitted_by_name: None,
                submitted_on: today - Days::new(rng.random_range(10..400)),
                meeting_id: None,
                decided_on: None,
                decision_number: None,
                decision_note: None,
                conditions: None,
                budget_released: None,
                created_at: now,
                updated_at: now,
                version: 1,
            });
        }
        t
    }

    /// Writes every row with multi-row inserts; returns how many.
    async fn insert(self, db: &impl ConnectionTrait) -> anyhow::Result<usize> {
        let mut rows = 0;
        rows += many(db, self.tenant).await?;
        rows += many(db, self.org_units).await?;
        rows += many(db, self.strategies).await?;
        rows += many(db, self.goals).await?;
        rows += many(db, self.measures).await?;
        rows += many(db, self.links).await?;
        rows += many(db, self.applications).await?;
        rows += many(db, self.projects).await?;
        rows += many(db, self.budget).await?;
        rows += many(db, self.sub_projects).await?;
        rows += many(db, self.milestones).await?;
        rows += many(db, self.reports).await?;
        Ok(rows)
    }
}

#[allow(clippy::too_many_arguments)]
fn goal(
    id: i32,
    tenant_id: i32,
    strategy_id: i32,
    parent_id: Option<i32>,
    owner: i32,
    code: String,
    position: i32,
    now: DateTime<Utc>,
) -> goal::Model {
    goal::Model {
        id,
        tenant_id,
        strategy_id,
        parent_id,
        org_unit_id: owner,
        title: format!("Ziel {code}: {}", TOPICS[(id as usize) % TOPICS.len()]),
        code,
        description: None,
        status: Status::InProgress,
        visibility: Visibility::Public,
        position,
        archived_at: None,
        created_at: now,
        updated_at: now,
        version: 1,
    }
}

/// Inserts `models` in chunks of [`CHUNK`] rows per statement.
async fn many<M, A>(db: &impl ConnectionTrait, models: Vec<M>) -> anyhow::Result<usize>
where
    M: IntoActiveModel<A>,
    A: ActiveModelTrait + Send,
{
    let count = models.len();
    let mut models = models.into_iter().peekable();
    while models.peek().is_some() {
        let chunk: Vec<A> = models
            .by_ref()
            .take(CHUNK)
            .map(IntoActiveModel::into_active_model)
            .collect();
        <A::Entity as EntityTrait>::insert_many(chunk)
            .exec_without_returning(db)
            .await?;
    }
    Ok(count)
}
