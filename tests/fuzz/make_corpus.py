# SPDX-License-Identifier: BSD-3-Clause
"""Writes the fuzzers' seed corpora (run with Debian's /usr/bin/python3: torch 1.13):

- corpus/state_dict_file/: whole files as torch.save writes them (the seed's MultiHeadAttention
  at d_model=4, n_heads=2; other dtypes and views; things that are not a state_dict; the legacy
  non-zip format; a truncated file; an empty one);
- corpus/state_dict_pickle/: the data.pkl of state_dicts whose storages all hold 16 bytes
  (state_dict_pickle_fuzzer wraps its input in an archive with such storages);
- corpus/cli/: command lines, arguments separated by NUL bytes;
- corpus/table_reader/: one options byte (bits 0-1: delimiter , ; tab space; bit 2:
  drop_missing; bit 3: target column "y") then a CSV or .npy file.

Usage: /usr/bin/python3 tests/fuzz/make_corpus.py
"""
import io
import os
import pickle
import zipfile

import torch

HERE = os.path.dirname(os.path.abspath(__file__))


def out(folder, name, data):
    path = os.path.join(HERE, "corpus", folder)
    os.makedirs(path, exist_ok=True)
    with open(os.path.join(path, name), "wb") as f:
        f.write(data)


def saved(obj, **kwargs):
    buf = io.BytesIO()
    torch.save(obj, buf, **kwargs)
    return buf.getvalue()


def mha_state_dict(d_model=4):
    torch.manual_seed(0)
    sd = {}
    for name in ["W_Q", "W_K", "W_V", "W_O"]:
        lin = torch.nn.Linear(d_model, d_model)
        sd[name + ".weight"] = lin.weight.detach()
        sd[name + ".bias"] = lin.bias.detach()
    return sd


def file_corpus():
    from collections import OrderedDict

    mha = OrderedDict(mha_state_dict())
    mha_bytes = saved(mha)
    out("state_dict_file", "mha_4_2.pt", mha_bytes)
    out("state_dict_file", "mha_4_2_truncated.pt", mha_bytes[: len(mha_bytes) // 2])
    base = torch.arange(12, dtype=torch.float64)
    out("state_dict_file", "mixed.pt", saved({
        "f64": base,
        "i64": torch.arange(3),
        "transposed": base.view(3, 4).t(),
        "shared": base[2:6],
        "empty": torch.empty(0, 3),
        "half": torch.ones(4, dtype=torch.float16),
        "bf16": torch.ones(2, dtype=torch.bfloat16),
        "bool": torch.tensor([True, False]),
        "param": torch.nn.Parameter(torch.ones(2)),
    }))
    out("state_dict_file", "tensor.pt", saved(torch.ones(3)))
    out("state_dict_file", "list.pt", saved([torch.ones(2), 3]))
    out("state_dict_file", "mixed_values.pt", saved({"a": torch.ones(2), "b": 3, "c": "x"}))
    out("state_dict_file", "legacy.pt", saved({"a": torch.ones(2)}, _use_new_zipfile_serialization=False))
    out("state_dict_file", "empty.pt", b"")
    out("state_dict_file", "not_a_zip.pt", b"PK\x03\x04 this is not really a zip archive")


def pickle_of(obj):
    with zipfile.ZipFile(io.BytesIO(saved(obj))) as z:
        name = next(n for n in z.namelist() if n.endswith("/data.pkl"))
        return z.read(name)


def pickle_corpus():
    from collections import OrderedDict

    # Every storage 16 bytes, the size of the harness's data/<key> records.
    f32 = torch.tensor([1.0, 2.0, 3.0, 4.0])
    out("state_dict_pickle", "float32.pkl", pickle_of(OrderedDict([("w", f32)])))
    sixteen = {
        "f32": torch.ones(4),
        "f64": torch.ones(2, dtype=torch.float64),
        "i64": torch.arange(2),
        "i32": torch.arange(4, dtype=torch.int32),
        "f16": torch.ones(8, dtype=torch.float16),
        "u8": torch.zeros(16, dtype=torch.uint8),
        "t": torch.ones(2, 2).t(),
    }
    out("state_dict_pickle", "dtypes.pkl", pickle_of(sixteen))
    shared = torch.arange(4, dtype=torch.float32)
    out("state_dict_pickle", "views.pkl", pickle_of({"all": shared, "tail": shared[2:], "row": shared.view(2, 2)[1]}))
    out("state_dict_pickle", "param.pkl", pickle_of({"p": torch.nn.Parameter(torch.ones(4))}))
    out("state_dict_pickle", "list.pkl", pickle_of([torch.ones(4), 1, 2.5, "s", None, True, (1, 2)]))
    out("state_dict_pickle", "empty_dict.pkl", pickle_of({}))
    # Regressions: a corrupt element count (2^40, -5) that was allocated before the record's size
    # was checked, and a size or offset beyond the storage that set_ silently grew the storage for.
    base = pickle_of(OrderedDict([("w", f32)]))
    numel_at = base.index(b"X\x03\x00\x00\x00cpu") + 8 + 2  # BINUNICODE 'cpu', BINPUT, then K 4
    assert base[numel_at:numel_at + 2] == b"K\x04"
    long1 = lambda v, n: b"\x8a" + bytes([n]) + (v & (2 ** (8 * n) - 1)).to_bytes(n, "little")
    out("state_dict_pickle", "regress_huge_numel.pkl", base[:numel_at] + long1(1 << 40, 6) + base[numel_at + 2:])
    out("state_dict_pickle", "regress_negative_numel.pkl", base[:numel_at] + long1(-5, 8) + base[numel_at + 2:])
    size_at = numel_at + 2 + 4  # TUPLE, BINPUT 8, BINPERSID; then K 0 (offset), K 4 (size)
    assert base[size_at:size_at + 4] == b"K\x00K\x04"
    out("state_dict_pickle", "regress_size_beyond_storage.pkl", base[:size_at + 2] + long1(1 << 33, 5) + base[size_at + 4:])
    out("state_dict_pickle", "regress_negative_offset.pkl", base[:size_at] + long1(-3, 8) + base[size_at + 2:])
    # A list appended to itself through the memo: the reference cycle leaked while the unpickler
    # counted references (LeakSanitizer sees this one; a dict holding itself it did not report).
    cycle = []
    cycle.append(cycle)
    out("state_dict_pickle", "regress_self_reference.pkl", pickle.dumps({"list": cycle}, protocol=2))


def cli_corpus():
    lines = {
        "mi": ["mi", "--samples", "50", "--seed", "7", "--json"],
        "info_gain": ["info-gain"],
        "temperature": ["temperature", "--json"],
        "softmax": ["softmax", "--device", "cpu"],
        "jacobian": ["jacobian", "--json"],
        "mlp": ["mlp", "--samples", "40", "--epochs", "3", "--seed", "1"],
        "attention": ["attention", "--seed", "3"],
        "mha": ["mha", "--json"],
        "posenc": ["posenc", "--out", "p.png"],
        "calculus": ["calculus"],
        "feature_select": ["feature-select", "--samples", "60", "--json"],
        "mi_hist": ["mi-hist", "--samples", "100", "--bins", "5"],
        "infonce": ["infonce", "--seed", "0"],
        "diffusion": ["diffusion", "--steps", "10", "--beta-start", "1e-3", "--beta-end", "0.5"],
        "all": ["all", "--json"],
        "help": ["mi", "--help"],
        "bad": ["diffusion", "--steps", "1"],
    }
    for name, args in lines.items():
        out("cli", name, b"\0".join(a.encode() for a in args))


def npy_bytes(array, fortran=False):
    import numpy as np

    buffer = io.BytesIO()
    np.save(buffer, np.asfortranarray(array) if fortran else array)
    return buffer.getvalue()


def table_corpus():
    import numpy as np

    csvs = {
        "plain": (0, "x,y\n1,0\n2.5,1\n-3e2,0\n"),
        "target": (8, "a,y,b\n1,0,x\n2,1,y\n3,0,x\n"),
        "quoted": (0, 'name,"note, with comma",y\n"a ""q""",1,0\n"line\nbreak",2,1\n'),
        "crlf_bom": (0, "\ufeffx,y\r\n1,0\r\n2,1\r\n"),
        "semicolon_missing": (5, "x;y\n1;NA\n;1\n3;0\n"),
        "tab": (2, "x\ty\n1\t0\n2\t1\n"),
        "ragged": (0, "x,y\n1\n2,1,3\n"),
        "text_then_number": (8, "c,y\nred,0\n7,1\n"),
    }
    for name, (flags, text) in csvs.items():
        out("table_reader", name, bytes([flags]) + text.encode())
    out("table_reader", "npy_f8", bytes([0]) + npy_bytes(np.arange(6.0).reshape(3, 2)))
    out("table_reader", "npy_i4_fortran",
        bytes([0]) + npy_bytes(np.arange(6, dtype=">i4").reshape(2, 3), fortran=True))
    out("table_reader", "npy_bool", bytes([0]) + npy_bytes(np.array([[True, False]])))


if __name__ == "__main__":
    file_corpus()
    pickle_corpus()
    cli_corpus()
    table_corpus()
