//! `#[poolable(...)]` attributes, collected with every error of the input.

use proc_macro2::Span;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Attribute, Expr, ExprLit, Lit, LitInt, LitStr, Path, Token, WherePredicate};

/// Collects errors so that one compile shows all of them.
#[derive(Default)]
pub struct Errors(Option<syn::Error>);

impl Errors {
    pub fn push(&mut self, e: syn::Error) {
        match &mut self.0 {
            Some(all) => all.combine(e),
            None => self.0 = Some(e),
        }
    }

    pub fn finish(self) -> syn::Result<()> {
        self.0.map_or(Ok(()), Err)
    }
}

/// Container attributes: `crate = "path"`, `bound = "T: Trait, …"`.
#[derive(Default)]
pub struct Container {
    pub krate: Option<Path>,
    pub bound: Option<Punctuated<WherePredicate, Token![,]>>,
}

/// Field attributes: `skip`, `reset_with = path`, `max_capacity = N`.
#[derive(Default)]
pub struct Field {
    pub skip: Option<Span>,
    pub reset_with: Option<Path>,
    pub max_capacity: Option<LitInt>,
}

/// Parses every `#[poolable(...)]` in `attrs` with `one`, reporting errors to `errors`.
fn each(
    attrs: &[Attribute],
    errors: &mut Errors,
    mut one: impl FnMut(&syn::meta::ParseNestedMeta<'_>, &str, &mut Errors) -> syn::Result<()>,
) {
    for attr in attrs.iter().filter(|a| a.path().is_ident("poolable")) {
        let mut inner = Errors::default();
        let parsed = attr.parse_nested_meta(|meta| {
            let result = match meta.path.get_ident().map(ToString::to_string) {
                Some(name) => one(&meta, &name, &mut inner),
                None => Err(meta.error("unknown #[poolable] attribute")),
            };
            if let Err(e) = result {
                // Report it and go on with the next item, so one compile shows every error.
                inner.push(e);
                if meta.input.peek(Token![=]) {
                    meta.value()?.parse::<Expr>()?;
                }
            }
            Ok(())
        });
        if let Err(e) = parsed {
            errors.push(e);
        }
        if let Err(e) = inner.finish() {
            errors.push(e);
        }
    }
}

/// The literal of `name = "..."`.
fn string(meta: &syn::meta::ParseNestedMeta<'_>, name: &str) -> syn::Result<LitStr> {
    match meta.value()?.parse::<Expr>()? {
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) => Ok(s),
        other => Err(syn::Error::new(
            other.span(),
            format!("expected a string literal for `{name}`, as in `{name} = \"...\"`"),
        )),
    }
}

pub fn container(attrs: &[Attribute], errors: &mut Errors) -> Container {
    let mut out = Container::default();
    each(attrs, errors, |meta, name, errors| {
        match name {
            "crate" => {
                let lit = string(meta, "crate")?;
                if out.krate.is_some() {
                    errors.push(meta.error("duplicate #[poolable] attribute `crate`"));
                }
                out.krate = Some(lit.parse()?);
            }
            "bound" => {
                let lit = string(meta, "bound")?;
                if out.bound.is_some() {
                    errors.push(meta.error("duplicate #[poolable] attribute `bound`"));
                }
                out.bound = Some(lit.parse_with(Punctuated::parse_terminated)?);
            }
            "skip" | "reset_with" | "max_capacity" => {
                return Err(meta.error(format!(
                    "`{name}` is a field attribute: put #[poolable({name})] on a field"
                )));
            }
            other => {
                return Err(meta.error(format!(
                    "unknown #[poolable] attribute `{other}`; expected `crate` or `bound` here"
                )));
            }
        }
        Ok(())
    });
    out
}

pub fn field(attrs: &[Attribute], errors: &mut Errors) -> Field {
    let mut out = Field::default();
    each(attrs, errors, |meta, name, errors| {
        match name {
            "skip" => {
                if out.skip.is_some() {
                    errors.push(meta.error("duplicate #[poolable] attribute `skip`"));
                }
                out.skip = Some(meta.path.span());
            }
            "reset_with" => {
                let path = match meta.value()?.parse::<Expr>()? {
                    Expr::Path(p) if p.qself.is_none() => p.path,
                    Expr::Lit(ExprLit {
                        lit: Lit::Str(s), ..
                    }) => s.parse()?,
                    other => {
                        return Err(syn::Error::new(
                            other.span(),
                            "expected a function path for `reset_with`, as in `reset_with = my_reset`",
                        ));
                    }
                };
                if out.reset_with.is_some() {
                    errors.push(meta.error("duplicate #[poolable] attribute `reset_with`"));
                }
                out.reset_with = Some(path);
            }
            "max_capacity" => {
                let lit = match meta.value()?.parse::<Expr>()? {
                    Expr::Lit(ExprLit {
                        lit: Lit::Int(n), ..
                    }) => n,
                    other => {
                        return Err(syn::Error::new(
                            other.span(),
                            "expected an integer literal for `max_capacity`, as in `max_capacity = 4096`",
                        ));
                    }
                };
                lit.base10_parse::<usize>()?;
                if out.max_capacity.is_some() {
                    errors.push(meta.error("duplicate #[poolable] attribute `max_capacity`"));
                }
                out.max_capacity = Some(lit);
            }
            "crate" | "bound" => {
                return Err(meta.error(format!(
                    "`{name}` is a container attribute: put #[poolable({name} = \"...\")] on the type"
                )));
            }
            other => {
                return Err(meta.error(format!(
                    "unknown #[poolable] attribute `{other}`; expected `skip`, `reset_with` or `max_capacity`"
                )));
            }
        }
        Ok(())
    });
    if let Some(skip) = out.skip {
        if out.reset_with.is_some() {
            errors.push(syn::Error::new(
                skip,
                "#[poolable(skip)] conflicts with `reset_with`: a skipped field is not reset",
            ));
        }
        if out.max_capacity.is_some() {
            errors.push(syn::Error::new(
                skip,
                "#[poolable(skip)] conflicts with `max_capacity`: a skipped field is not checked",
            ));
        }
    }
    out
}

/// Rejects `#[poolable]` where it has no meaning (enum variants and their fields).
pub fn reject(attrs: &[Attribute], errors: &mut Errors, what: &str) {
    for attr in attrs.iter().filter(|a| a.path().is_ident("poolable")) {
        errors.push(syn::Error::new_spanned(
            attr,
            format!("#[poolable] attributes are not supported on {what}: an enum is reset to its `Default` as a whole"),
        ));
    }
}
