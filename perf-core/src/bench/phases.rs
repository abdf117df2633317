//! Which of criterion's calls into a benchmark were measured samples.
//!
//! Criterion calls the `iter_custom` routine first to warm up (1, 2, 4, … iterations until the
//! warm-up time is spent) and then once per sample: `d, 2d, …, nd` iterations (linear sampling)
//! or `d` iterations `n` times (flat sampling), with `n >= 10`. `--quick` doubles from 1 and keeps
//! the last two calls; `--test` calls once with 1 iteration; `--profile-time` warms up and makes one
//! long call. Allocation figures must exclude warm-up (a pool fills up there), so the calls are
//! recorded and the measured tail is recovered from that sequence of iteration counts.

use crate::alloc::AllocStats;

/// One call of criterion into the benchmark routine: `iters` operations on every thread together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Call {
    pub iters: u64,
    pub nanos: u64,
    pub stats: AllocStats,
}

/// Criterion refuses sample sizes below this.
const MIN_SAMPLES: usize = 10;

/// The measured calls among `calls` (all of one benchmark, in order).
///
/// `sample_size` is the number of samples when the caller knows it (set on the group). When the
/// sequence fits no known plan, only the last call (always a measured one) is returned.
pub(crate) fn measured(calls: &[Call], sample_size: Option<usize>) -> &[Call] {
    let n = calls.len();
    if n <= 1 {
        return calls;
    }
    let doubling = calls
        .iter()
        .enumerate()
        .take_while(|(i, c)| *i < 64 && c.iters == 1 << i)
        .count();
    if doubling == n {
        // `--quick`: only doubling calls, the last two are the measurement.
        return &calls[n - 2..];
    }
    // The warm-up is a doubling prefix of at least one call. Flat sampling at a power of two can
    // fit two split points; take the later one so that no warm-up call is counted.
    for k in (1..=doubling).rev() {
        let tail = &calls[k..];
        if let Some(want) = sample_size
            && tail.len() != want
        {
            continue;
        }
        if tail.len() >= MIN_SAMPLES && (is_linear(tail) || is_flat(tail)) {
            return tail;
        }
    }
    &calls[n - 1..]
}

fn is_linear(tail: &[Call]) -> bool {
    let d = tail[0].iters;
    tail.iter()
        .zip(1u64..)
        .all(|(c, i)| Some(c.iters) == d.checked_mul(i))
}

fn is_flat(tail: &[Call]) -> bool {
    tail.iter().all(|c| c.iters == tail[0].iters)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn calls(iters: &[u64]) -> Vec<Call> {
        iters
            .iter()
            .map(|&iters| Call {
                iters,
                nanos: 0,
                stats: AllocStats::default(),
            })
            .collect()
    }

    fn iters(c: &[Call]) -> Vec<u64> {
        c.iter().map(|c| c.iters).collect()
    }

    #[test]
    fn linear_after_warm_up() {
        let mut seq = vec![1, 2, 4, 8, 16];
        seq.extend((1..=10).map(|i| i * 16)); // d equal to the next doubling: still unique
        let c = calls(&seq);
        assert_eq!(
            iters(measured(&c, None)),
            (1..=10).map(|i| i * 16).collect::<Vec<_>>()
        );
    }

    #[test]
    fn flat_ambiguity_never_counts_warm_up() {
        let mut seq = vec![1, 2, 4];
        seq.extend([4; 12]);
        let c = calls(&seq);
        assert_eq!(measured(&c, None).len(), 12);
        assert_eq!(measured(&c, Some(12)).len(), 12);
        let mut seq = vec![1, 2, 4];
        seq.extend([8; 12]);
        let c = calls(&seq);
        assert_eq!(
            measured(&c, None).len(),
            11,
            "one 8-iteration call may be warm-up"
        );
        assert_eq!(
            measured(&c, Some(12)).len(),
            12,
            "the sample size settles it"
        );
    }

    #[test]
    fn test_quick_and_unknown_modes() {
        assert_eq!(iters(measured(&calls(&[1]), None)), [1]);
        assert_eq!(iters(measured(&calls(&[1, 2, 4, 8]), None)), [4, 8]);
        assert_eq!(iters(measured(&calls(&[1, 2, 4, 8, 1000]), None)), [1000]);
        assert!(measured(&calls(&[]), None).is_empty());
    }
}
