//! Bad parameters get 400 naming the accepted range; other methods get 405.
#![cfg(feature = "profiling")]

mod profiling_support;

use profiling_support::{get, request};

#[test]
fn out_of_range_or_malformed_parameters_get_400_with_the_range() {
    let server = perfkit::profiling::Profiling::new()
        .max_seconds(45)
        .spawn("127.0.0.1:0")
        .unwrap();
    let addr = server.local_addr();
    let cases = [
        ("/debug/pprof/profile?seconds=0", "seconds", "from 1 to 45"),
        ("/debug/pprof/profile?seconds=46", "seconds", "from 1 to 45"),
        (
            "/debug/pprof/profile?seconds=ten",
            "seconds",
            "from 1 to 45",
        ),
        ("/debug/pprof/profile?seconds=-3", "seconds", "from 1 to 45"),
        (
            "/debug/pprof/profile?frequency=0",
            "frequency",
            "from 1 to 1000",
        ),
        (
            "/debug/pprof/profile?frequency=1001",
            "frequency",
            "from 1 to 1000",
        ),
        (
            "/debug/pprof/profile?frequency=1.5",
            "frequency",
            "from 1 to 1000",
        ),
        (
            "/debug/pprof/profile?format=pdf",
            "format",
            "proto (default), svg or collapsed",
        ),
        ("/debug/pprof/heap?debug=3", "debug", "from 0 to 1"),
        ("/debug/pprof/allocs?debug=x", "debug", "from 0 to 1"),
        ("/debug/pprof/goroutine?debug=9", "debug", "from 0 to 2"),
        ("/debug/pprof/symbol?0xzz", "address", "hexadecimal"),
    ];
    for (path, name, range) in cases {
        let r = get(addr, path);
        assert_eq!(r.status, 400, "{path}: {}", r.text());
        let body = r.text();
        assert!(
            body.contains(name) && body.contains(range),
            "{path}: message {body:?} lacks {name:?} / {range:?}"
        );
    }
}

#[test]
fn non_get_methods_get_405() {
    let server = perfkit::profiling::Profiling::new()
        .spawn("127.0.0.1:0")
        .unwrap();
    let addr = server.local_addr();
    for path in [
        "/debug/pprof/",
        "/debug/pprof/profile",
        "/debug/pprof/heap",
        "/debug/pprof/allocs",
        "/debug/pprof/goroutine",
        "/debug/pprof/cmdline",
        "/debug/vars",
    ] {
        for method in ["POST", "PUT", "DELETE", "PATCH"] {
            let r = request(addr, method, path, &[], b"");
            assert_eq!(r.status, 405, "{method} {path}");
            assert!(
                r.header("allow").is_some_and(|a| a.contains("GET")),
                "{method} {path}: Allow header"
            );
        }
    }
    // Go's symbol server takes POST; other methods are refused.
    assert_eq!(
        request(addr, "PUT", "/debug/pprof/symbol", &[], b"").status,
        405
    );
}

#[test]
fn unknown_profiles_get_404_listing_the_known_ones() {
    let server = perfkit::profiling::Profiling::new()
        .spawn("127.0.0.1:0")
        .unwrap();
    let r = get(server.local_addr(), "/debug/pprof/mutex");
    assert_eq!(r.status, 404);
    assert!(
        r.text().contains("heap") && r.text().contains("profile"),
        "{}",
        r.text()
    );
}
