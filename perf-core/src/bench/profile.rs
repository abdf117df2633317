//! CPU profiles of benchmarks: a flamegraph SVG and a gzip'd pprof protobuf (what Go's
//! `-cpuprofile` writes and `go tool pprof` reads), sampled with pprof-rs.
//!
//! `BenchGroup` profiles each function by itself when criterion runs with `--profile-time N`.
//! [`PprofProfiler`] does the same for plain criterion groups, as a criterion `Profiler`
//! (pprof-rs' own one is built for criterion 0.5).

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use flate2::Compression;
use flate2::write::GzEncoder;
use pprof::protos::Message;

/// Sampling frequency: high enough for a few seconds of benchmark to give a usable profile, and
/// not a multiple of common timer periods.
pub const DEFAULT_FREQUENCY: i32 = 997;

/// Set while a `BenchGroup` profiles, so a `PprofProfiler` installed as well stays quiet.
static GROUP_PROFILING: AtomicBool = AtomicBool::new(false);

/// A running CPU profile of the whole process (every thread).
pub struct CpuProfile {
    guard: pprof::ProfilerGuard<'static>,
    from_group: bool,
}

/// Where [`CpuProfile::finish`] wrote the profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileFiles {
    /// Flamegraph SVG.
    pub flamegraph: PathBuf,
    /// Gzip'd pprof protobuf: `go tool pprof -top <path>`.
    pub pprof: PathBuf,
}

impl CpuProfile {
    /// Starts sampling the process `frequency` times per second of CPU time.
    ///
    /// # Errors
    ///
    /// When another pprof-rs profiler is running in this process.
    pub fn start(frequency: i32) -> Result<Self, pprof::Error> {
        let guard = pprof::ProfilerGuardBuilder::default()
            .frequency(frequency)
            // Unwinding from a signal handler that interrupted these can deadlock or crash. libc
            // stays sampled (pprof-rs' examples block it too): malloc and free are what an
            // allocation-heavy benchmark spends its time in, and dropping those samples would
            // hide exactly that cost.
            .blocklist(&["libgcc", "libgcc_s", "ld-linux", "vdso"])
            .build()?;
        Ok(Self {
            guard,
            from_group: false,
        })
    }

    pub(crate) fn start_for_group(frequency: i32) -> Result<Self, pprof::Error> {
        let mut p = Self::start(frequency)?;
        p.from_group = true;
        GROUP_PROFILING.store(true, Ordering::Release);
        Ok(p)
    }

    /// Stops sampling and writes `dir/flamegraph.svg` and `dir/cpu.pb.gz` (creating `dir`);
    /// `title` heads the flamegraph.
    ///
    /// # Errors
    ///
    /// I/O errors, and symbolization or encoding failures as `io::ErrorKind::Other`.
    pub fn finish(self, dir: &Path, title: &str) -> io::Result<ProfileFiles> {
        self.write(dir, title)
    }

    fn write(&self, dir: &Path, title: &str) -> io::Result<ProfileFiles> {
        let report = self.guard.report().build().map_err(io::Error::other)?;
        std::fs::create_dir_all(dir)?;

        let flamegraph = dir.join("flamegraph.svg");
        let mut options = pprof::flamegraph::Options::default();
        options.title = title.to_owned();
        let mut svg = BufWriter::new(File::create(&flamegraph)?);
        report
            .flamegraph_with_options(&mut svg, &mut options)
            .map_err(io::Error::other)?;
        svg.flush()?;

        let pprof = dir.join("cpu.pb.gz");
        let profile = report.pprof().map_err(io::Error::other)?;
        let mut gz = GzEncoder::new(
            BufWriter::new(File::create(&pprof)?),
            Compression::default(),
        );
        gz.write_all(&profile.encode_to_vec())?;
        gz.finish()?.flush()?;
        Ok(ProfileFiles { flamegraph, pprof })
    }
}

impl Drop for CpuProfile {
    fn drop(&mut self) {
        if self.from_group {
            GROUP_PROFILING.store(false, Ordering::Release);
        }
    }
}

/// A criterion `Profiler` writing a flamegraph and a gzip'd pprof protobuf per benchmark into
/// criterion's profile directory (`target/criterion/<id>/profile/`) during `--profile-time`.
///
/// Only needed for plain criterion groups: `BenchGroup` profiles on its own.
///
/// # Examples
///
/// ```no_run
/// fn config() -> criterion::Criterion {
///     criterion::Criterion::default().with_profiler(perf_core::bench::PprofProfiler::new())
/// }
/// fn benches(c: &mut criterion::Criterion) {
///     c.bench_function("sum", |b| b.iter(|| (0..100u64).sum::<u64>()));
/// }
/// criterion::criterion_group! { name = group; config = config(); targets = benches }
/// criterion::criterion_main!(group);
/// ```
pub struct PprofProfiler {
    frequency: i32,
    active: Option<CpuProfile>,
}

impl PprofProfiler {
    /// A profiler sampling at [`DEFAULT_FREQUENCY`].
    pub fn new() -> Self {
        Self::with_frequency(DEFAULT_FREQUENCY)
    }

    /// A profiler sampling `frequency` times per CPU second.
    pub fn with_frequency(frequency: i32) -> Self {
        Self {
            frequency,
            active: None,
        }
    }
}

impl Default for PprofProfiler {
    fn default() -> Self {
        Self::new()
    }
}

impl criterion::profiler::Profiler for PprofProfiler {
    fn start_profiling(&mut self, benchmark_id: &str, _benchmark_dir: &Path) {
        if GROUP_PROFILING.load(Ordering::Acquire) {
            return; // a BenchGroup already profiles this benchmark
        }
        match CpuProfile::start(self.frequency) {
            Ok(p) => self.active = Some(p),
            Err(e) => eprintln!("perfkit::bench: cannot profile {benchmark_id}: {e}"),
        }
    }

    fn stop_profiling(&mut self, benchmark_id: &str, benchmark_dir: &Path) {
        if let Some(p) = self.active.take() {
            report_written(benchmark_id, p.finish(benchmark_dir, benchmark_id));
        }
    }
}

pub(crate) fn report_written(id: &str, written: io::Result<ProfileFiles>) {
    match written {
        Ok(f) => println!(
            "perfkit::bench: {id}: CPU profile {} (go tool pprof -top {}), flamegraph {}",
            f.pprof.display(),
            f.pprof.display(),
            f.flamegraph.display()
        ),
        Err(e) => eprintln!("perfkit::bench: {id}: cannot write the CPU profile: {e}"),
    }
}
