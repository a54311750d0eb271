"""The one sequence model: embedding (optional) → recurrent layer → linear head, trained together.

Used by the long-lag tasks (Train page), the character language models (:mod:`lstm_viz.nn.charlm`) and the
classifiers; the recurrent layer's own fused ``forward`` / ``backward`` do the BPTT.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import numpy as np

from . import make_layer
from .losses import binary_cross_entropy, mse_loss, softmax, softmax_cross_entropy
from .arrays import sigmoid

__all__ = ["SequenceModel", "TokenNetwork", "OBJECTIVES", "UNK"]

#: the unknown-token entry every shipped text network's vocabulary has
UNK = "<unk>"

#: objective -> what the head's outputs are and the loss that trains them
OBJECTIVES = ("classification", "regression", "binary")


class SequenceModel:
    """Embedding (optional) → recurrent layer → linear head, trained together.

    Inputs are either float features ``x`` (T, B, I) or token ids (T, B) looked up in an
    embedding ``E`` (V, D):  e_t = E[id_t].  The recurrent layer gives h_t (T, B, H); the head
    reads the last step (``head="last"``: y = W h_{T-1} + b, (B, O)) or every step
    (``head="every"``: y_t = W h_t + b, (T, B, O)). For ``objective="classification"`` y are
    logits trained with softmax cross-entropy; for ``"regression"`` y is the prediction itself
    (identity output) trained with mean squared error; for ``"binary"`` (O = 1) y is one logit,
    p = σ(y), trained with binary cross-entropy.

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
        num_layers: int = 1,
        bidirectional: bool = False,
        peephole: bool = False,
    ):
        if (input_size is None) == (vocab_size is None):
            raise ValueError("give exactly one of input_size (float features) or vocab_size (token ids)")
        if head not in ("last", "every"):
            raise ValueError("head must be 'last' or 'every'")
        if objective not in OBJECTIVES:
            raise ValueError(f"objective must be one of {', '.join(OBJECTIVES)}")
        if objective == "binary" and output_size != 1:
            raise ValueError("a binary head has output_size 1 (one logit)")
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
        self.rnn = make_layer(kind, rnn_input, self.hidden_size, num_layers=num_layers, bidirectional=bidirectional,
                              seed=int(seed), dtype=self.dtype, forget_bias=self.forget_bias, peephole=peephole)
        width = self.rnn.output_size  # D·H: both directions' states feed the head
        bound = 1.0 / math.sqrt(self.hidden_size)
        self.w_out = rng.uniform(-bound, bound, (self.output_size, width)).astype(self.dtype)  # (O, D·H)
        self.b_out = np.zeros(self.output_size, dtype=self.dtype)  # (O,)
        self._bind_rnn_params()

    # -- parameters -----------------------------------------------------------
    def _bind_rnn_params(self) -> None:
        """The layer's live torch-layout views (writes through them change the layer), trained in place."""
        self._rnn_params = self.rnn.parameters()  # name -> writable view, e.g. "weight_hh_l0" (G*H, H)
        for name in self.rnn.param_names:
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

    def forward(self, inputs: np.ndarray, h0: np.ndarray | None = None, c0: np.ndarray | None = None):
        """inputs (T, [B], I) floats or (T, [B]) ids -> (outputs, cache); outputs ([B], O) or (T, [B], O).

        h0, c0 ([B], H) — (L·D, [B], H) for a stacked or bidirectional network: initial states (zeros if
        None; c0 only for an LSTM). The trace in the cache (``cache[1]``) holds every step, so
        ``cache[1].h[-1]`` is a one-layer network's final state for truncated BPTT.

        The "last" head reads each direction's final state: h_{T-1} of the forward direction and, when
        bidirectional, the reverse direction's state after it read the whole text (at position 0).
        """
        x = self.rnn_inputs(inputs)  # (T, [B], I)
        trace = self.rnn.forward(x, h0, c0) if self.kind == "lstm" else self.rnn.forward(x, h0)
        output = trace.output  # (T, [B], D·H)
        states = self._final_states(output) if self.head == "last" else output  # ([B], D·H) or (T, [B], D·H)
        outputs = states @ self.w_out.T + self.b_out  # ([B], O) or (T, [B], O)
        return outputs, (inputs, trace, states)

    def _final_states(self, output: np.ndarray) -> np.ndarray:
        """([B], D·H): [forward h_{T-1} | reverse h at position 0] (just h_{T-1} for one direction)."""
        hidden = self.hidden_size
        if self.rnn.num_directions == 1:
            return output[-1]
        return np.concatenate([output[-1, ..., :hidden], output[0, ..., hidden:]], axis=-1)

    def backward(self, cache, doutputs: np.ndarray) -> dict[str, np.ndarray]:
        """Gradients of every parameter from ∂L/∂outputs (shape of the outputs)."""
        inputs, trace, states = cache
        width, O = self.rnn.output_size, self.output_size
        grads: dict[str, np.ndarray] = {}
        grads["w_out"] = doutputs.reshape(-1, O).T @ states.reshape(-1, width)  # (O, D·H)
        grads["b_out"] = doutputs.reshape(-1, O).sum(axis=0)  # (O,)
        dstates = doutputs @ self.w_out  # ([B], D·H) or (T, [B], D·H)
        if self.head == "last":
            hidden = self.hidden_size
            dh = np.zeros_like(trace.output)  # (T, [B], D·H)
            dh[-1, ..., :hidden] = dstates[..., :hidden]
            if self.rnn.num_directions == 2:
                dh[0, ..., hidden:] = dstates[..., hidden:]
        else:
            dh = dstates
        rnn_grads = self.rnn.backward(trace, dh)
        for name in self.rnn.param_names:
            grads[name] = np.asarray(rnn_grads[name], dtype=self.dtype)
        if self.embedding is not None:
            dx = np.asarray(rnn_grads["x"]).reshape(-1, self.embed_size)  # (T*B, D)
            dembedding = np.zeros_like(self.embedding)  # (V, D)
            np.add.at(dembedding, np.asarray(inputs).reshape(-1), dx)
            grads["embedding"] = dembedding
        return grads

    def loss(self, outputs: np.ndarray, targets: np.ndarray) -> tuple[float, np.ndarray]:
        """Softmax cross-entropy (classification; targets are class ids), MSE (regression) or binary
        cross-entropy (binary; targets 0/1 of the outputs' shape)."""
        if self.objective == "classification":
            return softmax_cross_entropy(outputs, targets)
        if self.objective == "binary":
            return binary_cross_entropy(outputs, targets)
        return mse_loss(outputs, targets)

    def loss_and_grads(self, inputs: np.ndarray, targets: np.ndarray) -> tuple[float, np.ndarray, dict[str, np.ndarray]]:
        outputs, cache = self.forward(inputs)
        loss, doutputs = self.loss(outputs, targets)
        return loss, outputs, self.backward(cache, doutputs)

    def predict(self, inputs: np.ndarray) -> np.ndarray:
        """Class probabilities (classification), P(positive) (binary) or predictions (regression)."""
        outputs, _ = self.forward(inputs)
        if self.objective == "classification":
            return softmax(outputs)
        return sigmoid(outputs) if self.objective == "binary" else outputs


class TokenNetwork:
    """What the shipped text networks share (CharLM, SentimentClassifier): a vocabulary, a configuration with
    ``embed_size`` / ``hidden_size``, the :class:`SequenceModel` ``net`` trained in its own dtype, and the
    float64 copy ``net64`` that predictions and the pages read (its ``rnn`` is the network they visualise).

    A subclass sets ``vocab``, ``config``, ``dtype`` and builds ``net = self._build(dtype)``.
    """

    vocab: tuple[str, ...]
    net: SequenceModel
    _net64: SequenceModel | None = None

    def _build(self, dtype) -> SequenceModel:
        raise NotImplementedError

    @staticmethod
    def _with_unk(vocab) -> tuple[str, ...]:
        """The vocabulary as a tuple with <unk> (first when it was missing); ValueError for duplicates."""
        vocab = tuple(vocab)
        if UNK not in vocab:
            vocab = (UNK,) + vocab
        if len(set(vocab)) != len(vocab):
            raise ValueError("vocabulary has duplicate entries")
        return vocab

    @staticmethod
    def _read_npz(path_or_file, names, what: str) -> tuple[list[str], dict, dict[str, np.ndarray]]:
        """(vocabulary, metadata, arrays ``names``) of a file :meth:`_write_npz` wrote (``allow_pickle=False``)."""
        with np.load(path_or_file, allow_pickle=False) as data:
            missing = [k for k in ("vocab", "meta_json", *names) if k not in data.files]
            if missing:
                raise ValueError(f"not a {what} file: missing {missing}")
            meta = json.loads(str(data["meta_json"]))
            return [str(v) for v in data["vocab"]], meta, {n: np.asarray(data[n]) for n in names}

    def _load_arrays(self, arrays: dict[str, np.ndarray]) -> None:
        """Copy read arrays into the network, each checked for its shape and for finite float values."""
        params = self.params
        for name, array in arrays.items():
            if array.shape != params[name].shape:
                raise ValueError(f"{name}: shape {array.shape}, expected {params[name].shape}")
            if array.dtype.kind != "f" or not np.isfinite(array).all():
                raise ValueError(f"{name}: weights must be finite floats")
            np.copyto(params[name], array)

    @property
    def params(self) -> dict[str, np.ndarray]:
        """Name -> live array of the (training-precision) network."""
        return self.net.params

    @property
    def vocab_size(self) -> int:
        return len(self.vocab)

    @property
    def hidden_size(self) -> int:
        return self.config.hidden_size

    @property
    def embed_size(self) -> int:
        return self.config.embed_size

    def num_parameters(self) -> int:
        return self.net.num_parameters()

    def state_dict(self) -> dict[str, np.ndarray]:
        """The recurrent network's weights in torch layout (copies)."""
        return self.net.rnn.state_dict()

    @property
    def net64(self) -> SequenceModel:
        """A float64 copy of the network (what the predictions and the pages read), rebuilt after changes."""
        if self._net64 is None:
            if self.net.dtype == np.float64:
                self._net64 = self.net
            else:
                twin = self._build(np.float64)
                for name, array in self.params.items():
                    np.copyto(twin.params[name], array)
                self._net64 = twin
        return self._net64

    @property
    def rnn(self):
        """The recurrent layer as a float64 ``lstm_viz.LSTM`` (the one the pages visualise)."""
        return self.net64.rnn

    def weights_changed(self) -> None:
        """Call after editing ``params`` in place (the optimiser does) so the float64 copy is rebuilt."""
        self._net64 = None

    def _write_npz(self, path, meta: dict, dtype) -> None:
        """An ``.npz`` of the weights (``dtype``), the vocabulary (unicode array) and ``meta`` as JSON, no
        pickle; written to a path atomically (write, then rename: readers never see half a file)."""
        arrays = {name: array.astype(dtype) for name, array in self.params.items()}
        arrays["vocab"] = np.array(self.vocab, dtype=np.str_)
        arrays["meta_json"] = np.array(json.dumps(meta, ensure_ascii=False))
        if not isinstance(path, (str, Path)):  # a file object
            np.savez_compressed(path, **arrays)
            return
        path = Path(path)
        partial = path.with_name(f".{path.stem}.partial.npz")
        np.savez_compressed(partial, **arrays)
        os.replace(partial, path)
