#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Configures and builds infozoo in build/ (Debian's LibTorch) or build-torch2/ (--torch pip: the
# LibTorch 2.x inside PyPI's torch wheel, installed on first use). Incremental after the first run.
# Usage: scripts/build.sh [--torch debian|pip] [extra cmake -D options...]
set -euo pipefail
cd "$(dirname "$0")/.."

torch=debian
if [[ ${1:-} == --torch ]]; then
  torch=$2
  shift 2
fi

bash scripts/install-deps.sh

cmake_args=(-G Ninja -DCMAKE_BUILD_TYPE=Release)
case $torch in
  debian) build_dir=build ;;
  pip)
    build_dir=build-torch2
    prefix=$(bash scripts/pip-torch.sh)
    cmake_args+=("-DCMAKE_PREFIX_PATH=$prefix")
    ;;
  *) echo "build.sh: --torch must be debian or pip, got '$torch'" >&2; exit 2 ;;
esac

cmake -S . -B "$build_dir" "${cmake_args[@]}" "$@" >&2
cmake --build "$build_dir" -j "$(nproc)" >&2
echo "$build_dir"
