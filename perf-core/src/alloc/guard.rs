use core::ffi::c_void;
use core::fmt::Write as _;
use core::marker::PhantomData;

use super::state::{self, SiteKind, ThreadState};
use super::stats::permit_alloc;

/// An active no-allocation region on the current thread; what `#[no_alloc]` expands to.
///
/// While the guard lives, every allocation (and, for a strict guard, every deallocation) made
/// on this thread outside [`permit_alloc`] is recorded by the allocator. When the guard is
/// dropped it panics, with an ordinary panic, if anything was recorded: the message names the
/// region, the counts, the bytes and the first allocation site as symbolized frames. A guard
/// dropped while the thread is already panicking stays silent, so a panicking body propagates
/// its own panic and nothing else.
///
/// Guards nest; allocations on other threads are not attributed to them. A guard is `!Send`:
/// it belongs to the thread that created it.
///
/// # Panics
///
/// [`AllocGuard::new`] panics if [`CountingAlloc`](super::CountingAlloc) is not the global
/// allocator: a guard never passes silently.
///
/// # Examples
///
/// ```
/// # #[global_allocator]
/// # static GLOBAL: perf_core::alloc::CountingAlloc = perf_core::alloc::CountingAlloc::new(std::alloc::System);
/// use perf_core::alloc::AllocGuard;
///
/// let mut buf = Vec::with_capacity(64);
/// {
///     let _guard = AllocGuard::new("fill", false);
///     buf.extend_from_slice(b"fits in the reserved capacity");
/// }
/// ```
#[must_use = "the region ends when the guard is dropped"]
pub struct AllocGuard {
    name: &'static str,
    strict: bool,
    prev_base: u64,
    base: u64,
    base_bytes: u64,
    base_reallocs: u64,
    base_deallocs: u64,
    _not_send: PhantomData<*const ()>,
}

impl core::fmt::Debug for AllocGuard {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("AllocGuard")
            .field("name", &self.name)
            .field("strict", &self.strict)
            .finish()
    }
}

const NOT_INSTALLED: &str = "perfkit: a #[no_alloc] guard needs perfkit's counting allocator, \
and this binary does not use it. Install it once per binary (each integration test file is its \
own binary), e.g. at the top of the test file:\n\n    #[global_allocator]\n    static GLOBAL: \
perfkit::alloc::CountingAlloc = perfkit::alloc::CountingAlloc::new(std::alloc::System);\n";

/// Whether [`CountingAlloc`](super::CountingAlloc) is this program's global allocator.
///
/// Found out once per thread with a one-byte probe allocation, then cached.
///
/// # Examples
///
/// ```
/// // Doctests do not install it unless they say so.
/// assert!(!perf_core::alloc::is_installed());
/// ```
pub fn is_installed() -> bool {
    state::with_state(probe).unwrap_or(false)
}

fn probe(s: &ThreadState) -> bool {
    if s.installed.get() {
        return true;
    }
    let before = s.allocs.get();
    let b = core::hint::black_box(Box::new(0u8));
    drop(b);
    let ok = s.allocs.get() != before;
    s.installed.set(ok);
    ok
}

impl AllocGuard {
    /// Opens a no-allocation region named `name` (shown in the violation message);
    /// `strict` also forbids deallocation.
    ///
    /// # Panics
    ///
    /// If `CountingAlloc` is not the global allocator, with a message saying how to install it.
    #[inline]
    pub fn new(name: &'static str, strict: bool) -> Self {
        let entered = state::with_state(|s| {
            if !s.installed.get() && !probe(s) {
                return None;
            }
            let prev_base = s.guard_base.get();
            let base = s.violations.get();
            s.guard_base.set(base);
            s.guard_depth.set(s.guard_depth.get() + 1);
            if strict {
                s.strict_depth.set(s.strict_depth.get() + 1);
            }
            s.rearm();
            Some(AllocGuard {
                name,
                strict,
                prev_base,
                base,
                base_bytes: s.violation_bytes.get(),
                base_reallocs: s.violation_reallocs.get(),
                base_deallocs: s.violation_deallocs.get(),
                _not_send: PhantomData,
            })
        });
        match entered.flatten() {
            Some(g) => g,
            None => panic!("{NOT_INSTALLED}"),
        }
    }

    /// The name given to [`AllocGuard::new`].
    pub fn name(&self) -> &'static str {
        self.name
    }
}

struct Violation {
    events: u64,
    reallocs: u64,
    deallocs: u64,
    bytes: u64,
    site: Option<(Vec<*mut c_void>, usize, SiteKind)>,
}

impl Drop for AllocGuard {
    fn drop(&mut self) {
        let v = state::with_state(|s| {
            s.guard_depth.set(s.guard_depth.get() - 1);
            if self.strict {
                s.strict_depth.set(s.strict_depth.get() - 1);
            }
            s.guard_base.set(self.prev_base);
            s.rearm();
            let n = s.violations.get() - self.base;
            if n == 0 {
                return None;
            }
            let deallocs = s.violation_deallocs.get() - self.base_deallocs;
            let site = (s.site_for.get() > self.base).then(|| {
                // SAFETY: the allocator writes `site` only for a violation, and we hold no
                // other reference; the copy below is taken with the guard already disarmed.
                let site = unsafe { &*s.site.get() };
                permit_alloc(|| (site.frames[..site.len].to_vec(), site.size, site.kind))
            });
            Some(Violation {
                events: n - deallocs,
                reallocs: s.violation_reallocs.get() - self.base_reallocs,
                deallocs,
                bytes: s.violation_bytes.get() - self.base_bytes,
                site,
            })
        })
        .flatten();
        let Some(v) = v else { return };
        if std::thread::panicking() {
            return; // never a second panic while one unwinds
        }
        let msg = permit_alloc(|| self.message(&v));
        panic!("{msg}");
    }
}

impl AllocGuard {
    fn message(&self, v: &Violation) -> String {
        let mut m = String::new();
        let attr = if self.strict {
            "#[no_alloc(strict)]"
        } else {
            "#[no_alloc]"
        };
        let _ = write!(m, "{attr} violated in `{}`: ", self.name);
        let mut parts = Vec::new();
        if v.events > 0 {
            let fresh = v.events - v.reallocs;
            let mut p = format!("{} allocation{}", v.events, plural(v.events));
            if v.reallocs > 0 {
                let _ = write!(p, " ({fresh} alloc + {} realloc)", v.reallocs);
            }
            let _ = write!(p, ", {} bytes", v.bytes);
            parts.push(p);
        }
        if v.deallocs > 0 {
            parts.push(format!("{} deallocation{}", v.deallocs, plural(v.deallocs)));
        }
        m.push_str(&parts.join(" and "));
        m.push_str(" on this thread");
        match &v.site {
            Some((frames, size, kind)) => {
                let what = match kind {
                    SiteKind::Alloc => "allocation",
                    SiteKind::Realloc => "reallocation",
                    SiteKind::Dealloc => "deallocation",
                };
                let _ = write!(m, "\nfirst {what} ({size} bytes) at:");
                write_frames(&mut m, frames);
            }
            None => m.push_str("\n(first allocation site not captured)"),
        }
        m.push_str(
            "\nhelp: move the allocation out of the hot path, or wrap an intended one in \
             `perfkit::alloc::permit_alloc(|| ...)`",
        );
        m
    }
}

fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Frames of the allocator machinery itself: skipped at the top of the trace.
fn is_machinery(name: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "std::thread::local::",
        "perf_core::",
        "<perf_core::",
        "backtrace::",
        "__rustc::",
        "__rust_",
        "alloc::alloc::",
        "<alloc::alloc::",
        "alloc::raw_vec::",
        "<alloc::raw_vec::",
        "core::alloc::",
        "<core::alloc::",
    ];
    PREFIXES.iter().any(|p| name.starts_with(p)) || name.contains("GlobalAlloc>::")
}

/// Where to stop: the test harness and the runtime below `main` add nothing.
fn is_bottom(name: &str) -> bool {
    name.starts_with("test::")
        || name.starts_with("std::rt::")
        || name.starts_with("std::panicking::")
}

fn write_frames(m: &mut String, frames: &[*mut c_void]) {
    const MAX: usize = 12;
    let mut shown = 0;
    let mut top = true;
    for &ip in frames {
        let mut lines: Vec<(String, Option<String>)> = Vec::new();
        backtrace::resolve(ip, |sym| {
            let name = sym
                .name()
                .map(|n| format!("{n:#}"))
                .unwrap_or_else(|| format!("{ip:?}"));
            let loc = match (sym.filename(), sym.lineno()) {
                (Some(f), Some(l)) => Some(format!("{}:{l}", f.display())),
                _ => None,
            };
            lines.push((name, loc));
        });
        if lines.is_empty() {
            continue;
        }
        for (name, loc) in lines {
            if top && is_machinery(&name) {
                continue;
            }
            top = false;
            if is_bottom(&name) || shown == MAX {
                return;
            }
            let _ = write!(m, "\n  {shown:>2}: {name}");
            if let Some(loc) = loc {
                let _ = write!(m, "\n             at {loc}");
            }
            shown += 1;
        }
    }
}

/// Runs `f` inside an [`AllocGuard`] named `name`: the closure form of `#[no_alloc]`.
///
/// # Panics
///
/// After `f` returns, if `f` (or anything it called on this thread) allocated outside
/// [`permit_alloc`]; and if `CountingAlloc` is not the global allocator.
///
/// # Examples
///
/// ```should_panic
/// # #[global_allocator]
/// # static GLOBAL: perf_core::alloc::CountingAlloc = perf_core::alloc::CountingAlloc::new(std::alloc::System);
/// perf_core::alloc::assert_no_alloc("boxing", || Box::new(1u64));
/// ```
pub fn assert_no_alloc<R>(name: &'static str, f: impl FnOnce() -> R) -> R {
    let _guard = AllocGuard::new(name, false);
    f()
}
