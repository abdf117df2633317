//! `#[derive(Poolable)]`: parse into a typed model (`ast`, `attr`), infer bounds (`bound`),
//! generate the impl (`expand`). Every attribute error of one input is reported in one
//! compile; on error a stub impl is still emitted so uses of the type do not cascade.

mod ast;
mod attr;
mod bound;
mod expand;

use proc_macro2::TokenStream;
use syn::DeriveInput;

/// Entry point of `#[derive(Poolable)]`.
pub fn derive(input: TokenStream) -> TokenStream {
    let input = match syn::parse2::<DeriveInput>(input) {
        Ok(input) => input,
        Err(e) => return e.into_compile_error(),
    };
    match ast::Input::from_syn(&input) {
        Ok(model) => expand::impl_poolable(&model),
        Err(e) => {
            let mut out = e.into_compile_error();
            out.extend(expand::fallback(&input));
            out
        }
    }
}
