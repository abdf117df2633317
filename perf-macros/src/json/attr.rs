//! `#[json(...)]` attribute parsing. Every error is collected in a [`Ctxt`] so one compile
//! reports all of them.

use proc_macro2::Span;
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned as _;
use syn::{Attribute, LitStr, Path, WherePredicate};

use super::case::RenameRule;

/// Collects errors (serde's `internals/ctxt.rs`).
#[derive(Default)]
pub struct Ctxt {
    errors: Option<syn::Error>,
}

impl Ctxt {
    pub fn error(&mut self, span: Span, msg: impl std::fmt::Display) {
        self.push(syn::Error::new(span, msg));
    }

    pub fn error_spanned(&mut self, tokens: impl quote::ToTokens, msg: impl std::fmt::Display) {
        self.push(syn::Error::new_spanned(tokens, msg));
    }

    pub fn push(&mut self, e: syn::Error) {
        match &mut self.errors {
            Some(all) => all.combine(e),
            None => self.errors = Some(e),
        }
    }

    pub fn finish(self) -> Result<(), syn::Error> {
        self.errors.map_or(Ok(()), Err)
    }
}

/// A value of an attribute together with the span of its name, for error messages.
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

/// Sets `slot` once; a second occurrence is an error.
fn set<T>(cx: &mut Ctxt, slot: &mut Option<Spanned<T>>, name: &str, span: Span, value: T) {
    if slot.is_some() {
        cx.error(span, format!("duplicate `{name}` attribute"));
    } else {
        *slot = Some(Spanned { value, span });
    }
}

fn lit_str(meta: &ParseNestedMeta<'_>) -> syn::Result<LitStr> {
    meta.value()?.parse::<LitStr>()
}

/// Parses the content of a string literal, e.g. the path in `skip_if = "Option::is_none"`.
fn parse_lit<T: syn::parse::Parse>(lit: &LitStr, name: &str, what: &str) -> syn::Result<T> {
    lit.parse::<T>().map_err(|_| {
        syn::Error::new(
            lit.span(),
            format!("`{name}` expects {what}, found {:?}", lit.value()),
        )
    })
}

fn rename_rule(cx: &mut Ctxt, lit: &LitStr) -> Option<RenameRule> {
    let rule = RenameRule::parse(&lit.value());
    if rule.is_none() {
        cx.error(
            lit.span(),
            format!(
                "unknown rename rule `rename_all = {:?}`, expected one of {}",
                lit.value(),
                RenameRule::expected()
            ),
        );
    }
    rule
}

fn where_predicates(lit: &LitStr) -> syn::Result<Vec<WherePredicate>> {
    let parser = syn::punctuated::Punctuated::<WherePredicate, syn::Token![,]>::parse_terminated;
    Ok(syn::parse::Parser::parse_str(parser, &lit.value())
        .map_err(|e| syn::Error::new(lit.span(), format!("invalid `bound`: {e}")))?
        .into_iter()
        .collect())
}

/// Runs `f` on every nested meta of every `#[json(...)]` attribute.
fn each_json_meta(
    cx: &mut Ctxt,
    attrs: &[Attribute],
    mut f: impl FnMut(&mut Ctxt, &ParseNestedMeta<'_>, &str) -> syn::Result<()>,
) {
    for attr in attrs {
        if !attr.path().is_ident("json") {
            continue;
        }
        if let syn::Meta::Path(p) = &attr.meta {
            cx.error_spanned(p, "expected `#[json(...)]` with at least one argument");
            continue;
        }
        let mut inner_errors = Vec::new();
        let result = attr.parse_nested_meta(|meta| {
            let name = meta
                .path
                .get_ident()
                .map(|i| i.to_string())
                .unwrap_or_default();
            if let Err(e) = f(cx, &meta, &name) {
                inner_errors.push(e);
                // Skip the rest of this item's tokens so parsing can go on with the next one.
                if meta.input.peek(syn::Token![=]) {
                    let _ = meta.value().and_then(|v| v.parse::<syn::Expr>());
                }
            }
            Ok(())
        });
        for e in inner_errors {
            cx.push(e);
        }
        if let Err(e) = result {
            cx.push(e);
        }
    }
}

fn unknown(meta: &ParseNestedMeta<'_>, name: &str, allowed: &str) -> syn::Error {
    let shown = if name.is_empty() {
        meta.path
            .segments
            .iter()
            .map(|s| s.ident.to_string())
            .collect::<Vec<_>>()
            .join("::")
    } else {
        name.to_owned()
    };
    meta.error(format!(
        "unknown json attribute `{shown}`; expected one of {allowed}"
    ))
}

/// Attributes on the struct or enum.
#[derive(Default)]
pub struct Container {
    pub rename: Option<Spanned<String>>,
    pub rename_all: Option<Spanned<RenameRule>>,
    pub rename_all_fields: Option<Spanned<RenameRule>>,
    pub transparent: Option<Spanned<()>>,
    pub tag: Option<Spanned<String>>,
    pub content: Option<Spanned<String>>,
    pub untagged: Option<Spanned<()>>,
    pub krate: Option<Spanned<Path>>,
    pub bound: Option<Spanned<Vec<WherePredicate>>>,
}

const CONTAINER_ATTRS: &str = "`rename`, `rename_all`, `rename_all_fields`, `transparent`, `tag`, `content`, `untagged`, `crate`, `bound`";

impl Container {
    pub fn parse(cx: &mut Ctxt, attrs: &[Attribute]) -> Self {
        let mut c = Container::default();
        each_json_meta(cx, attrs, |cx, meta, name| {
            let span = meta.path.span();
            match name {
                "rename" => {
                    let l = lit_str(meta)?;
                    set(cx, &mut c.rename, name, span, l.value());
                }
                "rename_all" => {
                    let l = lit_str(meta)?;
                    if let Some(r) = rename_rule(cx, &l) {
                        set(cx, &mut c.rename_all, name, span, r);
                    }
                }
                "rename_all_fields" => {
                    let l = lit_str(meta)?;
                    if let Some(r) = rename_rule(cx, &l) {
                        set(cx, &mut c.rename_all_fields, name, span, r);
                    }
                }
                "transparent" => set(cx, &mut c.transparent, name, span, ()),
                "untagged" => set(cx, &mut c.untagged, name, span, ()),
                "tag" => {
                    let l = lit_str(meta)?;
                    set(cx, &mut c.tag, name, span, l.value());
                }
                "content" => {
                    let l = lit_str(meta)?;
                    set(cx, &mut c.content, name, span, l.value());
                }
                "crate" => {
                    let l = lit_str(meta)?;
                    let p = parse_lit::<Path>(&l, name, "a path to the perfkit crate")?;
                    set(cx, &mut c.krate, name, span, p);
                }
                "bound" => {
                    let l = lit_str(meta)?;
                    let preds = where_predicates(&l)?;
                    set(cx, &mut c.bound, name, span, preds);
                }
                _ => return Err(unknown(meta, name, CONTAINER_ATTRS)),
            }
            Ok(())
        });
        c
    }
}

/// Attributes on an enum variant.
#[derive(Default)]
pub struct Variant {
    pub rename: Option<Spanned<String>>,
    pub rename_all: Option<Spanned<RenameRule>>,
}

const VARIANT_ATTRS: &str = "`rename`, `rename_all`";

impl Variant {
    pub fn parse(cx: &mut Ctxt, attrs: &[Attribute]) -> Self {
        let mut v = Variant::default();
        each_json_meta(cx, attrs, |cx, meta, name| {
            let span = meta.path.span();
            match name {
                "rename" => {
                    let l = lit_str(meta)?;
                    set(cx, &mut v.rename, name, span, l.value());
                }
                "rename_all" => {
                    let l = lit_str(meta)?;
                    if let Some(r) = rename_rule(cx, &l) {
                        set(cx, &mut v.rename_all, name, span, r);
                    }
                }
                "skip" => {
                    return Err(meta.error(
                        "`skip` is not supported on variants: a value of a skipped variant could not be encoded",
                    ));
                }
                _ => return Err(unknown(meta, name, VARIANT_ATTRS)),
            }
            Ok(())
        });
        v
    }
}

/// Attributes on a field.
#[derive(Default)]
pub struct Field {
    pub rename: Option<Spanned<String>>,
    pub skip: Option<Spanned<()>>,
    pub skip_if: Option<Spanned<Path>>,
    pub omit_empty: Option<Spanned<()>>,
    pub flatten: Option<Spanned<()>>,
    pub with: Option<Spanned<Path>>,
    pub as_string: Option<Spanned<()>>,
    pub bound: Option<Spanned<Vec<WherePredicate>>>,
}

const FIELD_ATTRS: &str =
    "`rename`, `skip`, `skip_if`, `omit_empty`, `flatten`, `with`, `as_string`, `bound`";

impl Field {
    pub fn parse(cx: &mut Ctxt, attrs: &[Attribute]) -> Self {
        let mut f = Field::default();
        each_json_meta(cx, attrs, |cx, meta, name| {
            let span = meta.path.span();
            match name {
                "rename" => {
                    let l = lit_str(meta)?;
                    set(cx, &mut f.rename, name, span, l.value());
                }
                "skip" => set(cx, &mut f.skip, name, span, ()),
                "skip_if" => {
                    let l = lit_str(meta)?;
                    let p = parse_lit::<Path>(&l, name, "a path to a `fn(&T) -> bool`")?;
                    set(cx, &mut f.skip_if, name, span, p);
                }
                "omit_empty" => set(cx, &mut f.omit_empty, name, span, ()),
                "flatten" => set(cx, &mut f.flatten, name, span, ()),
                "with" => {
                    let l = lit_str(meta)?;
                    let p =
                        parse_lit::<Path>(&l, name, "a path to a `fn(&T, &mut JsonWriter<'_>)`")?;
                    set(cx, &mut f.with, name, span, p);
                }
                "as_string" => set(cx, &mut f.as_string, name, span, ()),
                "bound" => {
                    let l = lit_str(meta)?;
                    let preds = where_predicates(&l)?;
                    set(cx, &mut f.bound, name, span, preds);
                }
                _ => return Err(unknown(meta, name, FIELD_ATTRS)),
            }
            Ok(())
        });
        f
    }
}
