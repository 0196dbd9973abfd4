# SPDX-License-Identifier: BSD-3-Clause
"""Expected values of the seed's numpy ManualMLP (section 3.2), for tests/manual_mlp_test.cpp:
initial weights after np.random.seed(s), and a short training run on small fixed data (stored
with the data, so the test needs no make_moons) with its log and final parameters; and one
backward step where some pre-activations z1 are exactly 0 (relu_at_zero.json), where the seed's
relu_grad `(z > 0)` is 0.
"""
import json

import numpy as np


class ManualMLP:
    """The seed's class, verbatim but for the log that train returns instead of printing."""

    def __init__(self, input_dim, hidden_dim, output_dim):
        self.W1 = np.random.randn(input_dim, hidden_dim) * np.sqrt(2.0/(input_dim+hidden_dim))
        self.b1 = np.zeros(hidden_dim)
        self.W2 = np.random.randn(hidden_dim, output_dim) * np.sqrt(2.0/(hidden_dim+output_dim))
        self.b2 = np.zeros(output_dim)

    def relu(self, z):
        return np.maximum(0, z)

    def relu_grad(self, z):
        return (z > 0).astype(float)

    def forward(self, X):
        self.X = X
        self.z1 = X @ self.W1 + self.b1
        self.a1 = self.relu(self.z1)
        self.z2 = self.a1 @ self.W2 + self.b2
        exp_z = np.exp(self.z2 - np.max(self.z2, axis=1, keepdims=True))
        self.probs = exp_z / np.sum(exp_z, axis=1, keepdims=True)
        return self.probs

    def backward(self, y_onehot, lr=0.01):
        B = y_onehot.shape[0]
        delta2 = (self.probs - y_onehot) / B
        dW2 = self.a1.T @ delta2
        db2 = np.sum(delta2, axis=0)
        delta1 = (delta2 @ self.W2.T) * self.relu_grad(self.z1)
        dW1 = self.X.T @ delta1
        db1 = np.sum(delta1, axis=0)
        self.W2 -= lr * dW2
        self.b2 -= lr * db2
        self.W1 -= lr * dW1
        self.b1 -= lr * db1
        return {"dW1": dW1.tolist(), "db1": db1.tolist(), "dW2": dW2.tolist(), "db2": db2.tolist()}

    def train(self, X, y, epochs=1000, lr=0.01):
        log = []
        n_classes = len(np.unique(y))
        y_onehot = np.eye(n_classes)[y]
        for epoch in range(epochs):
            probs = self.forward(X)
            loss = -np.mean(np.sum(y_onehot * np.log(probs + 1e-10), axis=1))
            self.backward(y_onehot, lr)
            if epoch % 200 == 0:
                acc = np.mean(np.argmax(probs, axis=1) == y)
                log.append({"epoch": epoch, "loss": float(loss), "acc": float(acc)})
        return log


def params(net):
    return {"W1": net.W1.tolist(), "b1": net.b1.tolist(), "W2": net.W2.tolist(), "b2": net.b2.tolist()}


def generate(outdir):
    out = outdir / "manual_mlp"
    out.mkdir(parents=True, exist_ok=True)

    inits = []
    for seed, dims in [(42, (2, 32, 2)), (3, (3, 5, 4)), (2**32 - 1, (1, 1, 1))]:
        np.random.seed(seed)
        net = ManualMLP(*dims)
        inits.append({"seed": seed, "dims": list(dims), "params": params(net)})
    (out / "init.json").write_text(json.dumps(inits, indent=1) + "\n")

    # Three classes, three features: a small problem that still exercises every term.
    data = np.random.RandomState(7)
    X = data.randn(24, 3)
    y = (np.argmax(X @ data.randn(3, 3), axis=1)).astype(np.int64)
    np.random.seed(11)
    net = ManualMLP(3, 6, 3)
    initial = params(net)
    net.forward(X)
    first_grads = net.backward(np.eye(3)[y], lr=0.3)
    np.random.seed(11)
    net = ManualMLP(3, 6, 3)
    log = net.train(X, y, epochs=401, lr=0.3)
    (out / "train.json").write_text(json.dumps({
        "X": X.tolist(), "y": y.tolist(), "seed": 11, "dims": [3, 6, 3], "epochs": 401, "lr": 0.3,
        "initial": initial, "first_gradients": first_grads, "log": log, "final": params(net)},
        indent=1) + "\n")
    generate_relu_at_zero(out)


def generate_relu_at_zero(out):
    """One forward/backward of the seed's net on rows of which some are all zeros: with the seed's
    b1 = 0, z1 = 0 @ W1 + 0 is exactly 0 there for every hidden unit (and on no other row), so
    relu_grad(z1) = (z1 > 0) is 0 and those rows add nothing to db1 (nor to dW1, dW2: their X and
    a1 are 0). A `z >= 0` would add delta2 @ W2.T of those rows to db1."""
    data = np.random.RandomState(5)
    X = data.randn(10, 3)
    X[[1, 4, 5, 9]] = 0.0
    y = np.array([0, 1, 2, 1, 0, 2, 2, 1, 0, 1], dtype=np.int64)
    np.random.seed(13)
    net = ManualMLP(3, 5, 3)
    initial = params(net)
    assert not np.any(initial["b1"])
    net.forward(X)
    assert np.count_nonzero(net.z1 == 0) == 4 * 5 and not np.any(net.z1[[0, 2, 3, 6, 7, 8]] == 0)
    grads = net.backward(np.eye(3)[y], lr=0.1)
    (out / "relu_at_zero.json").write_text(json.dumps({
        "X": X.tolist(), "y": y.tolist(), "seed": 13, "dims": [3, 5, 3], "lr": 0.1,
        "zero_rows": [1, 4, 5, 9], "initial": initial, "gradients": grads, "after": params(net)},
        indent=1) + "\n")
