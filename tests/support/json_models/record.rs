//! The bench's "~10-field, ~330-byte struct": an order line as a web service would send it.

use perfkit::FastJson;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, FastJson, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
#[json(rename_all = "camelCase")]
pub struct Order {
    pub id: u64,
    pub customer_id: u32,
    pub customer_name: String,
    pub email: String,
    pub shipping_address: String,
    pub item_sku: String,
    pub quantity: u16,
    pub unit_price: f64,
    pub paid: bool,
    pub note: Option<String>,
    pub created_at: String,
}

/// A typical order; its compact encoding is about 330 bytes.
pub fn sample() -> Order {
    Order {
        id: 9_007_199_254_740_993,
        customer_id: 4_193_207,
        customer_name: "Hélène Dupont".to_owned(),
        email: "helene.dupont@example.com".to_owned(),
        shipping_address: "12 rue des Quatre-Vents, 75006 Paris".to_owned(),
        item_sku: "SKU-ESPRESSO-GRINDER".to_owned(),
        quantity: 3,
        unit_price: 249.99,
        paid: true,
        note: Some("Leave at the \"concierge\" desk\nif out".to_owned()),
        created_at: "2026-11-27T15:30:00.123456Z".to_owned(),
    }
}
