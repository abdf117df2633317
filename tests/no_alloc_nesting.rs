//! Nested guards, `permit_alloc` inside a guard, and other threads.
#[global_allocator]
static GLOBAL: perfkit::alloc::CountingAlloc =
    perfkit::alloc::CountingAlloc::new(std::alloc::System);

use perfkit::alloc::permit_alloc;

#[perfkit::no_alloc]
fn inner_clean(x: u64) -> u64 {
    x * 2
}

#[perfkit::no_alloc]
fn outer_clean(x: u64) -> u64 {
    inner_clean(x) + 1
}

#[perfkit::no_alloc]
fn inner_dirty() -> usize {
    vec![0u8; 3].len()
}

#[perfkit::no_alloc]
fn outer_of_dirty() -> usize {
    inner_dirty()
}

#[perfkit::no_alloc]
fn permitted_slow_path(x: u64) -> u64 {
    let s = permit_alloc(|| x.to_string());
    let n = s.len() as u64;
    permit_alloc(move || drop(s));
    n
}

#[perfkit::no_alloc]
fn spawn_and_join() -> usize {
    // spawning allocates on this thread, so permit that; the thread's own work is its own
    let h = permit_alloc(|| std::thread::spawn(|| vec![7u8; 100].len()));
    permit_alloc(|| h.join().unwrap())
}

#[test]
fn nested_clean_guards_pass() {
    assert_eq!(outer_clean(4), 9);
}

#[test]
#[should_panic(expected = "violated in `no_alloc_nesting::inner_dirty`")]
fn innermost_guard_reports_first() {
    outer_of_dirty();
}

#[test]
fn permit_alloc_inside_a_guard_passes() {
    assert_eq!(permitted_slow_path(12345), 5);
}

#[test]
fn permit_alloc_still_counts() {
    let (_, stats) = perfkit::alloc::measure(|| permitted_slow_path(7));
    assert_eq!(stats.allocs, 1);
}

#[test]
fn other_threads_are_not_attributed() {
    assert_eq!(spawn_and_join(), 100);
}

#[test]
#[should_panic(expected = "guard_is_armed_again_after_permit::outer_after_permit`")]
fn guard_is_armed_again_after_permit() {
    #[perfkit::no_alloc]
    fn outer_after_permit() -> usize {
        let a = permit_alloc(|| vec![1u8]);
        let b = Box::new(2usize);
        permit_alloc(move || a.len() + *b)
    }
    outer_after_permit();
}

#[test]
fn a_strict_guard_inside_a_plain_one_restores_it() {
    let mut v: Vec<u8> = Vec::with_capacity(4);
    {
        let _outer = perfkit::alloc::AllocGuard::new("outer", false);
        {
            let _strict = perfkit::alloc::AllocGuard::new("strict", true);
            v.push(1);
        }
        // Only the plain guard is left: freeing is allowed again.
        drop(permit_alloc(|| vec![0u8; 8]));
    }
    // No guard is left: allocating is allowed again.
    let ((), stats) = perfkit::alloc::measure(|| drop(std::hint::black_box(vec![1u8; 3])));
    assert_eq!(stats.allocs, 1);
}
