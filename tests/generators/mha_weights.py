# SPDX-License-Identifier: BSD-3-Clause
"""State_dict files written by Python's torch.save, for tests/state_dict_test.cpp:

- mha_weights/state_dict.pt: the seed's MultiHeadAttention(512, 8) (section 4.2) built after
  torch.manual_seed(7), saved with torch.save(m.state_dict(), path);
- mha_weights/reference_seed<S>.json: reference.py's `mha` experiment with the module's
  parameters replaced, right after construction, by that file (`infozoo mha --weights FILE`);
- mha_weights/mixed.pt and mixed.json: a state_dict of other dtypes and layouts (float64, int64,
  a transposed view, two tensors sharing one storage, an empty tensor) with its values.
"""
import json

import torch


class MultiHeadAttention(torch.nn.Module):
    """The seed's class, verbatim (reference.py defines it inside its mha experiment)."""

    def __init__(self, d_model=512, n_heads=8):
        super().__init__()
        assert d_model % n_heads == 0
        self.d_model = d_model
        self.n_heads = n_heads
        self.dk = d_model // n_heads
        self.W_Q = torch.nn.Linear(d_model, d_model)
        self.W_K = torch.nn.Linear(d_model, d_model)
        self.W_V = torch.nn.Linear(d_model, d_model)
        self.W_O = torch.nn.Linear(d_model, d_model)

    def forward(self, Q, K, V, mask=None):
        B = Q.size(0)
        Q = self.W_Q(Q).view(B, -1, self.n_heads, self.dk).transpose(1, 2)
        K = self.W_K(K).view(B, -1, self.n_heads, self.dk).transpose(1, 2)
        V = self.W_V(V).view(B, -1, self.n_heads, self.dk).transpose(1, 2)
        dk = Q.size(-1)
        scores = torch.matmul(Q, K.transpose(-2, -1)) / (dk ** 0.5)
        if mask is not None:
            scores = scores.masked_fill(mask == 0, float('-inf'))
        out = torch.matmul(torch.nn.functional.softmax(scores, dim=-1), V)
        out = out.transpose(1, 2).contiguous().view(B, -1, self.d_model)
        return self.W_O(out)


def mha_with_weights(seed, path):
    """reference.py's mha(a) with m's parameters replaced right after construction."""
    torch.manual_seed(seed)
    m = MultiHeadAttention(d_model=512, n_heads=8)
    m.load_state_dict(torch.load(path))
    x = torch.randn(2, 10, 512)
    output = m(x, x, x)
    return {"output_shape": list(output.shape), "output_sum": float(output.sum()),
            "output_first": output[0, 0, :4].tolist(),
            "state_dict_keys": list(m.state_dict().keys())}


def generate(outdir):
    out = outdir / "mha_weights"
    out.mkdir(parents=True, exist_ok=True)

    torch.manual_seed(7)
    path = out / "state_dict.pt"
    torch.save(MultiHeadAttention(d_model=512, n_heads=8).state_dict(), path)
    for seed in (42, 3):
        args = ["--seed", str(seed), "--weights", "mha_weights/state_dict.pt"]
        (out / f"reference_seed{seed}.json").write_text(json.dumps(
            {"args": args, "output": mha_with_weights(seed, path)}, indent=1) + "\n")

    torch.manual_seed(1)
    shared = torch.arange(12, dtype=torch.float32)
    mixed = {
        "double": torch.randn(3, 2, dtype=torch.float64),
        "long": torch.tensor([-(2 ** 40), -1, 0, 7], dtype=torch.int64),
        "transposed": torch.randn(2, 3).t(),
        "shared_a": shared[:6].view(2, 3),
        "shared_b": shared[6:],
        "empty": torch.zeros(0, 4),
    }
    torch.save(mixed, out / "mixed.pt")
    (out / "mixed.json").write_text(json.dumps(
        {k: {"shape": list(v.shape), "dtype": str(v.dtype).replace("torch.", ""),
             "values": v.flatten().tolist()} for k, v in mixed.items()}, indent=1) + "\n")
