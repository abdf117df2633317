use std::collections::BTreeMap;

use perfkit::FastJson;
use serde::{Deserialize, Serialize};

/// Ids are numbers; as object keys serde_json reads and writes them as quoted integers.
pub type Id = u32;

#[derive(Serialize, Deserialize, FastJson, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
#[json(rename_all = "camelCase")]
pub struct CitmCatalog {
    pub area_names: BTreeMap<Id, String>,
    pub audience_sub_category_names: BTreeMap<Id, String>,
    pub block_names: BTreeMap<Id, String>,
    pub events: BTreeMap<Id, Event>,
    pub performances: Vec<Performance>,
    pub seat_category_names: BTreeMap<Id, String>,
    pub sub_topic_names: BTreeMap<Id, String>,
    pub subject_names: BTreeMap<Id, String>,
    pub topic_names: BTreeMap<Id, String>,
    pub topic_sub_topics: BTreeMap<Id, Vec<Id>>,
    pub venue_names: BTreeMap<String, String>,
}

#[derive(Serialize, Deserialize, FastJson, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
#[json(rename_all = "camelCase")]
pub struct Event {
    pub description: Option<String>,
    pub id: Id,
    pub logo: Option<String>,
    pub name: String,
    pub sub_topic_ids: Vec<Id>,
    pub subject_code: Option<String>,
    pub subtitle: Option<String>,
    pub topic_ids: Vec<Id>,
}

#[derive(Serialize, Deserialize, FastJson, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
#[json(rename_all = "camelCase")]
pub struct Performance {
    pub event_id: Id,
    pub id: Id,
    pub logo: Option<String>,
    pub name: Option<String>,
    pub prices: Vec<Price>,
    pub seat_categories: Vec<SeatCategory>,
    pub seat_map_image: Option<String>,
    pub start: u64,
    pub venue_code: String,
}

#[derive(Serialize, Deserialize, FastJson, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
#[json(rename_all = "camelCase")]
pub struct Price {
    pub amount: u32,
    pub audience_sub_category_id: Id,
    pub seat_category_id: Id,
}

#[derive(Serialize, Deserialize, FastJson, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
#[json(rename_all = "camelCase")]
pub struct SeatCategory {
    pub areas: Vec<Area>,
    pub seat_category_id: Id,
}

#[derive(Serialize, Deserialize, FastJson, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
#[json(rename_all = "camelCase")]
pub struct Area {
    pub area_id: Id,
    pub block_ids: Vec<Id>,
}
