"""Small array helpers shared by the cells: dtype checks, torch-free conversion, a stable σ.

    σ(a) = 1 / (1 + e^{-a}) = 0.5·tanh(a/2) + 0.5      (the second form never overflows)
"""

from __future__ import annotations

from typing import Any

import numpy as np

SUPPORTED_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


def as_dtype(dtype: Any) -> np.dtype:
    """float32 or float64 as a numpy dtype; ValueError for anything else."""
    try:
        resolved = np.dtype(dtype)
    except TypeError as error:
        raise ValueError(f"dtype must be float32 or float64, got {dtype!r}") from error
    if resolved not in SUPPORTED_DTYPES:
        raise ValueError(f"dtype must be float32 or float64, got {resolved}")
    return resolved


def to_numpy(value: Any) -> np.ndarray:
    """A numpy array from a numpy array, a list or a torch tensor (without importing torch)."""
    if hasattr(value, "detach") and hasattr(value, "cpu"):
        value = value.detach().cpu()
        if hasattr(value, "double") and str(getattr(value, "dtype", "")) in ("torch.bfloat16", "torch.float16"):
            value = value.double()
        value = value.numpy()
    return np.asarray(value)


def finite_array(value: Any, name: str, dtype: np.dtype) -> np.ndarray:
    """``value`` as a finite array of ``dtype``; ValueError naming ``name`` otherwise."""
    array = to_numpy(value)
    if array.dtype.kind not in "biuf":
        raise ValueError(f"{name} must be a real numeric array, got dtype {array.dtype}")
    if not np.isfinite(array).all():
        raise ValueError(f"{name} contains NaN or infinite values")
    with np.errstate(over="ignore"):  # e.g. 1e300 into float32: reported below, not warned
        converted = np.asarray(array, dtype=dtype)
    if not np.isfinite(converted).all():
        raise ValueError(f"{name} has values too large for {dtype} (max {np.finfo(dtype).max:.3g})")
    return converted


def sigmoid(a: np.ndarray) -> np.ndarray:
    """σ(a) = 0.5·tanh(a/2) + 0.5: equal to 1/(1+e^{-a}), without overflow for any a."""
    return 0.5 * np.tanh(0.5 * a) + 0.5
