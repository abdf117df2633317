//! benchstat for `BenchGroup` reports: old against new, time with a significance test and the
//! allocation columns with exact deltas.

use std::fmt::Write as _;

use super::report::{BenchResult, GroupReport};
use super::table::{fmt_count, fmt_float};

/// Significance level of the Mann-Whitney U test (benchstat's default).
pub const ALPHA: f64 = 0.05;

/// One function present in both reports.
#[derive(Debug, Clone, PartialEq)]
pub struct RowComparison {
    /// [`BenchResult::key`]: `name` or `name-<threads>`.
    pub key: String,
    /// Median of the old samples' ns/op.
    pub old_ns: f64,
    /// Median of the new samples' ns/op.
    pub new_ns: f64,
    /// Half the spread of the middle 95% of old samples, relative to the median (benchstat's `±`).
    pub old_spread: f64,
    /// Same for the new samples.
    pub new_spread: f64,
    /// Two-sided p-value of the Mann-Whitney U test on per-sample ns/op; `None` with fewer than
    /// 4 samples on either side.
    pub p_value: Option<f64>,
    /// Samples on each side.
    pub n: (usize, usize),
    /// Exact allocation events and iterations: (old allocs, old iters, new allocs, new iters).
    pub allocs: (u64, u64, u64, u64),
    /// Exact bytes and iterations, as `allocs`.
    pub bytes: (u64, u64, u64, u64),
}

impl RowComparison {
    /// Relative change of the median time per op, `new / old - 1`.
    pub fn time_delta(&self) -> f64 {
        self.new_ns / self.old_ns - 1.0
    }

    /// Whether the time change is significant at [`ALPHA`].
    pub fn time_significant(&self) -> bool {
        self.p_value.is_some_and(|p| p < ALPHA)
    }
}

/// The comparison of two reports of one group.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// Group name.
    pub group: String,
    /// Label of the old side (a baseline name or a path).
    pub old_label: String,
    /// Label of the new side.
    pub new_label: String,
    /// Functions in both reports, in the new report's order.
    pub rows: Vec<RowComparison>,
    /// Functions only in the old report.
    pub removed: Vec<String>,
    /// Functions only in the new report.
    pub added: Vec<String>,
}

/// Compares `old` with `new` (reports of the same group) function by function.
///
/// # Examples
///
/// ```
/// use perf_core::bench::{compare, BenchResult, GroupReport, Machine, Sample};
/// let run = |ns: u64, allocs: u64| GroupReport {
///     version: 1,
///     group: "g".into(),
///     baseline: None,
///     machine: Machine::current(),
///     results: vec![BenchResult::from_samples("f".into(), 1, false, None,
///         (1..=10).map(|i| Sample { iters: 100, nanos: ns * 100 + i, allocs: allocs * 100, bytes: 0 }).collect())],
/// };
/// let c = compare(&run(50, 2), &run(25, 0), "old", "new");
/// assert!(c.rows[0].time_significant());
/// assert!(c.to_table().contains("2 → 0"));
/// ```
pub fn compare(
    old: &GroupReport,
    new: &GroupReport,
    old_label: &str,
    new_label: &str,
) -> Comparison {
    let mut rows = Vec::new();
    let mut added = Vec::new();
    for n in &new.results {
        match old.results.iter().find(|o| o.key() == n.key()) {
            Some(o) => rows.push(compare_rows(o, n)),
            None => added.push(n.key()),
        }
    }
    let removed = old
        .results
        .iter()
        .filter(|o| !new.results.iter().any(|n| n.key() == o.key()))
        .map(BenchResult::key)
        .collect();
    Comparison {
        group: new.group.clone(),
        old_label: old_label.to_owned(),
        new_label: new_label.to_owned(),
        rows,
        removed,
        added,
    }
}

fn compare_rows(old: &BenchResult, new: &BenchResult) -> RowComparison {
    let o: Vec<f64> = old.samples.iter().map(|s| s.ns_per_op()).collect();
    let n: Vec<f64> = new.samples.iter().map(|s| s.ns_per_op()).collect();
    let p_value = (o.len() >= 4 && n.len() >= 4).then(|| mann_whitney_u(&o, &n));
    RowComparison {
        key: new.key(),
        old_ns: median(&o).unwrap_or(old.ns_per_op),
        new_ns: median(&n).unwrap_or(new.ns_per_op),
        old_spread: spread(&o),
        new_spread: spread(&n),
        p_value,
        n: (o.len(), n.len()),
        allocs: (
            old.total_allocs,
            old.iterations,
            new.total_allocs,
            new.iterations,
        ),
        bytes: (
            old.total_bytes,
            old.iterations,
            new.total_bytes,
            new.iterations,
        ),
    }
}

fn sorted(xs: &[f64]) -> Vec<f64> {
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    v
}

fn quantile(sorted: &[f64], q: f64) -> f64 {
    let pos = q * (sorted.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

fn median(xs: &[f64]) -> Option<f64> {
    (!xs.is_empty()).then(|| quantile(&sorted(xs), 0.5))
}

/// Half the width of the 95% confidence interval of the median (distribution-free, from order
/// statistics; benchstat's `±`), relative to the median.
fn spread(xs: &[f64]) -> f64 {
    let n = xs.len();
    if n < 2 {
        return 0.0;
    }
    let s = sorted(xs);
    let m = quantile(&s, 0.5);
    let half = 1.96 * (n as f64).sqrt() / 2.0;
    let lo = ((n as f64 / 2.0 - half).floor().max(0.0) as usize).min(n - 1);
    let hi = ((n as f64 / 2.0 + half).ceil() as usize).min(n - 1);
    if m == 0.0 {
        0.0
    } else {
        (s[hi] - s[lo]) / 2.0 / m
    }
}

/// Two-sided p-value of the Mann-Whitney U test, normal approximation with tie correction
/// (benchstat's test; the samples here number 10 or more in benchmark runs).
pub fn mann_whitney_u(a: &[f64], b: &[f64]) -> f64 {
    let (n1, n2) = (a.len() as f64, b.len() as f64);
    let mut all: Vec<(f64, bool)> = a
        .iter()
        .map(|&x| (x, true))
        .chain(b.iter().map(|&x| (x, false)))
        .collect();
    all.sort_by(|x, y| x.0.total_cmp(&y.0));
    let n = all.len();
    let mut rank_sum_a = 0.0;
    let mut tie_term = 0.0;
    let mut i = 0;
    while i < n {
        let mut j = i;
        while j + 1 < n && all[j + 1].0 == all[i].0 {
            j += 1;
        }
        let rank = (i + j) as f64 / 2.0 + 1.0; // average rank of the tie group, 1-based
        let t = (j - i + 1) as f64;
        tie_term += t * t * t - t;
        rank_sum_a += rank * all[i..=j].iter().filter(|x| x.1).count() as f64;
        i = j + 1;
    }
    let u = rank_sum_a - n1 * (n1 + 1.0) / 2.0;
    let mean = n1 * n2 / 2.0;
    let nn = n1 + n2;
    let var = n1 * n2 / 12.0 * ((nn + 1.0) - tie_term / (nn * (nn - 1.0)));
    if var <= 0.0 {
        return 1.0; // every value equal
    }
    // Continuity correction, as R's wilcox.test.
    let z = ((u - mean).abs() - 0.5).max(0.0) / var.sqrt();
    (erfc(z / std::f64::consts::SQRT_2)).min(1.0)
}

/// Complementary error function (Numerical Recipes' `erfcc`, relative error below 1.2e-7).
fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let r = t
        * (-z * z - 1.265_512_23
            + t * (1.000_023_68
                + t * (0.374_091_96
                    + t * (0.096_784_18
                        + t * (-0.186_288_06
                            + t * (0.278_868_07
                                + t * (-1.135_203_98
                                    + t * (1.488_515_87
                                        + t * (-0.822_152_23 + t * 0.170_872_77)))))))))
            .exp();
    if x >= 0.0 { r } else { 2.0 - r }
}

/// `a/b` per op as text, and whether two such ratios are equal (compared exactly).
fn per_op(total: u64, iters: u64) -> f64 {
    if iters == 0 {
        0.0
    } else {
        total as f64 / iters as f64
    }
}

fn exact_delta(t: (u64, u64, u64, u64)) -> String {
    let (ot, oi, nt, ni) = t;
    let (old, new) = (per_op(ot, oi), per_op(nt, ni));
    // Equal per-op rates, compared without rounding: ot/oi == nt/ni.
    if u128::from(ot) * u128::from(ni) == u128::from(nt) * u128::from(oi) {
        return format!("{} → {}  ~", fmt_count(old), fmt_count(new));
    }
    let diff = new - old;
    let rel = if old == 0.0 {
        "+inf%".to_owned()
    } else {
        format!("{:+.2}%", (new / old - 1.0) * 100.0)
    };
    let sign = if diff > 0.0 { "+" } else { "" };
    format!(
        "{} → {}  {sign}{} ({rel})",
        fmt_count(old),
        fmt_count(new),
        fmt_count(diff)
    )
}

impl Comparison {
    /// A benchstat-like table: time/op (median ± spread, delta, p-value and sample counts, or
    /// `~` when not significant), then allocs/op and B/op with exact old → new and difference.
    pub fn to_table(&self) -> String {
        let mut out = String::new();
        let w = self
            .rows
            .iter()
            .map(|r| r.key.len())
            .chain([self.group.len(), 9])
            .max()
            .unwrap_or(0);
        let (ol, nl) = (&self.old_label, &self.new_label);
        let _ = writeln!(out, "{:<w$}  {ol:>16}  {nl:>16}", self.group);
        let _ = writeln!(
            out,
            "{:<w$}  {:>16}  {:>16}  vs {ol}",
            "ns/op", "median ± 95% CI", "median ± 95% CI"
        );
        for r in &self.rows {
            let old = format!("{} ± {:.0}%", fmt_float(r.old_ns), r.old_spread * 100.0);
            let new = format!("{} ± {:.0}%", fmt_float(r.new_ns), r.new_spread * 100.0);
            let delta = match r.p_value {
                Some(p) if p < ALPHA => {
                    format!(
                        "{:+.2}% (p={p:.3} n={}+{})",
                        r.time_delta() * 100.0,
                        r.n.0,
                        r.n.1
                    )
                }
                Some(p) => format!("~ (p={p:.3} n={}+{})", r.n.0, r.n.1),
                None => format!("? (need >= 4 samples, n={}+{})", r.n.0, r.n.1),
            };
            let _ = writeln!(out, "{:<w$}  {old:>16}  {new:>16}  {delta}", r.key);
        }
        for (unit, pick) in [("allocs/op", 0), ("B/op", 1)] {
            let _ = writeln!(out, "{unit:<w$}  {ol} → {nl}, exact difference");
            for r in &self.rows {
                let t = if pick == 0 { r.allocs } else { r.bytes };
                let _ = writeln!(out, "{:<w$}  {}", r.key, exact_delta(t));
            }
        }
        for k in &self.removed {
            let _ = writeln!(out, "only in {ol}: {k}");
        }
        for k in &self.added {
            let _ = writeln!(out, "only in {nl}: {k}");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn u_test_matches_reference_values() {
        // R: wilcox.test(c(1,2,3,4,5), c(6,7,8,9,10), exact=FALSE, correct=TRUE)$p.value
        let p = mann_whitney_u(&[1.0, 2.0, 3.0, 4.0, 5.0], &[6.0, 7.0, 8.0, 9.0, 10.0]);
        assert!((p - 0.012_186).abs() < 1e-5, "{p}");
        // Interleaved samples: no evidence of a difference.
        let p = mann_whitney_u(&[1.0, 3.0, 5.0, 7.0, 9.0], &[2.0, 4.0, 6.0, 8.0, 10.0]);
        assert!(p > 0.5, "{p}");
        assert_eq!(mann_whitney_u(&[1.0; 5], &[1.0; 5]), 1.0);
    }

    #[test]
    fn erfc_reference_points() {
        assert!((erfc(0.0) - 1.0).abs() < 1e-7);
        assert!((erfc(1.0) - 0.157_299_207).abs() < 1e-7);
        assert!((erfc(-1.0) - 1.842_700_793).abs() < 1e-7);
    }

    #[test]
    fn exact_delta_compares_rates_without_rounding() {
        assert_eq!(exact_delta((300, 100, 3, 1)), "3 → 3  ~");
        assert_eq!(exact_delta((100, 100, 0, 50)), "1 → 0  -1 (-100.00%)");
        assert_eq!(exact_delta((0, 10, 96, 1)), "0 → 96  +96 (+inf%)");
        assert_eq!(exact_delta((1, 3, 1, 2)), "0.33 → 0.50  +0.17 (+50.00%)");
    }
}
