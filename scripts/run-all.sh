#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The main job: installs what is missing, builds, and runs every experiment (`infozoo all`) on
# the default device (CUDA when available). Extra arguments go to `infozoo all` (e.g. --json).
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=$(bash scripts/build.sh)
exec "$build_dir/apps/infozoo" all "$@"
