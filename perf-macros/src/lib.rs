//! Procedural macros of [perfkit](https://docs.rs/perfkit). Use them through the facade:
//! `perfkit::no_alloc`, `perfkit::Poolable`, `perfkit::FastJson`.

use proc_macro::TokenStream;

mod json;
mod no_alloc;
mod poolable;

/// Fails the calling test if the function allocates: see `perfkit::no_alloc`.
#[proc_macro_attribute]
pub fn no_alloc(attr: TokenStream, item: TokenStream) -> TokenStream {
    no_alloc::expand(attr.into(), item.into()).into()
}

/// Implements `Poolable` field by field: see `perfkit::Poolable`.
#[proc_macro_derive(Poolable, attributes(poolable))]
pub fn derive_poolable(input: TokenStream) -> TokenStream {
    poolable::derive(input.into()).into()
}

/// Derives `FastJson`: a generated, hand-written-style JSON encoder. See `perfkit::FastJson`.
#[proc_macro_derive(FastJson, attributes(json))]
pub fn derive_fast_json(input: TokenStream) -> TokenStream {
    json::derive(input.into()).into()
}
