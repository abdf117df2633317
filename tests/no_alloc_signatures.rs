//! `#[no_alloc]` is a guard local, not a closure: every kind of signature keeps working.
#[global_allocator]
static GLOBAL: perfkit::alloc::CountingAlloc =
    perfkit::alloc::CountingAlloc::new(std::alloc::System);

use perfkit::no_alloc;
use std::fmt::Debug;

#[derive(Debug, PartialEq)]
struct Token(u32);

impl Token {
    #[no_alloc]
    fn into_inner(self) -> u32 {
        self.0
    }

    #[no_alloc]
    fn early(&self, limit: u32) -> Result<u32, &'static str> {
        if self.0 > limit {
            return Err("too big");
        }
        let half = checked_half(self.0)?;
        Ok(half)
    }

    #[no_alloc]
    fn pairs(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        (0..self.0).map(move |i| (i, self.0 - i))
    }

    #[no_alloc]
    fn generic<T: Copy + Into<u64>>(&mut self, xs: &[T]) -> u64 {
        xs.iter().map(|&x| x.into()).sum::<u64>() + u64::from(self.0)
    }
}

fn checked_half(x: u32) -> Result<u32, &'static str> {
    if x.is_multiple_of(2) {
        Ok(x / 2)
    } else {
        Err("odd")
    }
}

trait Shape {
    fn area(&self) -> u64;
    #[no_alloc]
    fn double(&self) -> u64 {
        self.area() * 2
    }
}

impl Shape for Token {
    #[no_alloc]
    fn area(&self) -> u64 {
        u64::from(self.0) * u64::from(self.0)
    }
}

/// # Safety
/// `p` must point to a valid `u32`.
#[no_alloc]
unsafe fn read(p: *const u32) -> u32 {
    // SAFETY: the caller guarantees `p` is valid.
    unsafe { *p }
}

#[no_alloc]
fn first_debug<T: Debug, const N: usize>(xs: [T; N]) -> Option<T> {
    xs.into_iter().next()
}

#[no_alloc]
fn loops_with_labels(n: u32) -> u32 {
    let mut total = 0;
    'outer: for i in 0..n {
        for j in 0..n {
            if j > i {
                continue 'outer;
            }
            total += j;
        }
    }
    total
}

#[test]
fn self_by_value() {
    assert_eq!(Token(5).into_inner(), 5);
}

#[test]
fn return_and_question_mark() {
    assert_eq!(Token(8).early(10), Ok(4));
    assert_eq!(Token(11).early(10), Err("too big"));
    assert_eq!(Token(7).early(10), Err("odd"));
}

#[test]
fn impl_trait_return() {
    assert_eq!(Token(3).pairs().count(), 3);
}

#[test]
fn generics_and_const_generics() {
    assert_eq!(Token(1).generic(&[1u8, 2, 3]), 7);
    assert_eq!(first_debug([Token(1), Token(2)]), Some(Token(1)));
}

#[test]
fn trait_methods() {
    assert_eq!(Token(3).area(), 9);
    assert_eq!(Token(3).double(), 18);
}

#[test]
fn unsafe_fn() {
    let x = 9;
    // SAFETY: `x` is a live u32.
    assert_eq!(unsafe { read(&x) }, 9);
}

#[test]
fn labels() {
    assert_eq!(loops_with_labels(4), 10);
}

struct Big;

impl Shape for Big {
    #[no_alloc]
    fn area(&self) -> u64 {
        std::hint::black_box(vec![1u64; 4]).iter().sum()
    }
}

#[test]
#[should_panic(
    expected = "violated in `<no_alloc_signatures::Big as no_alloc_signatures::Shape>::area`"
)]
fn trait_impl_method_name_includes_self_type() {
    let _ = Big.area();
}
