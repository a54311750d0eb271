"""Losses, each returning ``(loss, gradient)`` so a backward pass can start from them.

    softmax cross-entropy   L = -1/N Σ_n log softmax(z_n)[y_n],    ∂L/∂z_n = (softmax(z_n) - onehot(y_n)) / N
    mean squared error      L = 1/N Σ_n (p_n - y_n)²,             ∂L/∂p_n = 2 (p_n - y_n) / N
    binary cross-entropy    L = -1/N Σ_n [y_n log σ(z_n) + (1 - y_n) log(1 - σ(z_n))],   ∂L/∂z_n = (σ(z_n) - y_n) / N
"""

from __future__ import annotations

import numpy as np

from .arrays import sigmoid

__all__ = ["log_softmax", "softmax", "softmax_cross_entropy", "mse_loss", "binary_cross_entropy"]


def log_softmax(logits: np.ndarray, axis: int = -1) -> np.ndarray:
    """log softmax(z)_k = z_k - m - log Σ_j exp(z_j - m), m = max_j z_j (stable log-sum-exp)."""
    logits = np.asarray(logits)
    shifted = logits - np.max(logits, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def softmax(logits: np.ndarray, axis: int = -1) -> np.ndarray:
    """softmax(z)_k = exp(z_k - m) / Σ_j exp(z_j - m), m = max_j z_j."""
    logits = np.asarray(logits)
    shifted = np.exp(logits - np.max(logits, axis=axis, keepdims=True))
    return shifted / np.sum(shifted, axis=axis, keepdims=True)


def softmax_cross_entropy(
    logits: np.ndarray, targets: np.ndarray, mask: np.ndarray | None = None
) -> tuple[float, np.ndarray]:
    """Mean softmax cross-entropy and its gradient with respect to the logits.

    logits  (..., V) unnormalised scores
    targets (...)    integer class ids in [0, V)
    mask    (...)    optional 0/1 weights; the mean is over the positions with mask 1

    L = -1/N Σ_n m_n log softmax(z_n)[y_n],  N = Σ_n m_n
    ∂L/∂z_n = m_n (softmax(z_n) - onehot(y_n)) / N
    """
    logits = np.asarray(logits)
    targets = np.asarray(targets)
    if not np.issubdtype(logits.dtype, np.floating):
        raise ValueError("logits must be a floating point array")
    if targets.shape != logits.shape[:-1]:
        raise ValueError(f"targets shape {targets.shape} must equal logits shape without the last axis {logits.shape[:-1]}")
    vocab = logits.shape[-1]
    flat_logits = logits.reshape(-1, vocab)  # (N, V)
    flat_targets = targets.reshape(-1).astype(np.int64)  # (N,)
    if flat_targets.size and (flat_targets.min() < 0 or flat_targets.max() >= vocab):
        raise ValueError(f"targets must be class ids in [0, {vocab})")
    if mask is None:
        weights = np.ones(flat_targets.shape, dtype=logits.dtype)
    else:
        weights = np.asarray(mask, dtype=logits.dtype).reshape(-1)
        if weights.shape != flat_targets.shape:
            raise ValueError("mask must have the shape of targets")
    count = float(weights.sum())
    if count <= 0:
        raise ValueError("softmax_cross_entropy needs at least one position with mask 1")
    log_probs = log_softmax(flat_logits)  # (N, V)
    rows = np.arange(flat_targets.size)
    loss = float(-(weights * log_probs[rows, flat_targets]).sum() / count)
    dlogits = np.exp(log_probs)  # softmax, (N, V)
    dlogits[rows, flat_targets] -= 1.0
    dlogits *= (weights / count)[:, None]
    return loss, dlogits.reshape(logits.shape)


def mse_loss(prediction: np.ndarray, target: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean squared error over all elements and its gradient.

    L = 1/N Σ_n (p_n - y_n)²,   ∂L/∂p = 2 (p - y) / N
    """
    prediction = np.asarray(prediction)
    target = np.asarray(target, dtype=prediction.dtype)
    if prediction.shape != target.shape:
        raise ValueError(f"prediction shape {prediction.shape} != target shape {target.shape}")
    if prediction.size == 0:
        raise ValueError("mse_loss needs at least one element")
    diff = prediction - target
    loss = float(np.mean(diff * diff))
    return loss, (2.0 / diff.size) * diff


def binary_cross_entropy(logits: np.ndarray, targets: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean binary cross-entropy of σ(z) against 0/1 targets, and its gradient with respect to z.

    Computed from the logits without forming log σ: -log σ(z) = softplus(-z) = max(-z, 0) + log(1 + e^{-|z|}),
    so huge |z| neither overflows nor loses the loss.  ∂L/∂z = (σ(z) - y) / N.
    """
    logits = np.asarray(logits)
    targets = np.asarray(targets, dtype=logits.dtype)
    if not np.issubdtype(logits.dtype, np.floating):
        raise ValueError("logits must be a floating point array")
    if logits.shape != targets.shape:
        raise ValueError(f"logits shape {logits.shape} != targets shape {targets.shape}")
    if logits.size == 0:
        raise ValueError("binary_cross_entropy needs at least one element")
    if np.any((targets < 0) | (targets > 1)):
        raise ValueError("targets must be probabilities in [0, 1]")
    softplus_neg = np.maximum(-logits, 0.0) + np.log1p(np.exp(-np.abs(logits)))  # -log σ(z)
    loss = float(np.mean(softplus_neg + (1.0 - targets) * logits))  # -log(1 - σ(z)) = -log σ(z) + z
    return loss, (sigmoid(logits) - targets) / logits.size
