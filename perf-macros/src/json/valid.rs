//! Checks that need the whole input: conflicting attributes, tagging rules, transparent.

use proc_macro2::Span;
use quote::ToTokens;
use syn::Type;

use super::ast::{Container, Data, Field, Style, Variant};
use super::attr::{Ctxt, Spanned};

pub fn check(cx: &mut Ctxt, cont: &Container<'_>) {
    let a = &cont.attrs;
    match &cont.data {
        Data::Struct(style, fields) => {
            if let Some(r) = &a.rename_all_fields {
                cx.error(r.span, "`rename_all_fields` is only allowed on enums");
            }
            if let Some(u) = &a.untagged {
                cx.error(u.span, "`untagged` is only allowed on enums");
            }
            if let Some(c) = &a.content {
                cx.error(c.span, "`content` is only allowed on enums");
            }
            if let Some(t) = &a.tag {
                if *style != Style::Named {
                    cx.error(t.span, "`tag` on a struct needs named fields");
                } else {
                    check_tag_conflicts(cx, t, fields);
                }
            }
            if let Some(t) = &a.transparent {
                check_transparent(cx, t, *style, fields, a.tag.as_ref());
            }
            check_fields(cx, *style, fields);
        }
        Data::Enum(variants) => {
            if let Some(t) = &a.transparent {
                cx.error(t.span, "`transparent` is only allowed on structs");
            }
            if let (Some(c), None) = (&a.content, &a.tag) {
                cx.error(
                    c.span,
                    "`content` needs `tag` (adjacently tagged: `tag = \"..\", content = \"..\"`)",
                );
            }
            if let (Some(u), Some(_)) = (&a.untagged, &a.tag) {
                cx.error(u.span, "`untagged` cannot be combined with `tag`");
            }
            if let (Some(t), Some(c)) = (&a.tag, &a.content)
                && t.value == c.value
            {
                cx.error(
                    c.span,
                    format!("`tag` and `content` are both {:?}", t.value),
                );
            }
            let internal = a
                .tag
                .as_ref()
                .filter(|_| a.content.is_none() && a.untagged.is_none());
            for v in variants {
                check_fields(cx, v.style, &v.fields);
                if let Some(tag) = internal {
                    check_internal_variant(cx, tag, v);
                }
            }
        }
    }
}

fn check_internal_variant(cx: &mut Ctxt, tag: &Spanned<String>, v: &Variant<'_>) {
    match v.style {
        Style::Tuple => cx.error(
            v.ident.span(),
            format!(
                "`tag` (internally tagged) cannot encode the tuple variant `{}`; use `tag` + `content`, or `untagged`",
                v.ident
            ),
        ),
        Style::Newtype => {
            if let Some(f) = v.fields.first()
                && let Some(name) = obviously_not_object(f.ty)
            {
                    cx.error_spanned(
                        f.ty,
                        format!(
                            "`tag` (internally tagged) needs newtype variants holding a struct with named fields or a map; `{name}` has no fields"
                        ),
                    );
            }
        }
        Style::Named => check_tag_conflicts(cx, tag, &v.fields),
        Style::Unit => {}
    }
}

fn check_tag_conflicts(cx: &mut Ctxt, tag: &Spanned<String>, fields: &[Field<'_>]) {
    for f in fields
        .iter()
        .filter(|f| !f.skipped() && f.attrs.flatten.is_none())
    {
        if f.name == tag.value {
            cx.error_spanned(
                &f.member,
                format!(
                    "field name `{}` conflicts with the tag `{}`",
                    f.name, tag.value
                ),
            );
        }
    }
}

fn check_transparent(
    cx: &mut Ctxt,
    t: &Spanned<()>,
    style: Style,
    fields: &[Field<'_>],
    tag: Option<&Spanned<String>>,
) {
    if let Some(tag) = tag {
        cx.error(tag.span, "`tag` cannot be combined with `transparent`");
    }
    let kept: Vec<_> = fields.iter().filter(|f| !f.skipped()).collect();
    if style == Style::Unit || kept.len() != 1 {
        cx.error(
            t.span,
            format!(
                "`transparent` needs exactly one field that is not skipped, found {}",
                kept.len()
            ),
        );
    }
    for f in kept {
        for (name, span) in [
            ("flatten", f.attrs.flatten.as_ref().map(|s| s.span)),
            ("skip_if", f.attrs.skip_if.as_ref().map(|s| s.span)),
            ("omit_empty", f.attrs.omit_empty.as_ref().map(|s| s.span)),
        ] {
            if let Some(span) = span {
                cx.error(
                    span,
                    format!("`{name}` is not allowed on the field of a transparent struct"),
                );
            }
        }
    }
}

fn check_fields(cx: &mut Ctxt, style: Style, fields: &[Field<'_>]) {
    for f in fields {
        let a = &f.attrs;
        let set: Vec<(&str, Span)> = [
            ("rename", a.rename.as_ref().map(|s| s.span)),
            ("skip_if", a.skip_if.as_ref().map(|s| s.span)),
            ("omit_empty", a.omit_empty.as_ref().map(|s| s.span)),
            ("flatten", a.flatten.as_ref().map(|s| s.span)),
            ("with", a.with.as_ref().map(|s| s.span)),
            ("as_string", a.as_string.as_ref().map(|s| s.span)),
            ("bound", a.bound.as_ref().map(|s| s.span)),
        ]
        .into_iter()
        .filter_map(|(n, s)| s.map(|s| (n, s)))
        .collect();
        if a.skip.is_some() {
            for (name, span) in &set {
                cx.error(*span, format!("`{name}` has no effect on a skipped field"));
            }
            continue;
        }
        if style != Style::Named {
            for (name, span) in &set {
                if matches!(*name, "rename" | "skip_if" | "omit_empty" | "flatten") {
                    cx.error(*span, format!("`{name}` is only allowed on named fields"));
                }
            }
            continue;
        }
        if let (Some(_), Some(o)) = (&a.skip_if, &a.omit_empty) {
            cx.error(o.span, "`skip_if` and `omit_empty` cannot be combined");
        }
        if let (Some(_), Some(s)) = (&a.with, &a.as_string) {
            cx.error(s.span, "`with` and `as_string` cannot be combined");
        }
        if a.flatten.is_some() {
            for (name, span) in &set {
                if matches!(
                    *name,
                    "rename" | "with" | "as_string" | "skip_if" | "omit_empty"
                ) {
                    cx.error(*span, format!("`{name}` cannot be combined with `flatten`"));
                }
            }
            if let Some(name) = obviously_not_object(f.ty) {
                cx.error_spanned(
                    f.ty,
                    format!(
                        "`flatten` needs a field holding a struct with named fields, a map, or an `Option` of one; `{name}` has no fields"
                    ),
                );
            }
        }
    }
}

/// The name of a type that can never be a JSON object (primitives, strings, sequences), as the
/// user wrote it; `None` when it might be one.
fn obviously_not_object(ty: &Type) -> Option<String> {
    const SCALARS: &[&str] = &[
        "bool",
        "char",
        "str",
        "String",
        "u8",
        "u16",
        "u32",
        "u64",
        "u128",
        "usize",
        "i8",
        "i16",
        "i32",
        "i64",
        "i128",
        "isize",
        "f32",
        "f64",
        "Vec",
        "VecDeque",
        "HashSet",
        "BTreeSet",
        "LinkedList",
    ];
    let shown = || ty.to_token_stream().to_string();
    match ty {
        Type::Array(_) | Type::Slice(_) | Type::Tuple(_) => Some(shown()),
        Type::Reference(r) => obviously_not_object(&r.elem),
        Type::Paren(p) => obviously_not_object(&p.elem),
        Type::Path(p) if p.qself.is_none() => {
            let last = p.path.segments.last()?;
            SCALARS
                .contains(&last.ident.to_string().as_str())
                .then(shown)
        }
        _ => None,
    }
}
