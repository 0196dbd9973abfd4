#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Builds the libFuzzer targets with clang (build-fuzz/: ASan + UBSan + coverage on infozoo's own
# code, Debian's LibTorch 1.13) and runs each for a bounded time from its seed corpus in
# tests/fuzz/corpus/. Fails on any crash, sanitizer report, leak, timeout or out-of-memory; the
# input that caused it is left in build-fuzz/artifacts/ (replay: build-fuzz/tests/fuzz/<target> FILE).
# Seeds: tests/fuzz/corpus/<target without _fuzzer>/.
# Usage: scripts/fuzz.sh [seconds per target, default 60] [target ...]
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
shift || true
targets=("$@")
if ((${#targets[@]} == 0)); then
  targets=(state_dict_file_fuzzer state_dict_pickle_fuzzer table_reader_fuzzer cli_fuzzer)
fi

bash scripts/install-deps.sh
# clang and its libFuzzer/sanitizer runtimes, only for this script (not needed by the build).
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
if ! installed clang-14 || ! installed libclang-rt-14-dev; then
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends clang-14 libclang-rt-14-dev >&2
fi

build_dir=build-fuzz
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=clang++-14 \
  -DINFOZOO_SANITIZE=address,undefined,fuzzer-no-link -DINFOZOO_BUILD_FUZZERS=ON \
  -DINFOZOO_BUILD_TESTS=OFF -DINFOZOO_INSTALL=OFF >&2
cmake --build "$build_dir" -j "$(nproc)" --target "${targets[@]}" >&2

supp=$PWD/tests/sanitizers
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:suppressions=$supp/ubsan.supp"
export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"

mkdir -p "$build_dir/artifacts"
status=0
for target in "${targets[@]}"; do
  # New inputs go to a scratch corpus; the committed seeds stay as they are.
  work=$build_dir/corpus/$target
  mkdir -p "$work"
  dict=()
  [[ -f tests/fuzz/$target.dict ]] && dict=("-dict=tests/fuzz/$target.dict")
  [[ $target == cli_fuzzer && -f tests/fuzz/cli.dict ]] && dict=("-dict=tests/fuzz/cli.dict")
  echo "fuzz: $target for ${seconds} s" >&2
  if ! "$build_dir/tests/fuzz/$target" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=4096 \
      -max_len=8192 -print_final_stats=1 "${dict[@]}" \
      -artifact_prefix="$build_dir/artifacts/$target-" "$work" "tests/fuzz/corpus/${target%_fuzzer}"; then
    echo "fuzz: $target FAILED (artifact in $build_dir/artifacts/)" >&2
    status=1
  fi
done
exit $status
