//! Code generation.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{DeriveInput, WherePredicate};

use super::ast::{Body, Input};
use super::bound::mentions_param;

pub fn impl_poolable(input: &Input<'_>) -> TokenStream {
    let private = input.private();
    let original = input.original;
    let name = &original.ident;
    let (impl_generics, ty_generics, where_clause) = original.generics.split_for_impl();
    let mut predicates: Vec<WherePredicate> = where_clause
        .map(|w| w.predicates.iter().cloned().collect())
        .unwrap_or_default();
    let inferred = input.attrs.bound.is_none();
    if let Some(bound) = &input.attrs.bound {
        predicates.extend(bound.iter().cloned());
    }

    let (reset, retain) = match &input.body {
        Body::Enum => {
            if inferred && !original.generics.params.is_empty() {
                predicates.push(syn::parse_quote!(Self: ::core::default::Default));
            }
            let reset = quote_spanned! {name.span()=>
                *self = <Self as ::core::default::Default>::default();
            };
            (reset, quote!(true))
        }
        Body::Struct(fields) => {
            let mut resets = Vec::new();
            let mut checks = Vec::new();
            for field in fields {
                let (member, ty) = (&field.member, field.ty);
                let generic = inferred && mentions_param(ty, &original.generics);
                if field.attrs.skip.is_some() {
                    continue;
                }
                match &field.attrs.reset_with {
                    Some(path) => resets.push(quote_spanned! {path.span()=>
                        #path(&mut self.#member);
                    }),
                    None => {
                        if generic {
                            predicates.push(syn::parse_quote!(#ty: #private::Poolable));
                        }
                        resets.push(quote_spanned! {ty.span()=>
                            <#ty as #private::Poolable>::reset(&mut self.#member);
                        });
                        checks.push(quote_spanned! {ty.span()=>
                            <#ty as #private::Poolable>::retain(&self.#member)
                        });
                    }
                }
                if let Some(max) = &field.attrs.max_capacity {
                    if generic {
                        predicates.push(syn::parse_quote!(#ty: #private::Capacity));
                    }
                    let max =
                        syn::LitInt::new(&format!("{}usize", max.base10_digits()), max.span());
                    checks.push(quote_spanned! {ty.span()=>
                        <#ty as #private::Capacity>::capacity(&self.#member) <= #max
                    });
                }
            }
            let retain = if checks.is_empty() {
                quote!(true)
            } else {
                quote!(#(#checks)&&*)
            };
            (quote!(#(#resets)*), retain)
        }
    };

    let where_clause = if predicates.is_empty() {
        quote!()
    } else {
        quote!(where #(#predicates),*)
    };
    quote! {
        #[automatically_derived]
        impl #impl_generics #private::Poolable for #name #ty_generics #where_clause {
            #[inline]
            fn reset(&mut self) {
                #reset
            }

            #[inline]
            fn retain(&self) -> ::core::primitive::bool {
                #retain
            }
        }
    }
}

/// The impl emitted next to `compile_error!`, so that uses of the type as `Poolable` do not
/// add errors of their own.
pub fn fallback(input: &DeriveInput) -> TokenStream {
    let name = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    quote! {
        #[automatically_derived]
        impl #impl_generics ::perfkit::__private::Poolable for #name #ty_generics #where_clause {
            fn reset(&mut self) {
                ::core::unreachable!()
            }
        }
    }
}
