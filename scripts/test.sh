#!/usr/bin/env bash
# The project's test command: what CI runs and what a developer runs on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo fmt --all -- --check
cargo clippy --all-targets -- -D warnings
cargo test --all-targets
