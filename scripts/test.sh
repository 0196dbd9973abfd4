#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The test suite: installs what is missing, builds, and runs every test with CTest.
# Usage: scripts/test.sh [--torch debian|pip]   (default: Debian's LibTorch 1.13.1)
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=$(bash scripts/build.sh "$@")
ctest --test-dir "$build_dir" --output-on-failure -j "$(nproc)"
