#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Builds the API reference (Doxygen, docs/Doxyfile) into build-docs/html/ and fails on any
# warning: an undocumented public declaration, a broken \ref, bad markup. Needs no build of the
# library: build-docs/include/infozoo/version.h is generated here from CMakeLists.txt's
# project(infozoo VERSION ...) and cmake/version.h.in, as CMake's configure_file(@ONLY) would.
# Installs Debian's doxygen when it is missing (apt-get as root, or through sudo).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v doxygen >/dev/null; then
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then
    SUDO="sudo"
  fi
  echo "docs: installing doxygen" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends doxygen >&2
fi

version=$(sed -n 's/^project(infozoo VERSION \([0-9]*\.[0-9]*\.[0-9]*\).*/\1/p' CMakeLists.txt)
if [[ ! $version =~ ^([0-9]+)\.([0-9]+)\.([0-9]+)$ ]]; then
  echo "docs: no 'project(infozoo VERSION X.Y.Z' line in CMakeLists.txt" >&2
  exit 1
fi

rm -rf build-docs/html build-docs/warnings.log
mkdir -p build-docs/include/infozoo
sed -e "s/@PROJECT_VERSION@/${version}/g" \
    -e "s/@PROJECT_VERSION_MAJOR@/${BASH_REMATCH[1]}/g" \
    -e "s/@PROJECT_VERSION_MINOR@/${BASH_REMATCH[2]}/g" \
    -e "s/@PROJECT_VERSION_PATCH@/${BASH_REMATCH[3]}/g" \
    cmake/version.h.in > build-docs/include/infozoo/version.h

export INFOZOO_VERSION=$version
status=0
doxygen docs/Doxyfile || status=$?
warnings=0
if [[ -s build-docs/warnings.log ]]; then
  cat build-docs/warnings.log >&2
  warnings=$(grep -cE ': (warning|error): ' build-docs/warnings.log || true)
fi
if ((status != 0 || warnings != 0)); then
  echo "docs: doxygen failed (exit ${status}, ${warnings} warning(s) above); every public" \
    "declaration needs a /// comment, every \\ref a target" >&2
  exit 1
fi
echo "docs: API reference of infozoo ${version} in build-docs/html/index.html, no warnings"
