//! The `go test -bench . -benchmem` shaped table, and a Markdown variant for READMEs.

use std::fmt::Write as _;

use super::report::{BenchResult, GroupReport, Machine};

/// Go's `prettyPrint`: three or more significant digits, fewer decimals for larger values.
pub(crate) fn fmt_float(x: f64) -> String {
    if x == 0.0 {
        "0".to_owned()
    } else if x.abs() >= 99.995 {
        format!("{x:.0}")
    } else if x.abs() >= 9.9995 {
        format!("{x:.1}")
    } else if x.abs() >= 0.99995 {
        format!("{x:.2}")
    } else if x.abs() >= 0.099995 {
        format!("{x:.3}")
    } else {
        format!("{x:.4}")
    }
}

/// An exact per-op count: an integer when it is one, else two decimals (amortised allocations).
pub(crate) fn fmt_count(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.2}")
    }
}

/// `name` as the table shows it: `group/name`, with `-N` for parallel benchmarks (Go's suffix).
pub(crate) fn row_name(group: &str, r: &BenchResult) -> String {
    format!("{group}/{}", r.key())
}

/// `ratio` of `r`'s time per op to the baseline's, formatted `0.42x`.
pub(crate) fn ratio(r: &BenchResult, base: &BenchResult) -> Option<String> {
    (base.ns_per_op > 0.0 && r.iterations > 0)
        .then(|| format!("{:.2}x", r.ns_per_op / base.ns_per_op))
}

impl Machine {
    /// Go's benchmark preamble: `goos`, `goarch` and `cpu` lines.
    pub fn header(&self) -> String {
        let mut out = format!("goos: {}\ngoarch: {}\n", self.os, self.arch);
        if !self.cpu.is_empty() {
            let _ = writeln!(out, "cpu: {} ({} threads)", self.cpu, self.threads);
        }
        out
    }

    /// One sentence for a README: `AMD EPYC (2 threads), linux/x86_64`.
    pub fn summary(&self) -> String {
        let cpu = if self.cpu.is_empty() {
            "unknown CPU"
        } else {
            &self.cpu
        };
        format!(
            "{cpu} ({} threads), {}/{}",
            self.threads, self.os, self.arch
        )
    }
}

impl GroupReport {
    /// The table `finish` prints: one line per function, Go's `-benchmem` columns (and MB/s
    /// when bytes per operation were declared), plus `1.00x vs <baseline>` when the group has a
    /// baseline. Preceded by `goos`/`goarch`/`cpu` lines when `header` is true.
    pub fn to_table(&self, header: bool) -> String {
        let mut out = String::new();
        if header {
            out.push_str(&self.machine.header());
        }
        let names: Vec<String> = self
            .results
            .iter()
            .map(|r| row_name(&self.group, r))
            .collect();
        let width = names.iter().map(String::len).max().unwrap_or(0);
        let base = self.baseline.as_deref().and_then(|b| self.get(b));
        for (r, name) in self.results.iter().zip(&names) {
            let _ = write!(
                out,
                "{name:<width$}  {:>10}  {:>10} ns/op",
                r.iterations,
                fmt_float(r.ns_per_op)
            );
            if let Some(mb) = r.mb_per_sec() {
                let _ = write!(out, "  {:>8} MB/s", fmt_float(mb));
            } else if let Some(me) = r.melem_per_sec() {
                let _ = write!(out, "  {:>8} Melem/s", fmt_float(me));
            }
            let _ = write!(
                out,
                "  {:>8} B/op  {:>6} allocs/op",
                fmt_count(r.bytes_per_op),
                fmt_count(r.allocs_per_op)
            );
            if let Some(base) = base
                && let Some(x) = ratio(r, base)
            {
                let _ = write!(out, "  {x:>7} vs {}", base.key());
            }
            out.push('\n');
        }
        out
    }

    /// A Markdown table of this group for a README: time per op as a ratio to the baseline
    /// function (when one is set) beside the absolute figures, and the allocation columns.
    pub fn to_markdown(&self) -> String {
        let base = self.baseline.as_deref().and_then(|b| self.get(b));
        let mut out = String::new();
        match base {
            Some(b) => {
                let _ = writeln!(
                    out,
                    "| {} | time vs `{}` | ns/op | allocs/op | B/op |",
                    self.group,
                    b.key()
                );
                out.push_str("|---|---:|---:|---:|---:|\n");
            }
            None => {
                let _ = writeln!(out, "| {} | ns/op | allocs/op | B/op |", self.group);
                out.push_str("|---|---:|---:|---:|\n");
            }
        }
        for r in &self.results {
            let name = if r.parallel {
                format!("{} ({} threads)", r.name, r.threads)
            } else {
                r.name.clone()
            };
            let _ = write!(out, "| `{name}` |");
            if let Some(b) = base {
                let _ = write!(
                    out,
                    " {} |",
                    ratio(r, b).unwrap_or_else(|| "n/a".to_owned())
                );
            }
            let _ = writeln!(
                out,
                " {} | {} | {} |",
                fmt_float(r.ns_per_op),
                fmt_count(r.allocs_per_op),
                fmt_count(r.bytes_per_op)
            );
        }
        out
    }
}
