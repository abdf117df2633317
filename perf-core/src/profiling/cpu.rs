//! CPU profiles: pprof-rs's `SIGPROF` sampler, turned into gzip'd pprof protobuf with
//! mappings, a collapsed-stack text, or an SVG flamegraph.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime};

use super::proto::Profile;
use super::symbols::{Builder, LabelValue, outer_name, resolve};

static BUSY: AtomicBool = AtomicBool::new(false);

/// The one CPU profile slot; freed on drop, including when the request is cancelled because
/// the client went away.
pub(crate) struct CpuSlot(());

impl CpuSlot {
    pub(crate) fn acquire() -> Option<Self> {
        (!BUSY.swap(true, Ordering::AcqRel)).then_some(CpuSlot(()))
    }
}

impl Drop for CpuSlot {
    fn drop(&mut self) {
        BUSY.store(false, Ordering::Release);
    }
}

/// Samples of one CPU profile: stacks (leaf first) aggregated per thread.
pub(crate) struct CpuSamples {
    pub(crate) stacks: Vec<CpuStack>,
    pub(crate) start: SystemTime,
    pub(crate) duration: Duration,
    pub(crate) frequency: u32,
}

pub(crate) struct CpuStack {
    pub(crate) frames: Vec<u64>,
    pub(crate) thread: String,
    pub(crate) thread_id: u64,
    pub(crate) count: i64,
}

/// Profiles the whole process for `seconds` at `frequency` Hz. Dropping the future stops the
/// profiler.
pub(crate) async fn record(seconds: u64, frequency: u32) -> Result<CpuSamples, String> {
    // Starting the profiler the first time symbolizes a backtrace (pprof-rs warms its lazy
    // statics), which can take seconds: not on the async worker.
    let guard = tokio::task::spawn_blocking(move || {
        pprof::ProfilerGuardBuilder::default()
            .frequency(frequency as i32)
            // Unwinding from inside these can deadlock (dl_iterate_phdr and friends): pprof-rs
            // drops samples whose pc is there.
            .blocklist(&["libc", "libgcc", "pthread", "vdso"])
            .build()
    })
    .await
    .map_err(|e| format!("cannot start the CPU profiler: {e}"))?
    .map_err(|e| format!("cannot start the CPU profiler: {e}"))?;
    let start = SystemTime::now();
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    let report = guard
        .report()
        .build_unresolved()
        .map_err(|e| format!("cannot read the CPU profile: {e}"))?;
    drop(guard);
    let stacks = report
        .data
        .iter()
        .map(|(frames, &count)| CpuStack {
            frames: frames.frames.iter().map(|f| f.ip() as u64).collect(),
            thread: String::from_utf8_lossy(&frames.thread_name[..frames.thread_name_length])
                .into_owned(),
            thread_id: frames.thread_id,
            count: count as i64,
        })
        .collect();
    Ok(CpuSamples {
        stacks,
        start,
        duration: start.elapsed().unwrap_or_default(),
        frequency,
    })
}

/// Drops pprof-rs's signal handler and the signal trampoline from the top of a stack.
fn trim(frames: &[u64]) -> &[u64] {
    let handler = frames
        .iter()
        .take(32)
        .position(|&a| outer_name(a).is_some_and(|n| n.contains("perf_signal_handler")));
    match handler {
        // The frame after the handler is the sigreturn trampoline.
        Some(i) if i + 2 <= frames.len() => &frames[i + 2..],
        _ => frames,
    }
}

impl CpuSamples {
    /// The pprof profile: `samples/count` and `cpu/nanoseconds`, a `thread` label.
    pub(crate) fn profile(&self) -> Profile {
        let period = 1_000_000_000 / i64::from(self.frequency.max(1));
        let mut b = Builder::new(
            &[("samples", "count"), ("cpu", "nanoseconds")],
            ("cpu", "nanoseconds"),
            period,
        );
        b.timing(self.start, self.duration);
        b.default_sample_type("cpu");
        for s in &self.stacks {
            let labels = [
                ("thread", LabelValue::Str(s.thread.clone())),
                ("thread_id", LabelValue::Num(s.thread_id as i64, "")),
            ];
            b.sample(trim(&s.frames), vec![s.count, s.count * period], &labels);
        }
        b.finish()
    }

    /// Brendan Gregg's collapsed stacks: `thread;outer;…;leaf count`, one line per stack.
    pub(crate) fn collapsed(&self) -> String {
        let mut lines: Vec<String> = Vec::with_capacity(self.stacks.len());
        for s in &self.stacks {
            let mut line = s.thread.replace(';', ":");
            for &addr in trim(&s.frames).iter().rev().filter(|&&a| a != 0) {
                let frames = resolve(addr);
                if frames.is_empty() {
                    line.push_str(&format!(";{addr:#x}"));
                }
                for f in frames.iter().rev() {
                    line.push(';');
                    line.push_str(&f.name.replace(';', ":"));
                }
            }
            line.push(' ');
            line.push_str(&s.count.to_string());
            lines.push(line);
        }
        lines.sort();
        let mut out = lines.join("\n");
        out.push('\n');
        out
    }

    /// An SVG flamegraph (inferno).
    pub(crate) fn svg(&self) -> Result<Vec<u8>, String> {
        let collapsed = self.collapsed();
        let mut opts = inferno::flamegraph::Options::default();
        opts.title = "perfkit CPU profile".to_owned();
        opts.count_name = "samples".to_owned();
        let mut out = Vec::new();
        if collapsed.trim().is_empty() {
            // inferno refuses empty input; an idle process still deserves an answer.
            opts.subtitle = Some("no samples: the process was idle".to_owned());
            inferno::flamegraph::from_lines(&mut opts, ["idle 1"], &mut out)
        } else {
            inferno::flamegraph::from_lines(&mut opts, collapsed.lines(), &mut out)
        }
        .map_err(|e| format!("cannot draw the flamegraph: {e}"))?;
        Ok(out)
    }
}
