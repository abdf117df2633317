//! Where-clauses: `T: FastJson` for each type parameter that a serialized field mentions
//! (`T: JsonFields` when it is flattened), unless `bound = "..."` says otherwise.

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;
use syn::{Generics, WherePredicate};

use super::ast::{Container, Data, Field};
use super::expand::Gen;

fn mentions(tokens: TokenStream, name: &syn::Ident) -> bool {
    tokens.into_iter().any(|t| match t {
        TokenTree::Ident(i) => &i == name,
        TokenTree::Group(g) => mentions(g.stream(), name),
        _ => false,
    })
}

impl Gen<'_> {
    pub fn generics(&self, cont: &Container<'_>) -> Generics {
        let mut generics = cont.input.generics.clone();
        let preds = self.predicates(cont);
        let wc = generics.make_where_clause();
        wc.predicates.extend(preds);
        generics
    }

    fn predicates(&self, cont: &Container<'_>) -> Vec<WherePredicate> {
        if let Some(b) = &cont.attrs.bound {
            return b.value.clone();
        }
        let fields: Vec<&Field<'_>> = match &cont.data {
            Data::Struct(_, fields) => fields.iter().collect(),
            Data::Enum(vs) => vs.iter().flat_map(|v| v.fields.iter()).collect(),
        };
        let fj = self.path("FastJson");
        let jf = self.path("JsonFields");
        let mut out: Vec<WherePredicate> = Vec::new();
        let mut explicit = Vec::new();
        for f in &fields {
            if let Some(b) = &f.attrs.bound {
                explicit.extend(b.value.iter().cloned());
            }
        }
        for param in cont.input.generics.type_params() {
            let id = &param.ident;
            let mut want_fj = false;
            let mut want_jf = false;
            for f in &fields {
                if f.skipped() || f.attrs.with.is_some() || f.attrs.bound.is_some() {
                    continue;
                }
                if !mentions(f.ty.to_token_stream(), id) {
                    continue;
                }
                if f.attrs.flatten.is_some() {
                    want_jf = true;
                } else {
                    want_fj = true;
                }
            }
            if want_fj {
                out.push(syn::parse_quote!(#id: #fj));
            }
            if want_jf {
                out.push(syn::parse_quote!(#id: #jf));
            }
        }
        // Internally tagged newtype variants write their payload's members.
        if let Data::Enum(vs) = &cont.data
            && cont.attrs.tag.is_some()
            && cont.attrs.content.is_none()
        {
            for v in vs {
                if let (super::ast::Style::Newtype, Some(f)) = (v.style, v.fields.first()) {
                    for param in cont.input.generics.type_params() {
                        let id = &param.ident;
                        if mentions(f.ty.to_token_stream(), id) {
                            out.push(syn::parse_quote!(#id: #jf));
                        }
                    }
                }
            }
        }
        out.extend(explicit);
        out
    }
}
