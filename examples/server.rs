//! The curriculum's demo service: a JSON API over an in-memory dataset (list, get, search),
//! with Go's pprof routes on a separate loopback listener, and a bounded load generator.
//!
//! ```sh
//! # the service: API on 127.0.0.1:8080, profiles on 127.0.0.1:6060
//! cargo run --release --features profiling --example server
//! # in another shell: 20000 requests over 4 connections (at most 60 s), then requests/s
//! # and the service's allocations per request, read from its /debug/vars
//! cargo run --release --features profiling --example server -- --load 20000 --connections 4
//! # and profile it while it runs
//! go tool pprof -top 'http://127.0.0.1:6060/debug/pprof/profile?seconds=10'
//! ```
//!
//! Flags: `--addr A` (API, default 127.0.0.1:8080), `--pprof A` (profiles, default
//! 127.0.0.1:6060), `--items N` (dataset size, default 10000), `--load N`, `--connections C`,
//! `--prefix P` (the API the load hits: /serde, serde_json into a fresh `Vec` per response, the
//! default; or /fast, `#[derive(FastJson)]` into a buffer from a `perfkit::Pool`).

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use perfkit::{FastJson, Pool, Pooled};
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};

#[global_allocator]
static GLOBAL: perfkit::alloc::CountingAlloc =
    perfkit::alloc::CountingAlloc::new(std::alloc::System);

/// One record of the dataset.
#[derive(Clone, Debug, Serialize, FastJson)]
struct Item {
    id: u64,
    title: String,
    author: String,
    year: u16,
    price_cents: u32,
    tags: Vec<String>,
    in_stock: bool,
}

/// A page of a listing or of search results.
#[derive(Debug, Serialize, FastJson)]
struct Page<'a> {
    total: usize,
    offset: usize,
    items: Vec<&'a Item>,
}

#[derive(Debug, Serialize, FastJson)]
struct ApiError<'a> {
    error: &'a str,
}

/// A deterministic dataset of `n` items.
fn dataset(n: usize) -> Vec<Item> {
    const WORDS: &[&str] = &[
        "rust", "memory", "profile", "latency", "pool", "buffer", "cache", "vector", "thread",
        "signal", "heap", "stack", "async", "socket", "parser", "encoder",
    ];
    const AUTHORS: &[&str] = &[
        "Ada", "Grace", "Barbara", "Edsger", "Donald", "Leslie", "Niklaus", "Tony",
    ];
    let mut x = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    (0..n as u64)
        .map(|id| {
            let title: Vec<&str> = (0..3)
                .map(|_| WORDS[next() as usize % WORDS.len()])
                .collect();
            Item {
                id,
                title: title.join(" "),
                author: AUTHORS[next() as usize % AUTHORS.len()].to_owned(),
                year: 1970 + (next() % 55) as u16,
                price_cents: (next() % 10_000) as u32,
                tags: (0..2)
                    .map(|_| WORDS[next() as usize % WORDS.len()].to_owned())
                    .collect(),
                in_stock: next() % 3 != 0,
            }
        })
        .collect()
}

/// How a handler turns a value into a JSON body: serde_json (the baseline, under `/serde`) or
/// FastJson into a pooled buffer (under `/fast`). Both give the same bytes.
trait Encoder: Send + Sync + 'static {
    fn json<T: Serialize + FastJson>(status: StatusCode, value: &T) -> Response;
}

/// serde_json into a fresh `Vec` per response: the baseline.
struct SerdeJson;

impl Encoder for SerdeJson {
    fn json<T: Serialize + FastJson>(status: StatusCode, value: &T) -> Response {
        match serde_json::to_vec(value) {
            Ok(body) => {
                (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
            }
            Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
        }
    }
}

/// `#[derive(FastJson)]` into a buffer from a pool: the response body borrows the pooled
/// buffer, which goes back to the pool (cleared, capacity kept) once hyper has sent it.
struct FastJsonPooled;

/// Response buffers. Bodies that grew past 1 MiB are dropped on return, not kept.
static BODIES: Pool<Vec<u8>> =
    Pool::new(|| Vec::with_capacity(16 * 1024)).with_retain(|b| b.capacity() <= 1 << 20);

/// The encode path of the `/fast` handlers: no allocation once `buf` has room (a test holds it
/// to that with a `#[no_alloc]` guard).
fn encode_body<T: FastJson + ?Sized>(buf: &mut Vec<u8>, value: &T) {
    perfkit::json::write_to(buf, value);
}

/// Lets `Bytes` own a pooled buffer without copying it.
struct PooledBody(Pooled<'static, Vec<u8>>);

impl AsRef<[u8]> for PooledBody {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl Encoder for FastJsonPooled {
    fn json<T: Serialize + FastJson>(status: StatusCode, value: &T) -> Response {
        let mut buf = BODIES.get();
        encode_body(&mut buf, value);
        let body = axum::body::Bytes::from_owner(PooledBody(buf));
        (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
    }
}

type Data = Arc<Vec<Item>>;

#[derive(Debug, Deserialize)]
struct ListParams {
    offset: Option<String>,
    limit: Option<String>,
    q: Option<String>,
}

const MAX_LIMIT: usize = 100;

fn bad<E: Encoder>(msg: &str) -> Response {
    E::json(StatusCode::BAD_REQUEST, &ApiError { error: msg })
}

fn paging(p: &ListParams) -> Result<(usize, usize), &'static str> {
    let offset = match p.offset.as_deref() {
        None => 0,
        Some(s) => s
            .parse()
            .map_err(|_| "offset must be a non-negative integer")?,
    };
    let limit = match p.limit.as_deref() {
        None => 20,
        Some(s) => match s.parse() {
            Ok(l) if (1..=MAX_LIMIT).contains(&l) => l,
            _ => return Err("limit must be an integer from 1 to 100"),
        },
    };
    Ok((offset, limit))
}

async fn list<E: Encoder>(State(data): State<Data>, Query(p): Query<ListParams>) -> Response {
    let (offset, limit) = match paging(&p) {
        Ok(v) => v,
        Err(e) => return bad::<E>(e),
    };
    let items = data.iter().skip(offset).take(limit).collect();
    E::json(
        StatusCode::OK,
        &Page {
            total: data.len(),
            offset,
            items,
        },
    )
}

async fn get_item<E: Encoder>(State(data): State<Data>, Path(id): Path<String>) -> Response {
    let Ok(id) = id.parse::<usize>() else {
        return bad::<E>("id must be a non-negative integer");
    };
    match data.get(id) {
        Some(item) => E::json(StatusCode::OK, item),
        None => E::json(
            StatusCode::NOT_FOUND,
            &ApiError {
                error: "no such item",
            },
        ),
    }
}

async fn search<E: Encoder>(State(data): State<Data>, Query(p): Query<ListParams>) -> Response {
    let (offset, limit) = match paging(&p) {
        Ok(v) => v,
        Err(e) => return bad::<E>(e),
    };
    let Some(q) = p.q.as_deref().filter(|q| !q.is_empty()) else {
        return bad::<E>("q is required");
    };
    let q = q.to_ascii_lowercase();
    let matches: Vec<&Item> = data
        .iter()
        .filter(|i| i.title.contains(&q) || i.tags.contains(&q))
        .collect();
    let total = matches.len();
    let items = matches.into_iter().skip(offset).take(limit).collect();
    E::json(
        StatusCode::OK,
        &Page {
            total,
            offset,
            items,
        },
    )
}

/// The API under `prefix`, encoded with `E`.
fn api<E: Encoder>(prefix: &str, data: Data) -> Router {
    Router::new()
        .route(&format!("{prefix}/items"), get(list::<E>))
        .route(&format!("{prefix}/items/{{id}}"), get(get_item::<E>))
        .route(&format!("{prefix}/search"), get(search::<E>))
        .with_state(data)
}

struct Args {
    addr: String,
    pprof: String,
    items: usize,
    load: Option<u64>,
    connections: u64,
    prefix: String,
}

fn args() -> Result<Args, String> {
    let mut a = Args {
        addr: "127.0.0.1:8080".into(),
        pprof: "127.0.0.1:6060".into(),
        items: 10_000,
        load: None,
        connections: 4,
        prefix: "/serde".into(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--addr" => a.addr = value()?,
            "--pprof" => a.pprof = value()?,
            "--items" => a.items = value()?.parse().map_err(|e| format!("--items: {e}"))?,
            "--load" => a.load = Some(value()?.parse().map_err(|e| format!("--load: {e}"))?),
            "--connections" => {
                a.connections = value()?
                    .parse()
                    .map_err(|e| format!("--connections: {e}"))?;
                if !(1..=64).contains(&a.connections) {
                    return Err("--connections must be from 1 to 64".into());
                }
            }
            "--prefix" => a.prefix = value()?,
            other => return Err(format!("unknown flag {other}")),
        }
    }
    Ok(a)
}

#[tokio::main]
async fn main() -> io::Result<()> {
    let args = args().map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
    match args.load {
        Some(n) => load(&args, n).await,
        None => serve(&args).await,
    }
}

async fn serve(args: &Args) -> io::Result<()> {
    let data: Data = Arc::new(dataset(args.items));
    let profiling = perfkit::profiling::Profiling::new()
        .bind(args.pprof.as_str())
        .await?;
    println!("profiles on http://{}/debug/pprof/", profiling.local_addr());
    tokio::spawn(profiling.run());
    let app = api::<SerdeJson>("/serde", Arc::clone(&data))
        .merge(api::<FastJsonPooled>("/fast", Arc::clone(&data)));
    let listener = tokio::net::TcpListener::bind(args.addr.as_str()).await?;
    println!(
        "API on http://{}{{/serde,/fast}}/items, .../items/{{id}}, .../search?q=",
        listener.local_addr()?
    );
    axum::serve(listener, app).await
}

/// Fires `n` keep-alive requests (a mix of list, get and search) at the service over
/// `--connections` connections, for at most 60 s, then prints requests/s and the service's
/// allocations per request (from its `/debug/vars`).
async fn load(args: &Args, n: u64) -> io::Result<()> {
    let api: SocketAddr = args
        .addr
        .parse()
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, format!("--addr: {e}")))?;
    let pprof: SocketAddr = args
        .pprof
        .parse()
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, format!("--pprof: {e}")))?;
    if !api.ip().is_loopback() || !pprof.ip().is_loopback() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the load test only targets loopback addresses",
        ));
    }
    let before = server_allocs(pprof).await?;
    let deadline = Instant::now() + Duration::from_secs(60);
    let start = Instant::now();
    let per_conn = n / args.connections;
    let mut tasks = Vec::new();
    for c in 0..args.connections {
        let prefix = args.prefix.clone();
        tasks.push(tokio::spawn(async move {
            let mut conn = Conn::open(api).await?;
            let mut done = 0u64;
            for i in 0..per_conn {
                if Instant::now() > deadline {
                    break;
                }
                let path = match (c + i) % 3 {
                    0 => format!("{prefix}/items?offset={}&limit=20", (i * 20) % 9_000),
                    1 => format!("{prefix}/items/{}", i % 9_000),
                    _ => format!("{prefix}/search?q=heap&limit=10"),
                };
                let (status, _) = conn.get(&path).await?;
                if status != 200 {
                    return Err(io::Error::other(format!("{path}: status {status}")));
                }
                done += 1;
            }
            Ok::<u64, io::Error>(done)
        }));
    }
    let mut done = 0;
    for t in tasks {
        done += t.await.map_err(io::Error::other)??;
    }
    let elapsed = start.elapsed();
    let after = server_allocs(pprof).await?;
    // One /debug/vars request sits between the two readings; it is counted in, and is
    // negligible next to thousands of requests.
    let allocs = after.0.saturating_sub(before.0);
    let bytes = after.1.saturating_sub(before.1);
    println!(
        "{done} requests over {} connections in {:.2}s: {:.0} requests/s, {:.1} allocations/request, {:.0} B/request ({})",
        args.connections,
        elapsed.as_secs_f64(),
        done as f64 / elapsed.as_secs_f64(),
        allocs as f64 / done.max(1) as f64,
        bytes as f64 / done.max(1) as f64,
        args.prefix,
    );
    Ok(())
}

/// The service's (allocations + reallocations, bytes allocated), from its `/debug/vars`.
async fn server_allocs(pprof: SocketAddr) -> io::Result<(u64, u64)> {
    let mut conn = Conn::open(pprof).await?;
    let (status, body) = conn.get("/debug/vars").await?;
    if status != 200 {
        return Err(io::Error::other(format!("/debug/vars: status {status}")));
    }
    let v: serde_json::Value = serde_json::from_slice(&body).map_err(io::Error::other)?;
    let n = |k: &str| v["alloc"][k].as_u64().unwrap_or(0);
    Ok((n("allocs") + n("reallocs"), n("bytes_allocated")))
}

/// A keep-alive HTTP/1.1 connection that reads `Content-Length` bodies.
struct Conn {
    stream: BufReader<tokio::net::TcpStream>,
    host: String,
}

impl Conn {
    async fn open(addr: SocketAddr) -> io::Result<Self> {
        let stream = tokio::net::TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        Ok(Self {
            stream: BufReader::new(stream),
            host: addr.to_string(),
        })
    }

    async fn get(&mut self, path: &str) -> io::Result<(u16, Vec<u8>)> {
        let req = format!("GET {path} HTTP/1.1\r\nHost: {}\r\n\r\n", self.host);
        self.stream.get_mut().write_all(req.as_bytes()).await?;
        let mut line = String::new();
        self.stream.read_line(&mut line).await?;
        let status = line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| io::Error::other(format!("bad status line {line:?}")))?;
        let mut len = 0usize;
        loop {
            line.clear();
            self.stream.read_line(&mut line).await?;
            let h = line.trim_end();
            if h.is_empty() {
                break;
            }
            if let Some((k, v)) = h.split_once(':')
                && k.eq_ignore_ascii_case("content-length")
            {
                len = v.trim().parse().map_err(io::Error::other)?;
            }
        }
        let mut body = vec![0; len];
        self.stream.read_exact(&mut body).await?;
        Ok((status, body))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(data: &[Item]) -> Page<'_> {
        Page {
            total: data.len(),
            offset: 0,
            items: data.iter().take(20).collect(),
        }
    }

    #[test]
    fn fast_and_serde_bodies_are_identical() {
        let data = dataset(50);
        let mut buf = Vec::new();
        encode_body(&mut buf, &page(&data));
        assert_eq!(buf, serde_json::to_vec(&page(&data)).unwrap());
        buf.clear();
        encode_body(
            &mut buf,
            &ApiError {
                error: "limit must be an integer from 1 to 100",
            },
        );
        assert_eq!(
            buf,
            br#"{"error":"limit must be an integer from 1 to 100"}"#
        );
    }

    #[test]
    fn encode_path_does_not_allocate_into_a_warm_pooled_buffer() {
        let data = dataset(200);
        let p = page(&data);
        let mut buf = BODIES.get();
        encode_body(&mut buf, &p); // warm: sized by the first encode
        buf.clear();

        #[perfkit::no_alloc]
        fn hot(buf: &mut Vec<u8>, p: &Page<'_>, item: &Item) {
            encode_body(buf, p);
            buf.clear();
            encode_body(buf, item);
            buf.clear();
        }
        hot(&mut buf, &p, &data[7]);
    }
}
