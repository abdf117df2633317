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
/// Guards nest, and must be dropped in reverse order of creation, as locals are (debug builds
/// of this crate check it); allocations on other threads are not attributed to them. A guard
/// is `!Send`: it belongs to the thread that created it.
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
    /// The `Watch::armed` and `Watch::strict` bytes to restore on drop.
    prev_armed: u8,
    prev_strict: u8,
    #[cfg(debug_assertions)]
    depth: u32,
    base: Base,
    _not_send: PhantomData<*const ()>,
}

/// This thread's violation counters when a guard was created.
#[derive(Clone, Copy)]
struct Base {
    violations: u64,
    bytes: u64,
    reallocs: u64,
    deallocs: u64,
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
    if s.violations.get() != state::UNPROBED {
        return true;
    }
    let before = s.allocs.get();
    let b = core::hint::black_box(Box::new(0u8));
    drop(b);
    let ok = s.allocs.get() != before;
    if ok {
        s.uncount_probe();
        s.violations.set(0);
    }
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
        state::with_state(|s| {
            let mut violations = s.violations.get();
            if violations == state::UNPROBED {
                first_on_thread();
                violations = s.violations.get();
            }
            // Entering stores constants and dropping stores the saved bytes back: no
            // read-modify-write whose store would wait on the load of the same byte.
            let prev_armed = s.watch.armed.replace(1);
            let prev_strict = if strict { s.watch.strict.replace(1) } else { 0 };
            #[cfg(debug_assertions)]
            s.depth.set(s.depth.get() + 1);
            AllocGuard {
                name,
                strict,
                prev_armed,
                prev_strict,
                #[cfg(debug_assertions)]
                depth: s.depth.get(),
                base: Base {
                    violations,
                    bytes: s.violation_bytes.get(),
                    reallocs: s.violation_reallocs.get(),
                    deallocs: s.violation_deallocs.get(),
                },
                _not_send: PhantomData,
            }
        })
        .unwrap_or_else(|| panic!("{NOT_INSTALLED}"))
    }

    /// The name given to [`AllocGuard::new`].
    pub fn name(&self) -> &'static str {
        self.name
    }
}

/// The first guard on a thread: find out whether the counting allocator is installed.
#[cold]
#[inline(never)]
fn first_on_thread() {
    if !is_installed() {
        panic!("{NOT_INSTALLED}")
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
    #[inline]
    fn drop(&mut self) {
        let broken = state::with_state(|s| {
            #[cfg(debug_assertions)]
            {
                assert_eq!(
                    s.depth.get(),
                    self.depth,
                    "perfkit: guards must be dropped in reverse order of creation"
                );
                s.depth.set(self.depth - 1);
            }
            s.watch.armed.set(self.prev_armed);
            if self.strict {
                s.watch.strict.set(self.prev_strict);
            }
            s.violations.get() != self.base.violations
        });
        if broken == Some(true) {
            // By value: a reference to the guard would keep it in memory on the fast path.
            report(self.name, self.strict, self.base);
        }
    }
}

/// Something broke the guard: gather the figures and panic, unless already unwinding.
#[cold]
#[inline(never)]
fn report(name: &'static str, strict: bool, base: Base) {
    let v = state::with_state(|s| {
        let n = s.violations.get() - base.violations;
        let deallocs = s.violation_deallocs.get() - base.deallocs;
        let site = (s.site_for.get() > base.violations).then(|| {
            // SAFETY: the allocator writes `site` only while `site_for` is 0, which it is
            // not here, and this thread holds no other reference to it.
            let site = unsafe { &*s.site.get() };
            let copy = permit_alloc(|| (site.frames[..site.len].to_vec(), site.size, site.kind));
            s.site_for.set(0); // reported: the next violation may capture again
            copy
        });
        Violation {
            events: n - deallocs,
            reallocs: s.violation_reallocs.get() - base.reallocs,
            deallocs,
            bytes: s.violation_bytes.get() - base.bytes,
            site,
        }
    });
    let Some(v) = v else { return };
    if std::thread::panicking() {
        return; // never a second panic while one unwinds
    }
    let msg = permit_alloc(|| message(name, strict, &v));
    panic!("{msg}");
}

fn message(name: &str, strict: bool, v: &Violation) -> String {
    let mut m = String::new();
    let attr = if strict {
        "#[no_alloc(strict)]"
    } else {
        "#[no_alloc]"
    };
    let _ = write!(m, "{attr} violated in `{name}`: ");
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

fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The allocator entry points: everything up to the last of them is machinery.
fn is_entry(name: &str) -> bool {
    let name = name.strip_prefix("__rustc::").unwrap_or(name);
    matches!(
        name,
        "__rust_alloc" | "__rust_alloc_zeroed" | "__rust_realloc" | "__rust_dealloc"
    )
}

/// Frames of std's allocation plumbing right below the entry point (with or without the
/// full path: inlined frames resolve to short names).
fn is_plumbing(name: &str, file: &str) -> bool {
    const NAMES: &[&str] = &[
        "alloc::alloc::",
        "<alloc::alloc::",
        "alloc::raw_vec::",
        "<alloc::raw_vec::",
    ];
    NAMES.iter().any(|p| name.starts_with(p))
        || file.ends_with("library/alloc/src/alloc.rs")
        || file.contains("library/alloc/src/raw_vec/")
        || file.ends_with("library/core/src/alloc/global.rs")
}

/// Where to stop: the test harness and the runtime below `main` add nothing.
fn is_bottom(name: &str) -> bool {
    name.starts_with("test::")
        || name.starts_with("std::rt::")
        || name.starts_with("std::panicking::")
        || name.contains("__rust_begin_short_backtrace")
}

fn write_frames(m: &mut String, frames: &[*mut c_void]) {
    const MAX: usize = 12;
    let mut resolved: Vec<(String, String, Option<u32>)> = Vec::new();
    for &ip in frames {
        backtrace::resolve(ip, |sym| {
            let name = sym
                .name()
                .map(|n| format!("{n:#}"))
                .unwrap_or_else(|| format!("{ip:?}"));
            let file = sym
                .filename()
                .map(|f| f.display().to_string())
                .unwrap_or_default();
            resolved.push((name, file, sym.lineno()));
        });
    }
    let start = match resolved.iter().rposition(|(name, _, _)| is_entry(name)) {
        Some(i) => i + 1,
        None => 0,
    };
    let frames = resolved[start..]
        .iter()
        .skip_while(|(name, file, _)| is_plumbing(name, file))
        .take_while(|(name, _, _)| !is_bottom(name));
    // The first frame says what allocated (`format!`, `Vec::push`, ...); after it, std's own
    // frames are folded so the user's frames stay in view.
    let mut shown = 0;
    let mut folded = 0;
    for (name, file, line) in frames {
        if shown > 0 && is_std(name, file) {
            folded += 1;
            continue;
        }
        if shown == MAX {
            break;
        }
        if folded > 0 {
            let _ = write!(m, "\n      ({folded} frame{} in std)", plural(folded));
            folded = 0;
        }
        let _ = write!(m, "\n  {shown:>2}: {name}");
        if let Some(line) = line {
            let _ = write!(m, "\n             at {file}:{line}");
        }
        shown += 1;
    }
}

fn is_std(name: &str, file: &str) -> bool {
    if !file.is_empty() {
        return file.starts_with("/rustc/");
    }
    [
        "core::", "alloc::", "std::", "<core::", "<alloc::", "<std::",
    ]
    .iter()
    .any(|p| name.starts_with(p))
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
