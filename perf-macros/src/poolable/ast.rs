//! The typed model of a `#[derive(Poolable)]` input.

use syn::{Data, DeriveInput, Fields, Member, Path, Type};

use super::attr::{self, Errors};

pub struct Input<'a> {
    pub original: &'a DeriveInput,
    pub attrs: attr::Container,
    pub body: Body<'a>,
}

pub enum Body<'a> {
    /// Fields reset one by one.
    Struct(Vec<Field<'a>>),
    /// Reset to `Default::default()` as a whole.
    Enum,
}

pub struct Field<'a> {
    pub member: Member,
    pub ty: &'a Type,
    pub attrs: attr::Field,
}

impl<'a> Input<'a> {
    pub fn from_syn(input: &'a DeriveInput) -> syn::Result<Self> {
        let mut errors = Errors::default();
        let attrs = attr::container(&input.attrs, &mut errors);
        let body = match &input.data {
            Data::Struct(s) => Body::Struct(fields(&s.fields, &mut errors)),
            Data::Enum(e) => {
                for variant in &e.variants {
                    attr::reject(&variant.attrs, &mut errors, "enum variants");
                    for field in &variant.fields {
                        attr::reject(&field.attrs, &mut errors, "enum fields");
                    }
                }
                Body::Enum
            }
            Data::Union(u) => {
                errors.push(syn::Error::new(
                    u.union_token.span,
                    "#[derive(Poolable)] does not support unions: which field to reset is unknown; implement `Poolable` by hand",
                ));
                Body::Enum
            }
        };
        errors.finish()?;
        Ok(Input {
            original: input,
            attrs,
            body,
        })
    }

    /// `::perfkit::__private`, or `<crate>::__private` with `#[poolable(crate = "...")]`.
    pub fn private(&self) -> Path {
        let mut path: Path = match &self.attrs.krate {
            Some(krate) => krate.clone(),
            None => syn::parse_quote!(::perfkit),
        };
        path.segments.push(syn::parse_quote!(__private));
        path
    }
}

fn fields<'a>(fields: &'a Fields, errors: &mut Errors) -> Vec<Field<'a>> {
    fields
        .iter()
        .enumerate()
        .map(|(i, field)| Field {
            member: match &field.ident {
                Some(ident) => Member::Named(ident.clone()),
                None => Member::Unnamed(i.into()),
            },
            ty: &field.ty,
            attrs: attr::field(&field.attrs, errors),
        })
        .collect()
}
