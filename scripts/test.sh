#!/usr/bin/env bash
# Every test of the workspace: unit, integration, trybuild, doc tests, and the release-mode
# checks that guards leave no code behind without debug_assertions.
set -euo pipefail
cd "$(dirname "$0")/.."

# `tests/profiling_go_tool.rs` checks our profiles with `go tool pprof` (Debian's golang-go).
if ! command -v go >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing golang-go for the go tool pprof test"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq golang-go >/dev/null
  else
    echo "go is not installed: install golang-go, or set PERFKIT_SKIP_GO=1 to skip that one test" >&2
  fi
fi
cargo test --workspace --all-features --no-fail-fast
cargo test --release --test no_alloc_release
