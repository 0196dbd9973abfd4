# SPDX-License-Identifier: BSD-3-Clause
"""Independent values of the multivariate k-NN estimators, for tests/ksg_test.cpp.

Small seeded datasets (1x1, 2x2, 3x2 and X, Y, Z for conditional MI), each stored in full, with:
- `own`: a short KSG of this file (scipy's cKDTree for the joint k nearest neighbours, numpy
  broadcasting for the marginal counts) written from the papers: KSG algorithms 1 and 2 (Kraskov
  et al. 2004), Frenzel-Pompe conditional MI (algorithm 1) and its algorithm-2 form as JIDT's
  ConditionalMutualInfoCalculatorMultiVariateKraskov2, Kozachenko-Leonenko entropy (max-norm);
- `ennemi`: ennemi 1.5.0 with preprocess=False (it adds no noise then). estimate_mi takes one
  column of x and y (a 2-D x is one estimate per column), so the multivariate cases call its
  _estimate_single_mi and _estimate_conditional_mi, which column-stack. ennemi counts the marginal neighbours within eps - 1e-12 (not strictly inside
  eps) and replaces digamma by the asymptotic series ln x - 1/2x - 1/12x^2 + 1/120x^4 - 1/252x^6,
  whose error at x = 2 is 1.6e-5: `ennemi` is its own number, `ennemi_exact_psi` the same run
  with scipy's digamma swapped in (the same counts, hence the textbook formula to rounding);
- `npeet`: NPEET (npeet-plus 0.2.0) mi / mi(z=...) / entropy with base e and its uniform 1e-10
  noise switched off (add_noise replaced by the identity); it counts within eps - 1e-15, <=;
- `sklearn`: for the 1x1 case, mutual_info_regression(x, y, random_state=s) for a few seeds
  (scaling and jitter on), which ksg_mutual_info(standardize, jitter_seed) must equal bit for bit.
The script checks that the peers' counting radii (eps - 1e-12, eps - 1e-15) give the same counts
as strictly inside eps on these data, so every number here is the same formula.

ennemi and NPEET live in a throwaway virtual environment (not Debian's interpreter); when this
module is run by tests/generate_expected.py under /usr/bin/python3 it re-runs itself there:
  /usr/bin/python3 -m venv --system-site-packages ~/.cache/infozoo/peers-venv
  ~/.cache/infozoo/peers-venv/bin/pip install "numpy<2" ennemi npeet-plus
(INFOZOO_PEERS_PYTHON names another interpreter).
"""
import json
import os
import pathlib
import subprocess
import sys

import numpy as np
from scipy.spatial import cKDTree
from scipy.special import digamma

PEERS_PYTHON = os.environ.get(
    "INFOZOO_PEERS_PYTHON", str(pathlib.Path.home() / ".cache/infozoo/peers-venv/bin/python"))


# ---- the textbook estimators -----------------------------------------------------------------

def _cheb(a):
    """Max-norm distances between all rows of a: [n, n]."""
    return np.max(np.abs(a[:, None, :] - a[None, :, :]), axis=2)


def _joint_knn(joint, k):
    """k nearest neighbours of every row (itself excluded) by cKDTree: distances, indices."""
    dist, idx = cKDTree(joint).query(joint, k=k + 1, p=np.inf)
    n = len(joint)
    nd, ni = np.empty((n, k)), np.empty((n, k), dtype=int)
    for i in range(n):
        keep = idx[i] != i
        nd[i], ni[i] = dist[i][keep][:k], idx[i][keep][:k]
    return nd, ni


def _extent(d, ni):
    """Largest marginal distance from each row to its joint neighbours."""
    return np.array([d[i, ni[i]].max() for i in range(len(d))])


def _strict_count(d, eps):
    return (d < eps[:, None]).sum(axis=1) - (0 < eps)  # minus the row itself (distance 0)


def _le_count(d, eps):
    return (d <= eps[:, None]).sum(axis=1) - 1


def ksg(x, y, k, algorithm):
    n = len(x)
    nd, ni = _joint_knn(np.hstack([x, y]), k)
    dx, dy = _cheb(x), _cheb(y)
    if algorithm == 1:
        eps = nd[:, -1]
        nx, ny = _strict_count(dx, eps), _strict_count(dy, eps)
        return digamma(k) + digamma(n) - np.mean(digamma(nx + 1)) - np.mean(digamma(ny + 1))
    nx, ny = _le_count(dx, _extent(dx, ni)), _le_count(dy, _extent(dy, ni))
    return digamma(k) - 1 / k + digamma(n) - np.mean(digamma(nx)) - np.mean(digamma(ny))


def cmi(x, y, z, k, algorithm):
    nd, ni = _joint_knn(np.hstack([x, y, z]), k)
    dx, dy, dz = _cheb(x), _cheb(y), _cheb(z)
    if algorithm == 1:
        eps = nd[:, -1]
        nxz = _strict_count(np.maximum(dx, dz), eps)
        nyz = _strict_count(np.maximum(dy, dz), eps)
        nz = _strict_count(dz, eps)
        return digamma(k) - np.mean(digamma(nxz + 1) + digamma(nyz + 1) - digamma(nz + 1))
    ex, ey, ez = _extent(dx, ni), _extent(dy, ni), _extent(dz, ni)
    in_z = dz <= ez[:, None]
    nz = in_z.sum(axis=1) - 1
    nxz = (in_z & (dx <= ex[:, None])).sum(axis=1) - 1
    nyz = (in_z & (dy <= ey[:, None])).sum(axis=1) - 1
    return (digamma(k) - 2 / k + np.mean(digamma(nz) - digamma(nxz) + 1 / nxz
                                         - digamma(nyz) + 1 / nyz))


def kl_entropy(x, k):
    n, d = x.shape
    eps = _joint_knn(x, k)[0][:, -1]
    return digamma(n) - digamma(k) + d * np.log(2) + d * np.mean(np.log(eps))


# ---- the peers ---------------------------------------------------------------------------------

def _check_peer_radii(x, y, z, k):
    """The peers count within eps - 1e-12 (ennemi) and eps - 1e-15 (NPEET): the same as < eps?"""
    blocks = [x, y] if z is None else [np.hstack([x, z]), np.hstack([y, z]), z]
    joint = np.hstack([x, y] + ([] if z is None else [z]))
    eps = _joint_knn(joint, k)[0][:, -1]
    for b in blocks:
        d = _cheb(b)
        strict = (d < eps[:, None]).sum(axis=1)
        for slack in (1e-12, 1e-15):
            assert np.array_equal(strict, (d <= (eps - slack)[:, None]).sum(axis=1)), slack


def peers(x, y, z, k):
    import ennemi
    import ennemi._entropy_estimators as ee
    import npeet_plus.estimators as npeet

    _check_peer_radii(x, y, z, k)
    out = {"ennemi": {}, "ennemi_exact_psi": {}, "npeet": {}}
    npeet.add_noise = lambda a, intens=1e-10: a  # NPEET's uniform noise off
    own_psi = ee._psi

    def exact_psi(v):
        v = np.asarray(v)
        return np.asarray(np.inf) if np.any(v == 0) else digamma(v.astype(np.float64))

    for key, psi in (("ennemi", own_psi), ("ennemi_exact_psi", exact_psi)):
        ee._psi = psi
        if z is None:
            if x.shape[1] == 1 and y.shape[1] == 1:
                v = ennemi.estimate_mi(y[:, 0], x[:, 0], k=k, preprocess=False)
                out[key]["mi"] = float(np.asarray(v).ravel()[0])
            else:
                out[key]["mi"] = float(ee._estimate_single_mi(x, y, k))
        elif x.shape[1] == 1 and y.shape[1] == 1:
            v = ennemi.estimate_mi(y[:, 0], x[:, 0], k=k, cond=z, preprocess=False)
            out[key]["cmi"] = float(np.asarray(v).ravel()[0])
        else:
            out[key]["cmi"] = float(ee._estimate_conditional_mi(x, y, z, k))
        out[key]["entropy_x"] = float(ee._estimate_single_entropy(x, k))
    ee._psi = own_psi
    if z is None:
        out["npeet"]["mi"] = float(npeet.mi(x, y, k=k, base=np.e))
    else:
        out["npeet"]["cmi"] = float(npeet.mi(x, y, z=z, k=k, base=np.e))
    out["npeet"]["entropy_x"] = float(npeet.entropy(x, k=k, base=np.e))
    return out


# ---- the datasets --------------------------------------------------------------------------------

def _datasets():
    rs = np.random.RandomState(14)
    out = []
    # 1x1 bivariate normal, rho = 0.6.
    n = 300
    x = rs.randn(n, 1)
    y = 0.6 * x + 0.8 * rs.randn(n, 1)
    out.append(("gauss_1x1", x, y, None))
    # 2x2: correlated normals through a random mixing matrix.
    n = 400
    xy = rs.randn(n, 4) @ rs.randn(4, 4)
    out.append(("gauss_2x2", xy[:, :2], xy[:, 2:], None))
    # 3x2: a nonlinear dependence on different scales.
    n = 250
    x = rs.randn(n, 3) * np.array([1.0, 3.0, 0.2])
    y = np.column_stack([np.sin(x[:, 0]) + 0.3 * rs.randn(n), x[:, 1] * x[:, 2] + 0.5 * rs.randn(n)])
    out.append(("nonlinear_3x2", x, y, None))
    # Conditional: X and Y both driven by Z (2-D) plus a direct link.
    n = 300
    z = rs.randn(n, 2)
    x = (z[:, 0] + 0.5 * rs.randn(n)).reshape(-1, 1)
    y = (z[:, 0] - z[:, 1] + 0.4 * x[:, 0] + 0.5 * rs.randn(n)).reshape(-1, 1)
    out.append(("cond_1x1_z2", x, y, z))
    # Conditional, 2-D X.
    n = 200
    z = rs.randn(n, 1)
    x = np.column_stack([z[:, 0] + rs.randn(n), rs.randn(n)])
    y = (x[:, 1] + z[:, 0] + 0.7 * rs.randn(n)).reshape(-1, 1)
    out.append(("cond_2x1_z1", x, y, z))
    return out


def compute(outdir):
    outdir = pathlib.Path(outdir) / "ksg"
    outdir.mkdir(parents=True, exist_ok=True)
    for name, x, y, z in _datasets():
        case = {"name": name, "x": x.tolist(), "y": y.tolist(),
                "z": None if z is None else z.tolist(), "k": {}}
        for k in (1, 3, 5):
            own = {"entropy_x": float(kl_entropy(x, k))}
            if z is None:
                own["ksg1"] = float(ksg(x, y, k, 1))
                own["ksg2"] = float(ksg(x, y, k, 2))
                own["entropy_xy"] = float(kl_entropy(np.hstack([x, y]), k))
            else:
                own["cmi1"] = float(cmi(x, y, z, k, 1))
                own["cmi2"] = float(cmi(x, y, z, k, 2))
            case["k"][str(k)] = {"own": own, **peers(x, y, z, k)}
        if x.shape[1] == 1 and y.shape[1] == 1 and z is None:
            from sklearn.feature_selection import mutual_info_regression
            case["sklearn"] = [
                {"seed": s, "k": k,
                 "mi": float(mutual_info_regression(x, y[:, 0], n_neighbors=k, random_state=s)[0])}
                for s in (0, 1, 7) for k in (2, 3, 6)]
        (outdir / f"{name}.json").write_text(json.dumps(case, indent=1) + "\n")


def generate(outdir):
    try:
        import ennemi  # noqa: F401
        import npeet_plus  # noqa: F401
    except ImportError:
        if not pathlib.Path(PEERS_PYTHON).exists():
            # Skipped, loudly, so that the other generators still run; the committed files stay.
            print(f"ksg_reference: SKIPPED, ennemi and NPEET are not installed; create {PEERS_PYTHON}"
                  " as this file's docstring says", file=sys.stderr)
            return
        subprocess.run([PEERS_PYTHON, __file__, str(outdir)], check=True)
        return
    compute(outdir)


if __name__ == "__main__":
    compute(sys.argv[1])
