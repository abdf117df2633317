//! `#[no_alloc]`: a guard local at the top of the function body.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
use syn::parse::{Parse, ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::{Block, FnArg, ItemFn, Meta, Pat, Signature, Stmt, Token, TraitItemFn};

#[derive(Default)]
struct Args {
    strict: bool,
    always: bool,
}

fn parse_args(attr: TokenStream) -> syn::Result<Args> {
    let metas = Punctuated::<Meta, Token![,]>::parse_terminated.parse2(attr)?;
    let mut args = Args::default();
    let mut errors: Option<syn::Error> = None;
    let mut push = |e: syn::Error| match &mut errors {
        Some(all) => all.combine(e),
        None => errors = Some(e),
    };
    for meta in metas {
        let id = match meta {
            Meta::Path(p) if p.get_ident().is_some() => p.get_ident().cloned().expect("checked"),
            other => {
                push(syn::Error::new_spanned(
                    &other,
                    "#[no_alloc] arguments are bare words: `strict`, `always`",
                ));
                continue;
            }
        };
        let slot = match id.to_string().as_str() {
            "strict" => &mut args.strict,
            "always" => &mut args.always,
            other => {
                push(syn::Error::new(
                    id.span(),
                    format!(
                        "unknown #[no_alloc] argument `{other}`; expected `strict` or `always`"
                    ),
                ));
                continue;
            }
        };
        if *slot {
            push(syn::Error::new(
                id.span(),
                format!("duplicate #[no_alloc] argument `{id}`"),
            ));
        }
        *slot = true;
    }
    match errors {
        Some(e) => Err(e),
        None => Ok(args),
    }
}

/// A function with a body: a free fn, an inherent or trait-impl method, or a provided trait method.
struct FnWithBody(ItemFn);

impl Parse for FnWithBody {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let fork = input.fork();
        if let Ok(f) = fork.parse::<ItemFn>()
            && fork.is_empty()
        {
            input.parse::<ItemFn>()?;
            return Ok(FnWithBody(f));
        }
        let fork = input.fork();
        if let Ok(f) = fork.parse::<TraitItemFn>()
            && f.default.is_none()
        {
            return Err(syn::Error::new_spanned(
                &f.sig,
                "#[no_alloc] needs a function body; put it on the implementations",
            ));
        }
        if input.fork().parse::<syn::ExprClosure>().is_ok() {
            let c: syn::ExprClosure = input.parse()?;
            return Err(syn::Error::new_spanned(
                c.or1_token,
                "#[no_alloc] cannot guard a closure; move the body into a named fn, or use \
                 `perfkit::alloc::assert_no_alloc(name, || ...)`",
            ));
        }
        let item: syn::Item = input.parse()?;
        Err(syn::Error::new_spanned(
            first_tokens(&item),
            "#[no_alloc] applies to functions and methods only",
        ))
    }
}

/// The leading keyword tokens of an item, for a tight error span.
fn first_tokens(item: &syn::Item) -> TokenStream {
    item.to_token_stream()
        .into_iter()
        .take_while(|t| !matches!(t, proc_macro2::TokenTree::Group(_)))
        .take(3)
        .collect()
}

pub(crate) fn expand(attr: TokenStream, item: TokenStream) -> TokenStream {
    let args = parse_args(attr);
    let parsed = syn::parse2::<FnWithBody>(item.clone());
    match (args, parsed) {
        (Ok(args), Ok(FnWithBody(f))) => match check_sig(&f.sig) {
            Ok(()) => expand_fn(args, f),
            Err(e) => fallback(e, item),
        },
        (Err(mut e), Err(e2)) => {
            e.combine(e2);
            fallback(e, item)
        }
        (Err(e), Ok(_)) | (Ok(_), Err(e)) => fallback(e, item),
    }
}

/// On error, the item is re-emitted untouched beside the error so one mistake doesn't cascade.
fn fallback(e: syn::Error, item: TokenStream) -> TokenStream {
    let err = e.to_compile_error();
    if syn::parse2::<syn::ExprClosure>(item.clone()).is_ok() {
        return quote! { { #err; #item } };
    }
    quote! { #err #item }
}

fn check_sig(sig: &Signature) -> syn::Result<()> {
    if let Some(c) = &sig.constness {
        return Err(syn::Error::new(
            c.span,
            "#[no_alloc] cannot guard a `const fn`: const evaluation never allocates on the heap, \
             and the guard is a runtime check",
        ));
    }
    if let Some(a) = &sig.asyncness {
        return Err(syn::Error::new(
            a.span,
            "#[no_alloc] does not support `async fn`: a guard cannot span an `.await`; \
             put it on the synchronous functions the future calls",
        ));
    }
    Ok(())
}

fn expand_fn(args: Args, mut f: ItemFn) -> TokenStream {
    let span = Span::call_site();
    let strict = args.strict;
    let guard = quote_spanned! {span=>
        let __perfkit_no_alloc_guard = {
            fn __perfkit_no_alloc_here() {}
            ::perfkit::__private::AllocGuard::new(
                ::perfkit::__private::fn_path(::core::any::type_name_of_val(&__perfkit_no_alloc_here)),
                #strict,
            )
        };
    };
    let guard_stmt = if args.always {
        guard
    } else {
        quote! { ::perfkit::__private::no_alloc_guard! { #guard } }
    };
    let mut stmts: Vec<Stmt> = vec![syn::parse2(guard_stmt).expect("guard statement parses")];
    if strict {
        stmts.extend(rebind_args(&mut f.sig));
    }
    stmts.append(&mut f.block.stmts);
    f.block = Box::new(Block {
        brace_token: f.block.brace_token,
        stmts,
    });
    f.into_token_stream()
}

/// In strict mode the owned arguments must drop while the guard is alive, so each plainly
/// bound argument is moved into a body local declared after the guard (`mut` moves with it).
fn rebind_args(sig: &mut Signature) -> Vec<Stmt> {
    let mut out = Vec::new();
    for arg in &mut sig.inputs {
        let FnArg::Typed(pt) = arg else { continue };
        let Pat::Ident(pi) = &mut *pt.pat else {
            continue;
        };
        if pi.by_ref.is_some() || pi.subpat.is_some() {
            continue;
        }
        let name = pi.ident.clone();
        let mutability = pi.mutability.take();
        out.push(
            syn::parse_quote! { #[allow(clippy::redundant_locals)] let #mutability #name = #name; },
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expand_str(attr: &str, item: &str) -> String {
        expand(attr.parse().unwrap(), item.parse().unwrap()).to_string()
    }

    #[test]
    fn default_guard_is_behind_the_facade_switch() {
        let out = expand_str("", "fn f() -> u8 { 1 }");
        assert!(
            out.starts_with("fn f () -> u8 { :: perfkit :: __private :: no_alloc_guard !"),
            "{out}"
        );
        assert!(out.contains("AllocGuard :: new"), "{out}");
        assert!(out.ends_with("false ,) } ; } 1 }"), "{out}");
    }

    #[test]
    fn always_emits_the_guard_unconditionally() {
        let out = expand_str("always", "fn f() {}");
        assert!(!out.contains("no_alloc_guard"), "{out}");
        assert!(
            out.starts_with("fn f () { let __perfkit_no_alloc_guard"),
            "{out}"
        );
    }

    #[test]
    fn strict_rebinds_owned_arguments_after_the_guard() {
        let out = expand_str(
            "strict",
            "fn f(mut v: Vec<u8>, (a, b): (u8, u8)) { v.clear(); }",
        );
        assert!(
            out.starts_with("fn f (v : Vec < u8 > , (a , b) : (u8 , u8))"),
            "{out}"
        );
        assert!(out.contains("true ,) } ; } # [allow (clippy :: redundant_locals)] let mut v = v ; v . clear () ;"), "{out}");
    }
}
