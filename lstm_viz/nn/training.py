"""Training: losses, Adam, gradient-norm clipping, a sequence model with heads, a train loop.

Numpy only (layer 1 of the design). Every function works on plain arrays and on dicts of
arrays keyed by parameter name, so the same optimiser trains the recurrent layer, the
embedding and the output layer together.

Losses return ``(loss, gradient)`` so a backward pass can start from them:

    softmax cross-entropy   L = -1/N Σ_n log softmax(z_n)[y_n],   ∂L/∂z_n = (softmax(z_n) - onehot(y_n)) / N
    mean squared error      L = 1/N Σ_n (p_n - y_n)²,            ∂L/∂p_n = 2 (p_n - y_n) / N

``SequenceModel`` puts an optional embedding in front of a recurrent layer (``lstm_viz.LSTM``,
``GRU`` or ``RNN``) and a linear head behind it, and back-propagates through all three with
the layer's own ``forward``/``backward``; ``train`` runs seeded, stoppable Adam steps on a task
from :mod:`lstm_viz.data.tasks`.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping, MutableMapping

import numpy as np

__all__ = [
    "log_softmax",
    "softmax",
    "softmax_cross_entropy",
    "mse_loss",
    "global_norm",
    "clip_grad_norm",
    "Adam",
    "SequenceModel",
    "TrainConfig",
    "TrainResult",
    "train",
    "evaluate",
]


# ----------------------------------------------------------------------------- losses


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


# ----------------------------------------------------------------------------- clipping


def global_norm(grads: Mapping[str, np.ndarray] | Iterable[np.ndarray]) -> float:
    """‖g‖ = sqrt(Σ_p ‖g_p‖²) over every array (the 'global norm' of Pascanu et al. 2013)."""
    arrays = grads.values() if isinstance(grads, Mapping) else grads
    total = 0.0
    for g in arrays:
        g = np.asarray(g).ravel()
        total += float(np.dot(g, g))
    return math.sqrt(total)


def clip_grad_norm(grads: MutableMapping[str, np.ndarray], max_norm: float) -> float:
    """Scale every gradient in place by min(1, max_norm / ‖g‖); return the norm before clipping.

    Same rule as torch.nn.utils.clip_grad_norm_ (with its 1e-6 guard): the direction is kept,
    only the length is capped. A non-finite norm leaves the gradients untouched (the caller
    decides what to do; the train loop skips such a step).
    """
    if max_norm <= 0:
        raise ValueError("max_norm must be positive")
    norm = global_norm(grads)
    if math.isfinite(norm) and norm > max_norm:
        scale = max_norm / (norm + 1e-6)
        for g in grads.values():
            g *= scale
    return norm


# ----------------------------------------------------------------------------- Adam


class Adam:
    """Adam (Kingma & Ba 2015) over a dict of numpy arrays, updated in place.

        m_t = β1 m_{t-1} + (1-β1) g_t
        v_t = β2 v_{t-1} + (1-β2) g_t²
        m̂_t = m_t / (1-β1^t),  v̂_t = v_t / (1-β2^t)
        θ_t = θ_{t-1} - lr · m̂_t / (sqrt(v̂_t) + ε)

    ``params`` maps names to the arrays being trained (the optimiser keeps references and
    writes into them); ``step(grads)`` takes gradients under the same names. Names missing
    from ``grads`` are left alone for that step.
    """

    def __init__(
        self,
        params: Mapping[str, np.ndarray],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
    ):
        if lr <= 0:
            raise ValueError("learning rate must be positive")
        if not (0.0 <= betas[0] < 1.0 and 0.0 <= betas[1] < 1.0):
            raise ValueError("betas must be in [0, 1)")
        for name, p in params.items():
            if not isinstance(p, np.ndarray) or not np.issubdtype(p.dtype, np.floating):
                raise ValueError(f"parameter {name!r} must be a floating point numpy array")
            if not p.flags.writeable:
                raise ValueError(f"parameter {name!r} is read-only; Adam updates in place")
        self.params = dict(params)
        self.lr = float(lr)
        self.beta1, self.beta2 = float(betas[0]), float(betas[1])
        self.eps = float(eps)
        self.t = 0
        self.m = {name: np.zeros_like(p) for name, p in self.params.items()}
        self.v = {name: np.zeros_like(p) for name, p in self.params.items()}
        self._scratch: dict[str, np.ndarray] = {}

    def step(self, grads: Mapping[str, np.ndarray]) -> None:
        self.t += 1
        bias1 = 1.0 - self.beta1**self.t
        bias2_sqrt = math.sqrt(1.0 - self.beta2**self.t)
        step_size = self.lr / bias1
        for name, p in self.params.items():
            g = grads.get(name)
            if g is None:
                continue
            if g.shape != p.shape:
                raise ValueError(f"gradient {name!r} has shape {g.shape}, parameter has {p.shape}")
            m, v = self.m[name], self.v[name]
            scratch = self._scratch.get(name)
            if scratch is None:
                scratch = self._scratch[name] = np.empty_like(p)
            # m = β1 m + (1-β1) g ;  v = β2 v + (1-β2) g²   (in place, one scratch buffer, no temporaries)
            np.multiply(g, 1.0 - self.beta1, out=scratch)
            m *= self.beta1
            m += scratch
            np.multiply(g, g, out=scratch)
            scratch *= 1.0 - self.beta2
            v *= self.beta2
            v += scratch
            # θ -= lr/(1-β1^t) · m / (sqrt(v)/sqrt(1-β2^t) + ε)   (the same rounding order as torch.optim.Adam)
            np.sqrt(v, out=scratch)
            scratch /= bias2_sqrt
            scratch += self.eps
            np.divide(m, scratch, out=scratch)
            scratch *= step_size
            p -= scratch


# ----------------------------------------------------------------------------- sequence model

RNN_PARAM_NAMES = ("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0")


def _make_rnn(kind: str, input_size: int, hidden_size: int, seed: int, dtype, forget_bias: float):
    from . import layers as models

    if kind == "lstm":
        return models.LSTM(input_size, hidden_size, seed=seed, dtype=dtype, forget_bias=forget_bias)
    if kind == "gru":
        return models.GRU(input_size, hidden_size, seed=seed, dtype=dtype)
    if kind == "rnn":
        return models.RNN(input_size, hidden_size, seed=seed, dtype=dtype)
    raise ValueError(f"kind must be 'lstm', 'gru' or 'rnn', got {kind!r}")


class SequenceModel:
    """Embedding (optional) → recurrent layer → linear head, trained together.

    Inputs are either float features ``x`` (T, B, I) or token ids (T, B) looked up in an
    embedding ``E`` (V, D):  e_t = E[id_t].  The recurrent layer gives h_t (T, B, H); the head
    reads the last step (``head="last"``: y = W h_{T-1} + b, (B, O)) or every step
    (``head="every"``: y_t = W h_t + b, (T, B, O)). For ``objective="classification"`` y are
    logits trained with softmax cross-entropy; for ``"regression"`` y is the prediction itself
    (identity output) trained with mean squared error.

    Backward, with δ = ∂L/∂y from the loss:
        ∂L/∂W = Σ δ hᵀ,  ∂L/∂b = Σ δ,  ∂L/∂h = δ W   (zero at every step but T-1 for head="last")
        then the recurrent layer's BPTT gives ∂L/∂θ_rnn and ∂L/∂e_t, and ∂L/∂E[v] = Σ_{t: id_t = v} ∂L/∂e_t.

    ``params`` maps names to the arrays being trained (``embedding``, ``w_out``, ``b_out`` and
    the layer's four torch-named views): an optimiser updating them in place updates ``rnn``.
    """

    def __init__(
        self,
        kind: str,
        hidden_size: int,
        output_size: int,
        *,
        input_size: int | None = None,
        vocab_size: int | None = None,
        embed_size: int | None = None,
        head: str = "last",
        objective: str = "classification",
        seed: int = 0,
        dtype=np.float64,
        forget_bias: float = 1.0,
    ):
        if (input_size is None) == (vocab_size is None):
            raise ValueError("give exactly one of input_size (float features) or vocab_size (token ids)")
        if head not in ("last", "every"):
            raise ValueError("head must be 'last' or 'every'")
        if objective not in ("classification", "regression"):
            raise ValueError("objective must be 'classification' or 'regression'")
        if hidden_size < 1 or output_size < 1:
            raise ValueError("hidden_size and output_size must be positive")
        self.kind = kind
        self.head = head
        self.objective = objective
        self.dtype = np.dtype(dtype)
        self.hidden_size = int(hidden_size)
        self.output_size = int(output_size)
        self.forget_bias = float(forget_bias)
        rng = np.random.default_rng([int(seed), 1])  # head/embedding stream, independent of the layer's
        if vocab_size is not None:
            self.vocab_size = int(vocab_size)
            self.embed_size = int(embed_size or min(32, max(4, self.vocab_size)))
            rnn_input = self.embed_size
            self.embedding = rng.normal(0.0, 1.0, (self.vocab_size, self.embed_size)).astype(self.dtype)  # (V, D)
        else:
            self.vocab_size = None
            self.embed_size = None
            rnn_input = int(input_size)
            self.embedding = None
        self.input_size = rnn_input
        self.rnn = _make_rnn(kind, rnn_input, self.hidden_size, int(seed), self.dtype, self.forget_bias)
        bound = 1.0 / math.sqrt(self.hidden_size)
        self.w_out = rng.uniform(-bound, bound, (self.output_size, self.hidden_size)).astype(self.dtype)  # (O, H)
        self.b_out = np.zeros(self.output_size, dtype=self.dtype)  # (O,)
        self._bind_rnn_params()

    # -- parameters -----------------------------------------------------------
    def _bind_rnn_params(self) -> None:
        """The layer's live torch-layout views (writes through them change the layer), trained in place."""
        self._rnn_params = self.rnn.parameters()  # name -> writable view, e.g. "weight_hh_l0" (G*H, H)
        for name in RNN_PARAM_NAMES:
            view = self._rnn_params[name]
            if not (isinstance(view, np.ndarray) and view.flags.writeable and view.dtype == self.dtype):
                raise TypeError(f"the recurrent layer's {name} is not a writable {self.dtype} view")

    @property
    def params(self) -> dict[str, np.ndarray]:
        out = dict(self._rnn_params)
        if self.embedding is not None:
            out["embedding"] = self.embedding
        out["w_out"] = self.w_out
        out["b_out"] = self.b_out
        return out

    def num_parameters(self) -> int:
        return int(sum(p.size for p in self.params.values()))

    # -- forward / backward ---------------------------------------------------
    def rnn_inputs(self, inputs: np.ndarray) -> np.ndarray:
        """Token ids (T,[B]) -> embedding rows (T,[B],D); float features (T,[B],I) -> cast to the model dtype."""
        inputs = np.asarray(inputs)
        if self.embedding is not None:
            if not np.issubdtype(inputs.dtype, np.integer):
                raise ValueError("this model reads token ids (integers)")
            if inputs.size and (inputs.min() < 0 or inputs.max() >= self.vocab_size):
                raise ValueError(f"token ids must be in [0, {self.vocab_size})")
            return self.embedding[inputs]  # (T, [B], D)
        if inputs.ndim not in (2, 3) or inputs.shape[-1] != self.input_size:
            raise ValueError(f"inputs must be (T, I) or (T, B, I) with I = {self.input_size}")
        return inputs.astype(self.dtype, copy=False)

    def forward(self, inputs: np.ndarray):
        """inputs (T, B, I) floats or (T, B) ids -> (outputs, cache); outputs (B, O) or (T, B, O)."""
        x = self.rnn_inputs(inputs)  # (T, B, I)
        trace = self.rnn.forward(x)
        h = trace.h  # (T, B, H)
        states = h[-1] if self.head == "last" else h  # (B, H) or (T, B, H)
        outputs = states @ self.w_out.T + self.b_out  # (B, O) or (T, B, O)
        return outputs, (inputs, trace, states)

    def backward(self, cache, doutputs: np.ndarray) -> dict[str, np.ndarray]:
        """Gradients of every parameter from ∂L/∂outputs (shape of the outputs)."""
        inputs, trace, states = cache
        H, O = self.hidden_size, self.output_size
        grads: dict[str, np.ndarray] = {}
        grads["w_out"] = doutputs.reshape(-1, O).T @ states.reshape(-1, H)  # (O, H)
        grads["b_out"] = doutputs.reshape(-1, O).sum(axis=0)  # (O,)
        dstates = doutputs @ self.w_out  # (B, H) or (T, B, H)
        if self.head == "last":
            dh = np.zeros_like(trace.h)  # (T, B, H)
            dh[-1] = dstates
        else:
            dh = dstates
        rnn_grads = self.rnn.backward(trace, dh)
        for name in RNN_PARAM_NAMES:
            grads[name] = np.asarray(rnn_grads[name], dtype=self.dtype)
        if self.embedding is not None:
            dx = np.asarray(rnn_grads["x"]).reshape(-1, self.embed_size)  # (T*B, D)
            dembedding = np.zeros_like(self.embedding)  # (V, D)
            np.add.at(dembedding, np.asarray(inputs).reshape(-1), dx)
            grads["embedding"] = dembedding
        return grads

    def loss(self, outputs: np.ndarray, targets: np.ndarray) -> tuple[float, np.ndarray]:
        """Softmax cross-entropy (classification; targets are class ids) or MSE (regression)."""
        if self.objective == "classification":
            return softmax_cross_entropy(outputs, targets)
        return mse_loss(outputs, targets)

    def loss_and_grads(self, inputs: np.ndarray, targets: np.ndarray) -> tuple[float, np.ndarray, dict[str, np.ndarray]]:
        outputs, cache = self.forward(inputs)
        loss, doutputs = self.loss(outputs, targets)
        return loss, outputs, self.backward(cache, doutputs)

    def predict(self, inputs: np.ndarray) -> np.ndarray:
        """Class probabilities (classification) or predictions (regression); inputs batched."""
        outputs, _ = self.forward(inputs)
        return softmax(outputs) if self.objective == "classification" else outputs


# ----------------------------------------------------------------------------- train loop


@dataclass
class TrainConfig:
    steps: int = 1000
    batch_size: int = 32
    lr: float = 1e-2
    clip_norm: float | None = 1.0  # None: no clipping
    seed: int = 0  # seeds the data stream (the model carries its own seed)
    log_every: int = 10  # call the callback every log_every steps (and at the last step)
    max_seconds: float | None = None  # stop early after this much wall time


@dataclass
class TrainResult:
    losses: np.ndarray  # (steps_done,) training loss per step
    metrics: np.ndarray  # (steps_done,) task metric on the training batch per step
    grad_norms: np.ndarray  # (steps_done,) global gradient norm before clipping
    seconds: float
    stopped: str | None = None  # None, "callback", "time" or "diverged"

    @property
    def steps(self) -> int:
        return int(self.losses.size)


def model_for_task(task, kind: str, hidden_size: int, *, seed: int = 0, forget_bias: float = 1.0, dtype=np.float64, embed_size: int | None = None) -> SequenceModel:
    """A SequenceModel shaped for ``task`` (float inputs + regression head, or embedding + classifier)."""
    if task.kind == "regression":
        return SequenceModel(kind, hidden_size, task.output_size, input_size=task.input_size, objective="regression",
                             seed=seed, dtype=dtype, forget_bias=forget_bias)
    return SequenceModel(kind, hidden_size, task.output_size, vocab_size=task.vocab_size, embed_size=embed_size,
                         objective="classification", seed=seed, dtype=dtype, forget_bias=forget_bias)


def train(
    model: SequenceModel,
    task,
    config: TrainConfig,
    callback: Callable[[int, float, float], bool | None] | None = None,
    history: dict[str, list] | None = None,
) -> TrainResult:
    """Adam on fresh seeded batches of ``task``; same model seed + config -> bit-identical losses.

    ``callback(step, loss, metric)`` runs every ``log_every`` steps (step counts from 1); returning
    False stops training. A non-finite loss or gradient stops with ``stopped="diverged"`` before
    the parameters are touched. ``history``, if given, gets lists "loss", "metric", "grad_norm"
    that grow step by step (so a caller interrupted mid-run still has the curves so far).
    """
    if config.steps < 0 or config.batch_size < 1:
        raise ValueError("steps must be >= 0 and batch_size >= 1")
    rng = np.random.default_rng(config.seed)
    optimizer = Adam(model.params, lr=config.lr)
    history = {} if history is None else history
    losses = history.setdefault("loss", [])
    metrics = history.setdefault("metric", [])
    norms = history.setdefault("grad_norm", [])
    stopped = None
    start = time.perf_counter()
    for step in range(1, config.steps + 1):
        batch = task.batch(config.batch_size, rng)
        with np.errstate(over="ignore", invalid="ignore"):
            outputs, cache = model.forward(batch.x)
            loss, doutputs = model.loss(outputs, batch.y)
            finite = math.isfinite(loss) and bool(np.isfinite(doutputs).all())
            if finite:
                grads = model.backward(cache, doutputs)
                norm = global_norm(grads)
                finite = math.isfinite(norm)
        if not finite:
            stopped = "diverged"
            break
        if config.clip_norm is not None:
            clip_grad_norm(grads, config.clip_norm)
        optimizer.step(grads)
        metric = task.metric(outputs, batch.y)
        losses.append(loss)
        metrics.append(metric)
        norms.append(norm)
        if callback is not None and (step % max(1, config.log_every) == 0 or step == config.steps):
            if callback(step, loss, metric) is False:
                stopped = "callback"
                break
        if config.max_seconds is not None and time.perf_counter() - start > config.max_seconds:
            stopped = "time"
            break
    return TrainResult(np.array(losses), np.array(metrics), np.array(norms), time.perf_counter() - start, stopped)


def evaluate(model: SequenceModel, task, batch_size: int = 512, seed: int = 12345) -> tuple[float, float]:
    """(loss, metric) on one fresh batch drawn with ``seed`` (separate from the training stream)."""
    batch = task.batch(batch_size, np.random.default_rng(seed))
    with np.errstate(over="ignore", invalid="ignore"):
        outputs, _ = model.forward(batch.x)
        loss, _ = model.loss(outputs, batch.y)
    return loss, task.metric(outputs, batch.y)
