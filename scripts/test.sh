#!/usr/bin/env bash
# The project's test command: what CI runs and what a developer runs on a fresh machine.
# Installs the test tools it needs (Chromium, the Nu HTML checker, axe-core, playwright-core,
# linkinator) through scripts/install-test-tools.sh, then runs every check.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo fmt --all -- --check
cargo clippy --all-targets -- -D warnings
cargo test --all-targets
bash scripts/install-test-tools.sh
bash scripts/site-checks.sh
