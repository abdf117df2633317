//! A client that goes away frees the CPU profile slot: the next request is not refused.
#![cfg(feature = "profiling")]

mod profiling_support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use profiling_support::get;

#[test]
fn disconnecting_client_frees_the_cpu_slot() {
    let server = perfkit::profiling::Profiling::new()
        .spawn("127.0.0.1:0")
        .unwrap();
    let addr = server.local_addr();
    // The long profile must hold the slot before the probe asks for it. On a slow machine the
    // probe may be served first (it then takes the slot for 1 s and the long request is
    // refused): start over with more time, a bounded number of times.
    let mut attempt = 0;
    let mut s = loop {
        attempt += 1;
        let mut s = TcpStream::connect(addr).unwrap();
        s.write_all(b"GET /debug/pprof/profile?seconds=60 HTTP/1.1\r\nHost: x\r\n\r\n")
            .unwrap();
        std::thread::sleep(Duration::from_millis(300 * attempt));
        // While the first client waits, the slot is taken.
        let probe = get(addr, "/debug/pprof/profile?seconds=1").status;
        if probe == 409 {
            break s;
        }
        assert!(
            probe == 200 && attempt < 5,
            "probe answered {probe} on attempt {attempt}"
        );
        drop(s);
        std::thread::sleep(Duration::from_millis(1500));
    };
    s.set_read_timeout(Some(Duration::from_millis(10))).unwrap();
    let mut buf = [0u8; 16];
    assert!(s.read(&mut buf).is_err(), "the 60s profile answered early");
    drop(s);

    // The server notices the closed connection and drops the request; retry for a while
    // (the notice is asynchronous) but far less than the 60 s the dropped profile asked for.
    let mut statuses = Vec::new();
    for _ in 0..20 {
        let r = get(addr, "/debug/pprof/profile?seconds=1&format=collapsed");
        statuses.push(r.status);
        if r.status == 200 {
            return;
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    panic!("the slot stayed busy after the client left: {statuses:?}");
}
