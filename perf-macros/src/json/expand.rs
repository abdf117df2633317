//! `#[derive(FastJson)]`: the impls, assembled from the model.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::DeriveInput;
use syn::spanned::Spanned;

use super::ast::{Container, Data, Field, Style, Variant};
use super::attr::{self, Ctxt};
use super::object::{Lit, MaxLen, Member, Mode, Value};
use super::valid;

/// Code generation context: where the runtime is (`::perfkit` unless `crate = "..."`).
pub struct Gen<'a> {
    krate: TokenStream,
    _marker: std::marker::PhantomData<&'a ()>,
}

impl Gen<'_> {
    fn new(krate: Option<&attr::Spanned<syn::Path>>) -> Self {
        let krate = match krate {
            Some(p) => {
                let p = &p.value;
                quote!(#p)
            }
            None => quote!(::perfkit),
        };
        Gen {
            krate,
            _marker: std::marker::PhantomData,
        }
    }

    /// `::perfkit::__private::json::<name>`.
    pub fn path(&self, name: &str) -> TokenStream {
        let krate = &self.krate;
        let name = format_ident!("{}", name);
        quote!(#krate::__private::json::#name)
    }

    /// The same path with every token spanned at `span`, so that an unmet trait bound is
    /// reported on the user's field rather than on the derive.
    pub fn path_at(&self, name: &str, span: proc_macro2::Span) -> TokenStream {
        respan(self.path(name), span)
    }

    /// Runtime helpers live beside the traits.
    pub fn private(&self, name: &str) -> TokenStream {
        self.path(name)
    }
}

fn respan(ts: TokenStream, span: proc_macro2::Span) -> TokenStream {
    ts.into_iter()
        .map(|mut t| {
            if let proc_macro2::TokenTree::Group(g) = &t {
                let mut ng = proc_macro2::Group::new(g.delimiter(), respan(g.stream(), span));
                ng.set_span(span);
                t = proc_macro2::TokenTree::Group(ng);
            } else {
                t.set_span(span);
            }
            t
        })
        .collect()
}

pub fn derive(input: TokenStream) -> TokenStream {
    let input: DeriveInput = match syn::parse2(input) {
        Ok(i) => i,
        Err(e) => return e.into_compile_error(),
    };
    let mut cx = Ctxt::default();
    let cont = Container::from_ast(&mut cx, &input);
    if let Some(c) = &cont {
        valid::check(&mut cx, c);
    }
    match (cx.finish(), cont) {
        (Ok(()), Some(cont)) => {
            let g = Gen::new(cont.attrs.krate.as_ref());
            g.expand(&cont)
        }
        (Err(e), cont) => {
            let g = Gen::new(cont.as_ref().and_then(|c| c.attrs.krate.as_ref()));
            let stub = g.fallback(&input);
            let err = e.into_compile_error();
            quote!(#err #stub)
        }
        (Ok(()), None) => quote!(),
    }
}

/// What an impl needs: the body of `write_json`, the size bound, and optional extra impls.
struct Parts {
    write_json: TokenStream,
    max_len: MaxLen,
    /// Body of `write_json_fields`, when the type is an object that can be flattened.
    fields: Option<TokenStream>,
    /// Whether the value is always a JSON string (unit-only enums): it can be a map key.
    key: bool,
    /// `is_json_empty` / `write_json_quoted` delegation for transparent structs.
    delegate: Option<TokenStream>,
}

impl Gen<'_> {
    fn expand(&self, cont: &Container<'_>) -> TokenStream {
        let parts = match &cont.data {
            Data::Struct(style, fields) => self.structure(cont, *style, fields),
            Data::Enum(variants) => self.enumeration(cont, variants),
        };
        let generics = self.generics(cont);
        let (impl_g, ty_g, where_c) = generics.split_for_impl();
        let ident = &cont.input.ident;
        let fj = self.path("FastJson");
        let jw = self.path("JsonWriter");
        let max = match &parts.max_len {
            MaxLen::Known(n) => {
                quote!(const MAX_LEN: ::core::option::Option<::core::primitive::usize> = ::core::option::Option::Some(#n);)
            }
            MaxLen::Expr(e) => {
                quote!(const MAX_LEN: ::core::option::Option<::core::primitive::usize> = #e;)
            }
            MaxLen::Unbounded => quote!(),
        };
        let body = &parts.write_json;
        let delegate = &parts.delegate;
        let mut out = quote! {
            #[automatically_derived]
            impl #impl_g #fj for #ident #ty_g #where_c {
                #max
                #[allow(unused_assignments)]
                fn write_json(&self, __w: &mut #jw<'_>) {
                    #body
                }
                #delegate
            }
        };
        if let Some(fields) = &parts.fields {
            let jf = self.path("JsonFields");
            out.extend(quote! {
                #[automatically_derived]
                impl #impl_g #jf for #ident #ty_g #where_c {
                    #[allow(unused_assignments, unused_mut)]
                    fn write_json_fields(&self, __w: &mut #jw<'_>, mut __first: ::core::primitive::bool) -> ::core::primitive::bool {
                        #fields
                    }
                }
            });
        }
        if parts.key {
            let jk = self.path("JsonKey");
            out.extend(quote! {
                #[automatically_derived]
                impl #impl_g #jk for #ident #ty_g #where_c {
                    #[inline]
                    fn write_json_key(&self, __w: &mut #jw<'_>) {
                        #fj::write_json(self, __w);
                    }
                }
            });
        }
        out
    }

    /// An impl that keeps other errors quiet after a `compile_error!`.
    fn fallback(&self, input: &DeriveInput) -> TokenStream {
        let (impl_g, ty_g, where_c) = input.generics.split_for_impl();
        let ident = &input.ident;
        let fj = self.path("FastJson");
        let jw = self.path("JsonWriter");
        quote! {
            #[automatically_derived]
            impl #impl_g #fj for #ident #ty_g #where_c {
                fn write_json(&self, _: &mut #jw<'_>) {
                    ::core::unreachable!("#[derive(FastJson)] failed")
                }
            }
        }
    }

    /// `if !pretty { reserve; compact } else { pretty }`, or one body when both are the same.
    fn branch(&self, compact: TokenStream, pretty: TokenStream, max: &MaxLen) -> TokenStream {
        let reserve = match max {
            MaxLen::Known(n) => quote!(__w.reserve(#n);),
            MaxLen::Expr(_) => {
                let fj = self.path("FastJson");
                quote! {
                    if let ::core::option::Option::Some(__n) = <Self as #fj>::MAX_LEN {
                        __w.reserve(__n);
                    }
                }
            }
            MaxLen::Unbounded => quote!(),
        };
        if compact.to_string() == pretty.to_string() {
            return compact;
        }
        quote! {
            if !__w.is_pretty() {
                #reserve
                #compact
            } else {
                #pretty
            }
        }
    }

    fn structure(&self, cont: &Container<'_>, style: Style, fields: &[Field<'_>]) -> Parts {
        // Spanned on the field's type so an unmet bound points at the field.
        let self_access = |f: &Field<'_>| {
            let m = &f.member;
            quote_spanned!(f.ty.span()=> &self.#m)
        };
        if cont.attrs.transparent.is_some() {
            let f = fields
                .iter()
                .find(|f| !f.skipped())
                .expect("validated: one field");
            let a = self_access(f);
            let v = self.field_value(f, &a);
            let fj = self.path("FastJson");
            let jw = self.path("JsonWriter");
            let delegate = (f.attrs.with.is_none() && f.attrs.as_string.is_none()).then(|| {
                quote! {
                    #[inline]
                    fn is_json_empty(&self) -> ::core::primitive::bool {
                        #fj::is_json_empty(#a)
                    }
                    #[inline]
                    fn write_json_quoted(&self, __w: &mut #jw<'_>) {
                        #fj::write_json_quoted(#a, __w);
                    }
                }
            });
            return Parts {
                write_json: v.compact,
                max_len: v.max_len,
                fields: None,
                key: false,
                delegate,
            };
        }
        match style {
            Style::Unit => {
                let v = self.literal_value(&Lit::text("null"));
                Parts {
                    write_json: v.compact,
                    max_len: v.max_len,
                    fields: None,
                    key: false,
                    delegate: None,
                }
            }
            Style::Newtype if !fields[0].skipped() => {
                let v = self.field_value(&fields[0], &self_access(&fields[0]));
                Parts {
                    write_json: v.compact,
                    max_len: v.max_len,
                    fields: None,
                    key: false,
                    delegate: None,
                }
            }
            Style::Newtype | Style::Tuple => {
                let v = self.tuple_array(fields, self_access);
                Parts {
                    write_json: self.branch(v.compact, v.pretty, &v.max_len),
                    max_len: v.max_len,
                    fields: None,
                    key: false,
                    delegate: None,
                }
            }
            Style::Named => {
                let mut members = Vec::new();
                if let Some(tag) = &cont.attrs.tag {
                    members.push(Member::Tag {
                        key: tag.value.clone(),
                        value: cont.name(),
                    });
                }
                members.extend(self.field_members(fields, self_access));
                let v = self.object_value(&members);
                let fields = self.branch(
                    self.fields_body(&members, Mode::Compact),
                    self.fields_body(&members, Mode::Pretty),
                    &MaxLen::Unbounded,
                );
                Parts {
                    write_json: self.branch(v.compact, v.pretty, &v.max_len),
                    max_len: v.max_len,
                    fields: Some(fields),
                    key: false,
                    delegate: None,
                }
            }
        }
    }

    /// The pattern matching a variant, and the binding of each field (`__f0`, ...).
    fn pattern(&self, v: &Variant<'_>) -> TokenStream {
        let id = v.ident;
        let binds = v.fields.iter().enumerate().map(|(i, f)| {
            let b = format_ident!("__f{}", i, span = f.ty.span());
            let m = &f.member;
            match (v.style, f.skipped()) {
                (Style::Named, true) => quote!(#m: _),
                (Style::Named, false) => quote!(#m: #b),
                (_, true) => quote!(_),
                (_, false) => quote!(#b),
            }
        });
        match v.style {
            Style::Named => quote!(Self::#id { #(#binds),* }),
            Style::Tuple | Style::Newtype => quote!(Self::#id(#(#binds),*)),
            Style::Unit => quote!(Self::#id),
        }
    }

    fn binding(v: &Variant<'_>, f: &Field<'_>) -> TokenStream {
        let i = v
            .fields
            .iter()
            .position(|g| std::ptr::eq(g, f))
            .unwrap_or(0);
        let b = format_ident!("__f{}", i);
        quote!(#b)
    }

    /// The payload of a variant without any tag: `null`, the newtype's value, `[...]`, `{...}`.
    fn payload(&self, v: &Variant<'_>) -> Value {
        let access = |f: &Field<'_>| Self::binding(v, f);
        match v.style {
            Style::Unit => self.literal_value(&Lit::text("null")),
            Style::Newtype if !v.fields[0].skipped() => {
                self.field_value(&v.fields[0], &access(&v.fields[0]))
            }
            Style::Newtype | Style::Tuple => self.tuple_array(&v.fields, access),
            Style::Named => self.object_value(&self.field_members(&v.fields, access)),
        }
    }

    /// The members of an internally or adjacently tagged variant (without braces).
    fn tagged_members(&self, cont: &Container<'_>, v: &Variant<'_>) -> Vec<Member> {
        let tag = cont
            .attrs
            .tag
            .as_ref()
            .map(|t| t.value.clone())
            .unwrap_or_default();
        let mut members = vec![Member::Tag {
            key: tag,
            value: v.name.clone(),
        }];
        let access = |f: &Field<'_>| Self::binding(v, f);
        match (&cont.attrs.content, v.style) {
            (_, Style::Unit) => {}
            (Some(content), _) => {
                members.push(Member::Value {
                    key: content.value.clone(),
                    value: self.payload(v),
                    skip: None,
                });
            }
            (None, Style::Newtype) => {
                let f = &v.fields[0];
                members.push(Member::Flatten {
                    access: access(f),
                    ty: f.ty.clone(),
                });
            }
            (None, _) => members.extend(self.field_members(&v.fields, access)),
        }
        members
    }

    fn enumeration(&self, cont: &Container<'_>, variants: &[Variant<'_>]) -> Parts {
        let a = &cont.attrs;
        let tagged = a.tag.is_some() && a.untagged.is_none();
        let values: Vec<Value> = variants
            .iter()
            .map(|v| {
                if a.untagged.is_some() {
                    self.payload(v)
                } else if tagged {
                    self.object_value(&self.tagged_members(cont, v))
                } else if v.style == Style::Unit {
                    self.literal_value(&Lit::string(&v.name))
                } else {
                    let member = Member::Value {
                        key: v.name.clone(),
                        value: self.payload(v),
                        skip: None,
                    };
                    self.object_value(&[member])
                }
            })
            .collect();
        let max_len = self.max_of(values.iter().map(|v| v.max_len.clone()));
        let arms = |mode: Mode| {
            let arms = variants.iter().zip(&values).map(|(v, val)| {
                let pat = self.pattern(v);
                let code = val.code(mode);
                quote!(#pat => { #code })
            });
            if variants.is_empty() {
                quote!(match *self {})
            } else {
                quote!(match self { #(#arms)* })
            }
        };
        let write_json = self.branch(arms(Mode::Compact), arms(Mode::Pretty), &max_len);
        let fields = tagged.then(|| {
            let arms = |mode: Mode| {
                let arms = variants.iter().map(|v| {
                    let pat = self.pattern(v);
                    let body = self.fields_body(&self.tagged_members(cont, v), mode);
                    quote!(#pat => { #body })
                });
                if variants.is_empty() {
                    quote!(match *self {})
                } else {
                    quote!(match self { #(#arms)* })
                }
            };
            self.branch(arms(Mode::Compact), arms(Mode::Pretty), &MaxLen::Unbounded)
        });
        let key = a.untagged.is_none()
            && a.tag.is_none()
            && variants.iter().all(|v| v.style == Style::Unit);
        Parts {
            write_json,
            max_len,
            fields,
            key,
            delegate: None,
        }
    }

    fn max_of(&self, parts: impl Iterator<Item = MaxLen>) -> MaxLen {
        let max = self.private("max_len");
        let mut acc: Option<MaxLen> = None;
        for p in parts {
            acc = Some(match (acc, p) {
                (None, p) => p,
                (Some(MaxLen::Unbounded), _) | (_, MaxLen::Unbounded) => MaxLen::Unbounded,
                (Some(MaxLen::Known(a)), MaxLen::Known(b)) => MaxLen::Known(a.max(b)),
                (Some(a), b) => {
                    let ex = |m: MaxLen| match m {
                        MaxLen::Known(n) => quote!(::core::option::Option::Some(#n)),
                        MaxLen::Expr(e) => e,
                        MaxLen::Unbounded => quote!(::core::option::Option::None),
                    };
                    let (a, b) = (ex(a), ex(b));
                    MaxLen::Expr(quote!(#max(#a, #b)))
                }
            });
        }
        acc.unwrap_or(MaxLen::Known(0))
    }
}
