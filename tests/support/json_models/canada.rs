use perfkit::FastJson;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, FastJson, Debug, Clone, PartialEq)]
pub struct Canada {
    #[serde(rename = "type")]
    #[json(rename = "type")]
    pub obj_type: ObjType,
    pub features: Vec<Feature>,
}

#[derive(Serialize, Deserialize, FastJson, Debug, Clone, Copy, PartialEq)]
pub enum ObjType {
    FeatureCollection,
    Feature,
    Polygon,
}

#[derive(Serialize, Deserialize, FastJson, Debug, Clone, PartialEq)]
pub struct Feature {
    #[serde(rename = "type")]
    #[json(rename = "type")]
    pub obj_type: ObjType,
    pub properties: Properties,
    pub geometry: Geometry,
}

#[derive(Serialize, Deserialize, FastJson, Debug, Clone, PartialEq)]
pub struct Properties {
    pub name: String,
}

#[derive(Serialize, Deserialize, FastJson, Debug, Clone, PartialEq)]
pub struct Geometry {
    #[serde(rename = "type")]
    #[json(rename = "type")]
    pub obj_type: ObjType,
    pub coordinates: Vec<Vec<Point>>,
}

/// `[longitude, latitude]`.
pub type Point = (f64, f64);
