#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# On the GPU machine the `device` tool lends (PyTorch 2.x with CUDA; no apt, no network): builds
# infozoo, its tests and its benchmarks against that PyTorch's LibTorch in build-device/, with the
# other dependencies from .devkit/ (made here by scripts/device-kit.sh and carried along).
# Usage: scripts/device-build.sh [extra cmake -D options...]
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -d .devkit/prefix ]]; then
  echo "device-build.sh: .devkit/prefix is missing: run scripts/device-kit.sh here and carry .devkit" >&2
  exit 2
fi
torch_prefix=$(python3 -c 'import torch.utils; print(torch.utils.cmake_prefix_path)')
cmake -S . -B build-device -G Ninja -DCMAKE_BUILD_TYPE=Release "-DCMAKE_PREFIX_PATH=$torch_prefix;$PWD/.devkit/prefix" \
  -DINFOZOO_BUILD_BENCHMARKS=ON -DINFOZOO_WITH_PLPLOT=OFF "$@"
cmake --build build-device -j "$(nproc)"
