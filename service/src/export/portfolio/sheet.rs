//! The sheets of the workbook and their columns, in the order the import writes them: every
//! row after the rows it refers to.

use super::column::{
    Col, FUNDING_SOURCE, Kind, LINK_KIND, MEASURE_KIND, ORG_UNIT_KIND, PRIORITY, STATUS,
    STRATEGY_STATUS, VISIBILITY,
};
use super::indicators;
use crate::export::labels::Header;

/// A sheet of the workbook: one kind of row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Sheet {
    OrgUnits,
    Categories,
    Strategies,
    Goals,
    Measures,
    Projects,
    Indicators,
    IndicatorValues,
    IndicatorTargets,
    Links,
    SubProjects,
    Milestones,
    BudgetLines,
    Funding,
    /// The risk registers of projects and of measures (`risks.rs`).
    ProjectRisks,
    MeasureRisks,
    /// Units taking part in projects and sub-projects (`participants.rs`).
    Participants,
}

/// A sheet's name, columns and key.
pub struct SheetDef {
    pub name: Header,
    pub columns: &'static [Col],
    /// The columns whose values name a row: matched with the tenant's rows, and what
    /// references from other sheets give.
    pub key: &'static [usize],
    /// The column standing in for the key's last column when that is empty (a project
    /// without a code is known by its title).
    pub fallback: Option<usize>,
    /// The column naming the row's parent in a tree of the same sheet.
    pub parent: Option<usize>,
}

impl Sheet {
    /// Every sheet, in the order of the workbook and of writing.
    pub const ALL: [Self; 17] = [
        Self::OrgUnits,
        Self::Categories,
        Self::Strategies,
        Self::Goals,
        Self::Measures,
        Self::Projects,
        // After the goals, measures and projects they measure.
        Self::Indicators,
        Self::IndicatorValues,
        Self::IndicatorTargets,
        Self::Links,
        Self::SubProjects,
        Self::Milestones,
        Self::BudgetLines,
        Self::Funding,
        Self::ProjectRisks,
        Self::MeasureRisks,
        Self::Participants,
    ];

    /// Sheets that came after the first workbooks: a workbook without one has no such rows
    /// (and changes none), so that files written before still read.
    pub fn added_later(self) -> bool {
        matches!(
            self,
            Self::ProjectRisks | Self::MeasureRisks | Self::Participants
        )
    }

    pub fn def(self) -> &'static SheetDef {
        match self {
            Self::OrgUnits => &ORG_UNITS,
            Self::Categories => &CATEGORIES,
            Self::Strategies => &STRATEGIES,
            Self::Goals => &GOALS,
            Self::Indicators => &indicators::INDICATORS,
            Self::IndicatorValues => &indicators::INDICATOR_VALUES,
            Self::IndicatorTargets => &indicators::INDICATOR_TARGETS,
            Self::Measures => &MEASURES,
            Self::Projects => &PROJECTS,
            Self::Links => &LINKS,
            Self::SubProjects => &SUB_PROJECTS,
            Self::Milestones => &MILESTONES,
            Self::BudgetLines => &BUDGET_LINES,
            Self::Funding => &FUNDING,
            Self::ProjectRisks => &super::risks::PROJECT_RISKS,
            Self::MeasureRisks => &super::risks::MEASURE_RISKS,
            Self::Participants => &super::participants::PARTICIPANTS,
        }
    }

    /// The column of a field.
    pub fn col(self, field: &str) -> usize {
        self.def()
            .columns
            .iter()
            .position(|c| c.field == field)
            .unwrap_or_else(|| unreachable!("{self:?} has no column {field}"))
    }
}

pub(super) const fn text(de: &'static str, en: &'static str, field: &'static str) -> Col {
    Col::new(de, en, field, Kind::Text)
}

pub(super) const fn date(de: &'static str, en: &'static str, field: &'static str) -> Col {
    Col::new(de, en, field, Kind::Date).width(12.0)
}

pub(super) const fn project_ref() -> Col {
    Col::new(
        "Projekt",
        "Project",
        "project",
        Kind::Ref(Sheet::Projects, &[]),
    )
    .required()
}

const fn unit_ref() -> Col {
    Col::new(
        "Organisationseinheit",
        "Org unit",
        "orgUnit",
        Kind::Ref(Sheet::OrgUnits, &[]),
    )
}

const fn strategy_ref() -> Col {
    Col::new(
        "Strategie",
        "Strategy",
        "strategy",
        Kind::Ref(Sheet::Strategies, &[]),
    )
    .required()
    .width(30.0)
}

const fn status() -> Col {
    Col::new("Status", "Status", "status", Kind::Enum(STATUS)).default("DRAFT")
}

const fn visibility() -> Col {
    Col::new(
        "Sichtbarkeit",
        "Visibility",
        "visibility",
        Kind::Enum(VISIBILITY),
    )
    .default("INTERNAL")
}

pub(super) const fn description() -> Col {
    text("Beschreibung", "Description", "description").width(40.0)
}

pub(super) const fn shown(de: &'static str, en: &'static str, field: &'static str) -> Col {
    Col::new(de, en, field, Kind::Shown).width(10.0)
}

/// A row's weight in its parent's roll-up (`weight`; 1 when empty).
const fn weight() -> Col {
    Col::new("Gewicht", "Weight", "weight", Kind::Number)
        .default("1")
        .width(10.0)
}

const fn rag() -> Col {
    Col::new("Ampel", "Traffic light", "rag", Kind::Shown).width(8.0)
}

static ORG_UNITS: SheetDef = SheetDef {
    name: Header::new("Organisationseinheiten", "Org units"),
    columns: &[
        text("Kürzel", "Code", "code").required().width(14.0),
        text("Name", "Name", "name").required().width(40.0),
        Col::new("Art", "Kind", "kind", Kind::Enum(ORG_UNIT_KIND)).default("DIVISION"),
        Col::new(
            "Übergeordnet",
            "Parent",
            "parent",
            Kind::Ref(Sheet::OrgUnits, &[]),
        ),
        Col::new("Reihenfolge", "Position", "position", Kind::Int)
            .default("0")
            .width(10.0),
        text("Leitung", "Lead", "leadName").width(24.0),
        text("Leitung E-Mail", "Lead e-mail", "leadEmail").width(28.0),
    ],
    key: &[0],
    fallback: None,
    parent: Some(3),
};

static CATEGORIES: SheetDef = SheetDef {
    name: Header::new("Kategorien", "Categories"),
    columns: &[
        text("Kategorie", "Category", "name").required().width(30.0),
        description(),
    ],
    key: &[0],
    fallback: None,
    parent: None,
};

static STRATEGIES: SheetDef = SheetDef {
    name: Header::new("Strategien", "Strategies"),
    columns: &[
        text("Strategie", "Strategy", "title")
            .required()
            .width(48.0),
        unit_ref().required(),
        date("Beginn", "Start", "periodStart").required(),
        date("Ende", "End", "periodEnd").required(),
        Col::new("Status", "Status", "status", Kind::Enum(STRATEGY_STATUS)).default("DRAFT"),
        date("Beschlossen am", "Adopted on", "adoptedOn"),
        visibility(),
        shown("Fassung", "Revision", "revision"),
        description(),
    ],
    key: &[0],
    fallback: None,
    parent: None,
};

static GOALS: SheetDef = SheetDef {
    name: Header::new("Ziele", "Goals"),
    columns: &[
        strategy_ref(),
        text("Kennung", "Code", "code").required().width(10.0),
        text("Ziel", "Goal", "title").required().width(48.0),
        Col::new(
            "Übergeordnetes Ziel",
            "Parent goal",
            "parent",
            Kind::Ref(Sheet::Goals, &[0]),
        ),
        unit_ref().required(),
        status(),
        visibility(),
        Col::new("Reihenfolge", "Position", "position", Kind::Int)
            .default("0")
            .width(10.0),
        description(),
        weight(),
    ],
    key: &[0, 1],
    fallback: None,
    parent: Some(3),
};

static MEASURES: SheetDef = SheetDef {
    name: Header::new("Maßnahmen", "Measures"),
    columns: &[
        text("Nr.", "No.", "number").required().width(10.0),
        text("Maßnahme", "Measure", "title").required().width(48.0),
        Col::new("Art", "Kind", "kind", Kind::Enum(MEASURE_KIND)).default("IMPLEMENTATION"),
        Col::new("Priorität", "Priority", "priority", Kind::Enum(PRIORITY)).default("MEDIUM"),
        status(),
        rag(),
        shown("Fortschritt", "Progress", "progress"),
        unit_ref().required(),
        Col::new("Ziele", "Goals", "goals", Kind::Goals).width(20.0),
        date("Beginn", "Start", "startDate"),
        date("Fällig", "Due", "dueDate"),
        visibility(),
        description(),
        Col::new(
            "Aufwand geplant (PT)",
            "Planned effort (days)",
            "plannedEffortDays",
            Kind::Number,
        ),
        Col::new(
            "Aufwand ist (PT)",
            "Actual effort (days)",
            "actualEffortDays",
            Kind::Number,
        ),
        text("Zielgruppe", "Target group", "targetGroup").width(24.0),
        text("Kanal", "Channel", "channel").width(20.0),
        text("Veranstalter", "Organiser", "organiser").width(20.0),
        weight(),
    ],
    key: &[0],
    fallback: None,
    parent: None,
};

static PROJECTS: SheetDef = SheetDef {
    name: Header::new("Projekte", "Projects"),
    columns: &[
        text("Kennung", "Code", "code").width(12.0),
        text("Projekt", "Project", "title").required().width(48.0),
        Col::new(
            "Maßnahme-Nr.",
            "Measure no.",
            "measure",
            Kind::Ref(Sheet::Measures, &[]),
        )
        .width(12.0),
        unit_ref().required(),
        status(),
        rag(),
        shown("Fortschritt", "Progress", "progress"),
        date("Beginn", "Start", "startDate"),
        date("Ende", "End", "dueDate"),
        visibility(),
        Col::new(
            "Kategorien",
            "Categories",
            "categories",
            Kind::Refs(Sheet::Categories),
        )
        .width(24.0),
        text("Kurzbeschreibung", "Summary", "summary").width(40.0),
        description(),
        text("Ansprechperson", "Contact", "contactName").width(22.0),
        text("E-Mail", "E-mail", "contactEmail").width(26.0),
        text("Telefon", "Phone", "contactPhone").width(18.0),
        text(
            "Alleinstellungsmerkmal",
            "Unique selling point",
            "uniqueSellingPoint",
        )
        .width(30.0),
        text("Nutzen für alle", "Benefit for all", "benefitForAll").width(30.0),
        Col::new("Übertragbar", "Transferable", "transferable", Kind::Bool).default("false"),
        text(
            "Übertragbare Ergebnisse",
            "Transferable results",
            "transferableResults",
        )
        .width(30.0),
        date("Übertragbar ab", "Transferable from", "transferableFrom"),
        text(
            "Zuwendungsempfänger",
            "Funding recipient",
            "fundingRecipient",
        )
        .width(24.0),
        text("Modellregion", "Model region", "modelRegion").width(20.0),
        text("Pilotbereiche", "Pilot areas", "pilotAreas").width(24.0),
        date(
            "Antrag bewilligt am",
            "Application approved on",
            "applicationApprovedOn",
        ),
        date(
            "Umsetzung beauftragt am",
            "Implementation commissioned on",
            "implementationCommissionedOn",
        ),
        date("In Betrieb seit", "Live since", "goLiveOn"),
        date("Abgeschlossen am", "Closed on", "closedOn"),
        weight(),
    ],
    key: &[0],
    fallback: Some(1),
    parent: None,
};

static LINKS: SheetDef = SheetDef {
    name: Header::new("Links", "Links"),
    columns: &[
        project_ref(),
        text("Adresse", "URL", "url").required().width(40.0),
        Col::new("Art", "Kind", "kind", Kind::Enum(LINK_KIND)).default("WEBSITE"),
        text("Titel", "Title", "title").required().width(36.0),
    ],
    key: &[0, 1],
    fallback: None,
    parent: None,
};

static SUB_PROJECTS: SheetDef = SheetDef {
    name: Header::new("Teilprojekte", "Sub-projects"),
    columns: &[
        project_ref(),
        text("Kennung", "Code", "code").width(12.0),
        text("Teilprojekt", "Sub-project", "title")
            .required()
            .width(40.0),
        unit_ref(),
        status(),
        rag(),
        shown("Fortschritt", "Progress", "progress"),
        date("Beginn", "Start", "startDate"),
        date("Ende", "End", "dueDate"),
        visibility(),
        description(),
        weight(),
    ],
    key: &[0, 1],
    fallback: Some(2),
    parent: None,
};

static MILESTONES: SheetDef = SheetDef {
    name: Header::new("Meilensteine", "Milestones"),
    columns: &[
        project_ref(),
        text("Kennung", "Code", "code").required().width(10.0),
        Col::new(
            "Teilprojekt",
            "Sub-project",
            "subProject",
            Kind::Ref(Sheet::SubProjects, &[0]),
        )
        .width(14.0),
        text("Meilenstein", "Milestone", "title")
            .required()
            .width(40.0),
        date("Fällig", "Due", "dueDate").required(),
        date("Erreicht am", "Achieved on", "achievedOn"),
        description(),
    ],
    key: &[0, 1],
    fallback: None,
    parent: None,
};

static BUDGET_LINES: SheetDef = SheetDef {
    name: Header::new("Budget", "Budget lines"),
    columns: &[
        project_ref(),
        Col::new("Jahr", "Year", "year", Kind::Int)
            .required()
            .width(8.0),
        Col::new("Quelle", "Source", "source", Kind::Enum(FUNDING_SOURCE)).required(),
        Col::new("Geplant", "Planned", "planned", Kind::Money).default("0"),
        Col::new("Genehmigt", "Approved", "approved", Kind::Money).default("0"),
        Col::new("Ausgegeben", "Spent", "spent", Kind::Money).default("0"),
        text("Notiz", "Note", "note").width(30.0),
    ],
    key: &[0, 1, 2],
    fallback: None,
    parent: None,
};

static FUNDING: SheetDef = SheetDef {
    name: Header::new("Förderung", "Funding"),
    columns: &[
        project_ref(),
        text("Programm", "Programme", "programme")
            .required()
            .width(36.0),
        text("Fördergeber", "Funder", "funder")
            .required()
            .width(30.0),
        Col::new("Betrag", "Amount", "amount", Kind::Money).required(),
        Col::new("Förderquote (%)", "Rate (%)", "rate", Kind::Number),
        text("Notiz", "Note", "note").width(30.0),
    ],
    key: &[0, 1, 2],
    fallback: None,
    parent: None,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_name_the_key_of_the_sheet_they_refer_to() {
        for sheet in Sheet::ALL {
            let def = sheet.def();
            for col in def.columns {
                if let Kind::Ref(target, scope) = col.kind {
                    // The scope columns and the cell give exactly the target's key.
                    assert_eq!(
                        scope.len() + 1,
                        target.def().key.len(),
                        "{sheet:?}.{}",
                        col.field
                    );
                    assert!(target <= sheet, "{sheet:?} refers to a later sheet");
                }
            }
            for &k in def.key {
                assert!(def.columns[k].read());
            }
            let mut headers: Vec<_> = def.columns.iter().map(|c| c.header.de).collect();
            headers.sort_unstable();
            headers.dedup();
            assert_eq!(
                headers.len(),
                def.columns.len(),
                "{sheet:?} repeats a header"
            );
        }
    }
}
