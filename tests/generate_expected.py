#!/usr/bin/python3
"""Regenerates the expected values under tests/expected/ from the Python reference.

Run with Debian's interpreter (python3-torch 1.13, python3-sklearn 1.2.1, python3-numpy):
    /usr/bin/python3 tests/generate_expected.py [--reference ../shared/reference/reference.py]

- tests/expected/reference/<section>__<case>.json: reference.py's JSON for one section and one
  set of arguments, with the arguments, for tests/parity_test.cpp to replay through the CLI.
- Every module in tests/generators/ with a generate(outdir) function writes its own files
  (numpy random streams, scikit-learn estimators on edge cases, ...).
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
    ("attention", "default", []),
    ("attention", "seed0", ["--seed", "0"]),
    ("mha", "default", []),
    ("mha", "seed1", ["--seed", "1"]),
    ("posenc", "default", []),
    ("feature-select", "default", []),
    ("feature-select", "seed5_n600", ["--seed", "5", "--samples", "600"]),
    ("mi-hist", "default", []),
    ("mi-hist", "seed1_n20000_b17", ["--seed", "1", "--samples", "20000", "--bins", "17"]),
    ("infonce", "default", []),
    ("infonce", "seed123", ["--seed", "123"]),
    ("diffusion", "default", []),
    ("diffusion", "steps500", ["--steps", "500", "--beta-start", "2e-4", "--beta-end", "0.03"]),
    ("diffusion", "steps10", ["--steps", "10", "--beta-start", "0.001", "--beta-end", "0.2"]),
]


def write_json(path, value):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value, indent=1) + "\n")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--reference", default=str(DEFAULT_REFERENCE))
    p.add_argument("--only", help="regenerate only this section's reference cases or generator")
    a = p.parse_args()
    outdir = HERE / "expected"

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
