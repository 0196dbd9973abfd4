#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Regenerates the expected values under tests/expected/ from the Python reference.

Run with Debian's interpreter (python3-torch 1.13, python3-sklearn 1.2.1, python3-numpy):
    /usr/bin/python3 tests/generate_expected.py [--reference ../shared/reference/reference.py]

- tests/expected/reference/<section>__<case>.json: reference.py's JSON for one section and one
  set of arguments, with the arguments, for tests/parity_test.cpp to replay through the CLI.
- Every module in tests/generators/ with a generate(outdir) function writes its own files
  (numpy random streams, scikit-learn estimators on edge cases, ...).
- tests/expected/provenance.json: what this run used (Python, numpy, torch, scikit-learn, BLAS,
  the SIMD extensions numpy dispatches to on this processor). numpy's vectorised sin, cos, exp and
  log follow the processor (AVX-512 has its own loops), so values regenerated on another machine
  can differ in the last bits; tests/expected/PROVENANCE.md says which build made the committed
  ones.
The tests read these files only; they never need Python.
"""
import argparse
import importlib.util
import json
import pathlib
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
DEFAULT_REFERENCE = HERE.parent.parent / "shared" / "reference" / "reference.py"

# (section, case name, arguments): the defaults, and other arguments for every option.
REFERENCE_CASES = [
    ("mi", "default", []),
    ("mi", "seed7_n500", ["--seed", "7", "--samples", "500"]),
    ("info-gain", "default", []),
    ("temperature", "default", []),
    ("softmax", "default", []),
    ("jacobian", "default", []),
    ("mlp", "default", []),
    ("mlp", "seed3_n200_e401", ["--seed", "3", "--samples", "200", "--epochs", "401"]),
    ("mlp", "n40000_e20", ["--samples", "40000", "--epochs", "20"]),
    ("attention", "default", []),
    ("attention", "seed0", ["--seed", "0"]),
    ("mha", "default", []),
    ("mha", "seed1", ["--seed", "1"]),
    ("posenc", "default", []),
    ("feature-select", "default", []),
    ("feature-select", "seed5_n600", ["--seed", "5", "--samples", "600"]),
    ("mi-hist", "default", []),
    ("mi-hist", "seed1_n20000_b17", ["--seed", "1", "--samples", "20000", "--bins", "17"]),
    # Above ATen's grain size (32768), where a sum split between threads once followed the count.
    ("mi-hist", "n100000", ["--samples", "100000"]),
    ("infonce", "default", []),
    ("infonce", "seed123", ["--seed", "123"]),
    ("diffusion", "default", []),
    ("diffusion", "steps500", ["--steps", "500", "--beta-start", "2e-4", "--beta-end", "0.03"]),
    ("diffusion", "steps10", ["--steps", "10", "--beta-start", "0.001", "--beta-end", "0.2"]),
]


def write_json(path, value):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value, indent=1) + "\n")


def provenance():
    """The versions and the processor's SIMD level (as numpy dispatches) of this run."""
    import platform

    import numpy
    import sklearn
    import torch
    from numpy.core._multiarray_umath import __cpu_baseline__, __cpu_dispatch__, __cpu_features__

    blas = None
    try:
        blas = str(pathlib.Path("/usr/lib/x86_64-linux-gnu/libblas.so.3").resolve())
    except OSError:
        pass
    return {
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "torch": torch.__version__,
        "sklearn": sklearn.__version__,
        "machine": platform.machine(),
        "libblas.so.3": blas,
        "numpy_cpu_baseline": list(__cpu_baseline__),
        "numpy_cpu_dispatch_built": list(__cpu_dispatch__),
        "numpy_cpu_dispatch_active": [f for f in __cpu_dispatch__ if __cpu_features__.get(f)],
        "avx512f": bool(__cpu_features__.get("AVX512F")),
    }


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--reference", default=str(DEFAULT_REFERENCE))
    p.add_argument("--only", help="regenerate only this section's reference cases or generator")
    a = p.parse_args()
    outdir = HERE / "expected"
    write_json(outdir / "provenance.json", provenance())

    for section, case, args in REFERENCE_CASES:
        if a.only and a.only != section:
            continue
        out = subprocess.run([sys.executable, a.reference, section, *args], check=True,
                             capture_output=True, text=True).stdout
        write_json(outdir / "reference" / f"{section}__{case}.json",
                   {"section": section, "args": args, "output": json.loads(out)})
        print(f"reference {section} {case}")

    for module_path in sorted((HERE / "generators").glob("*.py")):
        if a.only and a.only != module_path.stem:
            continue
        spec = importlib.util.spec_from_file_location(module_path.stem, module_path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.generate(outdir)
        print(f"generator {module_path.stem}")


if __name__ == "__main__":
    main()
