//! The typed model of the input, borrowing from syn, with attributes parsed and names
//! resolved (renames and `rename_all` applied).

use syn::{DeriveInput, Ident, Member, Type};

use super::attr::{self, Ctxt};
use super::case::RenameRule;

pub struct Container<'a> {
    pub input: &'a DeriveInput,
    pub attrs: attr::Container,
    pub data: Data<'a>,
}

pub enum Data<'a> {
    Struct(Style, Vec<Field<'a>>),
    Enum(Vec<Variant<'a>>),
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `struct S { a: T }`
    Named,
    /// `struct S(A, B)`
    Tuple,
    /// `struct S(T)`
    Newtype,
    /// `struct S;`
    Unit,
}

pub struct Variant<'a> {
    pub ident: &'a Ident,
    /// The JSON name, after `rename` / `rename_all`.
    pub name: String,
    pub style: Style,
    pub fields: Vec<Field<'a>>,
}

pub struct Field<'a> {
    pub member: Member,
    pub ty: &'a Type,
    pub attrs: attr::Field,
    /// The JSON key, after `rename` / `rename_all` (named fields only).
    pub name: String,
}

impl Field<'_> {
    pub fn skipped(&self) -> bool {
        self.attrs.skip.is_some()
    }
}

fn style_of(fields: &syn::Fields) -> Style {
    match fields {
        syn::Fields::Named(_) => Style::Named,
        syn::Fields::Unnamed(u) if u.unnamed.len() == 1 => Style::Newtype,
        syn::Fields::Unnamed(_) => Style::Tuple,
        syn::Fields::Unit => Style::Unit,
    }
}

/// The name serde gives an identifier: without the `r#` of a raw identifier.
pub fn unraw(ident: &Ident) -> String {
    let s = ident.to_string();
    s.strip_prefix("r#").map(str::to_owned).unwrap_or(s)
}

fn fields<'a>(cx: &mut Ctxt, fields: &'a syn::Fields, rule: Option<RenameRule>) -> Vec<Field<'a>> {
    fields
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let attrs = attr::Field::parse(cx, &f.attrs);
            let (member, name) = match &f.ident {
                Some(id) => {
                    let raw = unraw(id);
                    let name = match (&attrs.rename, rule) {
                        (Some(r), _) => r.value.clone(),
                        (None, Some(rule)) => rule.apply_to_field(&raw),
                        (None, None) => raw,
                    };
                    (Member::Named(id.clone()), name)
                }
                None => (Member::Unnamed(i.into()), i.to_string()),
            };
            Field {
                member,
                ty: &f.ty,
                attrs,
                name,
            }
        })
        .collect()
}

impl<'a> Container<'a> {
    pub fn from_ast(cx: &mut Ctxt, input: &'a DeriveInput) -> Option<Self> {
        let attrs = attr::Container::parse(cx, &input.attrs);
        let rule = attrs.rename_all.as_ref().map(|r| r.value);
        let data = match &input.data {
            syn::Data::Struct(s) => Data::Struct(style_of(&s.fields), fields(cx, &s.fields, rule)),
            syn::Data::Enum(e) => {
                let fields_rule = attrs.rename_all_fields.as_ref().map(|r| r.value);
                let variants = e
                    .variants
                    .iter()
                    .map(|v| {
                        let vattrs = attr::Variant::parse(cx, &v.attrs);
                        let name = match (&vattrs.rename, rule) {
                            (Some(r), _) => r.value.clone(),
                            (None, Some(rule)) => rule.apply_to_variant(&unraw(&v.ident)),
                            (None, None) => unraw(&v.ident),
                        };
                        let frule = vattrs.rename_all.as_ref().map(|r| r.value).or(fields_rule);
                        Variant {
                            ident: &v.ident,
                            name,
                            style: style_of(&v.fields),
                            fields: fields(cx, &v.fields, frule),
                        }
                    })
                    .collect();
                Data::Enum(variants)
            }
            syn::Data::Union(u) => {
                cx.error_spanned(u.union_token, "`FastJson` cannot be derived for unions");
                return None;
            }
        };
        Some(Container { input, attrs, data })
    }

    /// The JSON name of the container (used by a struct's `tag`).
    pub fn name(&self) -> String {
        match &self.attrs.rename {
            Some(r) => r.value.clone(),
            None => unraw(&self.input.ident),
        }
    }
}
