//! The thread dump (Go's goroutine profile) lists every thread with its name and stack.
#![cfg(feature = "profiling")]

mod profiling_support;

use std::sync::mpsc;

use profiling_support::get;

#[inline(never)]
fn perfkit_parked_worker(ready: mpsc::Sender<()>) {
    ready.send(()).unwrap();
    loop {
        std::thread::park();
    }
}

#[test]
fn thread_dump_shows_a_named_parked_thread() {
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("parked-worker".into())
        .spawn(move || perfkit_parked_worker(tx))
        .unwrap();
    rx.recv().unwrap();
    let server = perfkit::profiling::Profiling::new()
        .spawn("127.0.0.1:0")
        .unwrap();
    let addr = server.local_addr();

    // debug=2: one paragraph per thread, the name in the header, the stack below.
    let dump = get(addr, "/debug/pprof/goroutine?debug=2");
    assert_eq!(dump.status, 200);
    let dump = dump.text();
    let para = dump
        .split("\n\n")
        .find(|p| {
            p.lines()
                .next()
                .is_some_and(|h| h.ends_with("\"parked-worker\":"))
        })
        .unwrap_or_else(|| panic!("no parked-worker thread in:\n{dump}"));
    assert!(
        para.lines()
            .any(|l| l.starts_with("std::thread::") && l.ends_with("::park")),
        "the parked thread's stack lacks park:\n{para}"
    );
    assert!(
        para.contains("perfkit_parked_worker"),
        "the stack lacks the worker function:\n{para}"
    );
    assert!(
        !para.contains("profiling::threads::handler"),
        "the dump handler's frames are left in:\n{para}"
    );
    let own_threads = std::fs::read_dir("/proc/self/task").unwrap().count();
    let listed = dump.lines().filter(|l| l.starts_with("thread ")).count();
    assert!(
        listed + 2 >= own_threads,
        "{listed} threads listed, the process has {own_threads}"
    );

    // debug=1 groups identical stacks.
    let grouped = get(addr, "/debug/pprof/goroutine?debug=1").text();
    assert!(grouped.starts_with("threads profile: total "));
    assert!(grouped.contains("\"parked-worker\""));

    // debug=0: protobuf, one sample per thread, labelled with its name.
    let p = get(addr, "/debug/pprof/goroutine").profile();
    let parked = p
        .sample
        .iter()
        .find(|s| {
            s.label
                .iter()
                .any(|l| p.string(l.key) == "thread" && p.string(l.str) == "parked-worker")
        })
        .expect("a sample for the parked thread");
    assert_eq!(parked.value, [1]);
    assert!(
        p.stack_names(parked)
            .iter()
            .any(|n| n.contains("perfkit_parked_worker"))
    );
}
