//! [`FastJson`], [`JsonKey`] and [`JsonFields`] for the std types, with serde_json's encodings.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, LinkedList, VecDeque};
use std::hash::BuildHasher;
use std::rc::Rc;
use std::sync::Arc;

use super::{FastJson, JsonFields, JsonKey, JsonWriter};

macro_rules! integers {
    ($($t:ty => $max:expr),* $(,)?) => {$(
        impl FastJson for $t {
            const MAX_LEN: Option<usize> = Some($max);
            #[inline]
            fn write_json(&self, w: &mut JsonWriter<'_>) {
                w.integer(*self);
            }
            #[inline]
            fn is_json_empty(&self) -> bool {
                *self == 0
            }
            #[inline]
            fn write_json_quoted(&self, w: &mut JsonWriter<'_>) {
                w.raw("\"");
                w.integer(*self);
                w.raw("\"");
            }
        }
        impl JsonKey for $t {
            #[inline]
            fn write_json_key(&self, w: &mut JsonWriter<'_>) {
                self.write_json_quoted(w);
            }
        }
    )*};
}

integers! {
    u8 => 3, u16 => 5, u32 => 10, u64 => 20, u128 => 39, usize => 20,
    i8 => 4, i16 => 6, i32 => 11, i64 => 20, i128 => 40, isize => 20,
}

/// Writes a slice as an array two elements at a time, through `T::write_json_pair` (the
/// float impls' `write_json_slice`).
#[inline]
fn write_pairs<T: FastJson>(items: &[T], w: &mut JsonWriter<'_>) {
    if let Some(max) = T::MAX_LEN
        && !w.is_pretty()
    {
        // `[` `]`, the elements and the commas between them, as `write_seq`.
        w.reserve(items.len().saturating_mul(max + 1).saturating_add(1).max(2));
    }
    w.begin_array();
    let mut pairs = items.chunks_exact(2);
    let mut first = true;
    for pair in &mut pairs {
        w.array_element(first);
        first = false;
        T::write_json_pair(&pair[0], &pair[1], w, |w| w.array_element(false));
    }
    if let [last] = pairs.remainder() {
        w.array_element(first);
        first = false;
        last.write_json(w);
    }
    w.end_array(!first);
}

/// `f64` and `f32`: slices and pairs through the writer's `f64_pair` / `f32_pair`, which
/// format both numbers before copying either out.
macro_rules! floats {
    ($($t:ident, $longest:literal => $max:literal, $pair:ident { $($extra:item)* })*) => {$(
        impl FastJson for $t {
            #[doc = concat!("`", $longest, "` is the longest form.")]
            const MAX_LEN: Option<usize> = Some($max);
            #[inline]
            fn write_json(&self, w: &mut JsonWriter<'_>) {
                w.$t(*self);
            }
            #[inline]
            fn is_json_empty(&self) -> bool {
                *self == 0.0
            }
            #[inline]
            fn write_json_slice(items: &[$t], w: &mut JsonWriter<'_>) {
                write_pairs(items, w);
            }
            #[inline]
            fn write_json_pair(
                a: &$t,
                b: &$t,
                w: &mut JsonWriter<'_>,
                between: impl FnOnce(&mut JsonWriter<'_>),
            ) {
                w.$pair(*a, *b, between);
            }
            $($extra)*
        }
    )*};
}

floats! {
    f64, "-2.2250738585072014e-308" => 24, f64_pair {
        #[inline]
        fn json_f64(&self) -> Option<f64> {
            Some(*self)
        }
    }
    f32, "-1.17549435e-38" => 16, f32_pair {}
}

impl FastJson for bool {
    const MAX_LEN: Option<usize> = Some(5);
    #[inline]
    fn write_json(&self, w: &mut JsonWriter<'_>) {
        w.raw(if *self { "true" } else { "false" });
    }
    #[inline]
    fn is_json_empty(&self) -> bool {
        !*self
    }
    #[inline]
    fn write_json_quoted(&self, w: &mut JsonWriter<'_>) {
        w.raw(if *self { "\"true\"" } else { "\"false\"" });
    }
}

impl JsonKey for bool {
    #[inline]
    fn write_json_key(&self, w: &mut JsonWriter<'_>) {
        self.write_json_quoted(w);
    }
}

impl FastJson for char {
    /// `"\u001f"`.
    const MAX_LEN: Option<usize> = Some(8);
    #[inline]
    fn write_json(&self, w: &mut JsonWriter<'_>) {
        w.string(self.encode_utf8(&mut [0; 4]));
    }
}

impl JsonKey for char {
    #[inline]
    fn write_json_key(&self, w: &mut JsonWriter<'_>) {
        self.write_json(w);
    }
}

impl FastJson for str {
    #[inline]
    fn write_json(&self, w: &mut JsonWriter<'_>) {
        w.string(self);
    }
    #[inline]
    fn is_json_empty(&self) -> bool {
        self.is_empty()
    }
}

impl JsonKey for str {
    #[inline]
    fn write_json_key(&self, w: &mut JsonWriter<'_>) {
        w.string(self);
    }
}

impl FastJson for String {
    #[inline]
    fn write_json(&self, w: &mut JsonWriter<'_>) {
        w.string(self);
    }
    #[inline]
    fn is_json_empty(&self) -> bool {
        self.is_empty()
    }
}

impl JsonKey for String {
    #[inline]
    fn write_json_key(&self, w: &mut JsonWriter<'_>) {
        w.string(self);
    }
}

impl FastJson for () {
    const MAX_LEN: Option<usize> = Some(4);
    #[inline]
    fn write_json(&self, w: &mut JsonWriter<'_>) {
        w.null();
    }
}

impl<T: FastJson> FastJson for Option<T> {
    const MAX_LEN: Option<usize> = super::__private::max_len(Some(4), T::MAX_LEN);
    #[inline]
    fn write_json(&self, w: &mut JsonWriter<'_>) {
        match self {
            Some(v) => v.write_json(w),
            None => w.null(),
        }
    }
    #[inline]
    fn is_json_empty(&self) -> bool {
        self.is_none()
    }
    #[inline]
    fn write_json_quoted(&self, w: &mut JsonWriter<'_>) {
        match self {
            Some(v) => v.write_json_quoted(w),
            None => w.null(),
        }
    }
}

impl<T: JsonFields> JsonFields for Option<T> {
    #[inline]
    fn write_json_fields(&self, w: &mut JsonWriter<'_>, first: bool) -> bool {
        match self {
            Some(v) => v.write_json_fields(w, first),
            None => first,
        }
    }
}

/// Pointer-like wrappers encode as what they point to. They leave [`FastJson::MAX_LEN`] unset:
/// recursive types go through a pointer, and a bound taken from the pointee would make the
/// constant of such a type depend on itself.
macro_rules! deref_impls {
    ($($(#[$m:meta])* [$($g:tt)*] $t:ty),* $(,)?) => {$(
        $(#[$m])*
        impl<$($g)*> FastJson for $t {
            #[inline]
            fn write_json(&self, w: &mut JsonWriter<'_>) {
                (**self).write_json(w);
            }
            #[inline]
            fn is_json_empty(&self) -> bool {
                (**self).is_json_empty()
            }
            #[inline]
            fn write_json_quoted(&self, w: &mut JsonWriter<'_>) {
                (**self).write_json_quoted(w);
            }
            #[inline]
            fn json_f64(&self) -> Option<f64> {
                (**self).json_f64()
            }
        }
        impl<$($g)*> JsonKey for $t where T: JsonKey {
            #[inline]
            fn write_json_key(&self, w: &mut JsonWriter<'_>) {
                (**self).write_json_key(w);
            }
        }
    )*};
}

deref_impls! {
    ['a, T: FastJson + ?Sized] &'a T,
    ['a, T: FastJson + ?Sized] &'a mut T,
    [T: FastJson + ?Sized] Box<T>,
    [T: FastJson + ?Sized] Rc<T>,
    [T: FastJson + ?Sized] Arc<T>,
}

impl<T: FastJson + ToOwned + ?Sized> FastJson for Cow<'_, T> {
    #[inline]
    fn write_json(&self, w: &mut JsonWriter<'_>) {
        (**self).write_json(w);
    }
    #[inline]
    fn is_json_empty(&self) -> bool {
        (**self).is_json_empty()
    }
    #[inline]
    fn write_json_quoted(&self, w: &mut JsonWriter<'_>) {
        (**self).write_json_quoted(w);
    }
}

impl<T: JsonKey + ToOwned + ?Sized> JsonKey for Cow<'_, T> {
    #[inline]
    fn write_json_key(&self, w: &mut JsonWriter<'_>) {
        (**self).write_json_key(w);
    }
}

macro_rules! deref_fields {
    ($([$($g:tt)*] $t:ty),* $(,)?) => {$(
        impl<$($g)*> JsonFields for $t {
            #[inline]
            fn write_json_fields(&self, w: &mut JsonWriter<'_>, first: bool) -> bool {
                (**self).write_json_fields(w, first)
            }
        }
    )*};
}

deref_fields! {
    ['a, T: JsonFields + ?Sized] &'a T,
    [T: JsonFields + ?Sized] Box<T>,
    [T: JsonFields + ?Sized] Rc<T>,
    [T: JsonFields + ?Sized] Arc<T>,
}

/// Writes the elements of a sequence, reserving once when the element size is bounded.
#[inline]
pub(super) fn write_seq<'x, T, I>(w: &mut JsonWriter<'_>, len: usize, items: I)
where
    T: FastJson + 'x,
    I: IntoIterator<Item = &'x T>,
{
    if let Some(max) = T::MAX_LEN
        && !w.is_pretty()
    {
        // `[` `]`, `len` elements and `len - 1` commas: exactly `[T; N]::MAX_LEN`, so a buffer
        // sized from that bound is never grown here.
        w.reserve(len.saturating_mul(max + 1).saturating_add(1).max(2));
    }
    if !w.is_pretty() {
        w.byte(b'[');
        let mut items = items.into_iter();
        if let Some(item) = items.next() {
            item.write_json(w);
            for item in items {
                w.byte(b',');
                item.write_json(w);
            }
        }
        w.byte(b']');
        return;
    }
    w.begin_array();
    let mut first = true;
    for item in items {
        w.array_element(first);
        first = false;
        item.write_json(w);
    }
    w.end_array(!first);
}

/// Slices and `Vec`s: through the element type's [`FastJson::write_json_slice`].
macro_rules! slice_impls {
    ($($t:ty),* $(,)?) => {$(
        impl<T: FastJson> FastJson for $t {
            #[inline]
            fn write_json(&self, w: &mut JsonWriter<'_>) {
                T::write_json_slice(self, w);
            }
            #[inline]
            fn is_json_empty(&self) -> bool {
                self.is_empty()
            }
        }
    )*};
}

slice_impls!([T], Vec<T>);

impl<T: FastJson, const N: usize> FastJson for [T; N] {
    const MAX_LEN: Option<usize> = match T::MAX_LEN {
        _ if N == 0 => Some(2),
        // `[` `]`, N elements, N - 1 commas.
        Some(m) => match (m + 1).checked_mul(N) {
            Some(body) => Some(body + 1),
            None => None,
        },
        None => None,
    };
    #[inline]
    fn write_json(&self, w: &mut JsonWriter<'_>) {
        T::write_json_slice(self, w);
    }
    #[inline]
    fn is_json_empty(&self) -> bool {
        N == 0
    }
}

macro_rules! seq_impls {
    ($($t:ident $(: $bound:path)?),* $(,)?) => {$(
        impl<T: FastJson $(+ $bound)?> FastJson for $t<T> {
            #[inline]
            fn write_json(&self, w: &mut JsonWriter<'_>) {
                write_seq(w, self.len(), self);
            }
            #[inline]
            fn is_json_empty(&self) -> bool {
                self.is_empty()
            }
        }
    )*};
}

seq_impls!(VecDeque, LinkedList, BTreeSet: Ord);

impl<T: FastJson, S: BuildHasher> FastJson for HashSet<T, S> {
    #[inline]
    fn write_json(&self, w: &mut JsonWriter<'_>) {
        write_seq(w, self.len(), self);
    }
    #[inline]
    fn is_json_empty(&self) -> bool {
        self.is_empty()
    }
}

/// Writes the members of a map into an open object.
#[inline]
fn write_members<'x, K, V, I>(w: &mut JsonWriter<'_>, mut first: bool, entries: I) -> bool
where
    K: JsonKey + ?Sized + 'x,
    V: FastJson + 'x,
    I: IntoIterator<Item = (&'x K, &'x V)>,
{
    let key = |w: &mut JsonWriter<'_>, first: bool, k: &K| {
        w.key_prefix(first);
        k.write_json_key(w);
        w.key_suffix();
    };
    let mut entries = entries.into_iter();
    while let Some((k, v)) = entries.next() {
        key(w, first, k);
        first = false;
        // Values two at a time: floats format both before copying either out; for other
        // types `write_json_pair` is two `write_json` calls.
        match entries.next() {
            Some((k2, v2)) => V::write_json_pair(v, v2, w, |w| key(w, false, k2)),
            None => v.write_json(w),
        }
    }
    first
}

#[inline]
fn write_map<'x, K, V, I>(w: &mut JsonWriter<'_>, entries: I)
where
    K: JsonKey + ?Sized + 'x,
    V: FastJson + 'x,
    I: IntoIterator<Item = (&'x K, &'x V)>,
{
    w.begin_object();
    let first = write_members(w, true, entries);
    w.end_object(!first);
}

impl<K: JsonKey, V: FastJson, S: BuildHasher> FastJson for HashMap<K, V, S> {
    #[inline]
    fn write_json(&self, w: &mut JsonWriter<'_>) {
        write_map(w, self);
    }
    #[inline]
    fn is_json_empty(&self) -> bool {
        self.is_empty()
    }
}

impl<K: JsonKey, V: FastJson, S: BuildHasher> JsonFields for HashMap<K, V, S> {
    #[inline]
    fn write_json_fields(&self, w: &mut JsonWriter<'_>, first: bool) -> bool {
        write_members(w, first, self)
    }
}

impl<K: JsonKey, V: FastJson> FastJson for BTreeMap<K, V> {
    #[inline]
    fn write_json(&self, w: &mut JsonWriter<'_>) {
        write_map(w, self);
    }
    #[inline]
    fn is_json_empty(&self) -> bool {
        self.is_empty()
    }
}

impl<K: JsonKey, V: FastJson> JsonFields for BTreeMap<K, V> {
    #[inline]
    fn write_json_fields(&self, w: &mut JsonWriter<'_>, first: bool) -> bool {
        write_members(w, first, self)
    }
}

/// The two floats of a pair of floats (`(f64, f64)`, a point); `None` for anything else,
/// known at compile time once the element types' `json_f64` are inlined.
#[inline(always)]
fn float_pair(items: &[Option<f64>]) -> Option<(f64, f64)> {
    match *items {
        [Some(a), Some(b)] => Some((a, b)),
        _ => None,
    }
}

macro_rules! tuples {
    ($( ($($n:tt $t:ident),+) )*) => {$(
        impl<$($t: FastJson),+> FastJson for ($($t,)+) {
            const MAX_LEN: Option<usize> =
                super::__private::sum_len(1 + [$($n),+].len(), &[$($t::MAX_LEN),+]);
            #[inline]
            fn write_json(&self, w: &mut JsonWriter<'_>) {
                if let Some(pair) = float_pair(&[$(self.$n.json_f64()),+]) {
                    w.begin_array();
                    w.array_element(true);
                    w.f64_pair(pair.0, pair.1, |w| w.array_element(false));
                    w.end_array(true);
                    return;
                }
                if !w.is_pretty() {
                    w.byte(b'[');
                    $( if $n != 0 { w.byte(b','); } self.$n.write_json(w); )+
                    w.byte(b']');
                    return;
                }
                w.begin_array();
                $( w.array_element($n == 0); self.$n.write_json(w); )+
                w.end_array(true);
            }
        }
    )*};
}

tuples! {
    (0 A)
    (0 A, 1 B)
    (0 A, 1 B, 2 C)
    (0 A, 1 B, 2 C, 3 D)
    (0 A, 1 B, 2 C, 3 D, 4 E)
    (0 A, 1 B, 2 C, 3 D, 4 E, 5 F)
    (0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G)
    (0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H)
    (0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H, 8 I)
    (0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H, 8 I, 9 J)
    (0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H, 8 I, 9 J, 10 K)
    (0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H, 8 I, 9 J, 10 K, 11 L)
}
