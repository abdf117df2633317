//! One CPU profile at a time: a concurrent request gets 409 with `Retry-After`.
#![cfg(feature = "profiling")]

mod profiling_support;

use profiling_support::get;

#[test]
fn two_concurrent_cpu_profiles_give_one_200_and_one_409() {
    let server = perfkit::profiling::Profiling::new()
        .spawn("127.0.0.1:0")
        .unwrap();
    let addr = server.local_addr();
    let handles: Vec<_> = (0..2)
        .map(|_| {
            std::thread::spawn(move || get(addr, "/debug/pprof/profile?seconds=2&format=collapsed"))
        })
        .collect();
    let mut responses: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    responses.sort_by_key(|r| r.status);
    assert_eq!(responses[0].status, 200, "{}", responses[0].text());
    assert_eq!(responses[1].status, 409, "{}", responses[1].text());
    let busy = &responses[1];
    let retry: u64 = busy
        .header("retry-after")
        .expect("Retry-After")
        .parse()
        .expect("seconds");
    assert!(
        (1..=2).contains(&retry),
        "Retry-After {retry} is not the time left of a 2s profile"
    );
    assert!(
        busy.header("content-type")
            .unwrap()
            .starts_with("text/plain")
    );
    assert!(
        busy.text().contains("already being recorded"),
        "{}",
        busy.text()
    );

    // Once the first profile is done the slot is free again.
    assert_eq!(
        get(addr, "/debug/pprof/profile?seconds=1&format=collapsed").status,
        200
    );
}
