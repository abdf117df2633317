//! Pool benchmarks (see docs/pool.md).

fn main() {}
