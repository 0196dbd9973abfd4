#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# On the GPU machine: the checks that need a GPU, each stage's log in $OUT (default device-out/).
#   build   scripts/device-build.sh
#   test    the whole suite (the *_CUDA variants run here instead of skipping)
#   run     every experiment with --json on cuda and on cpu; their largest differences, from each
#           other and from the Python reference's expected values (carried in .devkit/expected)
#   bench   benchmarks/compare.py --device cuda (benchmarks/RESULTS-cuda.md)
# Usage: scripts/device-check.sh [stage...] (default: all four). Each stage runs even if an
# earlier one failed, except that nothing runs without a build; the exit status is the first failure.
set -uo pipefail
cd "$(dirname "$0")/.."
out=${OUT:-device-out}
mkdir -p "$out"
stages=("$@")
((${#stages[@]})) || stages=(build test run bench)
status=0
note() { echo "device-check: $*" | tee -a "$out/summary.txt"; }
fail() { note "$*"; ((status)) || status=1; }
for stage in "${stages[@]}"; do
  start=$SECONDS
  case $stage in
    build)
      nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader >"$out/summary.txt" 2>&1
      bash scripts/device-build.sh >"$out/build.log" 2>&1 || { note "build FAILED"; tail -40 "$out/build.log"; exit 1; }
      ;;
    test)
      (cd build-device && ctest -j "$(nproc)" --output-on-failure --timeout 600) >"$out/test.log" 2>&1 ||
        fail "tests FAILED"
      tail -5 "$out/test.log" | tee -a "$out/summary.txt"
      grep -E "Passed|Failed|Skipped" "$out/test.log" | grep -i cuda | head -40 >>"$out/summary.txt"
      ;;
    run)
      for device in cuda cpu; do
        build-device/apps/infozoo all --json --device "$device" >"$out/all-$device.json" 2>>"$out/run.err" ||
          fail "infozoo all --device $device FAILED"
      done
      note "CUDA against CPU:"
      python3 scripts/compare_json.py "$out/all-cpu.json" "$out/all-cuda.json" >>"$out/summary.txt"
      if [[ -d .devkit/expected ]]; then
        note "CUDA against the Python reference (expected/*.json):"
        python3 scripts/compare_json.py .devkit/expected "$out/all-cuda.json" >>"$out/summary.txt"
      fi
      ;;
    bench)
      INFOZOO_REFERENCE=${INFOZOO_REFERENCE:-$PWD/.devkit/reference.py} \
        python3 benchmarks/compare.py --build build-device --device cuda --output "$out/RESULTS-cuda.md" \
        ${BENCH_ARGS:-} 2>&1 | tee "$out/bench.log" | tail -3
      ;;
    *) note "unknown stage '$stage' (build, test, run or bench)"; exit 2 ;;
  esac
  note "$stage took $((SECONDS - start)) s"
done
exit "$status"
