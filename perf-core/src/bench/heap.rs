//! Allocation profiles of benchmarks (Go's `-memprofile`), from the heap sampling of
//! `perfkit::profiling` (feature `profiling`) inside `CountingAlloc`.

use std::io;
use std::path::{Path, PathBuf};

use prost::Message;

use crate::profiling::heap::{self, DEFAULT_RATE, Kind};

/// Environment variable setting the mean bytes between samples (Go's `-memprofilerate`);
/// default [`DEFAULT_RATE`] (512 KiB, as Go).
pub const RATE_ENV: &str = "PERFKIT_MEMPROFILERATE";

/// Heap sampling around one benchmark.
pub(crate) struct HeapProfile(());

impl HeapProfile {
    /// Starts sampling, unless something else (a profiling server) already samples: its data is
    /// not ours to reset.
    pub(crate) fn start() -> Option<Self> {
        if heap::heap_sample_rate().is_some() {
            eprintln!("perfkit::bench: heap sampling is already on elsewhere, no heap profile");
            return None;
        }
        let rate = std::env::var(RATE_ENV)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(DEFAULT_RATE);
        heap::start_heap_sampling(rate);
        Some(Self(()))
    }

    /// Writes `dir/heap.pb.gz` (sample types alloc_objects, alloc_space, inuse_objects,
    /// inuse_space; alloc_space shown by default) and stops sampling.
    pub(crate) fn finish(self, dir: &Path) -> io::Result<PathBuf> {
        let profile = heap::profile(Kind::Allocs);
        std::fs::create_dir_all(dir)?;
        let path = dir.join("heap.pb.gz");
        let mut gz = flate2::write::GzEncoder::new(
            io::BufWriter::new(std::fs::File::create(&path)?),
            flate2::Compression::default(),
        );
        io::Write::write_all(&mut gz, &profile.encode_to_vec())?;
        io::Write::flush(&mut gz.finish()?)?;
        Ok(path)
    }
}

impl Drop for HeapProfile {
    fn drop(&mut self) {
        heap::stop_heap_sampling();
    }
}
