#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Regenerates the README's picture gallery in docs/: every picture `infozoo all --out-dir` draws
# (one <subcommand>.png each), plus contrastive.png and ddpm.png, which `all` does not run (ddpm
# takes about a minute on one core; skipped with --quick).
#   scripts/gallery.sh [BUILD_DIR] [--quick]
set -eu
build=${1:-build}
quick=${2:-}
infozoo="$build/apps/infozoo"
[ -x "$infozoo" ] || { echo "gallery: no $infozoo; build first" >&2; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$infozoo" --device cpu all --out-dir "$out" >/dev/null
"$infozoo" --device cpu contrastive --out "$out/contrastive.png" >/dev/null
[ "$quick" = "--quick" ] || "$infozoo" --device cpu ddpm --out "$out/ddpm.png" >/dev/null
for png in "$out"/*.png; do
  cp "$png" docs/
  echo "gallery: docs/$(basename "$png")"
done
