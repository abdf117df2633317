//! `#[derive(FastJson)]`, laid out as serde_derive and thiserror are: a typed model (`ast`),
//! attribute parsing (`attr`), validation (`valid`), bounds (`bound`), then code generation
//! (`object` for objects and arrays, `expand` for the impls).

mod ast;
mod attr;
mod bound;
mod case;
mod expand;
mod object;
mod valid;

pub use expand::derive;
