//! Stored enums written by their API names (`IN_PROGRESS`) rather than their database values
//! (`in_progress`), for JSON that must read as the API shows it (published council reports).

use sea_orm::ActiveEnum;
use serde::{Deserialize, Deserializer, Serializer, de::Error};

fn to_api_name<T: ActiveEnum<Value = String>>(value: &T) -> String {
    value.to_value().to_uppercase()
}

fn from_api_name<T: ActiveEnum<Value = String>, E: Error>(name: &str) -> Result<T, E> {
    T::try_from_value(&name.to_lowercase()).map_err(|_| E::custom(format!("unknown value {name}")))
}

/// `#[serde(with = "api_name")]` on a stored enum.
pub mod api_name {
    use super::*;

    pub fn serialize<T: ActiveEnum<Value = String>, S: Serializer>(
        value: &T,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&to_api_name(value))
    }

    pub fn deserialize<'de, T: ActiveEnum<Value = String>, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<T, D::Error> {
        from_api_name(&String::deserialize(deserializer)?)
    }
}

/// `#[serde(with = "optional_api_name")]` on an optional stored enum.
pub mod optional_api_name {
    use super::*;

    pub fn serialize<T: ActiveEnum<Value = String>, S: Serializer>(
        value: &Option<T>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(value) => serializer.serialize_some(&to_api_name(value)),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, T: ActiveEnum<Value = String>, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<T>, D::Error> {
        Option::<String>::deserialize(deserializer)?
            .map(|name| from_api_name(&name))
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use entity::enums::{Rag, Status};
    use serde::{Deserialize, Serialize};

    #[derive(Serialize, Deserialize, PartialEq, Debug)]
    struct Row {
        #[serde(with = "super::api_name")]
        status: Status,
        #[serde(with = "super::optional_api_name")]
        rag: Option<Rag>,
    }

    #[test]
    fn enums_are_written_and_read_by_their_api_names() {
        let row = Row {
            status: Status::InProgress,
            rag: Some(Rag::Amber),
        };
        let json = serde_json::to_string(&row).unwrap();
        assert_eq!(json, r#"{"status":"IN_PROGRESS","rag":"AMBER"}"#);
        assert_eq!(serde_json::from_str::<Row>(&json).unwrap(), row);
        let none: Row = serde_json::from_str(r#"{"status":"ON_HOLD","rag":null}"#).unwrap();
        assert_eq!(none.rag, None);
        assert!(serde_json::from_str::<Row>(r#"{"status":"LATE","rag":null}"#).is_err());
    }
}
