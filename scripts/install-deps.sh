#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Installs the Debian 12 packages infozoo needs, only those missing (cheap to re-run).
# Runs apt-get as root, or through sudo.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  libtorch-dev libopenblas0-openmp   # LibTorch 1.13.1 (CPU) on OpenBLAS, ~30x Debian's reference BLAS
  libgloo-dev                        # Gloo headers for LibTorch's c10d ProcessGroupGloo (distributed InfoNCE)
  libfmt-dev libcli11-dev nlohmann-json3-dev
  libcsv-dev                         # RFC 4180 CSV parser (streaming) for io::read_csv
  libgtest-dev libbenchmark-dev
  libplplot-dev plplot-driver-cairo  # PNG plots
  libpng-dev                         # tests: decode the pictures to check they are not blank
  clang-format-14 doxygen            # CI: formatting check and the API reference (scripts/docs.sh)
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
if ((${#missing[@]} == 0)); then
  exit 0
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then
  SUDO="sudo"
fi
echo "infozoo: installing ${missing[*]}" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
