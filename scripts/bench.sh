#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Builds the benchmarks (build-bench/) and runs them beside their Python peers, writing
# benchmarks/RESULTS.md. Needs Debian's python3-torch and python3-sklearn for the peers.
# Usage: scripts/bench.sh [compare.py options, e.g. --threads 1 2 --quick]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
missing=()
for pkg in python3-torch python3-sklearn; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]]; then apt-get install -y -qq "${missing[@]}"; else sudo apt-get install -y -qq "${missing[@]}"; fi
fi
cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DINFOZOO_BUILD_BENCHMARKS=ON \
  -DINFOZOO_BUILD_TESTS=OFF -DINFOZOO_BUILD_APPS=OFF >/dev/null
cmake --build build-bench -j "$(nproc)"
/usr/bin/python3 benchmarks/compare.py --build build-bench "$@"
