"""Unit-level analysis of traced activations: ordering, selection, saturation.

Numpy only. Every function takes per-step activations ``values`` of shape (T, H)
(time along axis 0, hidden units along axis 1) and returns plain arrays, so the
pages stay thin and the same helpers work in a notebook.

Orders (a permutation of unit indices, first row shown on top):

* ``"index"``     units 0, 1, ..., H-1
* ``"mean"``      by the mean activation over time, largest first
* ``"variance"``  by the variance over time, largest first
* ``"cluster"``   leaf order of an average-linkage agglomerative clustering on the
                  correlation distance  d(a, b) = 1 - corr(v_a, v_b)  so units that
                  move together sit next to each other.

Saturation (Karpathy, Johnson & Fei-Fei 2015, "Visualizing and understanding
recurrent networks"): for a gate with values in (0, 1), a unit is *left saturated*
at step t when g_t < 0.1 and *right saturated* when g_t > 0.9; the scatter plots the
fraction of steps spent in each regime, one point per unit.
"""

from __future__ import annotations

import numpy as np

ORDERS = ("index", "mean", "variance", "cluster")
#: above this many units the clustering switches from agglomerative (O(H^3)) to a
#: greedy nearest-neighbour chain (O(H^2)).
AGGLOMERATIVE_MAX_UNITS = 400


def _as_2d(values: np.ndarray) -> np.ndarray:
    values = np.asarray(values, dtype=np.float64)
    if values.ndim != 2:
        raise ValueError(f"expected activations of shape (T, H), got shape {values.shape}")
    return values


def correlation_distance(values: np.ndarray) -> np.ndarray:
    """Pairwise ``1 - corr`` between the columns (units) of ``values`` (T, H) -> (H, H).

    A constant unit has no defined correlation; it gets correlation 0 with every
    other unit (distance 1) and distance 0 to itself. No warnings, no NaNs.
    """
    values = _as_2d(values)
    centered = values - values.mean(axis=0, keepdims=True)  # (T, H)
    norms = np.sqrt((centered * centered).sum(axis=0))  # (H,)
    scale = np.max(np.abs(values)) if values.size else 0.0
    constant = norms <= 1e-12 * max(1.0, scale) * np.sqrt(max(values.shape[0], 1))
    safe_norms = np.where(constant, 1.0, norms)
    unit_vectors = np.where(constant, 0.0, centered / safe_norms)  # (T, H)
    corr = np.clip(unit_vectors.T @ unit_vectors, -1.0, 1.0)  # (H, H)
    distance = 1.0 - corr
    np.fill_diagonal(distance, 0.0)
    return distance


def _greedy_chain_order(distance: np.ndarray) -> np.ndarray:
    """Nearest-neighbour chain: start at unit 0, repeatedly walk to the closest unvisited unit."""
    n = distance.shape[0]
    visited = np.zeros(n, dtype=bool)
    order = np.empty(n, dtype=np.int64)
    current = 0
    for position in range(n):
        order[position] = current
        visited[current] = True
        if position == n - 1:
            break
        candidates = np.where(visited, np.inf, distance[current])
        current = int(np.argmin(candidates))
    return order


def _agglomerative_order(distance: np.ndarray) -> np.ndarray:
    """Leaf order of average-linkage agglomerative clustering.

    Repeatedly merges the two closest clusters A, B (ties: lowest indices) and updates
    the distance to every other cluster C with the size-weighted average
    d(A∪B, C) = (|A| d(A, C) + |B| d(B, C)) / (|A| + |B|).
    The merged leaf list is A's leaves then B's, flipped if that puts the closer ends
    together, which gives a readable, deterministic order.
    """
    n = distance.shape[0]
    work = distance.astype(np.float64).copy()
    np.fill_diagonal(work, np.inf)
    sizes = np.ones(n, dtype=np.int64)
    members: list[list[int] | None] = [[unit] for unit in range(n)]
    active = np.ones(n, dtype=bool)
    for _ in range(n - 1):
        flat = int(np.argmin(work))
        a, b = divmod(flat, n)
        if a > b:
            a, b = b, a
        left, right = members[a], members[b]
        assert left is not None and right is not None
        # orient so the two ends that touch are the closest pair of end leaves
        end_pairs = {
            (False, False): distance[left[-1], right[0]],
            (True, False): distance[left[0], right[0]],
            (False, True): distance[left[-1], right[-1]],
            (True, True): distance[left[0], right[-1]],
        }
        flip_left, flip_right = min(end_pairs, key=lambda key: (end_pairs[key], key))
        merged = (left[::-1] if flip_left else left) + (right[::-1] if flip_right else right)
        new_row = (sizes[a] * work[a] + sizes[b] * work[b]) / (sizes[a] + sizes[b])  # (n,)
        work[a, :] = new_row
        work[:, a] = new_row
        work[a, a] = np.inf
        work[b, :] = np.inf
        work[:, b] = np.inf
        sizes[a] += sizes[b]
        members[a], members[b] = merged, None
        active[b] = False
    root = int(np.flatnonzero(active)[0])
    return np.asarray(members[root], dtype=np.int64)


def cluster_order(values: np.ndarray) -> np.ndarray:
    """Permutation (H,) that places correlated units next to each other (see module doc)."""
    values = _as_2d(values)
    n_units = values.shape[1]
    if n_units <= 2:
        return np.arange(n_units, dtype=np.int64)
    distance = correlation_distance(values)
    if n_units > AGGLOMERATIVE_MAX_UNITS:
        return _greedy_chain_order(distance)
    return _agglomerative_order(distance)


def unit_order(values: np.ndarray, method: str = "index") -> np.ndarray:
    """Permutation of the columns of ``values`` (T, H) for display, see :data:`ORDERS`.

    Sorted orders are stable (ties keep the lower unit index first) and descending.
    """
    values = _as_2d(values)
    n_units = values.shape[1]
    if method == "index":
        return np.arange(n_units, dtype=np.int64)
    if method == "mean":
        return np.argsort(-values.mean(axis=0), kind="stable").astype(np.int64)
    if method == "variance":
        return np.argsort(-values.var(axis=0), kind="stable").astype(np.int64)
    if method == "cluster":
        return cluster_order(values)
    raise ValueError(f"unknown unit order {method!r}; choose one of {ORDERS}")


def top_k_units(values: np.ndarray, k: int) -> np.ndarray:
    """The ``k`` units with the largest variance over time (T, H) -> (k,), by unit index."""
    values = _as_2d(values)
    k = int(np.clip(k, 1, values.shape[1]))
    ranked = np.argsort(-values.var(axis=0), kind="stable")[:k]
    return np.sort(ranked).astype(np.int64)


def saturation_fractions(gate: np.ndarray, low: float = 0.1, high: float = 0.9) -> tuple[np.ndarray, np.ndarray]:
    """Per unit, the fraction of steps with ``gate < low`` and with ``gate > high``.

    gate: (T, H) values in (0, 1)  ->  (left_saturated (H,), right_saturated (H,)).
    """
    gate = _as_2d(gate)
    steps = max(gate.shape[0], 1)
    return (gate < low).sum(axis=0) / steps, (gate > high).sum(axis=0) / steps
