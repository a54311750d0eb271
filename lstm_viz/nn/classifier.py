"""Sentiment classifier: tokenizer + vocabulary + the sequence model with a binary head (many-to-one).

For a text read as tokens w_0 .. w_{T-1} (characters for Chinese, lower-cased words for English):

    x_t = E[w_t]                                    embedding row,                     (E,)
    i,f,g,o, c_t, h_t = LSTM(x_t, h_{t-1}, c_{t-1})  PyTorch gate order, zero start,    (H,)
    z   = w_out · h_{T-1} + b_out                   one logit,                         ()
    P(positive | text) = σ(z)                       trained with binary cross-entropy

The network is a :class:`lstm_viz.nn.sequence.SequenceModel` (``head="last"``, ``objective="binary"``), one
direction, so the probability "after token t", σ(w_out · h_t + b_out), is exactly what the classifier would
say about the text cut after token t: :meth:`SentimentClassifier.step_probabilities` is exact, its last value
is :meth:`predict_proba`.

Token contributions to the final logit z (both exact, from the engine's forward/backward):

* gradient × input:  a_t = (∂z/∂x_t) · x_t, the backward of the one LSTM engine with ∂z/∂h_{T-1} = w_out
  (a first-order attribution: the a_t do not sum to z in general);
* leave-one-out:     l_t = z(text) - z(text without token t), each recomputed by a forward pass
  (the empty text's logit is the head on the zero state, b_out).

Weights are saved to ``.npz`` (``allow_pickle=False``): float arrays under :data:`PARAM_NAMES`, the
vocabulary as a unicode array and the configuration / metadata as a JSON string.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import asdict, dataclass

import numpy as np

from .arrays import sigmoid
from .layer import PARAM_NAMES as LAYER_PARAM_NAMES
from .sequence import UNK, SequenceModel, TokenNetwork

__all__ = ["SentimentClassifier", "ClassifierConfig", "TOKENIZERS", "tokenize", "UNK", "PARAM_NAMES"]

FORMAT_VERSION = 1
KIND = "sentiment-classifier"
#: the arrays of a classifier file: embedding (V, E), the LSTM's four torch-named arrays, w_out (1, H), b_out (1,)
PARAM_NAMES = ("embedding", *LAYER_PARAM_NAMES, "w_out", "b_out")
#: "char": every non-space character is a token; "word": lower-cased words (with inner apostrophes) and
#: single punctuation marks. Both apply Unicode NFKC first (full-width ，becomes ",") and lower-case.
TOKENIZERS = ("char", "word")
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*|[^\w\s]", re.UNICODE)


def tokenize(text: str, kind: str) -> list[str]:
    """Text -> tokens with the named tokenizer (see :data:`TOKENIZERS`)."""
    if kind not in TOKENIZERS:
        raise ValueError(f"tokenizer must be one of {', '.join(TOKENIZERS)}")
    text = unicodedata.normalize("NFKC", text).lower().replace("\u2019", "'")
    if kind == "char":
        return [ch for ch in text if not ch.isspace()]
    return _WORD.findall(text)


@dataclass
class ClassifierConfig:
    """Hyper-parameters of a SentimentClassifier (stored with the weights)."""

    tokenizer: str = "char"
    embed_size: int = 32
    hidden_size: int = 64
    forget_bias: float = 1.0
    seed: int = 0


class SentimentClassifier(TokenNetwork):
    """Token embedding (V, E) -> one LSTM layer (H) -> one logit; P(positive) = σ(logit).

    Implements the app's TrainedNetwork protocol: ``name``, ``rnn`` (the float64 LSTM the pages visualise),
    ``example_text``, ``encode_text(text) -> (x (T, E) float64, tokens)``. ``params`` are the live float32
    (by default) arrays an optimiser updates; call :meth:`weights_changed` afterwards so the float64 copy
    that every prediction reads is rebuilt.
    """

    def __init__(self, vocab, config: ClassifierConfig | None = None, *, name: str = "sentiment",
                 example_text: str = "", dtype=np.float32, info: dict | None = None):
        vocab = self._with_unk(vocab)
        self.config = config or ClassifierConfig()
        if self.config.tokenizer not in TOKENIZERS:
            raise ValueError(f"tokenizer must be one of {', '.join(TOKENIZERS)}")
        self.vocab: tuple[str, ...] = vocab
        self.token_to_id: dict[str, int] = {tok: k for k, tok in enumerate(vocab)}
        self.unk_id: int = self.token_to_id[UNK]
        self.name = name
        self.example_text = example_text
        self.info: dict = dict(info or {})
        self.dtype = np.dtype(dtype)
        self.net = self._build(self.dtype)
        self._net64: SequenceModel | None = None

    def _build(self, dtype) -> SequenceModel:
        cfg = self.config
        return SequenceModel("lstm", cfg.hidden_size, 1, vocab_size=len(self.vocab), embed_size=cfg.embed_size,
                             head="last", objective="binary", seed=cfg.seed, dtype=dtype,
                             forget_bias=cfg.forget_bias)

    # ----- views of the network (sizes, params, net64, rnn: TokenNetwork) -----------------------
    @property
    def tokenizer(self) -> str:
        return self.config.tokenizer

    @property
    def w_out(self) -> np.ndarray:
        """The head's weights (H,) float64: z = w_out · h_{T-1} + b_out."""
        return self.net64.w_out[0]

    @property
    def b_out(self) -> float:
        return float(self.net64.b_out[0])

    # ----- text <-> ids ------------------------------------------------------------------
    def tokenize(self, text: str) -> list[str]:
        """The tokens this model reads (``"char"``: non-space characters; ``"word"``: words and punctuation)."""
        return tokenize(text, self.config.tokenizer)

    def encode_ids(self, tokens) -> np.ndarray:
        """Token ids (T,) int64 of a text or a token list; tokens outside the vocabulary map to ``<unk>``."""
        if isinstance(tokens, str):
            tokens = self.tokenize(tokens)
        get = self.token_to_id.get
        return np.fromiter((get(tok, self.unk_id) for tok in tokens), dtype=np.int64, count=len(tokens))

    def unknown_tokens(self, text: str) -> list[str]:
        """Distinct tokens of ``text`` (first-seen order) that the model does not know (read as <unk>)."""
        return list(dict.fromkeys(tok for tok in self.tokenize(text) if tok not in self.token_to_id))

    def _tokens_ids(self, text: str) -> tuple[list[str], np.ndarray]:
        if not isinstance(text, str):
            raise ValueError("the text must be a string")
        tokens = self.tokenize(text)
        if not tokens:
            raise ValueError("The text is empty: type at least one word or character.")
        return tokens, self.encode_ids(tokens)

    def encode_text(self, text: str) -> tuple[np.ndarray, list[str]]:
        """TrainedNetwork protocol: (x (T, E) float64 embedding rows, tokens (T,)). Unknown tokens read as <unk>."""
        tokens, ids = self._tokens_ids(text)
        return self.net64.embedding[ids], tokens  # (T, E)

    # ----- inference ------------------------------------------------------------------
    def hidden_states(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(h (T, H), c (T, H)) float64 for ``text`` from a zero state."""
        x, _ = self.encode_text(text)
        trace = self.rnn.forward(x)
        return np.asarray(trace.h), np.asarray(trace.c)

    def step_logits(self, text: str) -> np.ndarray:
        """(T,) float64: z_t = w_out · h_t + b_out, the logit the head gives the text cut after token t."""
        h, _ = self.hidden_states(text)
        return h @ self.w_out + self.b_out

    def step_probabilities(self, text: str) -> np.ndarray:
        """(T,) float64: P(positive) after each token, σ(w_out · h_t + b_out); exact (one direction), so the
        value at t is the prediction for the text cut after token t and the last value is :meth:`predict_proba`."""
        return sigmoid(self.step_logits(text))

    def _logit_of_ids(self, ids: np.ndarray) -> float:
        if ids.size == 0:
            return self.b_out  # the head on the zero initial state
        outputs, _ = self.net64.forward(ids)  # (1,)
        return float(outputs[0])

    def logit(self, text: str) -> float:
        """z = w_out · h_{T-1} + b_out for the whole text (float64)."""
        _, ids = self._tokens_ids(text)
        return self._logit_of_ids(ids)

    def predict_proba(self, text: str) -> float:
        """P(positive | text) = σ(z), float64. ValueError for a text without tokens."""
        return float(sigmoid(np.float64(self.logit(text))))

    def predict_proba_batch(self, texts, max_batch: int = 256) -> np.ndarray:
        """(N,) P(positive) for many texts, texts of equal token count run together (no padding needed).

        Uses the float64 network like :meth:`predict_proba` (same numbers); an empty text gets σ(b_out).
        """
        ids = [self.encode_ids(t) for t in texts]
        out = np.empty(len(ids), dtype=np.float64)
        by_length: dict[int, list[int]] = {}
        for k, seq in enumerate(ids):
            by_length.setdefault(seq.size, []).append(k)
        for length, members in by_length.items():
            if length == 0:
                out[members] = sigmoid(np.float64(self.b_out))
                continue
            for start in range(0, len(members), max_batch):
                part = members[start : start + max_batch]
                batch = np.stack([ids[k] for k in part], axis=1)  # (T, B)
                out[part] = self.net64.predict(batch)[:, 0]
        return out

    # ----- token contributions (exact) ----------------------------------------------------
    def logit_gradient(self, text: str) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """(∂z/∂x (T, E), x (T, E), tokens): the gradient of the final logit w.r.t. each token's embedding,
        by the LSTM engine's backward with ∂z/∂h_{T-1} = w_out and ∂z/∂h_t = 0 for t < T-1."""
        x, tokens = self.encode_text(text)
        trace = self.rnn.forward(x)
        dh = np.zeros_like(np.asarray(trace.output))  # (T, H)
        dh[-1] = self.w_out
        grads = self.rnn.backward(trace, dh)
        return np.asarray(grads["x"]), x, tokens

    def gradient_x_input(self, text: str) -> np.ndarray:
        """(T,) a_t = (∂z/∂x_t) · x_t: gradient × input of each token on the final logit (positive = towards
        positive). A first-order attribution: Σ_t a_t is not z in general."""
        dx, x, _ = self.logit_gradient(text)
        return np.einsum("te,te->t", dx, x)

    def leave_one_out(self, text: str) -> np.ndarray:
        """(T,) l_t = z(text) - z(text without token t), each recomputed exactly (positive: the token pushed
        the decision towards positive). Removing the only token leaves the empty text, whose logit is b_out."""
        _, ids = self._tokens_ids(text)
        full = self._logit_of_ids(ids)
        return np.array([full - self._logit_of_ids(np.delete(ids, t)) for t in range(ids.size)])

    def head_contributions(self, text: str) -> np.ndarray:
        """(H,) w_out[j] · h_{T-1}[j]: what each unit of the final state adds to the logit (sum + b_out = z)."""
        h, _ = self.hidden_states(text)
        return self.w_out * h[-1]

    # ----- training ------------------------------------------------------------------------
    def loss_and_grads(self, ids: np.ndarray, labels: np.ndarray) -> tuple[float, np.ndarray, dict[str, np.ndarray]]:
        """Mean binary cross-entropy, logits (B, 1) and gradients for a batch of equal-length texts.

        ids (T, B) int token ids, labels (B,) 0/1. Gradients are under :data:`PARAM_NAMES`.
        """
        ids = np.asarray(ids)
        if ids.ndim == 1:
            ids = ids[:, None]  # (T, 1)
        targets = np.asarray(labels, dtype=self.dtype).reshape(-1, 1)  # (B, 1)
        return self.net.loss_and_grads(ids, targets)

    def copy(self) -> "SentimentClassifier":
        """An independent copy (same vocabulary, configuration and weights)."""
        twin = SentimentClassifier(self.vocab, ClassifierConfig(**asdict(self.config)), name=self.name,
                                   example_text=self.example_text, dtype=self.dtype,
                                   info=json.loads(json.dumps(self.info)))
        for name, array in self.params.items():
            np.copyto(twin.params[name], array)
        return twin

    # ----- persistence ------------------------------------------------------------------
    def save(self, path, dtype=np.float32) -> None:
        """Write an ``.npz`` (atomically for a path): weights (float32 by default), vocab, JSON metadata."""
        meta = {"format_version": FORMAT_VERSION, "kind": KIND, "config": asdict(self.config), "name": self.name,
                "example_text": self.example_text, "info": self.info}
        self._write_npz(path, meta, dtype)

    @staticmethod
    def is_classifier_file(path_or_file) -> bool:
        """Whether an ``.npz`` was written by :meth:`save` (reads only its metadata)."""
        with np.load(path_or_file, allow_pickle=False) as data:
            if "meta_json" not in data.files:
                return False
            return json.loads(str(data["meta_json"])).get("kind") == KIND

    @classmethod
    def load(cls, path_or_file, dtype=np.float32) -> "SentimentClassifier":
        """Read a file written by :meth:`save` (``allow_pickle=False``); validates kind, shapes and values."""
        vocab, meta, arrays = cls._read_npz(path_or_file, PARAM_NAMES, "sentiment classifier")
        if meta.get("kind") != KIND:
            raise ValueError(f"not a sentiment classifier file (kind {meta.get('kind')!r})")
        model = cls(vocab, ClassifierConfig(**meta["config"]), name=meta.get("name", "sentiment"),
                    example_text=meta.get("example_text", ""), dtype=dtype, info=meta.get("info", {}))
        model._load_arrays(arrays)
        return model
