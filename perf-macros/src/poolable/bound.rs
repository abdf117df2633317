//! Inferred bounds: only for field types that mention a type parameter.

use std::collections::BTreeSet;

use syn::visit::{self, Visit};
use syn::{Generics, Ident, Type, TypePath};

/// Whether `ty` mentions one of the type parameters of `generics`.
pub fn mentions_param(ty: &Type, generics: &Generics) -> bool {
    let params: BTreeSet<&Ident> = generics.type_params().map(|p| &p.ident).collect();
    if params.is_empty() {
        return false;
    }
    struct Finder<'p> {
        params: BTreeSet<&'p Ident>,
        found: bool,
    }
    impl<'ast> Visit<'ast> for Finder<'_> {
        fn visit_type_path(&mut self, ty: &'ast TypePath) {
            if ty.qself.is_none()
                && ty.path.leading_colon.is_none()
                && ty
                    .path
                    .segments
                    .first()
                    .is_some_and(|s| self.params.contains(&s.ident))
            {
                self.found = true;
            }
            visit::visit_type_path(self, ty);
        }
        fn visit_macro(&mut self, _: &'ast syn::Macro) {
            // A macro in type position may expand to anything: bound it to be safe.
            self.found = true;
        }
    }
    let mut finder = Finder {
        params,
        found: false,
    };
    finder.visit_type(ty);
    finder.found
}
