"""Character-level language model: embedding + LSTM + softmax head (numpy only).

For a character sequence c_0 .. c_T the model reads c_0 .. c_{T-1} and predicts c_1 .. c_T:

    x_t = E[c_t]                                   embedding row,            (E,)
    i,f,g,o, c_t, h_t = LSTM(x_t, h_{t-1}, c_{t-1}) PyTorch gate order,      (H,)
    z_t = W_out h_t + b_out                        logits,                   (V,)
    p_t = softmax(z_t)                             p_t[k] = P(c_{t+1} = k | c_0..c_t)
    loss = -(1/N) sum_t log p_t[c_{t+1}]           mean cross-entropy (nats); bits/char = loss / ln 2

Training uses truncated backpropagation through time: a long character stream is cut into chunks
of ``seq_len`` characters; the final (h, c) of one chunk is the initial state of the next, but no
gradient flows across the chunk boundary.

The recurrent layer the app visualises is ``CharLM.rnn`` (a ``lstm_viz.LSTM`` built from the same
weights, torch layout).  The fused batched kernel below (one GEMM for all inputs' gate
pre-activations before the time loop, one GEMM each for dW_ih, dW_hh, db after it) is what
training uses; tests check it against ``lstm_viz.LSTM`` and finite differences.

Weights are saved to ``.npz`` (``allow_pickle=False``): float arrays, the vocabulary as a unicode
array and hyper-parameters as a JSON string.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

UNK = "<unk>"
FORMAT_VERSION = 1
PARAM_NAMES = ("embedding", "weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "w_out", "b_out")


def _sigmoid(a: np.ndarray) -> np.ndarray:
    # numerically stable: 0.5 * (1 + tanh(a / 2))
    return 0.5 * (1.0 + np.tanh(0.5 * a))


@dataclass
class CharLMConfig:
    """Hyper-parameters of a CharLM (stored with the weights)."""

    embed_size: int = 32
    hidden_size: int = 128
    forget_bias: float = 1.0
    seed: int = 0


@dataclass
class LSTMCache:
    """Everything the backward pass needs from a batched forward pass (T steps, B streams)."""

    inputs: np.ndarray  # (T, B) int64 character ids
    x: np.ndarray  # (T, B, E) embeddings
    gates: np.ndarray  # (T, B, 4H) post-activation i, f, g, o
    c: np.ndarray  # (T, B, H)
    tanh_c: np.ndarray  # (T, B, H)
    h: np.ndarray  # (T, B, H)
    h0: np.ndarray  # (B, H)
    c0: np.ndarray  # (B, H)
    extra: dict = field(default_factory=dict)


class CharLM:
    """Character embedding (V, E) -> LSTM (H) -> linear softmax head (V).

    Implements the app's TrainedNetwork protocol: ``name``, ``rnn``, ``example_text``,
    ``encode_text(text) -> (x (T, E), tokens)``.
    """

    def __init__(
        self,
        vocab: list[str] | tuple[str, ...],
        config: CharLMConfig | None = None,
        *,
        name: str = "char-lm",
        example_text: str = "",
        dtype=np.float32,
        info: dict | None = None,
    ):
        vocab = tuple(vocab)
        if UNK not in vocab:
            vocab = (UNK,) + vocab
        if len(set(vocab)) != len(vocab):
            raise ValueError("vocabulary has duplicate entries")
        self.vocab: tuple[str, ...] = vocab
        self.char_to_id: dict[str, int] = {ch: k for k, ch in enumerate(vocab)}
        self.unk_id: int = self.char_to_id[UNK]
        self.config = config or CharLMConfig()
        self.name = name
        self.example_text = example_text
        self.info: dict = dict(info or {})
        self.dtype = np.dtype(dtype)
        V, E, H = len(vocab), self.config.embed_size, self.config.hidden_size
        rng = np.random.default_rng(self.config.seed)
        k = 1.0 / math.sqrt(H)
        p = {
            "embedding": rng.normal(0.0, 1.0, (V, E)),
            "weight_ih_l0": rng.uniform(-k, k, (4 * H, E)),
            "weight_hh_l0": rng.uniform(-k, k, (4 * H, H)),
            "bias_ih_l0": rng.uniform(-k, k, 4 * H),
            "bias_hh_l0": rng.uniform(-k, k, 4 * H),
            "w_out": rng.uniform(-k, k, (V, H)),
            "b_out": np.zeros(V),
        }
        p["bias_ih_l0"][H : 2 * H] = self.config.forget_bias
        p["bias_hh_l0"][H : 2 * H] = 0.0
        self.params: dict[str, np.ndarray] = {n: np.ascontiguousarray(a, dtype=self.dtype) for n, a in p.items()}
        self._rnn = None

    # ----- sizes and parameter views -------------------------------------------------------
    @property
    def vocab_size(self) -> int:
        return len(self.vocab)

    @property
    def hidden_size(self) -> int:
        return self.config.hidden_size

    @property
    def embed_size(self) -> int:
        return self.config.embed_size

    @property
    def embedding(self) -> np.ndarray:
        return self.params["embedding"]  # (V, E)

    @property
    def w_out(self) -> np.ndarray:
        return self.params["w_out"]  # (V, H)

    @property
    def b_out(self) -> np.ndarray:
        return self.params["b_out"]  # (V,)

    def num_parameters(self) -> int:
        return int(sum(a.size for a in self.params.values()))

    def state_dict(self) -> dict[str, np.ndarray]:
        """The LSTM weights in torch layout (copies)."""
        return {n: self.params[n].copy() for n in ("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0")}

    @property
    def rnn(self):
        """The recurrent layer as a ``lstm_viz.LSTM`` (float64), rebuilt after the weights change."""
        if self._rnn is None:
            from .layers import LSTM

            self._rnn = LSTM.from_torch(self.state_dict(), dtype=np.float64)
        return self._rnn

    def weights_changed(self) -> None:
        """Call after editing ``params`` in place (the optimiser does) so ``rnn`` is rebuilt."""
        self._rnn = None

    # ----- text <-> ids ------------------------------------------------------------------
    def encode_ids(self, text: str) -> np.ndarray:
        """Character ids (T,) int64; characters outside the vocabulary map to ``<unk>``."""
        get = self.char_to_id.get
        return np.fromiter((get(ch, self.unk_id) for ch in text), dtype=np.int64, count=len(text))

    def unknown_chars(self, text: str) -> list[str]:
        """Distinct characters of ``text`` that the model does not know (they are read as <unk>)."""
        seen = dict.fromkeys(ch for ch in text if ch not in self.char_to_id)
        return list(seen)

    def encode_text(self, text: str) -> tuple[np.ndarray, list[str]]:
        """TrainedNetwork protocol: (x (T, E) float64 embeddings, tokens (T,) = the characters).

        Step t's hidden state predicts character t+1. Unknown characters are read as <unk>.
        """
        if not isinstance(text, str) or text == "":
            raise ValueError("The text is empty: type at least one character.")
        ids = self.encode_ids(text)
        x = self.embedding[ids].astype(np.float64)  # (T, E)
        return x, list(text)

    # ----- fused batched LSTM (training kernel) ---------------------------------------------
    def _forward_states(self, inputs: np.ndarray, h0=None, c0=None) -> LSTMCache:
        """Run the LSTM over ``inputs`` (T, B) ids. Returns the cache with h (T, B, H)."""
        p = self.params
        T, B = inputs.shape
        H = self.hidden_size
        dt = p["weight_hh_l0"].dtype
        h_prev = np.zeros((B, H), dt) if h0 is None else np.asarray(h0, dt)
        c_prev = np.zeros((B, H), dt) if c0 is None else np.asarray(c0, dt)
        x = p["embedding"][inputs]  # (T, B, E)
        pre = x @ p["weight_ih_l0"].T + (p["bias_ih_l0"] + p["bias_hh_l0"])  # (T, B, 4H) one GEMM
        w_hh_t = np.ascontiguousarray(p["weight_hh_l0"].T)  # (H, 4H)
        gates = np.empty((T, B, 4 * H), dt)
        c = np.empty((T, B, H), dt)
        tanh_c = np.empty((T, B, H), dt)
        h = np.empty((T, B, H), dt)
        cache = LSTMCache(inputs, x, gates, c, tanh_c, h, h_prev, c_prev)
        for t in range(T):
            a = pre[t] + h_prev @ w_hh_t  # (B, 4H)
            gt = gates[t]
            gt[:, : 2 * H] = _sigmoid(a[:, : 2 * H])  # i, f
            gt[:, 2 * H : 3 * H] = np.tanh(a[:, 2 * H : 3 * H])  # g
            gt[:, 3 * H :] = _sigmoid(a[:, 3 * H :])  # o
            i, f, g, o = gt[:, :H], gt[:, H : 2 * H], gt[:, 2 * H : 3 * H], gt[:, 3 * H :]
            c[t] = f * c_prev + i * g
            tanh_c[t] = np.tanh(c[t])
            h[t] = o * tanh_c[t]
            h_prev, c_prev = h[t], c[t]
        return cache

    def _logits(self, h: np.ndarray) -> np.ndarray:
        return h @ self.params["w_out"].T + self.params["b_out"]  # (..., V)

    def loss_and_grads(self, chunk: np.ndarray, h0=None, c0=None):
        """Mean cross-entropy (nats) and gradients for one chunk of ids (T+1, B).

        Inputs are chunk[:-1], targets chunk[1:].  Returns ``(loss, grads, (h_T, c_T))`` where the
        final state is detached (for the next chunk of truncated BPTT).
        """
        chunk = np.asarray(chunk)
        if chunk.ndim == 1:
            chunk = chunk[:, None]
        inputs, targets = chunk[:-1], chunk[1:]  # (T, B)
        cache = self._forward_states(inputs, h0, c0)
        T, B = inputs.shape
        H, V = self.hidden_size, self.vocab_size
        p = self.params
        h_flat = cache.h.reshape(T * B, H)  # (N, H)
        logits = self._logits(h_flat)  # (N, V)
        logits -= logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        probs /= probs.sum(axis=1, keepdims=True)
        tgt = targets.reshape(-1)
        n = T * B
        loss = float(-np.mean(np.log(probs[np.arange(n), tgt] + 1e-30)))
        # softmax + cross-entropy backward
        dlogits = probs
        dlogits[np.arange(n), tgt] -= 1.0
        dlogits /= n  # (N, V)
        grads = {
            "w_out": dlogits.T @ h_flat,  # (V, H)
            "b_out": dlogits.sum(axis=0),  # (V,)
        }
        dh_all = (dlogits @ p["w_out"]).reshape(T, B, H)  # (T, B, H)
        d_pre = self._backward_states(cache, dh_all)  # (T, B, 4H)
        grads.update(self._param_grads(cache, d_pre))
        return loss, grads, (cache.h[-1].copy(), cache.c[-1].copy())

    def _backward_states(self, cache: LSTMCache, dh_all: np.ndarray, dc_last=None) -> np.ndarray:
        """BPTT through the LSTM: dL/d(pre-activations) (T, B, 4H) given dL/dh_t (T, B, H).

        With a_t the gate pre-activations: dc_t = dh_t ⊙ o_t ⊙ (1 - tanh²c_t) + dc_{t+1} ⊙ f_{t+1},
        da_i = dc_t ⊙ g_t ⊙ i_t(1-i_t), da_f = dc_t ⊙ c_{t-1} ⊙ f_t(1-f_t),
        da_g = dc_t ⊙ i_t ⊙ (1-g_t²), da_o = dh_t ⊙ tanh c_t ⊙ o_t(1-o_t), dh_{t-1} += W_hh^T da_t.
        """
        T, B, H = cache.h.shape
        w_hh = self.params["weight_hh_l0"]  # (4H, H)
        d_pre = np.empty_like(cache.gates)
        dh_next = np.zeros((B, H), cache.h.dtype)
        dc_next = np.zeros((B, H), cache.h.dtype) if dc_last is None else np.asarray(dc_last, cache.h.dtype)
        for t in range(T - 1, -1, -1):
            gt = cache.gates[t]
            i, f, g, o = gt[:, :H], gt[:, H : 2 * H], gt[:, 2 * H : 3 * H], gt[:, 3 * H :]
            c_prev = cache.c[t - 1] if t > 0 else cache.c0
            dh = dh_all[t] + dh_next
            tc = cache.tanh_c[t]
            dc = dc_next + dh * o * (1.0 - tc * tc)
            da = d_pre[t]
            da[:, :H] = dc * g * i * (1.0 - i)
            da[:, H : 2 * H] = dc * c_prev * f * (1.0 - f)
            da[:, 2 * H : 3 * H] = dc * i * (1.0 - g * g)
            da[:, 3 * H :] = dh * tc * o * (1.0 - o)
            dh_next = da @ w_hh  # (B, H)
            dc_next = dc * f
        cache.extra["dh0"] = dh_next
        cache.extra["dc0"] = dc_next
        return d_pre

    def _param_grads(self, cache: LSTMCache, d_pre: np.ndarray) -> dict[str, np.ndarray]:
        """dW_ih, dW_hh, db (one GEMM each) and the embedding gradient (scatter-add)."""
        T, B, H = cache.h.shape
        E = cache.x.shape[2]
        d_flat = d_pre.reshape(T * B, 4 * H)  # (N, 4H)
        h_prev = np.concatenate([cache.h0[None], cache.h[:-1]], axis=0).reshape(T * B, H)  # (N, H)
        db = d_flat.sum(axis=0)
        dx = d_flat @ self.params["weight_ih_l0"]  # (N, E)
        d_emb = np.zeros_like(self.params["embedding"])
        np.add.at(d_emb, cache.inputs.reshape(-1), dx.reshape(T * B, E))
        return {
            "weight_ih_l0": d_flat.T @ cache.x.reshape(T * B, E),  # (4H, E)
            "weight_hh_l0": d_flat.T @ h_prev,  # (4H, H)
            "bias_ih_l0": db,
            "bias_hh_l0": db.copy(),
            "embedding": d_emb,
        }

    # ----- inference ------------------------------------------------------------------
    def hidden_states(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(h (T, H), c (T, H)) float64 for ``text`` from a zero state."""
        ids = self.encode_ids(text)
        if ids.size == 0:
            raise ValueError("The text is empty: type at least one character.")
        cache = self._as_float64()._forward_states(ids[:, None])
        return cache.h[:, 0, :], cache.c[:, 0, :]

    def _as_float64(self) -> "CharLM":
        if self.dtype == np.float64:
            return self
        twin = object.__new__(CharLM)
        twin.__dict__.update(self.__dict__)
        twin.params = {n: a.astype(np.float64) for n, a in self.params.items()}
        twin.dtype = np.dtype(np.float64)
        return twin

    def predict(self, text: str) -> np.ndarray:
        """probs (T, V): row t is the distribution of the character after text[t]."""
        h, _ = self.hidden_states(text)
        logits = h @ self.params["w_out"].astype(np.float64).T + self.params["b_out"].astype(np.float64)
        logits -= logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        return probs / probs.sum(axis=1, keepdims=True)

    def top_k(self, text: str, k: int = 5) -> tuple[list[list[str]], np.ndarray]:
        """Top-k next-character predictions per step: (chars T x k, probs (T, k)) best first."""
        probs = self.predict(text)
        k = max(1, min(int(k), self.vocab_size))
        idx = np.argsort(-probs, axis=1, kind="stable")[:, :k]  # (T, k)
        top_p = np.take_along_axis(probs, idx, axis=1)
        return [[self.vocab[j] for j in row] for row in idx], top_p

    def bits_per_char(self, text: str) -> float:
        """Mean -log2 P(text[t+1] | text[:t+1]) over the text (needs >= 2 characters)."""
        ids = self.encode_ids(text)
        if ids.size < 2:
            raise ValueError("need at least two characters")
        probs = self.predict(text)[:-1]
        p = probs[np.arange(ids.size - 1), ids[1:]]
        return float(-np.mean(np.log2(p + 1e-300)))

    def sample(self, n: int, prime: str = "", temperature: float = 1.0, seed: int | None = 0) -> str:
        """Generate ``n`` characters after ``prime`` with softmax(z / temperature).

        temperature -> 0 approaches greedy decoding; <unk> is never emitted.
        """
        if temperature <= 0:
            raise ValueError("temperature must be > 0")
        rng = np.random.default_rng(seed)
        model = self._as_float64()
        H = self.hidden_size
        h = np.zeros((1, H))
        c = np.zeros((1, H))
        prime_ids = model.encode_ids(prime) if prime else np.array([], dtype=np.int64)
        if prime_ids.size:
            cache = model._forward_states(prime_ids[:, None], h, c)
            h, c = cache.h[-1], cache.c[-1]
            last = prime_ids[-1]
        else:
            last = int(rng.integers(1, self.vocab_size)) if self.vocab_size > 1 else 0
        out = []
        for _ in range(int(n)):
            if prime_ids.size or out:
                z = model._logits(h)[0] / temperature
                z[self.unk_id] = -np.inf
                z -= z.max()
                p = np.exp(z)
                p /= p.sum()
                last = int(rng.choice(self.vocab_size, p=p))
            out.append(self.vocab[last])
            cache = model._forward_states(np.array([[last]]), h, c)
            h, c = cache.h[-1], cache.c[-1]
        return "".join(out)

    # ----- persistence ------------------------------------------------------------------
    def save(self, path: str | Path, dtype=np.float32) -> None:
        """Write an ``.npz`` (atomically): weights (float32 by default), vocab (unicode array), JSON meta."""
        meta = {
            "format_version": FORMAT_VERSION,
            "kind": "char-lm",
            "config": asdict(self.config),
            "name": self.name,
            "example_text": self.example_text,
            "info": self.info,
        }
        arrays = {n: a.astype(dtype) for n, a in self.params.items()}
        arrays["vocab"] = np.array(self.vocab, dtype=np.str_)
        arrays["meta_json"] = np.array(json.dumps(meta, ensure_ascii=False))
        if not isinstance(path, (str, Path)):  # a file object
            np.savez_compressed(path, **arrays)
            return
        path = Path(path)
        partial = path.with_name(f".{path.stem}.partial.npz")  # write then rename: readers never see half a file
        np.savez_compressed(partial, **arrays)
        os.replace(partial, path)

    @classmethod
    def load(cls, path_or_file, dtype=np.float32) -> "CharLM":
        """Read a file written by :meth:`save` (``allow_pickle=False``); validates shapes."""
        with np.load(path_or_file, allow_pickle=False) as data:
            missing = [k for k in ("vocab", "meta_json", *PARAM_NAMES) if k not in data.files]
            if missing:
                raise ValueError(f"not a CharLM file: missing {missing}")
            vocab = [str(v) for v in data["vocab"]]
            meta = json.loads(str(data["meta_json"]))
            arrays = {n: np.asarray(data[n]) for n in PARAM_NAMES}
        config = CharLMConfig(**meta["config"])
        model = cls(vocab, config, name=meta.get("name", "char-lm"), example_text=meta.get("example_text", ""),
                    dtype=dtype, info=meta.get("info", {}))
        for n, a in arrays.items():
            if a.shape != model.params[n].shape:
                raise ValueError(f"{n}: shape {a.shape}, expected {model.params[n].shape}")
            model.params[n] = np.ascontiguousarray(a, dtype=dtype)
        return model


def batchify(ids: np.ndarray, batch_size: int) -> np.ndarray:
    """Cut a stream of ids (N,) into ``batch_size`` contiguous streams: (N // B, B)."""
    n = (ids.size // batch_size) * batch_size
    if n == 0:
        raise ValueError("stream shorter than the batch size")
    return np.ascontiguousarray(ids[:n].reshape(batch_size, -1).T)  # (L, B)


def evaluate_bits_per_char(model: CharLM, streams: np.ndarray, seq_len: int = 100) -> float:
    """Mean bits/char over a (L, B) stream matrix, state carried across chunks (no gradients)."""
    total, count = 0.0, 0
    h = c = None
    L, B = streams.shape
    for start in range(0, L - 1, seq_len):
        chunk = streams[start : start + seq_len + 1]
        if chunk.shape[0] < 2:
            break
        cache = model._forward_states(chunk[:-1], h, c)
        h, c = cache.h[-1], cache.c[-1]
        logits = model._logits(cache.h).astype(np.float64)  # (T, B, V)
        logits -= logits.max(axis=-1, keepdims=True)
        logp = logits - np.log(np.exp(logits).sum(axis=-1, keepdims=True))
        tgt = chunk[1:]
        total += -np.take_along_axis(logp, tgt[..., None], axis=-1).sum()
        count += tgt.size
    return float(total / count / math.log(2))
