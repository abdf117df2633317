//! What a benchmark group measured: the rows of the table and the JSON saved under `target/`.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::phases::Call;

/// Format version of the JSON files; bumped on incompatible changes.
pub const FORMAT_VERSION: u32 = 1;

/// One measured sample: `iters` operations (over all threads) and what they cost.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Sample {
    /// Operations in this sample.
    pub iters: u64,
    /// Wall-clock nanoseconds the sample took.
    pub nanos: u64,
    /// Allocation events (allocations plus reallocations), as Go counts them.
    pub allocs: u64,
    /// Bytes requested from the allocator.
    pub bytes: u64,
}

impl Sample {
    pub(crate) fn from_call(c: &Call) -> Self {
        Self {
            iters: c.iters,
            nanos: c.nanos,
            allocs: c.stats.total_allocs(),
            bytes: c.stats.bytes_allocated,
        }
    }

    /// Nanoseconds per operation in this sample.
    pub fn ns_per_op(&self) -> f64 {
        self.nanos as f64 / self.iters.max(1) as f64
    }
}

/// Work per operation declared with `BenchGroup::throughput`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OpThroughput {
    /// Bytes processed per operation (Go's `b.SetBytes`): the table shows MB/s.
    Bytes(u64),
    /// Elements processed per operation: the table shows Melem/s.
    Elements(u64),
}

/// The figures of one benchmark function, from its measured samples only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BenchResult {
    /// Function name inside the group.
    pub name: String,
    /// Threads running the operation (1 for `bench`, N for `bench_parallel`).
    pub threads: usize,
    /// Whether it ran through `bench_parallel`.
    pub parallel: bool,
    /// Operations measured, over all threads.
    pub iterations: u64,
    /// Wall-clock nanoseconds over the measured samples.
    pub total_nanos: u64,
    /// Allocation events over the measured samples (every thread): exact.
    pub total_allocs: u64,
    /// Bytes allocated over the measured samples (every thread): exact.
    pub total_bytes: u64,
    /// `total_nanos / iterations`.
    pub ns_per_op: f64,
    /// `total_allocs / iterations`.
    pub allocs_per_op: f64,
    /// `total_bytes / iterations`.
    pub bytes_per_op: f64,
    /// Declared work per operation, if any.
    pub throughput: Option<OpThroughput>,
    /// The measured samples, for significance tests between runs.
    pub samples: Vec<Sample>,
}

impl BenchResult {
    /// Sums `samples` into a row (how `BenchGroup` builds it; public for tools and tests).
    pub fn from_samples(
        name: String,
        threads: usize,
        parallel: bool,
        throughput: Option<OpThroughput>,
        samples: Vec<Sample>,
    ) -> Self {
        let iterations: u64 = samples.iter().map(|s| s.iters).sum();
        let total_nanos: u64 = samples.iter().map(|s| s.nanos).sum();
        let total_allocs: u64 = samples.iter().map(|s| s.allocs).sum();
        let total_bytes: u64 = samples.iter().map(|s| s.bytes).sum();
        let per = |x: u64| {
            if iterations == 0 {
                0.0
            } else {
                x as f64 / iterations as f64
            }
        };
        Self {
            name,
            threads,
            parallel,
            iterations,
            total_nanos,
            total_allocs,
            total_bytes,
            ns_per_op: per(total_nanos),
            allocs_per_op: per(total_allocs),
            bytes_per_op: per(total_bytes),
            throughput,
            samples,
        }
    }

    /// The row's identity in its group: `name`, or `name-<threads>` for a parallel benchmark
    /// (Go's suffix; also the criterion benchmark ID).
    pub fn key(&self) -> String {
        if self.parallel {
            format!("{}-{}", self.name, self.threads)
        } else {
            self.name.clone()
        }
    }

    /// Megabytes (10^6 bytes, as Go) per second, when bytes per operation were declared.
    pub fn mb_per_sec(&self) -> Option<f64> {
        match self.throughput {
            Some(OpThroughput::Bytes(b)) if self.ns_per_op > 0.0 => {
                Some(b as f64 * 1e3 / self.ns_per_op)
            }
            _ => None,
        }
    }

    /// Millions of elements per second, when elements per operation were declared.
    pub fn melem_per_sec(&self) -> Option<f64> {
        match self.throughput {
            Some(OpThroughput::Elements(e)) if self.ns_per_op > 0.0 => {
                Some(e as f64 * 1e3 / self.ns_per_op)
            }
            _ => None,
        }
    }
}

/// The machine a report was measured on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Machine {
    /// `std::env::consts::OS`.
    pub os: String,
    /// `std::env::consts::ARCH`.
    pub arch: String,
    /// CPU model name (from `/proc/cpuinfo` on Linux), or empty.
    pub cpu: String,
    /// `std::thread::available_parallelism`.
    pub threads: usize,
}

impl Machine {
    /// Describes this machine.
    pub fn current() -> Self {
        let cpu = std::fs::read_to_string("/proc/cpuinfo")
            .ok()
            .and_then(|s| {
                s.lines().find_map(|l| {
                    l.strip_prefix("model name")
                        .map(|v| v.trim_start_matches([' ', '\t', ':']).to_owned())
                })
            })
            .unwrap_or_default();
        Self {
            os: std::env::consts::OS.to_owned(),
            arch: std::env::consts::ARCH.to_owned(),
            cpu,
            threads: std::thread::available_parallelism().map_or(1, usize::from),
        }
    }
}

/// Everything one `BenchGroup` measured; what `finish` prints and saves as JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupReport {
    /// [`FORMAT_VERSION`] of the writer.
    pub version: u32,
    /// Group name, as given to `BenchGroup::new`.
    pub group: String,
    /// Function the others are compared with (`BenchGroup::baseline`), if any.
    pub baseline: Option<String>,
    /// Where it ran.
    pub machine: Machine,
    /// One row per function that ran, in the order they ran.
    pub results: Vec<BenchResult>,
}

impl GroupReport {
    /// The row whose [`key`](BenchResult::key) is `key` (`name`, or `name-<threads>` for a
    /// parallel benchmark), else the first row named `key`.
    pub fn get(&self, key: &str) -> Option<&BenchResult> {
        self.results
            .iter()
            .find(|r| r.key() == key)
            .or_else(|| self.results.iter().find(|r| r.name == key))
    }

    /// Reads a report written by `BenchGroup::finish`.
    ///
    /// # Errors
    ///
    /// I/O errors, and `InvalidData` when the file is not a report.
    pub fn load(path: &Path) -> std::io::Result<Self> {
        let text = std::fs::read(path)?;
        serde_json::from_slice(&text)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
    }

    /// Writes this report as pretty JSON to `dir/<file_stem(group)>.json`, creating `dir`.
    ///
    /// # Errors
    ///
    /// I/O errors.
    pub fn save(&self, dir: &Path) -> std::io::Result<PathBuf> {
        std::fs::create_dir_all(dir)?;
        let path = dir.join(format!("{}.json", file_stem(&self.group)));
        let json = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        std::fs::write(&path, json)?;
        Ok(path)
    }
}

/// A file name for a group name: `/` and other characters unsafe in paths become `_`.
///
/// # Examples
///
/// ```
/// assert_eq!(perf_core::bench::file_stem("pool/1-thread"), "pool_1-thread");
/// ```
pub fn file_stem(group: &str) -> String {
    group
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect()
}
