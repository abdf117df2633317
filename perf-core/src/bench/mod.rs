//! Go `testing.B` parity on criterion: every benchmark reports ns/op, allocs/op and B/op.
//!
//! A [`BenchGroup`] wraps a criterion `BenchmarkGroup`. Criterion still warms up, samples,
//! analyses, saves and compares its baselines as usual; in addition each function's allocations
//! are counted exactly (with [`CountingAlloc`](crate::alloc::CountingAlloc) as the global
//! allocator) over the measured samples only, and [`BenchGroup::finish`] prints a table in the
//! shape of `go test -bench . -benchmem` and saves it as JSON under
//! `target/perfkit-bench/` (see [`GroupReport`]).
//!
//! - [`BenchGroup::bench`]: one operation per call, like a `for i := 0; i < b.N; i++` body.
//! - [`BenchGroup::bench_parallel`]: Go's `b.RunParallel`: N threads share the iterations;
//!   time per op is wall time over all operations and every thread's allocations are counted.
//! - [`BenchGroup::baseline`]: the function the others are compared with (`0.42x vs …`).
//! - `cargo bench -- --profile-time N`: a CPU profile per function, as a flamegraph and a gzip'd
//!   pprof protobuf for `go tool pprof` ([`CpuProfile`]; [`PprofProfiler`] for plain criterion).
//! - `--save-baseline` / `--baseline` work as in criterion and also save / compare the reports;
//!   [`compare`] prints a benchstat-like table with exact allocation deltas, and the `benchcmp`
//!   example compares two saved runs from the command line.
//!
//! ```no_run
//! #[global_allocator]
//! static GLOBAL: perf_core::alloc::CountingAlloc = perf_core::alloc::CountingAlloc::new(std::alloc::System);
//!
//! fn benches(c: &mut criterion::Criterion) {
//!     let mut g = perf_core::bench::BenchGroup::new(c, "concat");
//!     g.baseline("format");
//!     g.bench("format", || format!("{}-{}", "a", 1));
//!     g.bench("push_str", || {
//!         let mut s = String::with_capacity(8);
//!         s.push_str("a-1");
//!         s
//!     });
//!     g.bench_parallel("format", 2, || format!("{}-{}", "a", 1));
//!     g.finish();
//! }
//! criterion::criterion_group!(benches_group, benches);
//! criterion::criterion_main!(benches_group);
//! ```
//!
//! Why not a criterion `Measurement` counting allocations: criterion skips a benchmark whose
//! measured values are all zero, so a zero-allocation function would vanish from the output.
//! Here time goes through `iter_custom` and the counts are kept beside it.

mod args;
mod compare;
#[cfg(feature = "profiling")]
mod heap;
mod parallel;
mod phases;
mod profile;
mod report;
mod runs;
mod table;

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Instant;

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, Throughput};

pub use args::{RunArgs, RunMode};
pub use compare::{ALPHA, Comparison, RowComparison, compare, mann_whitney_u};
#[cfg(feature = "profiling")]
pub use heap::RATE_ENV as MEMPROFILERATE_ENV;
pub use profile::{CpuProfile, DEFAULT_FREQUENCY, PprofProfiler, ProfileFiles};
pub use report::{
    BenchResult, FORMAT_VERSION, GroupReport, Machine, OpThroughput, Sample, file_stem,
};
pub use runs::{bench_dir, load_run, run_dir};

/// Re-export of the criterion version this module is built on.
pub use criterion;

use crate::alloc::thread_stats;
use phases::Call;

/// A criterion benchmark group whose functions report ns/op, allocs/op and B/op.
///
/// Install [`CountingAlloc`](crate::alloc::CountingAlloc) as the global allocator of the
/// benchmark binary, or every allocation column reads 0 (a warning says so).
///
/// # Examples
///
/// ```no_run
/// # fn benches(c: &mut criterion::Criterion) {
/// let mut g = perf_core::bench::BenchGroup::new(c, "vec");
/// g.throughput(criterion::Throughput::Bytes(64));
/// g.bench("with_capacity", || Vec::<u8>::with_capacity(64));
/// let report = g.finish();
/// assert_eq!(report.get("with_capacity").map(|r| r.allocs_per_op), Some(1.0));
/// # }
/// ```
pub struct BenchGroup<'a> {
    group: Option<BenchmarkGroup<'a, WallTime>>,
    name: String,
    throughput: Option<OpThroughput>,
    baseline: Option<String>,
    sample_size: Option<usize>,
    output_dir: Option<PathBuf>,
    args: RunArgs,
    results: Vec<BenchResult>,
}

impl<'a> BenchGroup<'a> {
    /// Opens group `name` on `c` (criterion's `benchmark_group`).
    pub fn new(c: &'a mut Criterion, name: impl Into<String>) -> Self {
        let name = name.into();
        let group = c.benchmark_group(name.clone());
        Self {
            group: Some(group),
            name,
            throughput: None,
            baseline: None,
            sample_size: None,
            output_dir: None,
            args: RunArgs::from_env(),
            results: Vec::new(),
        }
    }

    /// Work done by one operation of the functions benchmarked after this call, as criterion's
    /// `BenchmarkGroup::throughput`; bytes also add Go's MB/s column to the table.
    pub fn throughput(&mut self, t: Throughput) -> &mut Self {
        self.throughput = match t {
            Throughput::Bytes(b) | Throughput::BytesDecimal(b) => Some(OpThroughput::Bytes(b)),
            Throughput::Bits(b) => Some(OpThroughput::Bytes(b / 8)),
            Throughput::Elements(e) => Some(OpThroughput::Elements(e)),
            _ => None,
        };
        self.criterion_group().throughput(t);
        self
    }

    /// Marks function `name` as the row the others are compared with: the table gets a
    /// `0.42x vs <name>` column (time per op relative to it). Call before or after benching it.
    pub fn baseline(&mut self, name: impl Into<String>) -> &mut Self {
        self.baseline = Some(name.into());
        self
    }

    /// Criterion's sample size for this group (at least 10). Also tells the allocation
    /// accounting exactly how many of criterion's calls are samples.
    pub fn sample_size(&mut self, n: usize) -> &mut Self {
        self.sample_size = Some(n);
        self.criterion_group().sample_size(n);
        self
    }

    /// The wrapped criterion group, for any other setting (warm-up time, sampling mode, …).
    pub fn criterion_group(&mut self) -> &mut BenchmarkGroup<'a, WallTime> {
        self.group.as_mut().expect("BenchGroup used after finish")
    }

    /// Saves this group's JSON to `dir/<group>.json` in every run mode, instead of under
    /// `target/perfkit-bench/` in benchmark runs only; profiles go to `dir/profile/`.
    pub fn output_dir(&mut self, dir: impl Into<PathBuf>) -> &mut Self {
        self.output_dir = Some(dir.into());
        self
    }

    /// Overrides what this run does (parsed from the process arguments by default, as
    /// criterion parses them), e.g. to profile from a program that built its own `Criterion`
    /// with `profile_time`.
    pub fn run_args(&mut self, args: RunArgs) -> &mut Self {
        self.args = args;
        self
    }

    /// Benchmarks one operation: `f` is called once per iteration and its result is passed to
    /// `black_box` and dropped (the drop is part of the operation).
    pub fn bench<R>(&mut self, name: &str, mut f: impl FnMut() -> R) -> &mut Self {
        let mut calls: Vec<Call> = Vec::with_capacity(256);
        let profile = self.start_profile();
        self.criterion_group().bench_function(name, |b| {
            b.iter_custom(|iters| {
                let before = thread_stats();
                let start = Instant::now();
                for _ in 0..iters {
                    black_box(f());
                }
                let elapsed = start.elapsed();
                let stats = thread_stats() - before;
                calls.push(Call {
                    iters,
                    nanos: nanos(elapsed),
                    stats,
                });
                elapsed
            });
        });
        self.finish_profile(profile, name, &calls);
        self.record(name, 1, false, &calls);
        self
    }

    /// Go's `b.RunParallel`: `threads` threads call `f` until the iterations of each criterion
    /// sample are done. ns/op is the wall time of the sample over all its operations (so more
    /// threads give a lower figure when the operation scales), and allocs/op and B/op sum every
    /// thread's exact counts. The row, and the criterion benchmark, are named `name-<threads>`.
    ///
    /// # Panics
    ///
    /// If `threads` is 0. A panic in `f` is re-raised on the calling thread.
    pub fn bench_parallel<R>(
        &mut self,
        name: &str,
        threads: usize,
        f: impl Fn() -> R + Sync,
    ) -> &mut Self {
        let mut calls: Vec<Call> = Vec::with_capacity(256);
        let id = format!("{name}-{threads}");
        let profile = self.start_profile();
        let group = self.group.as_mut().expect("BenchGroup used after finish");
        parallel::with_workers(threads, &f, |run| {
            group.bench_function(&id, |b| {
                b.iter_custom(|iters| {
                    let call = run(iters);
                    calls.push(call);
                    std::time::Duration::from_nanos(call.nanos)
                });
            });
        });
        self.finish_profile(profile, &id, &calls);
        self.record(name, threads, true, &calls);
        self
    }

    /// In `--profile-time` runs: a CPU profile, and with feature `profiling` an allocation
    /// profile, around one benchmark.
    fn start_profile(&self) -> Option<Profiles> {
        if !matches!(self.args.mode, RunMode::Profile(_)) {
            return None;
        }
        let cpu = CpuProfile::start_for_group(DEFAULT_FREQUENCY)
            .inspect_err(|e| eprintln!("perfkit::bench: cannot start the CPU profiler: {e}"))
            .ok();
        Some(Profiles {
            cpu,
            #[cfg(feature = "profiling")]
            heap: heap::HeapProfile::start(),
        })
    }

    /// Writes the profiles under `<dir>/profile/<group>/<key>/` if the benchmark ran (it may
    /// have been filtered out); `<dir>` is `target/perfkit-bench` or the `output_dir`.
    fn finish_profile(&self, profiles: Option<Profiles>, key: &str, calls: &[Call]) {
        let Some(profiles) = profiles else { return };
        if calls.is_empty() {
            return;
        }
        let id = format!("{}/{key}", self.name);
        let dir = self
            .output_dir
            .clone()
            .unwrap_or_else(bench_dir)
            .join("profile")
            .join(file_stem(&self.name))
            .join(file_stem(key));
        // The heap profile first: building the CPU report allocates a lot, and would be sampled.
        #[cfg(feature = "profiling")]
        if let Some(heap) = profiles.heap {
            match heap.finish(&dir) {
                Ok(path) => println!(
                    "perfkit::bench: {id}: allocation profile {} (go tool pprof -sample_index=alloc_space -top {})",
                    path.display(),
                    path.display()
                ),
                Err(e) => {
                    eprintln!("perfkit::bench: {id}: cannot write the allocation profile: {e}")
                }
            }
        }
        #[cfg(not(feature = "profiling"))]
        {
            static ONCE: std::sync::Once = std::sync::Once::new();
            ONCE.call_once(|| {
                eprintln!("perfkit::bench: allocation profiles need the `profiling` feature (heap sampling)");
            });
        }
        if let Some(cpu) = profiles.cpu {
            profile::report_written(&id, cpu.finish(&dir, &id));
        }
    }

    fn record(&mut self, name: &str, threads: usize, parallel: bool, calls: &[Call]) {
        if calls.is_empty() {
            return; // filtered out, or `--list`
        }
        let measured = phases::measured(calls, self.sample_size);
        let samples = measured.iter().map(Sample::from_call).collect();
        self.results.push(BenchResult::from_samples(
            name.to_owned(),
            threads,
            parallel,
            self.throughput,
            samples,
        ));
    }

    /// Ends the group: finishes the criterion group, prints the Go-style table and saves the
    /// JSON report (benchmark runs: `target/perfkit-bench/new/<group>.json`, and
    /// `target/perfkit-bench/baselines/<name>/<group>.json` for criterion's `--save-baseline`,
    /// `base` by default). Returns the report.
    pub fn finish(mut self) -> GroupReport {
        self.finish_inner()
    }

    fn finish_inner(&mut self) -> GroupReport {
        if let Some(g) = self.group.take() {
            g.finish();
        }
        let report = GroupReport {
            version: FORMAT_VERSION,
            group: self.name.clone(),
            baseline: self.baseline.clone(),
            machine: Machine::current(),
            results: std::mem::take(&mut self.results),
        };
        if report.results.is_empty() {
            return report;
        }
        if !crate::alloc::is_installed() {
            eprintln!(
                "perfkit::bench: CountingAlloc is not the global allocator, allocs/op and B/op read 0; install it with\n  \
                 #[global_allocator] static GLOBAL: perfkit::alloc::CountingAlloc = perfkit::alloc::CountingAlloc::new(std::alloc::System);"
            );
        }
        let mut table = report.to_table(false);
        let note = match self.args.mode {
            RunMode::Test if self.output_dir.is_none() => {
                "(test mode: one iteration each, figures are not meaningful)\n"
            }
            RunMode::Profile(_) => "(profile mode: one long sample under the profiler)\n",
            _ => "",
        };
        table.insert_str(0, note);
        println!("\n{table}");
        if let Some(dir) = &self.output_dir {
            save_or_warn(&report, dir);
        } else if self.args.mode == RunMode::Benchmark {
            let root = bench_dir();
            save_or_warn(&report, &root.join("new"));
            if let Some(name) = &self.args.save_baseline {
                save_or_warn(&report, &root.join("baselines").join(name));
            }
            if let Some(name) = &self.args.compare_baseline {
                print_comparison(&report, name);
            }
        }
        report
    }
}

impl Drop for BenchGroup<'_> {
    fn drop(&mut self) {
        if self.group.is_some() && !std::thread::panicking() {
            self.finish_inner();
        }
    }
}

/// The profilers running around one benchmark in `--profile-time` runs.
struct Profiles {
    cpu: Option<CpuProfile>,
    #[cfg(feature = "profiling")]
    heap: Option<heap::HeapProfile>,
}

/// `--baseline NAME`: the benchstat-like comparison with the saved report of this group.
fn print_comparison(report: &GroupReport, baseline: &str) {
    let path = run_dir(baseline).join(format!("{}.json", file_stem(&report.group)));
    match GroupReport::load(&path) {
        Ok(old) => println!("{}", compare(&old, report, baseline, "new").to_table()),
        Err(e) => eprintln!(
            "perfkit::bench: no baseline {baseline} for {}: {}: {e}",
            report.group,
            path.display()
        ),
    }
}

fn save_or_warn(report: &GroupReport, dir: &Path) {
    if let Err(e) = report.save(dir) {
        eprintln!(
            "perfkit::bench: cannot save {} under {}: {e}",
            report.group,
            dir.display()
        );
    }
}

fn nanos(d: std::time::Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}
