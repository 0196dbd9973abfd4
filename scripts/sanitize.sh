#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The whole CTest suite under AddressSanitizer + UndefinedBehaviorSanitizer, in build-asan/
# (Debian's LibTorch 1.13; only infozoo's own code is instrumented, see cmake/InfozooSanitizers.cmake).
# Any ASan, UBSan or LeakSanitizer report fails its test. Incremental after the first run.
# Usage: scripts/sanitize.sh [ctest arguments, e.g. -R parity]
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh

build_dir=build-asan
# No install/find_package test here: a consumer project would have to link the sanitizer
# runtimes too, and the plain build already checks the installed package.
# -O1, as the ASan documentation advises: GCC takes minutes at -O3 on the large table-driven tests
# once every access is instrumented, and -O1 keeps the reports' stacks exact.
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_FLAGS_RELEASE=-O1 -DNDEBUG" \
  -DINFOZOO_SANITIZE=address,undefined -DINFOZOO_INSTALL=OFF >&2
cmake --build "$build_dir" -j "$(nproc)" >&2

# LibTorch allocates process-lifetime singletons (operator registry, thread pools) it never frees;
# LeakSanitizer reports those unless told which stacks they come from. Everything else leaks loudly.
supp=$PWD/tests/sanitizers
export ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1:abort_on_error=0"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:suppressions=$supp/ubsan.supp"
export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
ctest --test-dir "$build_dir" --output-on-failure -j "$(nproc)" "$@"
