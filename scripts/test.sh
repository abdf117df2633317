#!/usr/bin/env bash
# Every test of the workspace: unit, integration, trybuild, doc tests, and the release-mode
# checks that guards leave no code behind without debug_assertions.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --workspace --all-features --no-fail-fast
cargo test --release --test no_alloc_release
