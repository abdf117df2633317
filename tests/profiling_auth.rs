//! Loopback by default; a token (compared in constant time) guards the routes otherwise.
#![cfg(feature = "profiling")]

mod profiling_support;

use profiling_support::request;

#[test]
fn non_loopback_address_without_token_is_refused() {
    let err = perfkit::profiling::Profiling::new()
        .spawn("0.0.0.0:0")
        .unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
    assert!(err.to_string().contains("without a token"), "{err}");
}

#[test]
fn token_is_required_when_configured() {
    let server = perfkit::profiling::Profiling::new()
        .token("s3cret-token")
        .spawn("127.0.0.1:0")
        .unwrap();
    let addr = server.local_addr();
    let none = request(addr, "GET", "/debug/pprof/cmdline", &[], b"");
    assert_eq!(none.status, 401);
    assert_eq!(none.header("www-authenticate"), Some("Bearer"));
    assert!(none.text().contains("token"), "{}", none.text());
    for wrong in [
        "Bearer s3cret-toke",
        "Bearer s3cret-token2",
        "Bearer S3CRET-TOKEN",
        "s3cret-token",
    ] {
        let r = request(
            addr,
            "GET",
            "/debug/pprof/cmdline",
            &[("Authorization", wrong)],
            b"",
        );
        assert_eq!(r.status, 401, "{wrong}");
    }
    assert_eq!(
        request(addr, "GET", "/debug/vars?token=nope", &[], b"").status,
        401
    );

    let ok = request(
        addr,
        "GET",
        "/debug/pprof/cmdline",
        &[("Authorization", "Bearer s3cret-token")],
        b"",
    );
    assert_eq!(ok.status, 200);
    // For go tool pprof, which cannot send headers.
    assert_eq!(
        request(addr, "GET", "/debug/vars?token=s3cret-token", &[], b"").status,
        200
    );
}
