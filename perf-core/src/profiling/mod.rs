//! Go's `net/http/pprof` for Rust: CPU, heap, allocation and thread profiles over HTTP, in
//! the gzip'd protobuf that `go tool pprof URL` fetches directly.
//!
//! Mount [`router()`] in an axum application, or run [`serve`] (or [`Profiling::spawn`]) on
//! a listener of its own (loopback unless a token is configured):
//!
//! | route | what |
//! | --- | --- |
//! | `/debug/pprof/` | index of the profiles |
//! | `/debug/pprof/profile?seconds=30&frequency=100` | CPU (pprof-rs), also `format=svg` (flamegraph) and `format=collapsed` |
//! | `/debug/pprof/heap` | live sampled allocations: `alloc_objects`, `alloc_space`, `inuse_objects`, `inuse_space` (default) |
//! | `/debug/pprof/allocs` | the same samples, `alloc_space` by default |
//! | `/debug/pprof/goroutine?debug=2` | every thread with its name and stack (`debug=1` grouped, `debug=0` protobuf) |
//! | `/debug/pprof/cmdline`, `/debug/pprof/symbol` | as Go's |
//! | `/debug/vars` | allocator totals and uptime as JSON (Go's expvar) |
//!
//! Heap profiles come from sampling inside [`CountingAlloc`](crate::alloc::CountingAlloc),
//! which must be the global allocator. One CPU profile runs at a time (a second request gets
//! `409 Conflict` with `Retry-After`); bad parameters get `400` with the accepted range; other
//! methods than `GET` get `405` (`/symbol` also takes `POST`, as Go's).
//!
//! ```no_run
//! #[global_allocator]
//! static GLOBAL: perf_core::alloc::CountingAlloc = perf_core::alloc::CountingAlloc::new(std::alloc::System);
//!
//! # async fn run() -> std::io::Result<()> {
//! // Its own loopback listener…
//! tokio::spawn(perf_core::profiling::serve("127.0.0.1:6060"));
//! // …or the routes inside an application's router.
//! let app: axum::Router = axum::Router::new().merge(perf_core::profiling::router());
//! # let _ = app; Ok(()) }
//! ```
//! then `go tool pprof -top http://127.0.0.1:6060/debug/pprof/profile?seconds=10`.

mod cpu;
pub mod heap;
mod http;
mod labels;
pub mod proto;
mod symbols;
mod threads;

use std::io;
use std::net::{SocketAddr, ToSocketAddrs};
use std::sync::Arc;
use std::time::Instant;

pub use labels::with_labels;

/// Settings of the profiling endpoints; [`router()`] and [`serve`] use the defaults.
///
/// # Examples
///
/// ```no_run
/// # #[global_allocator]
/// # static GLOBAL: perf_core::alloc::CountingAlloc = perf_core::alloc::CountingAlloc::new(std::alloc::System);
/// use perf_core::profiling::Profiling;
/// let server = Profiling::new()
///     .max_seconds(120)
///     .token("s3cret") // required to listen beyond loopback
///     .spawn("0.0.0.0:6060")?;
/// println!("profiles on http://{}/debug/pprof/", server.local_addr());
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Profiling {
    max_seconds: u64,
    token: Option<Arc<str>>,
    heap_rate: Option<usize>,
}

impl Default for Profiling {
    fn default() -> Self {
        Self::new()
    }
}

impl Profiling {
    /// CPU profiles of at most 60 s, no token, heap sampling at Go's 512 KiB.
    pub fn new() -> Self {
        Self {
            max_seconds: 60,
            token: None,
            heap_rate: Some(heap::DEFAULT_RATE),
        }
    }

    /// The longest CPU profile a request may ask for (at least 1; default 60 s).
    pub fn max_seconds(mut self, seconds: u64) -> Self {
        self.max_seconds = seconds.max(1);
        self
    }

    /// Requires `Authorization: Bearer <token>` (or `token=<token>` in the query, for
    /// `go tool pprof`), compared in constant time; allows a non-loopback listener.
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(Arc::from(token.into()));
        self
    }

    /// Mean bytes between heap samples (Go's `runtime.MemProfileRate`), or `None` to leave
    /// heap sampling as it is (off unless [`heap::start_heap_sampling`] was called).
    pub fn heap_sample_rate(mut self, rate: Option<usize>) -> Self {
        self.heap_rate = rate;
        self
    }

    /// The routes as an axum `Router`; starts heap sampling (see [`Self::heap_sample_rate`]).
    pub fn router(&self) -> axum::Router {
        if let Some(rate) = self.heap_rate {
            heap::start_heap_sampling(rate);
        }
        http::router(http::Settings {
            max_seconds: self.max_seconds,
            token: self.token.clone(),
            started: Instant::now(),
        })
    }

    fn check_addr(&self, addr: SocketAddr) -> io::Result<()> {
        if addr.ip().is_loopback() || self.token.is_some() {
            Ok(())
        } else {
            Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "refusing to serve profiles on non-loopback address {addr} without a token: \
                     use 127.0.0.1 or set Profiling::token"
                ),
            ))
        }
    }

    /// Binds a listener on `addr` (every resolved address must be loopback unless a token is
    /// set) and returns the server, ready to [`run`](Server::run).
    pub async fn bind(self, addr: impl tokio::net::ToSocketAddrs) -> io::Result<Server> {
        let addrs: Vec<SocketAddr> = tokio::net::lookup_host(addr).await?.collect();
        for a in &addrs {
            self.check_addr(*a)?;
        }
        let listener = tokio::net::TcpListener::bind(addrs.as_slice()).await?;
        Ok(Server {
            local_addr: listener.local_addr()?,
            listener,
            router: self.router(),
        })
    }

    /// Binds and serves on the calling tokio runtime until the listener fails.
    pub async fn serve(self, addr: impl tokio::net::ToSocketAddrs) -> io::Result<()> {
        self.bind(addr).await?.run().await
    }

    /// Binds now and serves from a background thread with its own tokio runtime: for
    /// programs that have no runtime, or keep profiling off their own.
    pub fn spawn(self, addr: impl ToSocketAddrs) -> io::Result<BackgroundServer> {
        let addrs: Vec<SocketAddr> = addr.to_socket_addrs()?.collect();
        for a in &addrs {
            self.check_addr(*a)?;
        }
        let std_listener = std::net::TcpListener::bind(addrs.as_slice())?;
        std_listener.set_nonblocking(true)?;
        let local_addr = std_listener.local_addr()?;
        let router = self.router();
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("perfkit-pprof")
            .enable_all()
            .build()?;
        std::thread::Builder::new()
            .name("perfkit-pprofd".into())
            .spawn(move || {
                runtime.block_on(async move {
                    let Ok(listener) = tokio::net::TcpListener::from_std(std_listener) else {
                        return;
                    };
                    // The listener only fails if the process runs out of descriptors; nothing to
                    // report to from here.
                    let _ = axum::serve(listener, router).await;
                });
            })?;
        Ok(BackgroundServer { local_addr })
    }
}

/// A bound profiling server (from [`Profiling::bind`]).
#[derive(Debug)]
pub struct Server {
    listener: tokio::net::TcpListener,
    local_addr: SocketAddr,
    router: axum::Router,
}

impl Server {
    /// The address it listens on (the port, when bound to port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// Serves until the listener fails.
    pub async fn run(self) -> io::Result<()> {
        axum::serve(self.listener, self.router).await
    }
}

/// A server running on its own thread (from [`Profiling::spawn`]); it lives as long as the
/// process.
#[derive(Debug, Clone, Copy)]
pub struct BackgroundServer {
    local_addr: SocketAddr,
}

impl BackgroundServer {
    /// The address it listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }
}

/// The profiling routes with default settings (see [`Profiling`]); starts heap sampling.
///
/// # Examples
///
/// ```
/// let app: axum::Router = axum::Router::new().merge(perf_core::profiling::router());
/// # let _ = app;
/// ```
pub fn router() -> axum::Router {
    Profiling::new().router()
}

/// Serves the profiling routes on `addr` with default settings; refuses a non-loopback
/// address (configure a [`Profiling::token`] for that).
///
/// # Examples
///
/// ```no_run
/// # async fn run() -> std::io::Result<()> {
/// perf_core::profiling::serve("127.0.0.1:6060").await
/// # }
/// ```
pub async fn serve(addr: impl tokio::net::ToSocketAddrs) -> io::Result<()> {
    Profiling::new().serve(addr).await
}
