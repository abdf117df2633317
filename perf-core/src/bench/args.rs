//! The part of criterion's command line that decides what `BenchGroup` writes.
//!
//! Criterion parses its arguments privately, so the few that matter here are read again from
//! `std::env::args` with the same rules (`criterion::Criterion::configure_from_args`).

use std::time::Duration;

/// What the benchmark binary was asked to do, as criterion decides it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RunMode {
    /// `cargo bench`: warm up, sample, analyse.
    Benchmark,
    /// `cargo bench -- --test` or `cargo test --benches`: each function runs once.
    Test,
    /// `--list`: nothing runs.
    List,
    /// `--profile-time N`: each function runs for N seconds under a profiler, unmeasured.
    Profile(Duration),
}

/// The run's mode and baseline handling, parsed from the process arguments.
#[derive(Debug, Clone, PartialEq)]
pub struct RunArgs {
    /// What criterion does in this run.
    pub mode: RunMode,
    /// `--save-baseline NAME` (criterion's default is `base`), unless comparing or discarding.
    pub save_baseline: Option<String>,
    /// `--baseline NAME` / `--baseline-lenient NAME`: compare against this saved baseline.
    pub compare_baseline: Option<String>,
}

impl RunArgs {
    /// Parses `std::env::args()`.
    pub fn from_env() -> Self {
        Self::parse(std::env::args().skip(1))
    }

    /// Parses benchmark-binary arguments (without the program name).
    ///
    /// # Examples
    ///
    /// ```
    /// use perf_core::bench::{RunArgs, RunMode};
    /// let a = RunArgs::parse(["--bench", "--baseline", "main"].map(String::from));
    /// assert_eq!(a.mode, RunMode::Benchmark);
    /// assert_eq!(a.compare_baseline.as_deref(), Some("main"));
    /// assert_eq!(a.save_baseline, None);
    /// ```
    pub fn parse(args: impl IntoIterator<Item = String>) -> Self {
        let mut bench = false;
        let mut test = false;
        let mut list = false;
        let mut profile = None;
        let mut save = Some("base".to_owned());
        let mut compare = None;
        let mut discard = false;
        let mut it = args.into_iter();
        while let Some(arg) = it.next() {
            let (flag, inline) = match arg.split_once('=') {
                Some((f, v)) if f.starts_with("--") => (f.to_owned(), Some(v.to_owned())),
                _ => (arg.clone(), None),
            };
            let mut value = |inline: Option<String>| inline.or_else(|| it.next());
            match flag.as_str() {
                "--bench" => bench = true,
                "--test" => test = true,
                "--list" => list = true,
                "--profile-time" => {
                    profile = value(inline)
                        .and_then(|v| v.parse::<f64>().ok())
                        .filter(|s| s.is_finite() && *s >= 1.0)
                        .map(Duration::from_secs_f64);
                }
                "-s" | "--save-baseline" => save = value(inline),
                "--baseline" | "--baseline-lenient" => compare = value(inline),
                "--discard-baseline" => discard = true,
                // Options taking a value that could otherwise be read as a filter or flag.
                "-c"
                | "--color"
                | "--colour"
                | "--format"
                | "--load-baseline"
                | "--sample-size"
                | "--warm-up-time"
                | "--measurement-time"
                | "--nresamples"
                | "--noise-threshold"
                | "--confidence-level"
                | "--significance-level"
                | "--plotting-backend"
                | "--output-format" => {
                    value(inline);
                }
                _ => {}
            }
        }
        // Same truth table as criterion: without `--bench` (cargo test --benches) it tests.
        let mode = if list {
            RunMode::List
        } else if test || !bench {
            RunMode::Test
        } else if let Some(d) = profile {
            RunMode::Profile(d)
        } else {
            RunMode::Benchmark
        };
        if compare.is_some() || discard {
            save = None;
        }
        Self {
            mode,
            save_baseline: save,
            compare_baseline: compare,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> RunArgs {
        RunArgs::parse(args.iter().map(|s| (*s).to_owned()))
    }

    #[test]
    fn modes_follow_criterion() {
        assert_eq!(parse(&["--bench"]).mode, RunMode::Benchmark);
        assert_eq!(parse(&["--bench", "--test"]).mode, RunMode::Test);
        assert_eq!(parse(&[]).mode, RunMode::Test, "cargo test --benches");
        assert_eq!(parse(&["--bench", "--list"]).mode, RunMode::List);
        assert_eq!(
            parse(&["--bench", "--profile-time", "5"]).mode,
            RunMode::Profile(Duration::from_secs(5))
        );
        assert_eq!(
            parse(&["--bench", "--profile-time=2.5"]).mode,
            RunMode::Profile(Duration::from_millis(2500))
        );
    }

    #[test]
    fn baselines_follow_criterion() {
        let a = parse(&["--bench"]);
        assert_eq!(
            (a.save_baseline.as_deref(), a.compare_baseline),
            (Some("base"), None)
        );
        let a = parse(&["--bench", "-s", "before", "filter"]);
        assert_eq!(a.save_baseline.as_deref(), Some("before"));
        let a = parse(&["--bench", "--baseline-lenient", "main"]);
        assert_eq!(
            (a.save_baseline, a.compare_baseline.as_deref()),
            (None, Some("main"))
        );
        assert_eq!(
            parse(&["--bench", "--discard-baseline"]).save_baseline,
            None
        );
        // A value that looks like a flag name is still the option's value.
        let a = parse(&["--bench", "--sample-size", "10", "--baseline", "--test"]);
        assert_eq!(
            (a.mode, a.compare_baseline.as_deref()),
            (RunMode::Benchmark, Some("--test"))
        );
    }
}
