#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Assembles .devkit/ for the GPU machine the `device` tool lends (PyTorch 2.x with CUDA, CMake and
# ninja, but no apt and no network): this Debian machine's fmt, CLI11, nlohmann_json, GoogleTest,
# Google Benchmark and libcsv, copied under .devkit/prefix with their CMake packages, and the seed's
# reference.py (the benchmark peers) with its expected/*.json. Carry ".devkit" with the tree and run
# scripts/device-build.sh there. .devkit/ is in .gitignore.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh

kit=.devkit
rm -rf "$kit"
mkdir -p "$kit/prefix"
packages=(libfmt-dev libfmt9 libcli11-dev nlohmann-json3-dev libgtest-dev libgmock-dev libbenchmark-dev
          libbenchmark1debian libcsv-dev libcsv3)
for pkg in "${packages[@]}"; do
  # Headers, libraries and CMake packages; no sources, docs or pkg-config files.
  dpkg -L "$pkg" | grep -E '^/usr/(include|lib|share/cmake)/' | while read -r path; do
    [[ -f $path || -L $path ]] || continue
    mkdir -p "$kit/prefix/$(dirname "${path#/usr/}")"
    cp -P "$path" "$kit/prefix/${path#/usr/}"
  done
done
reference=../shared/reference
if [[ -d $reference ]]; then
  cp "$reference/reference.py" "$kit/reference.py"
  cp -r "$reference/expected" "$kit/expected"
fi
du -sh "$kit"
