//! Objects of every layout come back from the thread cache bit for bit: word-sized and
//! not, small and large, zero-sized, over-aligned.

use perfkit::{Pool, Poolable};

/// Keeps its contents on reset, so what comes back can be compared with what went in.
#[derive(Clone, Debug, PartialEq)]
struct Keep<T>(T);

impl<T> Poolable for Keep<T> {
    fn reset(&mut self) {}
}

#[repr(align(64))]
#[derive(Clone, Debug, PartialEq)]
struct Aligned([u8; 3]);

fn round_trip<T: Clone + PartialEq + std::fmt::Debug + Send + 'static>(
    values: Vec<T>,
    fresh: fn() -> Keep<T>,
) {
    let pool = Pool::new(fresh).with_capacity(values.len());
    for v in &values {
        pool.put(Keep(v.clone()));
    }
    let mut back: Vec<T> = (0..values.len())
        .map(|_| perfkit::Pooled::detach(pool.get()).0)
        .collect();
    let s = pool.stats();
    assert_eq!((s.hits, s.misses), (values.len() as u64, 0));
    back.sort_by_key(|v| format!("{v:?}"));
    let mut expected = values;
    expected.sort_by_key(|v| format!("{v:?}"));
    assert_eq!(back, expected);
}

#[test]
fn word_sized_objects() {
    round_trip(
        (0..10u64)
            .map(|i| (i, i as u32 * 7, String::from("x").repeat(i as usize)))
            .collect(),
        || Keep((0, 0, String::new())),
    );
}

#[test]
fn odd_sized_objects() {
    round_trip((0..10u8).map(|i| [i, i + 1, i + 2]).collect(), || {
        Keep([0; 3])
    });
}

#[test]
fn large_objects() {
    round_trip((0..10u64).map(|i| [i; 32]).collect(), || Keep([0; 32]));
}

#[test]
fn zero_sized_objects() {
    round_trip(vec![(); 10], || Keep(()));
}

#[test]
fn over_aligned_objects() {
    round_trip((0..10u8).map(|i| Aligned([i; 3])).collect(), || {
        Keep(Aligned([0; 3]))
    });
    let pool = Pool::new(|| Keep(Aligned([0; 3])));
    let g = pool.get();
    assert_eq!(std::ptr::from_ref(&*g).addr() % 64, 0);
}
