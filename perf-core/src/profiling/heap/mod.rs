//! Heap and allocation profiles from sampling inside [`CountingAlloc`](crate::alloc::CountingAlloc).
//!
//! While sampling is on, the allocator hands about one allocation per
//! [`heap_sample_rate`] bytes (Poisson: each byte is equally likely to trigger a sample, so an
//! allocation of `s` bytes is sampled with probability `1 - exp(-s / rate)`) to a lock-free
//! ring; a background thread named `perfkit-heap-drain` interns the stacks. Profiles scale the
//! samples back up as Go does, so `alloc_space` and `inuse_space` estimate real bytes.

mod sampler;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant, SystemTime};

use crate::alloc::{SampleHooks, set_sample_hooks};

use super::labels;
use super::proto::Profile;
use super::symbols::{Builder, LabelValue, outer_name};

pub use sampler::DEFAULT_RATE;

static HOOKS: SampleHooks = SampleHooks {
    on_alloc: sampler::on_alloc,
    on_dealloc: sampler::on_dealloc,
};
static ENABLED: AtomicBool = AtomicBool::new(false);

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct RecordKey {
    stack: u32,
    labels: u32,
    thread: [u8; 16],
}

#[derive(Default)]
struct Aggregate {
    stack_ids: HashMap<Box<[u64]>, u32>,
    stacks: Vec<Box<[u64]>>,
    record_ids: HashMap<RecordKey, u32>,
    /// Per record: sampled allocations and their bytes.
    records: Vec<(RecordKey, u64, u64)>,
    started: Option<(SystemTime, Instant)>,
}

impl Aggregate {
    fn drain(&mut self) {
        while let Some(s) = sampler::pop() {
            let frames: Box<[u64]> = s.frames[..s.len].iter().map(|&f| f as u64).collect();
            let stack = match self.stack_ids.get(&frames) {
                Some(&id) => id,
                None => {
                    let id = self.stacks.len() as u32;
                    self.stacks.push(frames.clone());
                    self.stack_ids.insert(frames, id);
                    id
                }
            };
            let key = RecordKey {
                stack,
                labels: s.labels,
                thread: s.thread,
            };
            let rec = *self.record_ids.entry(key).or_insert_with(|| {
                self.records.push((key, 0, 0));
                (self.records.len() - 1) as u32
            });
            let r = &mut self.records[rec as usize];
            r.1 += 1;
            r.2 += s.size as u64;
            sampler::resolve_live(s.ptr, s.id, rec);
        }
    }
}

fn aggregate() -> &'static Mutex<Aggregate> {
    static AGG: OnceLock<Mutex<Aggregate>> = OnceLock::new();
    AGG.get_or_init(Default::default)
}

fn lock() -> std::sync::MutexGuard<'static, Aggregate> {
    aggregate().lock().unwrap_or_else(|e| e.into_inner())
}

/// Starts heap sampling with a mean of `rate` bytes between samples (Go's
/// `runtime.MemProfileRate`; [`DEFAULT_RATE`] is Go's 512 KiB), or changes the rate.
///
/// Needs [`CountingAlloc`](crate::alloc::CountingAlloc) as the global allocator: without it
/// nothing is sampled. While sampling is off it costs the allocator nothing. Threads that
/// already used the allocator start sampling within their next 64 allocations, 64
/// reallocations or 64 deallocations, whichever ends first (see [`set_sample_hooks`]).
///
/// # Examples
///
/// ```
/// #[global_allocator]
/// static GLOBAL: perf_core::alloc::CountingAlloc = perf_core::alloc::CountingAlloc::new(std::alloc::System);
///
/// use perf_core::profiling::heap;
/// heap::start_heap_sampling(heap::DEFAULT_RATE);
/// assert_eq!(heap::heap_sample_rate(), Some(512 * 1024));
/// heap::stop_heap_sampling();
/// assert_eq!(heap::heap_sample_rate(), None);
/// ```
pub fn start_heap_sampling(rate: usize) {
    sampler::RATE.store(rate.max(1), Ordering::Relaxed);
    if ENABLED.swap(true, Ordering::AcqRel) {
        return;
    }
    let mut agg = lock();
    agg.started = Some((SystemTime::now(), Instant::now()));
    drop(agg);
    static DRAINER: OnceLock<()> = OnceLock::new();
    DRAINER.get_or_init(|| {
        // Drains often enough that the ring (4096 samples, ~2 GiB of allocation at the
        // default rate) does not fill between two passes.
        let spawned = std::thread::Builder::new()
            .name("perfkit-heap-drain".into())
            .spawn(|| {
                loop {
                    std::thread::sleep(Duration::from_millis(20));
                    if ENABLED.load(Ordering::Acquire) {
                        lock().drain();
                    }
                }
            });
        // Without the thread, profile requests still drain; only bursts may drop samples.
        drop(spawned);
    });
    set_sample_hooks(Some(&HOOKS));
}

/// Stops heap sampling and forgets what was sampled.
pub fn stop_heap_sampling() {
    if !ENABLED.swap(false, Ordering::AcqRel) {
        return;
    }
    set_sample_hooks(None);
    let mut agg = lock();
    while sampler::pop().is_some() {}
    sampler::clear_live();
    *agg = Aggregate::default();
}

/// The sampling rate in bytes while heap sampling is on.
pub fn heap_sample_rate() -> Option<usize> {
    ENABLED
        .load(Ordering::Acquire)
        .then(|| sampler::RATE.load(Ordering::Relaxed))
}

/// Samples dropped so far because the ring or the live table was full.
pub fn dropped_samples() -> u64 {
    sampler::DROPPED_RING.load(Ordering::Relaxed) + sampler::DROPPED_TABLE.load(Ordering::Relaxed)
}

/// Go's `scaleHeapSample`: undoes the sampling for `count` sampled objects of `bytes` total.
fn unsample(count: u64, bytes: u64, rate: u64) -> (i64, i64) {
    if count == 0 || bytes == 0 {
        return (0, 0);
    }
    if rate <= 1 {
        return (count as i64, bytes as i64);
    }
    let avg = bytes as f64 / count as f64;
    let scale = 1.0 / (1.0 - (-avg / rate as f64).exp());
    ((count as f64 * scale) as i64, (bytes as f64 * scale) as i64)
}

/// Frames of the allocator and of this sampler at the top of a sampled stack.
///
/// Builds with full debug info name them by path; builds with `debug = "line-tables-only"`
/// (and inlined frames) give only the short DWARF names, so those are matched too: the
/// lead-in `trimmed_len` finds our hook by address first, so the short names are only
/// checked on the few frames between the hook and the allocating code.
fn is_allocator_frame(name: &str, after_hook: bool) -> bool {
    const PREFIXES: &[&str] = &[
        "backtrace::",
        "perf_core::profiling::",
        "perf_core::alloc::",
        "<perf_core::alloc::",
        "__rustc::",
        "__rust_alloc",
        "__rust_realloc",
        "__rust_dealloc",
        "__rdl_",
        "__rg_",
        "alloc::alloc::",
        "<alloc::alloc::Global",
    ];
    // `perf_core::alloc::sample::call` and `CountingAlloc::{alloc, realloc, alloc_zeroed}`.
    const SHORT: &[&str] = &["call", "alloc<", "realloc<", "alloc_zeroed<"];
    PREFIXES.iter().any(|p| name.starts_with(p))
        || (after_hook
            && SHORT
                .iter()
                .any(|p| name == *p || (p.ends_with('<') && name.starts_with(p))))
}

/// How many leading frames of a sampled stack belong to the sampler and the allocator.
fn trimmed_len(stack: &[u64]) -> usize {
    // `record` is never inlined (and the hook may tail-call it, leaving no frame of its
    // own): its frame is found by comparing names with those of its own address (+1:
    // resolve looks at addr - 1).
    let record = outer_name(sampler::record_fn() as u64 + 1);
    let start = record
        .and_then(|r| {
            stack
                .iter()
                .take(32)
                .position(|&a| outer_name(a).as_deref() == Some(&r))
        })
        .map_or(0, |i| i + 1);
    let after_hook = start > 0;
    start
        + stack[start..]
            .iter()
            .take_while(|&&a| outer_name(a).is_none_or(|n| is_allocator_frame(&n, after_hook)))
            .count()
}

/// Which heap profile to build, i.e. its default sample type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `/heap`: `inuse_space` by default.
    Heap,
    /// `/allocs`: `alloc_space` by default.
    Allocs,
}

/// The heap profile, as `/debug/pprof/heap` serves it (Go's `pprof.WriteHeapProfile`): Go's
/// four sample types, `inuse_space` by default.
///
/// # Examples
///
/// ```
/// #[global_allocator]
/// static GLOBAL: perf_core::alloc::CountingAlloc = perf_core::alloc::CountingAlloc::new(std::alloc::System);
///
/// use perf_core::profiling::heap;
/// heap::start_heap_sampling(64 * 1024);
/// let kept: Vec<Vec<u8>> = (0..64).map(|_| vec![0u8; 64 * 1024]).collect();
/// let profile = heap::heap_profile();
/// assert_eq!(profile.string(profile.default_sample_type), "inuse_space");
/// assert!(!profile.sample.is_empty());
/// // Written as `go tool pprof` reads it:
/// let gz = profile.to_gzip();
/// assert_eq!(&gz[..2], &[0x1f, 0x8b]);
/// # drop(kept);
/// ```
pub fn heap_profile() -> Profile {
    profile(Kind::Heap)
}

/// The allocation profile, as `/debug/pprof/allocs` serves it: the same samples as
/// [`heap_profile`], `alloc_space` by default.
pub fn allocs_profile() -> Profile {
    profile(Kind::Allocs)
}

/// The heap profile: Go's four sample types, period [`heap_sample_rate`].
pub(crate) fn profile(kind: Kind) -> Profile {
    let rate = sampler::RATE.load(Ordering::Relaxed) as u64;
    let mut agg = lock();
    agg.drain();
    let mut live = vec![(0u64, 0u64); agg.records.len()];
    sampler::for_each_live(|rec| {
        if let Some(l) = live.get_mut(rec as usize) {
            l.0 += 1;
        }
    });
    // Symbolizing can take seconds the first time: not while the drainer waits on the lock.
    let records = agg.records.clone();
    let stacks = agg.stacks.clone();
    let started = agg.started;
    drop(agg);
    for (i, l) in live.iter_mut().enumerate() {
        let (_, count, bytes) = records[i];
        l.1 = l.0 * bytes.checked_div(count).unwrap_or(0);
    }
    let mut b = Builder::new(
        &[
            ("alloc_objects", "count"),
            ("alloc_space", "bytes"),
            ("inuse_objects", "count"),
            ("inuse_space", "bytes"),
        ],
        ("space", "bytes"),
        rate as i64,
    );
    let (start, since) = started.unwrap_or((SystemTime::now(), Instant::now()));
    b.timing(start, since.elapsed());
    b.default_sample_type(if kind == Kind::Allocs {
        "alloc_space"
    } else {
        "inuse_space"
    });
    if !ENABLED.load(Ordering::Acquire) {
        b.comment("heap sampling is off: call perfkit::profiling::heap::start_heap_sampling or mount the router");
    } else if !crate::alloc::is_installed() {
        b.comment("no heap samples: perfkit::alloc::CountingAlloc is not the global allocator");
    }
    let mut trimmed: HashMap<u32, usize> = HashMap::new();
    for (i, &(key, count, bytes)) in records.iter().enumerate() {
        let stack = &stacks[key.stack as usize];
        let skip = *trimmed
            .entry(key.stack)
            .or_insert_with(|| trimmed_len(stack));
        let stack = if skip < stack.len() {
            &stack[skip..]
        } else {
            &stack[..]
        };
        let (alloc_objects, alloc_space) = unsample(count, bytes, rate);
        let (inuse_objects, inuse_space) = unsample(live[i].0, live[i].1, rate);
        let mut label_values = vec![(
            "bytes",
            LabelValue::Num((bytes / count.max(1)) as i64, "bytes"),
        )];
        let name_len = key
            .thread
            .iter()
            .position(|&c| c == 0)
            .unwrap_or(key.thread.len());
        let thread = String::from_utf8_lossy(&key.thread[..name_len]).into_owned();
        label_values.push(("thread", LabelValue::Str(thread)));
        let pairs = labels::pairs(key.labels);
        for (k, v) in &pairs {
            label_values.push((k.as_str(), LabelValue::Str(v.clone())));
        }
        b.sample(
            stack,
            vec![alloc_objects, alloc_space, inuse_objects, inuse_space],
            &label_values,
        );
    }
    b.finish()
}

#[cfg(test)]
mod tests {
    use super::unsample;

    #[test]
    fn unsampling_matches_go() {
        // One sampled 512 KiB object at rate 512 KiB: scale 1 / (1 - e^-1) = 1.58198.
        assert_eq!(unsample(1, 524_288, 524_288), (1, 829_411));
        assert_eq!(unsample(0, 0, 524_288), (0, 0));
        assert_eq!(unsample(3, 30, 1), (3, 30));
    }
}
