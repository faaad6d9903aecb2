//! Column headers and enum labels of exported files: German by default, English on request.
//!
//! The import reads both languages (and the GraphQL enum names), so a file exported in either
//! language comes back in.

use entity::enums::{
    FundingSource, LinkKind, MeasureKind, OrgUnitKind, ParticipantRole, Priority, Rag, RiskStatus,
    Status, StrategyStatus, Visibility,
};

use crate::error::{ApiError, ApiResult};

/// The language of an exported file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// German: what council documents speak (the default).
    #[default]
    De,
    /// English.
    En,
}

impl Lang {
    /// Reads the `lang` query parameter; absent means German.
    pub fn parse(value: Option<&str>) -> ApiResult<Self> {
        Self::parse_or(value, Self::De)
    }

    /// Reads the `lang` query parameter; absent means `default` (the tenant's language).
    pub fn parse_or(value: Option<&str>, default: Self) -> ApiResult<Self> {
        match value.map(|v| v.trim().to_ascii_lowercase()).as_deref() {
            None | Some("") => Ok(default),
            Some("de") => Ok(Self::De),
            Some("en") => Ok(Self::En),
            Some(_) => Err(ApiError::bad_input("lang", "expected de or en")),
        }
    }

    /// The language's code, as `lang` takes it: `de` or `en`.
    pub fn code(self) -> &'static str {
        self.pick("de", "en")
    }

    /// Picks the German or the English text.
    pub fn pick(self, de: &'static str, en: &'static str) -> &'static str {
        match self {
            Self::De => de,
            Self::En => en,
        }
    }
}

/// An enum that has a label in both languages.
pub trait Labelled: Sized + Copy + 'static {
    /// Every value, for reading labels back.
    const ALL: &'static [Self];
    /// The label in German and in English.
    fn labels(self) -> (&'static str, &'static str);
    /// The GraphQL name (`IN_PROGRESS`), also accepted on import.
    fn api_name(self) -> &'static str;

    /// The label in `lang`.
    fn label(self, lang: Lang) -> &'static str {
        let (de, en) = self.labels();
        lang.pick(de, en)
    }

    /// Reads a label of either language or the GraphQL name, ignoring case.
    fn from_label(text: &str) -> Option<Self> {
        let text = text.trim();
        Self::ALL.iter().copied().find(|value| {
            let (de, en) = value.labels();
            [de, en, value.api_name()].iter().any(|label| {
                label.eq_ignore_ascii_case(text) || label.to_lowercase() == text.to_lowercase()
            })
        })
    }

    /// The labels of both languages, for error messages.
    fn expected(lang: Lang) -> String {
        Self::ALL
            .iter()
            .map(|value| value.label(lang))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

macro_rules! labelled {
    ($name:ident { $($variant:ident => ($de:literal, $en:literal, $api:literal)),+ $(,)? }) => {
        impl Labelled for $name {
            const ALL: &'static [Self] = &[$(Self::$variant),+];
            fn labels(self) -> (&'static str, &'static str) {
                match self {
                    $(Self::$variant => ($de, $en),)+
                }
            }
            fn api_name(self) -> &'static str {
                match self {
                    $(Self::$variant => $api,)+
                }
            }
        }
    };
}

labelled!(Status {
    Draft => ("Entwurf", "draft", "DRAFT"),
    Planned => ("geplant", "planned", "PLANNED"),
    InProgress => ("in Umsetzung", "in progress", "IN_PROGRESS"),
    OnHold => ("pausiert", "on hold", "ON_HOLD"),
    Completed => ("abgeschlossen", "completed", "COMPLETED"),
    Cancelled => ("abgebrochen", "cancelled", "CANCELLED"),
});

labelled!(Rag {
    Green => ("grün", "green", "GREEN"),
    Amber => ("gelb", "amber", "AMBER"),
    Red => ("rot", "red", "RED"),
});

labelled!(Visibility {
    Internal => ("intern", "internal", "INTERNAL"),
    Council => ("Rat", "council", "COUNCIL"),
    Public => ("öffentlich", "public", "PUBLIC"),
});

labelled!(MeasureKind {
    Implementation => ("Umsetzung", "implementation", "IMPLEMENTATION"),
    Communication => ("Kommunikation", "communication", "COMMUNICATION"),
    Training => ("Schulung", "training", "TRAINING"),
    Organisation => ("Organisation", "organisation", "ORGANISATION"),
    Infrastructure => ("Infrastruktur", "infrastructure", "INFRASTRUCTURE"),
});

labelled!(Priority {
    High => ("hoch", "high", "HIGH"),
    Medium => ("mittel", "medium", "MEDIUM"),
    Low => ("niedrig", "low", "LOW"),
});

labelled!(OrgUnitKind {
    Administration => ("Verwaltung", "administration", "ADMINISTRATION"),
    Department => ("Dezernat", "department", "DEPARTMENT"),
    Division => ("Fachbereich", "division", "DIVISION"),
    ProjectArea => ("Projektbereich", "project area", "PROJECT_AREA"),
    Partner => ("Partner", "partner", "PARTNER"),
    Team => ("Team", "team", "TEAM"),
});

labelled!(StrategyStatus {
    Draft => ("Entwurf", "draft", "DRAFT"),
    Adopted => ("beschlossen", "adopted", "ADOPTED"),
    Superseded => ("abgelöst", "superseded", "SUPERSEDED"),
});

labelled!(FundingSource {
    OwnFunds => ("Eigenmittel", "own funds", "OWN_FUNDS"),
    Funding => ("Fördermittel", "funding", "FUNDING"),
});

labelled!(ParticipantRole {
    Lead => ("federführend", "lead", "LEAD"),
    Participant => ("beteiligt", "participant", "PARTICIPANT"),
    Reuser => ("nachnutzend", "reuser", "REUSER"),
});

labelled!(RiskStatus {
    Open => ("offen", "open", "OPEN"),
    Mitigated => ("gemindert", "mitigated", "MITIGATED"),
    Closed => ("geschlossen", "closed", "CLOSED"),
});

labelled!(LinkKind {
    Website => ("Webseite", "website", "WEBSITE"),
    Document => ("Dokument", "document", "DOCUMENT"),
});

/// A column header in both languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    pub de: &'static str,
    pub en: &'static str,
}

impl Header {
    pub const fn new(de: &'static str, en: &'static str) -> Self {
        Self { de, en }
    }

    pub fn text(self, lang: Lang) -> &'static str {
        lang.pick(self.de, self.en)
    }

    /// Whether a header cell of a file names this column (either language, any case).
    pub fn matches(self, text: &str) -> bool {
        let text = text.trim().to_lowercase();
        self.de.to_lowercase() == text || self.en.to_lowercase() == text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_is_the_default_and_english_is_asked_for() {
        assert_eq!(Lang::parse(None).unwrap(), Lang::De);
        assert_eq!(Lang::parse(Some("EN")).unwrap(), Lang::En);
        assert_eq!(
            Lang::parse(Some("fr")).unwrap_err().code(),
            "BAD_USER_INPUT"
        );
        assert_eq!(Rag::Green.label(Lang::De), "grün");
        assert_eq!(Rag::Amber.label(Lang::De), "gelb");
        assert_eq!(Rag::Red.label(Lang::En), "red");
    }

    #[test]
    fn labels_of_both_languages_and_api_names_read_back() {
        for &status in Status::ALL {
            for lang in [Lang::De, Lang::En] {
                assert_eq!(Status::from_label(status.label(lang)), Some(status));
            }
            assert_eq!(Status::from_label(status.api_name()), Some(status));
        }
        assert_eq!(Rag::from_label("GRÜN"), Some(Rag::Green));
        assert_eq!(
            Visibility::from_label("Öffentlich"),
            Some(Visibility::Public)
        );
        assert_eq!(Priority::from_label("urgent"), None);
    }
}
