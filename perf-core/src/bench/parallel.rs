//! The workers behind `BenchGroup::bench_parallel` (Go's `b.RunParallel`).
//!
//! `threads` workers live for the whole benchmark (warm-up and samples), so thread start-up is
//! never timed. For each criterion call they meet at a barrier, then take batches of iterations
//! from a shared counter until the call's total is done, as Go's `RunParallel` does; each worker
//! counts its own allocations with `thread_stats` around its loop, and the counts are summed.

use std::hint::black_box;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::Barrier;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::time::Instant;

use super::phases::Call;
use crate::alloc::{AllocStats, thread_stats};

/// What one worker did in one call.
struct WorkerOut {
    start: Instant,
    end: Instant,
    stats: AllocStats,
    panic: Option<Box<dyn std::any::Any + Send>>,
}

/// Batch size taken from the shared counter: small enough to balance threads, large enough that
/// the atomic add is noise next to the operations.
fn grain(total: u64, threads: u64) -> u64 {
    (total / (threads * 64)).clamp(1, 1024)
}

/// Runs `body` with a function that executes `iters` calls of `f` spread over `threads` workers
/// and returns the call's wall time and the allocations of every worker.
///
/// A panic in `f` is re-raised on the calling thread once every worker has stopped.
pub(crate) fn with_workers<F, R, T>(
    threads: usize,
    f: &F,
    body: impl FnOnce(&mut dyn FnMut(u64) -> Call) -> T,
) -> T
where
    F: Fn() -> R + Sync,
{
    assert!(threads > 0, "bench_parallel needs at least one thread");
    let barrier = Barrier::new(threads);
    let next = AtomicU64::new(0);
    std::thread::scope(|s| {
        let (out_tx, out_rx) = mpsc::channel::<WorkerOut>();
        let mut jobs = Vec::with_capacity(threads);
        for i in 0..threads {
            let (job_tx, job_rx) = mpsc::channel::<(u64, u64)>();
            jobs.push(job_tx);
            let out_tx = out_tx.clone();
            let (barrier, next) = (&barrier, &next);
            std::thread::Builder::new()
                .name(format!("perfkit-bench-{i}"))
                .spawn_scoped(s, move || {
                    while let Ok((total, grain)) = job_rx.recv() {
                        barrier.wait();
                        let before = thread_stats();
                        let start = Instant::now();
                        let run = catch_unwind(AssertUnwindSafe(|| {
                            loop {
                                let first = next.fetch_add(grain, Ordering::Relaxed);
                                if first >= total {
                                    break;
                                }
                                for _ in 0..grain.min(total - first) {
                                    black_box(f());
                                }
                            }
                        }));
                        let end = Instant::now();
                        let stats = thread_stats() - before;
                        let out = WorkerOut {
                            start,
                            end,
                            stats,
                            panic: run.err(),
                        };
                        if out_tx.send(out).is_err() {
                            break;
                        }
                    }
                })
                .expect("failed to spawn a bench_parallel worker");
        }
        drop(out_tx);
        let mut run = |iters: u64| -> Call {
            next.store(0, Ordering::Relaxed);
            let g = grain(iters, threads as u64);
            for job in &jobs {
                job.send((iters, g))
                    .expect("a bench_parallel worker exited early");
            }
            let mut first_start: Option<Instant> = None;
            let mut last_end: Option<Instant> = None;
            let mut stats = AllocStats::default();
            let mut panic = None;
            for _ in 0..threads {
                let out = out_rx.recv().expect("a bench_parallel worker exited early");
                first_start = Some(first_start.map_or(out.start, |t| t.min(out.start)));
                last_end = Some(last_end.map_or(out.end, |t| t.max(out.end)));
                stats = add(stats, out.stats);
                panic = panic.or(out.panic);
            }
            if let Some(p) = panic {
                resume_unwind(p);
            }
            let nanos = match (first_start, last_end) {
                (Some(a), Some(b)) => {
                    u64::try_from(b.duration_since(a).as_nanos()).unwrap_or(u64::MAX)
                }
                _ => 0,
            };
            Call {
                iters,
                nanos,
                stats,
            }
        };
        body(&mut run)
        // `jobs` drops with `run` here: the workers' `recv` fails and they return.
    })
}

fn add(a: AllocStats, b: AllocStats) -> AllocStats {
    AllocStats {
        allocs: a.allocs + b.allocs,
        reallocs: a.reallocs + b.reallocs,
        deallocs: a.deallocs + b.deallocs,
        bytes_allocated: a.bytes_allocated + b.bytes_allocated,
        bytes_deallocated: a.bytes_deallocated + b.bytes_deallocated,
    }
}
