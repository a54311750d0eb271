"""Character-level language model: vocabulary + configuration + sampling on top of the sequence model.

For a character sequence c_0 .. c_T the model reads c_0 .. c_{T-1} and predicts c_1 .. c_T:

    x_t = E[c_t]                                   embedding row,            (E,)
    i,f,g,o, c_t, h_t = LSTM(x_t, h_{t-1}, c_{t-1}) PyTorch gate order,      (H,)
    z_t = W_out h_t + b_out                        logits,                   (V,)
    p_t = softmax(z_t)                             p_t[k] = P(c_{t+1} = k | c_0..c_t)
    loss = -(1/N) sum_t log p_t[c_{t+1}]           mean cross-entropy (nats); bits/char = loss / ln 2

The network is a :class:`lstm_viz.nn.sequence.SequenceModel` (embedding → LSTM → softmax head on every
step), so training, the app's pages and the tests all run the one LSTM engine. Training uses truncated
backpropagation through time: a long character stream is cut into chunks of ``seq_len`` characters; the
final (h, c) of one chunk is the initial state of the next, but no gradient flows across the boundary.

Weights are saved to ``.npz`` (``allow_pickle=False``): float arrays under the names of :data:`PARAM_NAMES`,
the vocabulary as a unicode array and hyper-parameters as a JSON string.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from .layer import PARAM_NAMES as LAYER_PARAM_NAMES
from .losses import log_softmax, softmax
from .sequence import UNK, SequenceModel, TokenNetwork

FORMAT_VERSION = 1
#: the arrays of a CharLM file: embedding (V, E), the LSTM's four torch-named arrays, head w_out (V, H), b_out (V,)
PARAM_NAMES = ("embedding", *LAYER_PARAM_NAMES, "w_out", "b_out")


@dataclass
class Generation:
    """Generated text and, per generated character, the candidates it was drawn from (best first)."""

    prime: str
    generated: str
    top_chars: list[list[str]]
    top_probs: list[np.ndarray]
    temperature: float
    top_k: int | None
    seed: int | None

    @property
    def text(self) -> str:
        """prime + generated: what the pages step through."""
        return self.prime + self.generated


@dataclass
class CharLMConfig:
    """Hyper-parameters of a CharLM (stored with the weights)."""

    embed_size: int = 32
    hidden_size: int = 128
    forget_bias: float = 1.0
    seed: int = 0


class CharLM(TokenNetwork):
    """Character embedding (V, E) -> LSTM (H) -> linear softmax head (V).

    Implements the app's TrainedNetwork protocol: ``name``, ``rnn``, ``example_text``,
    ``encode_text(text) -> (x (T, E), tokens)``. ``params`` are the live arrays an optimiser updates
    (call :meth:`weights_changed` afterwards so the float64 copy the pages read is rebuilt).
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
        vocab = self._with_unk(vocab)
        self.vocab: tuple[str, ...] = vocab
        self.char_to_id: dict[str, int] = {ch: k for k, ch in enumerate(vocab)}
        self.unk_id: int = self.char_to_id[UNK]
        self.config = config or CharLMConfig()
        self.name = name
        self.example_text = example_text
        self.info: dict = dict(info or {})
        self.dtype = np.dtype(dtype)
        self.net = self._build(self.dtype)
        self._net64: SequenceModel | None = None

    def _build(self, dtype) -> SequenceModel:
        cfg = self.config
        return SequenceModel("lstm", cfg.hidden_size, len(self.vocab), vocab_size=len(self.vocab),
                             embed_size=cfg.embed_size, head="every", objective="classification", seed=cfg.seed,
                             dtype=dtype, forget_bias=cfg.forget_bias)

    # ----- views of the network (sizes, params, net64, rnn: TokenNetwork) -----------------------
    @property
    def embedding(self) -> np.ndarray:
        return self.net.embedding  # (V, E)

    @property
    def w_out(self) -> np.ndarray:
        return self.net.w_out  # (V, H)

    @property
    def b_out(self) -> np.ndarray:
        return self.net.b_out  # (V,)

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
        x = self.net64.embedding[ids]  # (T, E)
        return x, list(text)

    # ----- training ------------------------------------------------------------------------
    def loss_and_grads(self, chunk: np.ndarray, h0=None, c0=None):
        """Mean cross-entropy (nats) and gradients for one chunk of ids (T+1, [B]).

        Inputs are chunk[:-1], targets chunk[1:].  Returns ``(loss, grads, (h_T, c_T))``: grads under
        :data:`PARAM_NAMES`; the final state is detached (the next chunk's h0, c0 in truncated BPTT).
        """
        chunk = np.asarray(chunk)
        if chunk.ndim == 1:
            chunk = chunk[:, None]  # (T+1, 1)
        inputs, targets = chunk[:-1], chunk[1:]  # (T, B)
        logits, cache = self.net.forward(inputs, h0, c0)  # (T, B, V)
        loss, dlogits = self.net.loss(logits, targets)
        grads = self.net.backward(cache, dlogits)
        trace = cache[1]
        return loss, grads, (trace.h[-1].copy(), trace.c[-1].copy())

    # ----- inference ------------------------------------------------------------------
    def hidden_states(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(h (T, H), c (T, H)) float64 for ``text`` from a zero state."""
        ids = self.encode_ids(text)
        if ids.size == 0:
            raise ValueError("The text is empty: type at least one character.")
        trace = self.rnn.forward(self.net64.embedding[ids])
        return np.asarray(trace.h), np.asarray(trace.c)

    def predict(self, text: str) -> np.ndarray:
        """probs (T, V): row t is the distribution of the character after text[t]."""
        ids = self.encode_ids(text)
        if ids.size == 0:
            raise ValueError("The text is empty: type at least one character.")
        return self.net64.predict(ids)

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

    def sample(self, n: int, prime: str = "", temperature: float = 1.0, seed: int | None = 0,
               top_k: int | None = None) -> str:
        """Generate ``n`` characters after ``prime`` (see :meth:`generate`); the text only."""
        return self.generate(n, prime, temperature, seed, top_k).generated

    def generate(self, n: int, prime: str = "", temperature: float = 1.0, seed: int | None = 0,
                 top_k: int | None = None, shown: int = 5) -> "Generation":
        """Generate ``n`` characters after ``prime``: p = softmax(z / temperature), restricted to the ``top_k``
        most likely characters when given, <unk> never emitted; a seed makes it repeatable.

        temperature -> 0 approaches greedy decoding, 1 samples the model's own distribution, > 1 flattens it.
        The result keeps, for every generated character, the ``shown`` most likely candidates and their
        probabilities under the distribution it was drawn from.
        """
        if not temperature > 0:
            raise ValueError("temperature must be > 0")
        if top_k is not None and int(top_k) < 1:
            raise ValueError("top_k must be at least 1")
        if not 0 <= int(n) <= 10_000:
            raise ValueError("n must be between 0 and 10,000")
        rng = np.random.default_rng(seed)
        net = self.net64
        h = np.zeros(self.hidden_size)
        c = np.zeros(self.hidden_size)
        prime_ids = self.encode_ids(prime) if prime else np.array([], dtype=np.int64)
        logits = None
        if prime_ids.size:
            logits, cache = net.forward(prime_ids, h, c)  # (T, V)
            h, c, logits = cache[1].h[-1], cache[1].c[-1], logits[-1]
            last = prime_ids[-1]
        else:
            last = int(rng.integers(1, self.vocab_size)) if self.vocab_size > 1 else 0
        shown = max(1, min(int(shown), self.vocab_size))
        out, top_chars, top_probs = [], [], []
        for _ in range(int(n)):
            if logits is not None:
                z = logits / temperature
                z[self.unk_id] = -np.inf
                if top_k is not None and int(top_k) < self.vocab_size:
                    cutoff = np.partition(z, -int(top_k))[-int(top_k)]
                    z = np.where(z >= cutoff, z, -np.inf)
                p = softmax(z)
                best = np.argsort(-p, kind="stable")[:shown]
                top_chars.append([self.vocab[j] for j in best])
                top_probs.append(p[best])
                last = int(rng.choice(self.vocab_size, p=p))
            else:  # no prime: the first character is drawn uniformly
                top_chars.append([self.vocab[last]])
                top_probs.append(np.array([1.0 / max(1, self.vocab_size - 1)]))
            out.append(self.vocab[last])
            step_logits, cache = net.forward(np.array([last]), h, c)  # one step
            h, c, logits = cache[1].h[-1], cache[1].c[-1], step_logits[-1]
        return Generation(prime=prime, generated="".join(out), top_chars=top_chars, top_probs=top_probs,
                          temperature=float(temperature), top_k=None if top_k is None else int(top_k), seed=seed)

    def copy(self) -> "CharLM":
        """An independent copy (same vocabulary, configuration and weights)."""
        twin = CharLM(self.vocab, CharLMConfig(**asdict(self.config)), name=self.name,
                      example_text=self.example_text, dtype=self.dtype, info=json.loads(json.dumps(self.info)))
        for name, array in self.params.items():
            np.copyto(twin.params[name], array)
        return twin

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
        self._write_npz(path, meta, dtype)

    @classmethod
    def load(cls, path_or_file, dtype=np.float32) -> "CharLM":
        """Read a file written by :meth:`save` (``allow_pickle=False``); validates shapes."""
        vocab, meta, arrays = cls._read_npz(path_or_file, PARAM_NAMES, "CharLM")
        config = CharLMConfig(**meta["config"])
        model = cls(vocab, config, name=meta.get("name", "char-lm"), example_text=meta.get("example_text", ""),
                    dtype=dtype, info=meta.get("info", {}))
        model._load_arrays(arrays)
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
    for start in range(0, streams.shape[0] - 1, seq_len):
        chunk = streams[start : start + seq_len + 1]
        if chunk.shape[0] < 2:
            break
        logits, cache = model.net.forward(chunk[:-1], h, c)  # (T, B, V)
        h, c = cache[1].h[-1], cache[1].c[-1]
        logp = log_softmax(logits.astype(np.float64))
        targets = chunk[1:]
        total += -np.take_along_axis(logp, targets[..., None], axis=-1).sum()
        count += targets.size
    return float(total / count / math.log(2))
