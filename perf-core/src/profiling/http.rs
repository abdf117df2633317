//! The HTTP side: Go's `/debug/pprof/` routes and `/debug/vars` on an axum `Router`.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::cpu::{self, CpuSlot};
use super::heap::{self, Kind};
use super::proto::Profile;
use super::symbols::{gzip, resolve};
use super::threads;

/// What the handlers share.
pub(crate) struct Settings {
    pub(crate) max_seconds: u64,
    pub(crate) token: Option<Arc<str>>,
    pub(crate) started: Instant,
}

type Shared = Arc<Settings>;
type Params = Query<HashMap<String, String>>;

/// Unix time (seconds) at which the running CPU profile ends, for `Retry-After`.
static CPU_ENDS_AT: AtomicU64 = AtomicU64::new(0);

/// (route, description) as listed by the index page.
const PROFILES: &[(&str, &str)] = &[
    (
        "allocs",
        "A sampling of all past memory allocations (alloc_space by default)",
    ),
    (
        "cmdline",
        "The command line of this program, arguments separated by NUL bytes",
    ),
    (
        "goroutine",
        "Stack traces of all threads, with their names (debug=2: text, debug=1: grouped text, debug=0: protobuf)",
    ),
    (
        "heap",
        "A sampling of memory allocations of live objects (inuse_space by default)",
    ),
    (
        "profile",
        "CPU profile; seconds=N (default 30), frequency=Hz (default 100), format=svg|collapsed",
    ),
    (
        "symbol",
        "Looks up the function names of addresses (POST or GET 0x…+0x…)",
    ),
];

pub(crate) fn router(settings: Settings) -> Router {
    let shared: Shared = Arc::new(settings);
    let routes = Router::new()
        .route("/debug/pprof/", get(index))
        .route("/debug/pprof/profile", get(profile))
        .route("/debug/pprof/heap", get(heap_profile))
        .route("/debug/pprof/allocs", get(allocs_profile))
        .route("/debug/pprof/goroutine", get(goroutine))
        .route("/debug/pprof/cmdline", get(cmdline))
        .route("/debug/pprof/symbol", get(symbol).post(symbol))
        .route("/debug/pprof/{name}", get(unknown))
        .route("/debug/vars", get(vars));
    let routes = if shared.token.is_some() {
        routes.route_layer(middleware::from_fn_with_state(
            Arc::clone(&shared),
            authorize,
        ))
    } else {
        routes
    };
    routes.with_state(shared)
}

fn text(status: StatusCode, body: impl Into<String>) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        body.into(),
    )
        .into_response()
}

async fn authorize(State(s): State<Shared>, req: Request, next: Next) -> Response {
    let Some(expected) = s.token.as_deref() else {
        return next.run(req).await;
    };
    let from_header = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let from_query = req
        .uri()
        .query()
        .and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("token=")));
    let ok = [from_header, from_query]
        .into_iter()
        .flatten()
        .any(|given| {
            use subtle::ConstantTimeEq;
            bool::from(given.as_bytes().ct_eq(expected.as_bytes()))
        });
    if ok {
        next.run(req).await
    } else {
        let mut r = text(
            StatusCode::UNAUTHORIZED,
            "a profiling token is required: send `Authorization: Bearer <token>` or add `token=<token>` to the query\n",
        );
        r.headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        r
    }
}

/// A 400 answer's message.
struct BadRequest(String);

impl IntoResponse for BadRequest {
    fn into_response(self) -> Response {
        text(StatusCode::BAD_REQUEST, self.0)
    }
}

/// Parses an integer parameter in `min..=max`; the error names the range.
fn int_param(
    q: &HashMap<String, String>,
    name: &str,
    default: u64,
    min: u64,
    max: u64,
) -> Result<u64, BadRequest> {
    let Some(raw) = q.get(name) else {
        return Ok(default);
    };
    match raw.trim().parse::<u64>() {
        Ok(v) if (min..=max).contains(&v) => Ok(v),
        _ => Err(BadRequest(format!(
            "invalid {name}={raw:?}: must be an integer from {min} to {max} (default {default})\n"
        ))),
    }
}

fn proto_response(profile: &Profile, name: &str) -> Response {
    let body = gzip(profile);
    (
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Response> {
    tokio::task::spawn_blocking(f).await.map_err(|e| {
        text(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("profile task failed: {e}\n"),
        )
    })
}

async fn index() -> Response {
    let mut html = String::from(
        "<html><head><title>/debug/pprof/</title></head><body>\n<p>/debug/pprof/</p>\n<p>Types of profiles available:</p>\n<table>\n",
    );
    for (name, desc) in PROFILES {
        html.push_str(&format!(
            "<tr><td><a href=\"{name}?debug=1\">{name}</a></td><td>{desc}</td></tr>\n"
        ));
    }
    html.push_str("<tr><td><a href=\"../vars\">vars</a></td><td>Allocator totals and uptime as JSON (/debug/vars)</td></tr>\n");
    html.push_str("</table>\n<p><a href=\"goroutine?debug=2\">full thread stack dump</a></p>\n</body></html>\n");
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()
}

async fn unknown(Path(name): Path<String>) -> Response {
    let names: Vec<&str> = PROFILES.iter().map(|(n, _)| *n).collect();
    text(
        StatusCode::NOT_FOUND,
        format!(
            "unknown profile {name:?}: available are {}\n",
            names.join(", ")
        ),
    )
}

async fn profile(State(s): State<Shared>, Query(q): Params) -> Response {
    let seconds = match int_param(&q, "seconds", 30.min(s.max_seconds), 1, s.max_seconds) {
        Ok(v) => v,
        Err(r) => return r.into_response(),
    };
    let frequency = match int_param(&q, "frequency", 100, 1, 1000) {
        Ok(v) => v as u32,
        Err(r) => return r.into_response(),
    };
    let format = q.get("format").map_or("proto", String::as_str);
    if !matches!(format, "proto" | "svg" | "collapsed") {
        return text(
            StatusCode::BAD_REQUEST,
            format!("invalid format={format:?}: must be proto (default), svg or collapsed\n"),
        );
    }
    let Some(slot) = CpuSlot::acquire() else {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs();
        let retry = CPU_ENDS_AT
            .load(Ordering::Relaxed)
            .saturating_sub(now)
            .max(1);
        let mut r = text(
            StatusCode::CONFLICT,
            format!(
                "a CPU profile is already being recorded; one runs at a time, retry in {retry}s\n"
            ),
        );
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(retry));
        return r;
    };
    let ends = SystemTime::now() + Duration::from_secs(seconds);
    CPU_ENDS_AT.store(
        ends.duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs(),
        Ordering::Relaxed,
    );
    let samples = match cpu::record(seconds, frequency).await {
        Ok(s) => s,
        Err(e) => return text(StatusCode::INTERNAL_SERVER_ERROR, format!("{e}\n")),
    };
    drop(slot);
    let format = format.to_owned();
    let built = blocking(move || match format.as_str() {
        "svg" => samples
            .svg()
            .map(|svg| ([(header::CONTENT_TYPE, "image/svg+xml")], svg).into_response()),
        "collapsed" => Ok(text(StatusCode::OK, samples.collapsed())),
        _ => Ok(proto_response(&samples.profile(), "profile")),
    })
    .await;
    match built {
        Ok(Ok(r)) | Err(r) => r,
        Ok(Err(e)) => text(StatusCode::INTERNAL_SERVER_ERROR, format!("{e}\n")),
    }
}

async fn heap_profile(Query(q): Params) -> Response {
    heap_like(&q, Kind::Heap, "heap").await
}

async fn allocs_profile(Query(q): Params) -> Response {
    heap_like(&q, Kind::Allocs, "allocs").await
}

async fn heap_like(q: &HashMap<String, String>, kind: Kind, name: &'static str) -> Response {
    let debug = match int_param(q, "debug", 0, 0, 1) {
        Ok(v) => v,
        Err(r) => return r.into_response(),
    };
    match blocking(move || heap::profile(kind)).await {
        Ok(p) if debug == 1 => text(StatusCode::OK, profile_text(&p)),
        Ok(p) => proto_response(&p, name),
        Err(r) => r,
    }
}

/// A readable listing of a profile: one sample per paragraph, values then stack.
fn profile_text(p: &Profile) -> String {
    let types: Vec<String> = p
        .sample_type
        .iter()
        .map(|t| format!("{}/{}", p.string(t.r#type), p.string(t.unit)))
        .collect();
    let mut out = format!("# {}\n", types.join(" "));
    for c in &p.comment {
        out.push_str(&format!("# {}\n", p.string(*c)));
    }
    for s in &p.sample {
        let values: Vec<String> = s.value.iter().map(i64::to_string).collect();
        let labels: Vec<String> = s
            .label
            .iter()
            .map(|l| {
                if l.str != 0 {
                    format!("{}={}", p.string(l.key), p.string(l.str))
                } else {
                    format!("{}={}", p.string(l.key), l.num)
                }
            })
            .collect();
        out.push_str(&format!("{} [{}]\n", values.join(" "), labels.join(" ")));
        for name in p.stack_names(s) {
            out.push_str(&format!("#\t{name}\n"));
        }
        out.push('\n');
    }
    out
}

async fn goroutine(Query(q): Params) -> Response {
    let debug = match int_param(&q, "debug", 0, 0, 2) {
        Ok(v) => v,
        Err(r) => return r.into_response(),
    };
    let dumped = blocking(move || {
        threads::dump().map(|t| match debug {
            0 => proto_response(&threads::profile(&t), "goroutine"),
            1 => text(StatusCode::OK, threads::grouped_text(&t)),
            _ => text(StatusCode::OK, threads::text(&t)),
        })
    })
    .await;
    match dumped {
        Ok(Ok(r)) | Err(r) => r,
        Ok(Err(e)) => text(StatusCode::INTERNAL_SERVER_ERROR, format!("{e}\n")),
    }
}

async fn cmdline() -> Response {
    let args: Vec<String> = std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    text(StatusCode::OK, args.join("\0"))
}

/// Go's symbol server: `GET` answers `num_symbols: 1`; addresses (`0x…` joined by `+`, in
/// the query or a `POST` body) get one `address name` line each.
async fn symbol(req: Request) -> Response {
    let query = req.uri().query().unwrap_or("").to_owned();
    let body = match axum::body::to_bytes(req.into_body(), 1 << 20).await {
        Ok(b) => b,
        Err(e) => {
            return text(
                StatusCode::BAD_REQUEST,
                format!("cannot read the request body (at most 1 MiB): {e}\n"),
            );
        }
    };
    let input = if body.is_empty() {
        query
    } else {
        String::from_utf8_lossy(&body).into_owned()
    };
    if input.is_empty() {
        return text(StatusCode::OK, "num_symbols: 1\n");
    }
    let mut addrs = Vec::new();
    for word in input.split('+').filter(|w| !w.is_empty()) {
        let hex = word
            .trim()
            .trim_start_matches("0x")
            .trim_start_matches("0X");
        match u64::from_str_radix(hex, 16) {
            Ok(a) => addrs.push(a),
            Err(_) => {
                return text(
                    StatusCode::BAD_REQUEST,
                    format!(
                        "invalid address {word:?}: expected hexadecimal like 0x4a5f10, joined by '+'\n"
                    ),
                );
            }
        }
    }
    let out = blocking(move || {
        let mut out = String::new();
        for a in addrs {
            // Go's FuncForPC names the innermost function at an inlined pc.
            if let Some(f) = resolve(a.wrapping_add(1)).first() {
                out.push_str(&format!("{a:#x} {}\n", f.name));
            }
        }
        out
    })
    .await;
    match out {
        Ok(o) => text(StatusCode::OK, o),
        Err(r) => r,
    }
}

/// Seconds since the process started (from `/proc`), and at least since the router was
/// built: `/proc/uptime` and a process's start time come from different clocks with 10 ms
/// ticks, so for a young process their difference can round to 0 or below.
fn uptime(s: &Settings) -> f64 {
    let from_proc = || -> Option<f64> {
        let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
        // Fields after the parenthesised command name; starttime is field 22 overall.
        let rest = &stat[stat.rfind(')')? + 2..];
        let start_ticks: f64 = rest.split_whitespace().nth(19)?.parse().ok()?;
        let boot_uptime: f64 = std::fs::read_to_string("/proc/uptime")
            .ok()?
            .split_whitespace()
            .next()?
            .parse()
            .ok()?;
        // SAFETY: sysconf has no preconditions.
        let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
        (hz > 0).then(|| (boot_uptime - start_ticks / hz as f64).max(0.0))
    };
    from_proc()
        .unwrap_or(0.0)
        .max(s.started.elapsed().as_secs_f64())
}

async fn vars(State(s): State<Shared>) -> Response {
    let vars = Vars {
        cmdline: std::env::args().collect(),
        uptime_seconds: uptime(&s),
        installed: crate::alloc::is_installed(),
        alloc: crate::alloc::global_stats(),
        sample_rate: heap::heap_sample_rate(),
        dropped_samples: heap::dropped_samples(),
    };
    let mut body = crate::json::to_vec(&vars);
    body.push(b'\n');
    (
        [(header::CONTENT_TYPE, "application/json")],
        Body::from(Bytes::from(body)),
    )
        .into_response()
}

/// The `/debug/vars` document (Go's expvar), encoded by perfkit's own JSON writer with
/// pre-escaped keys. Private and only ever encoded compact (`json::to_vec`).
struct Vars {
    cmdline: Vec<String>,
    uptime_seconds: f64,
    installed: bool,
    alloc: crate::alloc::GlobalStats,
    sample_rate: Option<usize>,
    dropped_samples: u64,
}

impl crate::json::FastJson for Vars {
    fn write_json(&self, w: &mut crate::json::JsonWriter<'_>) {
        let g = &self.alloc;
        w.raw("{\"cmdline\":");
        w.value(&self.cmdline);
        w.raw(",\"uptime_seconds\":");
        w.value(&self.uptime_seconds);
        w.raw(",\"alloc\":{\"counting_allocator_installed\":");
        w.value(&self.installed);
        w.raw(",\"allocs\":");
        w.value(&g.allocs);
        w.raw(",\"reallocs\":");
        w.value(&g.reallocs);
        w.raw(",\"frees\":");
        w.value(&g.deallocs);
        w.raw(",\"bytes_allocated\":");
        w.value(&g.bytes_allocated);
        w.raw(",\"bytes_freed\":");
        w.value(&g.bytes_deallocated);
        w.raw(",\"live_bytes\":");
        w.value(&g.live_bytes());
        w.raw("},\"heap_profile\":{\"sample_rate\":");
        w.value(&self.sample_rate);
        w.raw(",\"dropped_samples\":");
        w.value(&self.dropped_samples);
        w.raw("}}");
    }
}
