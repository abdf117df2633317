//! The pooled-buffer encode: no allocation once the pool is warm; a buffer that grew past the
//! size guard is dropped on return instead of pinned in the pool.

#[global_allocator]
static GLOBAL: perfkit::alloc::CountingAlloc =
    perfkit::alloc::CountingAlloc::new(std::alloc::System);

use perfkit::FastJson;
use perfkit::Pool;
use perfkit::alloc::allocs_per_run;
use perfkit::json::{self, Options, POOLED_BUFFER_KEEP};

#[derive(FastJson)]
struct Reply<'a> {
    status: u16,
    message: &'a str,
    items: Vec<u32>,
}

#[test]
fn pooled_encode_reuses_the_buffer() {
    let r = Reply {
        status: 200,
        message: "ok \"fine\"",
        items: (0..100).collect(),
    };
    let expected = json::to_vec(&r);
    assert_eq!(&json::to_pooled(&r)[..], &expected[..]);
    let per_run = allocs_per_run(50, || {
        let body = json::to_pooled(&r);
        assert_eq!(body.len(), expected.len());
    });
    assert_eq!(per_run, 0.0);
}

#[test]
fn own_pool_and_options() {
    static POOL: Pool<Vec<u8>> = Pool::new(Vec::new);
    let r = Reply {
        status: 1,
        message: "<b>",
        items: vec![],
    };
    let body = Options::new().html_safe(true).to_pooled_in(&POOL, &r);
    assert_eq!(
        &body[..],
        br#"{"status":1,"message":"\u003cb\u003e","items":[]}"#
    );
    drop(body);
    let body = json::to_pooled_in(&POOL, &7u8);
    assert_eq!(&body[..], b"7", "the reused buffer starts empty");
}

#[test]
fn huge_buffers_are_not_kept() {
    let big: Vec<u64> = (0..(POOLED_BUFFER_KEEP as u64 / 4)).collect();
    let before = json::BUFFERS.stats().dropped;
    let body = json::to_pooled(&big);
    assert!(body.capacity() > POOLED_BUFFER_KEEP);
    drop(body);
    assert_eq!(json::BUFFERS.stats().dropped, before + 1);
    let small = json::to_pooled(&1u8);
    assert!(small.capacity() <= POOLED_BUFFER_KEEP);
}
