# SPDX-License-Identifier: BSD-3-Clause
"""Independent values for tests/mi_tasks_test.cpp (datasets/src/mi_tasks.cpp), written to
tests/expected/mi_tasks.json:

- every task's true mutual information by a route other than the C++ closed form: numerical
  integration with scipy (the bivariate normal's and its normal-CDF image's density, the
  trapezoid density of X + N, the discrete-continuous mixture, the Student-t radial integral
  against the F distribution) or another closed form (the eigenvalues of the dense covariance, one
  -0.5 log(1 - r^2) per correlated pair); the transformed tasks keep the base's value (invariance),
  which the test checks as equality;
- the first rows of every task's sample(n, seed) drawn with numpy's RandomState in the order the
  header documents, so the C++ samplers are checked draw for draw;
- a Monte Carlo mean of log p(x, y) / (p(x) p(y)) over draws of that same sampler (scipy's
  densities; an image task's ratio is its base's at the inverse image), with its standard error:
  the samplers draw from the distributions whose MI the formulas give.

Run: /usr/bin/python3 tests/generators/mi_tasks_reference.py (or tests/generate_expected.py).
"""
import json
import math
import pathlib

import numpy as np
from scipy import integrate, linalg, special, stats

# How tight the integrals are asked to be: quad's and dblquad's own error estimates are reported
# next to each value (mi_tasks.json, "quad_error") and stay far below the test's 1e-9 tolerance.
EPSABS = 1e-13
EPSREL = 1e-12

SAMPLE_N = 7
SAMPLE_SEED = 3

# The Monte Carlo check: E[log p(x, y) - log p(x) - log p(y)] over MC_N samples drawn by the
# task's own sampler (the documented draws), so the draws are checked to come from the density
# whose MI the formula gives. Its standard error is stored with it.
MC_N = 200000
MC_SEED = 12345


def gaussian_mi_bivariate_integral(rho):
    """I = E[log p(x, y) / (p(x) p(y))] by 2-D integration of the bivariate normal density."""
    det = 1 - rho * rho

    def integrand(y, x):
        q = (x * x - 2 * rho * x * y + y * y) / det
        log_joint = -math.log(2 * math.pi) - 0.5 * math.log(det) - 0.5 * q
        log_marg = -math.log(2 * math.pi) - 0.5 * (x * x + y * y)
        return math.exp(log_joint) * (log_joint - log_marg)

    value, err = integrate.dblquad(integrand, -12, 12, -12, 12, epsabs=EPSABS, epsrel=EPSREL)
    return value, err


def gaussian_copula_mi_integral(rho):
    """The normal-CDF image's MI, integrated over the unit square: the Gaussian copula density
    c(u, v) with I = int c log c (a second route to the invariance)."""
    det = 1 - rho * rho

    def integrand(v, u):
        a, b = special.ndtri(u), special.ndtri(v)
        log_c = -0.5 * math.log(det) - (rho * rho * (a * a + b * b) - 2 * rho * a * b) / (2 * det)
        return math.exp(log_c) * log_c

    lo, hi = 1e-15, 1 - 1e-15
    value, err = integrate.dblquad(integrand, lo, hi, lo, hi, epsabs=1e-10, epsrel=1e-9)
    return value, err


def dense_mi_eigen(dx, dy, c):
    """0.5 (log det Sx + log det Sy - log det S) with each log det from the eigenvalues of
    (1 - c) I + c 1 1^T: (1 - c) with multiplicity k - 1 and 1 + (k - 1) c once."""

    def logdet(k):
        return (k - 1) * math.log(1 - c) + math.log(1 + (k - 1) * c)

    return 0.5 * (logdet(dx) + logdet(dy) - logdet(dx + dy))


def additive_uniform_mi_integral(eps):
    """h(X + N) - h(N), h(X + N) integrated over the trapezoid density of X + N."""

    def density(y):
        return max(0.0, min(1.0, y + eps) - max(0.0, y - eps)) / (2 * eps)

    def integrand(y):
        p = density(y)
        return -p * math.log(p) if p > 0 else 0.0

    points = sorted({-eps, eps, 1 - eps, 1 + eps})
    value, err = integrate.quad(integrand, -eps, 1 + eps, points=points, epsabs=EPSABS,
                                epsrel=EPSREL, limit=200)
    return value - math.log(2 * eps), err


def bernoulli_uniform_mi_integral(p):
    """h(Y) - h(Y | X) = h(Y) - log 2, h(Y) integrated over the mixture's density."""

    def density(y):
        d = 0.0
        if -1 <= y <= 1:
            d += p / 2  # P(X = 0) = p, U(-1, 1)
        if 0 <= y <= 2:
            d += (1 - p) / 2  # P(X = 1) = 1 - p, U(0, 2)
        return d

    def integrand(y):
        q = density(y)
        return -q * math.log(q) if q > 0 else 0.0

    value, err = integrate.quad(integrand, -1, 2, points=[0, 1], epsabs=EPSABS, epsrel=EPSREL)
    return value - math.log(2), err


def student_t_entropy_radial(k, dof):
    """h of a standard k-dimensional Student-t: log p(x) = c - (dof + k)/2 log(1 + |x|^2 / dof)
    and |x|^2 / k ~ F(k, dof), so h = -c + (dof + k)/2 E[log(1 + k F / dof)], the expectation
    integrated against scipy's F density."""
    c = (special.gammaln((dof + k) / 2) - special.gammaln(dof / 2)
         - 0.5 * k * math.log(dof * math.pi))
    f = stats.f(k, dof)

    def integrand(t):
        return f.pdf(t) * math.log1p(k * t / dof)

    e1, err1 = integrate.quad(integrand, 0, 1, epsabs=EPSABS, epsrel=EPSREL, limit=400)
    e2, err2 = integrate.quad(integrand, 1, np.inf, epsabs=EPSABS, epsrel=EPSREL, limit=400)
    return -c + 0.5 * (dof + k) * (e1 + e2), err1 + err2


def student_t_mi_radial(dx, dy, dof):
    hx, ex = student_t_entropy_radial(dx, dof)
    hy, ey = student_t_entropy_radial(dy, dof)
    hxy, exy = student_t_entropy_radial(dx + dy, dof)
    return hx + hy - hxy, ex + ey + exy


# ---- the samplers, in the draw order mi_tasks.h documents ----

def sample_gaussian(cov, dx, n, rs):
    z = rs.standard_normal((n, cov.shape[0]))
    xy = z @ np.linalg.cholesky(cov).T
    return xy[:, :dx], xy[:, dx:]


def dense_cov(d, c):
    cov = np.full((d, d), c)
    np.fill_diagonal(cov, 1.0)
    return cov


def pair_cov(dx, dy, pairs, c):
    cov = np.eye(dx + dy)
    for i in range(pairs):
        cov[i, dx + i] = cov[dx + i, i] = c
    return cov


def spiral(x, i, j, speed):
    """Czyż et al.'s x -> expm(speed |x|^2 A) x, A the (i, j) generator of so(d), with scipy's
    expm (the C++ rotates by cos and sin)."""
    d = x.shape[1]
    a = np.zeros((d, d))
    a[i, j], a[j, i] = -1.0, 1.0
    return np.stack([linalg.expm(a * (speed * (row @ row))) @ row for row in x])


def sample_student(dx, dy, dof, n, rs):
    z = rs.standard_normal((n, dx + dy))
    w = (rs.standard_normal((n, dof)) ** 2).sum(axis=1)
    xy = z / np.sqrt(w / dof)[:, None]
    return xy[:, :dx], xy[:, dx:]


def sample_additive_uniform(eps, n, rs):
    x = rs.random_sample((n, 1))
    return x, x + rs.uniform(-eps, eps, (n, 1))


def sample_bernoulli_uniform(p, n, rs):
    # scikit-learn's test_compute_mi_cd, verbatim but for the sizes.
    x = rs.uniform(size=n) > p
    y = np.empty(n)
    mask = x == 0
    y[mask] = rs.uniform(-1, 1, size=np.sum(mask))
    y[~mask] = rs.uniform(0, 2, size=np.sum(~mask))
    return x.astype(float)[:, None], y[:, None]


def gaussian_log_ratio(cov, dx):
    def f(x, y):
        joint = stats.multivariate_normal(np.zeros(cov.shape[0]), cov).logpdf(np.hstack([x, y]))
        px = stats.multivariate_normal(np.zeros(dx), cov[:dx, :dx]).logpdf(x)
        py = stats.multivariate_normal(np.zeros(cov.shape[0] - dx), cov[dx:, dx:]).logpdf(y)
        return joint - px - py
    return f


def student_log_ratio(d, dof):
    def logpdf(k, v):
        return stats.multivariate_t(np.zeros(k), np.eye(k), df=dof).logpdf(v)

    def f(x, y):
        return logpdf(2 * d, np.hstack([x, y])) - logpdf(d, x) - logpdf(d, y)
    return f


def additive_uniform_log_ratio(eps):
    def f(x, y):
        py = (np.minimum(1, y + eps) - np.maximum(0, y - eps)) / (2 * eps)
        return (np.log(1 / (2 * eps)) - np.log(py))[:, 0]
    return f


def bernoulli_uniform_log_ratio(p):
    def f(x, y):
        pyx = 0.5  # both conditionals are uniform on intervals of length 2
        py = np.where((y >= -1) & (y <= 1), p / 2, 0) + np.where((y >= 0) & (y <= 2), (1 - p) / 2, 0)
        return (np.log(pyx) - np.log(py))[:, 0]
    return f


def monte_carlo_mi(sampler, log_ratio):
    x, y = sampler(MC_N, np.random.RandomState(MC_SEED))
    v = log_ratio(x, y)
    return float(v.mean()), float(v.std(ddof=1) / math.sqrt(len(v)))


def tasks():
    """(name, dim_x, dim_y, (mi, integration error or 0), sampler(n, rs) -> (X, Y),
    log_ratio(x, y) -> log p(x, y) / (p(x) p(y)) per sample, or None)."""
    rho = 0.75
    cov2 = np.array([[1, rho], [rho, 1]])
    normal = lambda n, rs: sample_gaussian(cov2, 1, n, rs)
    base_ratio = gaussian_log_ratio(cov2, 1)
    # An image's log-ratio is the base's at the inverse image (the Jacobians cancel in the ratio).
    cdf_ratio = lambda x, y: base_ratio(special.ndtri(x), special.ndtri(y))
    uncube = lambda v: np.sign(v) * np.abs(v) ** (2 / 3)
    cube_ratio = lambda x, y: base_ratio(uncube(x), uncube(y))
    out = [
        ("normal-1x1", 1, 1, gaussian_mi_bivariate_integral(rho), normal, base_ratio),
        ("normal-cdf-1x1", 1, 1, gaussian_copula_mi_integral(rho),
         lambda n, rs: tuple(special.ndtr(v) for v in normal(n, rs)), cdf_ratio),
        ("half-cube-1x1", 1, 1, gaussian_mi_bivariate_integral(rho),
         lambda n, rs: tuple(v * np.sqrt(np.abs(v)) for v in normal(n, rs)), cube_ratio),
    ]

    def spiral_sampler(n, rs):
        x, y = sample_gaussian(pair_cov(3, 3, 2, 0.8), 3, n, rs)
        return spiral(x, 0, 1, 1 / 3), spiral(y, 1, 2, 1 / 3)

    def unspiral(v, i, j):
        # The rotation keeps the norm: rotate back by the same angle (cos and sin here).
        angle = -(v * v).sum(axis=1) / 3
        out = v.copy()
        out[:, i] = np.cos(angle) * v[:, i] - np.sin(angle) * v[:, j]
        out[:, j] = np.sin(angle) * v[:, i] + np.cos(angle) * v[:, j]
        return out

    pair3 = gaussian_log_ratio(pair_cov(3, 3, 2, 0.8), 3)
    out.append(("spiral-3x3", 3, 3, (-math.log(1 - 0.64), 0.0), spiral_sampler,
                lambda x, y: pair3(unspiral(x, 0, 1), unspiral(y, 1, 2))))
    for eps in (0.1, 0.75):
        out.append((f"uniform-noise-{eps:g}", 1, 1, additive_uniform_mi_integral(eps),
                    lambda n, rs, eps=eps: sample_additive_uniform(eps, n, rs),
                    additive_uniform_log_ratio(eps)))
    for d in (2, 3, 5, 25):
        out.append((f"dense-{d}x{d}", d, d, (dense_mi_eigen(d, d, 0.5), 0.0),
                    lambda n, rs, d=d: sample_gaussian(dense_cov(2 * d, 0.5), d, n, rs),
                    gaussian_log_ratio(dense_cov(2 * d, 0.5), d)))
    for d in (2, 5, 25):
        out.append((f"2-pair-{d}x{d}", d, d, (-math.log(1 - 0.64), 0.0),
                    lambda n, rs, d=d: sample_gaussian(pair_cov(d, d, 2, 0.8), d, n, rs),
                    gaussian_log_ratio(pair_cov(d, d, 2, 0.8), d)))
    for d in (1, 2):
        for dof in (1, 2):
            out.append((f"student-t-{d}x{d}-dof{dof}", d, d, student_t_mi_radial(d, d, dof),
                        lambda n, rs, d=d, dof=dof: sample_student(d, d, dof, n, rs),
                        student_log_ratio(d, dof)))
    out.append(("discrete-continuous", 1, 1, bernoulli_uniform_mi_integral(0.3),
                lambda n, rs: sample_bernoulli_uniform(0.3, n, rs), bernoulli_uniform_log_ratio(0.3)))
    return out


def generate(outdir):
    # Cross-checks of the second routes against numpy's LU log-determinants (a third route).
    for d in (2, 3, 5, 25):
        cov = dense_cov(2 * d, 0.5)
        ld = lambda m: np.linalg.slogdet(m)[1]
        lu = 0.5 * (ld(cov[:d, :d]) + ld(cov[d:, d:]) - ld(cov))
        assert abs(lu - dense_mi_eigen(d, d, 0.5)) < 1e-12, (d, lu)
    entries = []
    for name, dx, dy, (mi, err), sampler, log_ratio in tasks():
        x, y = sampler(SAMPLE_N, np.random.RandomState(SAMPLE_SEED))
        assert x.shape == (SAMPLE_N, dx) and y.shape == (SAMPLE_N, dy), name
        mc, mc_se = monte_carlo_mi(sampler, log_ratio)
        assert abs(mc - mi) < 5 * mc_se, (name, mi, mc, mc_se)
        entries.append({"name": name, "dim_x": dx, "dim_y": dy, "true_mi": mi,
                        "quad_error": err, "monte_carlo_mi": mc, "monte_carlo_se": mc_se,
                        "X": x.tolist(), "Y": y.tolist()})
    doc = {"sample_n": SAMPLE_N, "sample_seed": SAMPLE_SEED, "monte_carlo_n": MC_N,
           "monte_carlo_seed": MC_SEED, "tasks": entries}
    path = pathlib.Path(outdir) / "mi_tasks.json"
    path.write_text(json.dumps(doc, indent=1) + "\n")


if __name__ == "__main__":
    generate(pathlib.Path(__file__).resolve().parent.parent / "expected")
