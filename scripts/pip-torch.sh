#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Prints the CMake prefix of a LibTorch 2.x from PyPI's torch wheel, installing the wheel into a
# cached virtual environment when no python3 on PATH already has torch >= 2.
set -euo pipefail

has_torch2() {
  "$1" -c 'import sys, torch; sys.exit(int(torch.__version__.split(".")[0]) < 2)' 2>/dev/null
}

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

python=python3
if ! has_torch2 "$python"; then
  venv=${INFOZOO_TORCH_VENV:-$HOME/.cache/infozoo/torch-venv}
  python=$venv/bin/python3
  if ! has_torch2 "$python"; then
    # Debian's python3 needs python3-venv (ensurepip) to create a virtual environment.
    if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
      as_root apt-get update -qq
      DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq python3 python3-venv >&2
    fi
    rm -rf "$venv"
    python3 -m venv "$venv" >&2
    "$python" -m pip install -q torch >&2
  fi
fi
"$python" -c 'import torch.utils; print(torch.utils.cmake_prefix_path)'
