//! Writing objects and arrays: pre-escaped key literals merged into as few `raw` calls as
//! possible (compact), or the pretty printer's calls (pretty).

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::ast::Field;
use super::expand::Gen;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Compact,
    Pretty,
}

/// Code that writes one JSON value in each mode, and a const expression (`Option<usize>`) for
/// an upper bound of its compact length.
pub struct Value {
    pub compact: TokenStream,
    pub pretty: TokenStream,
    pub max_len: MaxLen,
    /// Set for a field written as a bare `f64` or `f32`: two such fields of the same type in
    /// a row are written with one `write_json_pair` call.
    pub float: Option<Float>,
}

/// A field whose type is spelled `f64` or `f32`: two such fields in a row with the same type
/// are written with one `FastJson::write_json_pair` call, which the float impls turn into
/// `JsonWriter::f64_pair` / `f32_pair`. Going through the trait keeps a type that is only
/// spelled so (a generic parameter, a local alias or type named `f64`) correct: it gets the
/// default, two `write_json` calls.
pub struct Float {
    ty: syn::Type,
    /// The `FastJson` path, spanned on the type.
    fj: TokenStream,
    /// The field's value as a `&T` expression.
    access: TokenStream,
}

impl Float {
    fn of(ty: &syn::Type, fj: &TokenStream, access: &TokenStream) -> Option<Float> {
        let syn::Type::Path(p) = ty else { return None };
        let ident = p.qself.is_none().then(|| p.path.get_ident()).flatten()?;
        (ident == "f64" || ident == "f32").then(|| Float {
            ty: ty.clone(),
            fj: fj.clone(),
            access: access.clone(),
        })
    }

    /// The two floats of `a` and `b` when they can be written as one pair.
    fn pair<'v>(a: &'v Value, b: &'v Value) -> Option<(&'v Float, &'v Float)> {
        match (&a.float, &b.float) {
            (Some(x), Some(y)) if x.ty == y.ty => Some((x, y)),
            _ => None,
        }
    }

    /// `<f64 as FastJson>::write_json_pair(&a, &b, __w, |__w| { between })`.
    fn write(a: &Float, b: &Float, between: TokenStream) -> TokenStream {
        let (ty, fj, x, y) = (&a.ty, &a.fj, &a.access, &b.access);
        quote_spanned!(ty.span()=> <#ty as #fj>::write_json_pair(#x, #y, __w, |__w| { #between });)
    }
}

impl Value {
    pub fn code(&self, mode: Mode) -> &TokenStream {
        match mode {
            Mode::Compact => &self.compact,
            Mode::Pretty => &self.pretty,
        }
    }
}

/// An upper bound of a compact length: a number known now, a const expression, or none.
#[derive(Clone)]
pub enum MaxLen {
    Known(usize),
    Expr(TokenStream),
    Unbounded,
}

/// One member of an object.
pub enum Member {
    /// `"tag":"Name"`: both pre-escaped.
    Tag { key: String, value: String },
    /// `"key":value`, left out when `skip` (an expression) is true.
    Value {
        key: String,
        value: Value,
        skip: Option<TokenStream>,
    },
    /// The members of `access` (a `&T` expression) written into this object, unless `skip`.
    Flatten {
        access: TokenStream,
        ty: syn::Type,
        skip: Option<TokenStream>,
    },
}

/// serde_json's escaping of a string, plus Go's HTML-safe set when `html`.
pub fn escape(s: &str, html: bool) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' if html => {
                out.push_str(&format!("\\u{:04x}", ch as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A literal in both escapings.
#[derive(Default, Clone)]
pub struct Lit {
    pub plain: String,
    pub html: String,
}

impl Lit {
    pub fn text(s: &str) -> Self {
        Lit {
            plain: s.to_owned(),
            html: s.to_owned(),
        }
    }

    pub fn string(s: &str) -> Self {
        Lit {
            plain: escape(s, false),
            html: escape(s, true),
        }
    }

    pub fn push(&mut self, other: &Lit) {
        self.plain.push_str(&other.plain);
        self.html.push_str(&other.html);
    }

    pub fn max_len(&self) -> usize {
        self.plain.len().max(self.html.len())
    }

    /// An expression of type `&'static str` choosing the escaping at run time when they differ.
    pub fn expr(&self) -> TokenStream {
        let (p, h) = (&self.plain, &self.html);
        if p == h {
            quote!(#p)
        } else {
            quote!(if __w.is_html_safe() { #h } else { #p })
        }
    }
}

/// Statements under construction, with literal text waiting to be written in one `raw` call.
pub struct Emit {
    out: TokenStream,
    pending: Lit,
}

impl Emit {
    pub fn new() -> Self {
        Emit {
            out: TokenStream::new(),
            pending: Lit::default(),
        }
    }

    pub fn lit(&mut self, l: &Lit) {
        self.pending.push(l);
    }

    pub fn text(&mut self, s: &str) {
        self.pending.push(&Lit::text(s));
    }

    pub fn flush(&mut self) {
        if self.pending.plain.is_empty() {
            return;
        }
        let pending = std::mem::take(&mut self.pending);
        let (p, h) = (&pending.plain, &pending.html);
        self.out.extend(if p == h {
            quote!(__w.raw(#p);)
        } else {
            quote!(if __w.is_html_safe() { __w.raw(#h); } else { __w.raw(#p); })
        });
    }

    pub fn stmt(&mut self, ts: TokenStream) {
        self.flush();
        self.out.extend(ts);
    }

    pub fn finish(mut self) -> TokenStream {
        self.flush();
        self.out
    }
}

/// What is known at compile time about "nothing written yet" in the current object.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum First {
    Yes,
    No,
    /// Held by the `__first` local.
    Runtime,
}

impl First {
    fn expr(self) -> TokenStream {
        match self {
            First::Yes => quote!(true),
            First::No => quote!(false),
            First::Runtime => quote!(__first),
        }
    }
}

impl Gen {
    /// The code writing `field` (reached through `access`, a `&T` expression) as a value,
    /// honouring `with` and `as_string`.
    pub fn field_value(&self, field: &Field<'_>, access: &TokenStream) -> Value {
        let ty = field.ty;
        let span = ty.span();
        let fj = self.path_at("FastJson", span);
        let (code, max_len) = if let Some(with) = &field.attrs.with {
            let p = &with.value;
            (
                quote_spanned!(p.span()=> #p(#access, __w);),
                MaxLen::Unbounded,
            )
        } else if field.attrs.as_string.is_some() {
            (
                quote_spanned!(span=> #fj::write_json_quoted(#access, __w);),
                MaxLen::Unbounded,
            )
        } else {
            (
                quote_spanned!(span=> #fj::write_json(#access, __w);),
                MaxLen::Expr(quote_spanned!(span=> <#ty as #fj>::MAX_LEN)),
            )
        };
        let float = if field.attrs.with.is_none() && field.attrs.as_string.is_none() {
            Float::of(ty, &fj, access)
        } else {
            None
        };
        Value {
            compact: code.clone(),
            pretty: code,
            max_len,
            float,
        }
    }

    /// The condition under which a named field is left out, if any.
    pub fn skip_condition(&self, field: &Field<'_>, access: &TokenStream) -> Option<TokenStream> {
        if let Some(p) = &field.attrs.skip_if {
            let p = &p.value;
            Some(quote_spanned!(p.span()=> #p(#access)))
        } else if field.attrs.omit_empty.is_some() {
            let fj = self.path_at("FastJson", field.ty.span());
            Some(quote_spanned!(field.ty.span()=> #fj::is_json_empty(#access)))
        } else {
            None
        }
    }

    /// Members for the named fields of a struct or struct variant; `access(field)` is the
    /// `&T` expression for each.
    pub fn field_members(
        &self,
        fields: &[Field<'_>],
        access: impl Fn(&Field<'_>) -> TokenStream,
    ) -> Vec<Member> {
        fields
            .iter()
            .filter(|f| !f.skipped())
            .map(|f| {
                let a = access(f);
                if f.attrs.flatten.is_some() {
                    Member::Flatten {
                        skip: self.skip_condition(f, &a),
                        access: a,
                        ty: f.ty.clone(),
                    }
                } else {
                    Member::Value {
                        key: f.name.clone(),
                        skip: self.skip_condition(f, &a),
                        value: self.field_value(f, &a),
                    }
                }
            })
            .collect()
    }

    /// Writes the members into an open object starting from `first`; returns the final state.
    fn members(&self, e: &mut Emit, members: &[Member], mode: Mode, mut first: First) -> First {
        let mut i = 0;
        while let Some(m) = members.get(i) {
            i += 1;
            // Two float fields in a row, both always written: one pair call.
            if let (
                Member::Value {
                    key,
                    value,
                    skip: None,
                },
                Some(Member::Value {
                    key: next_key,
                    value: next,
                    skip: None,
                }),
            ) = (m, members.get(i))
                && let Some((a, b)) = Float::pair(value, next)
            {
                self.key(e, mode, first, &Lit::string(key));
                let mut between = Emit::new();
                self.key(&mut between, mode, First::No, &Lit::string(next_key));
                e.stmt(Float::write(a, b, between.finish()));
                first = First::No;
                i += 1;
                continue;
            }
            match m {
                Member::Tag { key, value } => {
                    let (k, v) = (Lit::string(key), Lit::string(value));
                    self.key(e, mode, first, &k);
                    e.lit(&v);
                    first = First::No;
                }
                Member::Value { key, value, skip } => {
                    let k = Lit::string(key);
                    match skip {
                        None => {
                            self.key(e, mode, first, &k);
                            e.stmt(value.code(mode).clone());
                            first = First::No;
                        }
                        Some(cond) => {
                            let mut inner = Emit::new();
                            self.key(&mut inner, mode, first, &k);
                            inner.stmt(value.code(mode).clone());
                            if first != First::No {
                                inner.stmt(quote!(__first = false;));
                            }
                            let inner = inner.finish();
                            e.stmt(quote!(if !(#cond) { #inner }));
                            if first == First::Yes {
                                first = First::Runtime;
                            }
                        }
                    }
                }
                Member::Flatten { access, ty, skip } => {
                    let f = first.expr();
                    let fields = self.path_at("JsonFields", ty.span());
                    let call =
                        quote_spanned!(ty.span()=> #fields::write_json_fields(#access, __w, #f));
                    let stmt = match first {
                        First::No => quote!(#call;),
                        _ => quote!(__first = #call;),
                    };
                    e.stmt(match skip {
                        None => stmt,
                        Some(cond) => quote!(if !(#cond) { #stmt }),
                    });
                    if first == First::Yes {
                        first = First::Runtime;
                    }
                }
            }
        }
        first
    }

    /// The separator, the key and the colon.
    fn key(&self, e: &mut Emit, mode: Mode, first: First, key: &Lit) {
        match (mode, first) {
            (Mode::Compact, First::Yes) => {
                e.lit(key);
                e.text(":");
            }
            (Mode::Compact, First::No) => {
                e.text(",");
                e.lit(key);
                e.text(":");
            }
            (Mode::Compact, First::Runtime) => {
                let mut l = Lit::text(",");
                l.push(key);
                l.push(&Lit::text(":"));
                let l = l.expr();
                e.stmt(quote!(__w.compact_key(__first, #l);));
            }
            (Mode::Pretty, _) => {
                let f = first.expr();
                let k = key.expr();
                e.stmt(quote!(__w.object_key_quoted(#f, #k);));
            }
        }
    }

    /// Whether "nothing written yet" can become a run-time question: a conditional or
    /// flattened member before the first member that is always written.
    fn needs_first_local(members: &[Member]) -> bool {
        matches!(
            members.first(),
            Some(Member::Value { skip: Some(_), .. } | Member::Flatten { .. })
        )
    }

    /// A whole object `{...}`.
    pub fn object(&self, members: &[Member], mode: Mode) -> TokenStream {
        let mut e = Emit::new();
        if Self::needs_first_local(members) {
            e.stmt(quote!(let mut __first = true;));
        }
        let last = match mode {
            Mode::Compact => {
                e.text("{");
                self.members(&mut e, members, mode, First::Yes)
            }
            Mode::Pretty => {
                e.stmt(quote!(__w.begin_object();));
                self.members(&mut e, members, mode, First::Yes)
            }
        };
        match mode {
            Mode::Compact => e.text("}"),
            Mode::Pretty => {
                let nonempty = match last {
                    First::Yes => quote!(false),
                    First::No => quote!(true),
                    First::Runtime => quote!(!__first),
                };
                e.stmt(quote!(__w.end_object(#nonempty);));
            }
        }
        e.finish()
    }

    /// The body of `JsonFields::write_json_fields` (the `__first` parameter is in scope).
    pub fn fields_body(&self, members: &[Member], mode: Mode) -> TokenStream {
        let mut e = Emit::new();
        let last = self.members(&mut e, members, mode, First::Runtime);
        let ret = last.expr();
        e.stmt(quote!(#ret));
        e.finish()
    }

    /// Upper bound of the compact length of an object.
    pub fn object_max_len(&self, members: &[Member]) -> MaxLen {
        let mut fixed = 2; // { }
        let mut parts = Vec::new();
        for m in members {
            match m {
                Member::Tag { key, value } => {
                    fixed += 2 + Lit::string(key).max_len() + Lit::string(value).max_len();
                }
                Member::Value { key, value, .. } => {
                    fixed += 2 + Lit::string(key).max_len();
                    parts.push(value.max_len.clone());
                }
                Member::Flatten { .. } => return MaxLen::Unbounded,
            }
        }
        self.sum_len(fixed, parts)
    }

    /// `fixed` plus every part.
    pub fn sum_len(&self, fixed: usize, parts: Vec<MaxLen>) -> MaxLen {
        let mut known = fixed;
        let mut exprs = Vec::new();
        for p in parts {
            match p {
                MaxLen::Known(n) => known += n,
                MaxLen::Expr(e) => exprs.push(e),
                MaxLen::Unbounded => return MaxLen::Unbounded,
            }
        }
        if exprs.is_empty() {
            return MaxLen::Known(known);
        }
        let sum = self.private("sum_len");
        MaxLen::Expr(quote!(#sum(#known, &[#(#exprs),*])))
    }

    /// `[a,b,...]` for the non-skipped fields of a tuple struct or variant.
    pub fn tuple_array(
        &self,
        fields: &[Field<'_>],
        access: impl Fn(&Field<'_>) -> TokenStream,
    ) -> Value {
        let kept: Vec<_> = fields.iter().filter(|f| !f.skipped()).collect();
        let values: Vec<Value> = kept
            .iter()
            .map(|f| self.field_value(f, &access(f)))
            .collect();
        let mut compact = Emit::new();
        compact.text("[");
        let mut pretty = Emit::new();
        pretty.stmt(quote!(__w.begin_array();));
        let mut i = 0;
        while let Some(v) = values.get(i) {
            let first = i == 0;
            if !first {
                compact.text(",");
            }
            pretty.stmt(quote!(__w.array_element(#first);));
            // Two floats in a row: one pair call.
            if let Some((a, b)) = values.get(i + 1).and_then(|next| Float::pair(v, next)) {
                let mut comma = Emit::new();
                comma.text(",");
                compact.stmt(Float::write(a, b, comma.finish()));
                pretty.stmt(Float::write(a, b, quote!(__w.array_element(false);)));
                i += 2;
                continue;
            }
            compact.stmt(v.compact.clone());
            pretty.stmt(v.pretty.clone());
            i += 1;
        }
        compact.text("]");
        let nonempty = !values.is_empty();
        pretty.stmt(quote!(__w.end_array(#nonempty);));
        let n = values.len();
        let parts = values.into_iter().map(|v| v.max_len).collect();
        Value {
            compact: compact.finish(),
            pretty: pretty.finish(),
            max_len: self.sum_len(2 + n.saturating_sub(1), parts),
            float: None,
        }
    }

    /// An object as a value.
    pub fn object_value(&self, members: &[Member]) -> Value {
        Value {
            compact: self.object(members, Mode::Compact),
            pretty: self.object(members, Mode::Pretty),
            max_len: self.object_max_len(members),
            float: None,
        }
    }

    /// A fixed literal as a value (`"Name"`, `null`).
    pub fn literal_value(&self, l: &Lit) -> Value {
        let mut e = Emit::new();
        e.lit(l);
        let code = e.finish();
        Value {
            compact: code.clone(),
            pretty: code,
            max_len: MaxLen::Known(l.max_len()),
            float: None,
        }
    }
}
