"""Text -> tokens -> ids -> vectors, for any Unicode input.

Numpy and the standard library only (no third-party Unicode package).

Tokenizers
----------
``tokenize_chars(text)`` splits into *user-perceived characters* (extended grapheme
clusters, a close approximation of Unicode UAX #29 built on :mod:`unicodedata`):

* combining marks stay with their base: ``"e\\u0301"`` (é written as e + accent) is one token;
* emoji ZWJ sequences (``"👩\\u200d💻"``), skin-tone modifiers (``"👍🏽"``), variation
  selectors (``"❤️"``), keycaps (``"1️⃣"``) and tag sequences (England's flag) are one token;
* regional-indicator flags pair up: ``"🇨🇳🇫🇷"`` -> ``["🇨🇳", "🇫🇷"]``;
* Hangul jamo compose into syllables (UAX #29 rules GB6-GB8);
* ``"\\r\\n"`` is ONE token (a Windows line break is one line break);
* every other control or format character (``\\t``, ``\\n``, ``\\x00``, ``\\x1b``,
  bidi controls such as U+202E, zero-width space, BOM, line/paragraph separators)
  is its own token: nothing is dropped, nothing is merged into a neighbour.
  ``display_token`` shows them as visible labels (``"⏎"``, ``"⇥"``, ``"U+202E"``).
* Right-to-left text is tokenized in logical (memory) order, like any other text.

Invariant: ``"".join(tokenize_chars(text)) == text`` for every string.
Known simplifications: the Indic conjunct rule (GB9c, Unicode 15.1) is not applied, so a
virama conjunct may be split into two tokens; Extended_Pictographic is approximated by
"category So or in U+1F000..U+1FFFD" (plus a few listed code points).

``tokenize_words(text)`` returns words, numbers, CJK characters and punctuation:

* a word is a run of letters, marks, digits and connector punctuation (``_``);
  an apostrophe (``'`` or ``’``) between two word characters stays inside it (``don't``);
  ``.`` or ``,`` between two digits stays inside a number (``3.14``, ``1,000``);
* CJK ideographs and Japanese kana are one token each (these scripts do not use spaces);
  scripts without spaces and without such a rule (Thai, Khmer...) give one token per run;
* every other punctuation mark or symbol (emoji included) is its own token;
* whitespace (``\\r\\n`` included) and invisible format characters (zero-width space,
  BOM, bidi marks, soft hyphen) are dropped and separate words;
* other control characters (``\\x00``, ``\\x07``, ``\\x1b``...) are kept, one token each,
  so that nothing that is not whitespace silently disappears.

Both tokenizers raise ``ValueError`` for empty or whitespace-only text (and
``tokenize_words`` also when nothing but format characters is left).

Vocabulary and embeddings
-------------------------
``Vocab`` maps tokens to ids with an unknown token; ``one_hot``, ``random_embedding``
(seeded table, rows ~ unit norm) and ``hash_embedding`` (same token string -> same
vector in any text, any process, any numpy version: derived from BLAKE2b only).
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Sequence

import numpy as np

__all__ = [
    "tokenize_chars",
    "tokenize_words",
    "tokenize",
    "Vocab",
    "one_hot",
    "random_embedding",
    "hash_embedding",
    "display_token",
]

# --------------------------------------------------------------------------------------
# Character classes for grapheme clusters (UAX #29 Grapheme_Cluster_Break, approximated)
# --------------------------------------------------------------------------------------
_CR, _LF, _CONTROL, _EXTEND, _ZWJ, _RI, _PREPEND, _SPACING = range(8)
_L, _V, _T, _LV, _LVT, _OTHER = range(8, 14)

_ZWJ_CHAR = "\u200d"
_ZWNJ_CHAR = "\u200c"
# Prepend characters (Arabic number signs and a few Brahmic-script marks).
_PREPEND_CHARS = frozenset(
    map(
        chr,
        [0x600, 0x601, 0x602, 0x603, 0x604, 0x605, 0x6DD, 0x70F, 0x890, 0x891, 0x8E2, 0xD4E,
         0x110BD, 0x110CD, 0x111C2, 0x111C3, 0x1193F, 0x11941, 0x11A3A, 0x11A84, 0x11A85,
         0x11A86, 0x11A87, 0x11A88, 0x11A89, 0x11D46, 0x11F02],
    )
)
# Pictographs that are not in category So.
_EXTRA_PICTOGRAPHS = frozenset(
    map(chr, [0x203C, 0x2049, 0x2194, 0x2195, 0x2196, 0x2197, 0x2198, 0x2199, 0x21A9, 0x21AA,
              0x3030, 0x303D])
)


def _is_tag(cp: int) -> bool:
    return 0xE0020 <= cp <= 0xE007F  # tag characters (subdivision flags)


def _is_emoji_modifier(cp: int) -> bool:
    return 0x1F3FB <= cp <= 0x1F3FF  # skin tones


def _is_regional_indicator(cp: int) -> bool:
    return 0x1F1E6 <= cp <= 0x1F1FF


@functools.lru_cache(maxsize=8192)
def _break_class(ch: str) -> int:
    """Grapheme_Cluster_Break value of one code point (approximation, see module doc)."""
    if ch == "\r":
        return _CR
    if ch == "\n":
        return _LF
    if ch == _ZWJ_CHAR:
        return _ZWJ
    cp = ord(ch)
    if ch in _PREPEND_CHARS:
        return _PREPEND
    if _is_regional_indicator(cp):
        return _RI
    if _is_emoji_modifier(cp) or _is_tag(cp) or ch == _ZWNJ_CHAR or 0xFF9E <= cp <= 0xFF9F:
        return _EXTEND
    # Hangul jamo and syllables
    if 0x1100 <= cp <= 0x115F or 0xA960 <= cp <= 0xA97C:
        return _L
    if 0x1160 <= cp <= 0x11A7 or 0xD7B0 <= cp <= 0xD7C6:
        return _V
    if 0x11A8 <= cp <= 0x11FF or 0xD7CB <= cp <= 0xD7FB:
        return _T
    if 0xAC00 <= cp <= 0xD7A3:
        return _LV if (cp - 0xAC00) % 28 == 0 else _LVT
    cat = unicodedata.category(ch)
    if cat in ("Mn", "Me"):
        return _EXTEND
    if cat == "Mc":
        return _SPACING
    if cat in ("Cc", "Cf", "Zl", "Zp", "Cs"):
        return _CONTROL
    return _OTHER


@functools.lru_cache(maxsize=8192)
def _is_pictographic(ch: str) -> bool:
    cp = ord(ch)
    if _is_regional_indicator(cp) or _is_emoji_modifier(cp):
        return False
    return 0x1F000 <= cp <= 0x1FFFD or ch in _EXTRA_PICTOGRAPHS or unicodedata.category(ch) == "So"


_ASCII_CLUSTER = re.compile(r"\r\n|.", re.DOTALL)


def _check_text(text: object) -> str:
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    if not text:
        raise ValueError("The text is empty: type or paste at least one character.")
    if not text.strip():
        raise ValueError("The text contains only whitespace: type at least one visible character.")
    return text


def _grapheme_clusters(text: str) -> list[str]:
    """Split ``text`` into extended grapheme clusters (no validation; '' -> [])."""
    if text.isascii():  # fast path: in ASCII only CR LF forms a cluster of two
        return _ASCII_CLUSTER.findall(text)
    clusters: list[str] = []
    start = 0
    prev_cls = None
    ri_run = 0  # regional indicators in the current run (for GB12/GB13 pairing)
    picto_then_extend = False  # cluster so far matches  ExtPict Extend*  (for GB11)
    picto_zwj = False  # cluster so far matches  ExtPict Extend* ZWJ
    for pos, ch in enumerate(text):
        cls = _break_class(ch)
        if prev_cls is None:
            join = False
        elif prev_cls == _CR and cls == _LF:  # GB3
            join = True
        elif prev_cls in (_CONTROL, _CR, _LF) or cls in (_CONTROL, _CR, _LF):  # GB4, GB5
            join = False
        elif prev_cls == _L and cls in (_L, _V, _LV, _LVT):  # GB6
            join = True
        elif prev_cls in (_LV, _V) and cls in (_V, _T):  # GB7
            join = True
        elif prev_cls in (_LVT, _T) and cls == _T:  # GB8
            join = True
        elif cls in (_EXTEND, _ZWJ, _SPACING):  # GB9, GB9a
            join = True
        elif prev_cls == _PREPEND:  # GB9b
            join = True
        elif picto_zwj and _is_pictographic(ch):  # GB11
            join = True
        elif prev_cls == _RI and cls == _RI and ri_run % 2 == 1:  # GB12, GB13
            join = True
        else:  # GB999
            join = False

        if not join and pos > 0:
            clusters.append(text[start:pos])
            start = pos
        # update the state used by GB11 and GB12/13
        if not join:
            picto_then_extend = _is_pictographic(ch)
            picto_zwj = False
            ri_run = 1 if cls == _RI else 0
        else:
            if cls == _RI:
                ri_run += 1
            if cls == _ZWJ:
                picto_zwj = picto_then_extend
                picto_then_extend = False
            elif cls == _EXTEND:
                picto_zwj = False
            else:  # a pictograph joined by GB11, or a base joined otherwise
                picto_then_extend = picto_zwj and _is_pictographic(ch)
                picto_zwj = False
        prev_cls = cls
    if start < len(text):
        clusters.append(text[start:])
    return clusters


def tokenize_chars(text: str) -> list[str]:
    """Split ``text`` into user-perceived characters (grapheme clusters), see module doc.

    ``"".join(tokenize_chars(text)) == text`` always holds. ``"\\r\\n"`` is one token;
    other control/format characters are one token each.

    >>> tokenize_chars("e\\u0301👍🏽\\r\\n🇨🇳中") == ["e\\u0301", "👍🏽", "\\r\\n", "🇨🇳", "中"]
    True
    """
    return _grapheme_clusters(_check_text(text))


# --------------------------------------------------------------------------------------
# Words
# --------------------------------------------------------------------------------------
_APOSTROPHES = frozenset("'\u2019")
_NUMBER_JOINERS = frozenset(".,")


def _is_cjk_single(ch: str) -> bool:
    """CJK ideographs and Japanese kana: one token per character in ``tokenize_words``."""
    cp = ord(ch)
    return (
        0x3400 <= cp <= 0x4DBF  # CJK Ext A
        or 0x4E00 <= cp <= 0x9FFF  # CJK Unified Ideographs
        or 0xF900 <= cp <= 0xFAFF  # CJK Compatibility Ideographs
        or 0x20000 <= cp <= 0x3FFFF  # planes 2-3: CJK Ext B-I, compatibility supplement
        or 0x3040 <= cp <= 0x30FF  # Hiragana, Katakana
        or 0x31F0 <= cp <= 0x31FF  # Katakana phonetic extensions
        or 0xFF66 <= cp <= 0xFF9D  # halfwidth Katakana
        or cp in (0x3005, 0x3006, 0x3007)  # 々 〆 〇
    )


_SPACE, _FORMAT, _CTRL, _CJK, _WORD, _SINGLE = range(6)


def _word_class(cluster: str) -> int:
    base = cluster[0]
    if base in _PREPEND_CHARS and len(cluster) > 1:
        base = cluster[1]
    if cluster.isspace():  # "\r\n" included
        return _SPACE
    if base.isspace():
        return _SINGLE  # a space carrying combining marks: keep it visible
    cat = unicodedata.category(base)
    if cat == "Cf":
        if all(unicodedata.category(ch) == "Cf" for ch in cluster):
            return _FORMAT
        return _SINGLE
    if cat in ("Cc", "Cs"):
        return _CTRL
    if _is_cjk_single(base):
        return _CJK
    if cat[0] in "LMN" or cat == "Pc":
        return _WORD
    return _SINGLE


def tokenize_words(text: str) -> list[str]:
    """Words (with inner apostrophes), numbers, single CJK characters, punctuation.

    Whitespace and invisible format characters are dropped; see the module doc.

    >>> tokenize_words("Don't panic: 3.14 apples, 你好!")
    ["Don't", 'panic', ':', '3.14', 'apples', ',', '你', '好', '!']
    """
    clusters = _grapheme_clusters(_check_text(text))
    classes = [_word_class(c) for c in clusters]
    tokens: list[str] = []
    word: list[str] = []

    def flush() -> None:
        if word:
            tokens.append("".join(word))
            word.clear()

    n = len(clusters)
    for idx, (cluster, cls) in enumerate(zip(clusters, classes)):
        if cls == _WORD:
            word.append(cluster)
            continue
        nxt_is_word = idx + 1 < n and classes[idx + 1] == _WORD
        if word and nxt_is_word and cluster in _APOSTROPHES:
            word.append(cluster)  # don't, l'homme, rock'n'roll
            continue
        if (
            word
            and nxt_is_word
            and cluster in _NUMBER_JOINERS
            and word[-1][-1].isdigit()
            and clusters[idx + 1][0].isdigit()
        ):
            word.append(cluster)  # 3.14, 1,000
            continue
        flush()
        if cls in (_SPACE, _FORMAT):
            continue
        tokens.append(cluster)  # CJK char, control char, punctuation, symbol, emoji
    flush()
    if not tokens:
        raise ValueError("The text has no visible words or characters (only spaces or invisible format characters).")
    return tokens


def tokenize(text: str, mode: str = "char") -> list[str]:
    """``tokenize_chars`` (mode="char") or ``tokenize_words`` (mode="word")."""
    if mode == "char":
        return tokenize_chars(text)
    if mode == "word":
        return tokenize_words(text)
    raise ValueError(f"unknown tokenization mode {mode!r}; use 'char' or 'word'")


# --------------------------------------------------------------------------------------
# Display
# --------------------------------------------------------------------------------------
_DISPLAY_WHOLE = {"\n": "⏎", "\r\n": "⏎", " ": "␣", "\t": "⇥"}
_JOINERS = frozenset([_ZWJ_CHAR, _ZWNJ_CHAR])
_DOTTED_CIRCLE = "\u25cc"


def _is_invisible(ch: str) -> bool:
    """Characters that would be invisible, or would reorder/break a label, if shown raw."""
    if ch in _JOINERS or _is_tag(ord(ch)):
        return False  # parts of emoji sequences and Persian/Indic words; harmless inside a token
    return unicodedata.category(ch) in ("Cc", "Cf", "Zs", "Zl", "Zp", "Cs", "Co")


def display_token(token: str, max_len: int | None = None) -> str:
    """A visible, single-line, direction-safe label for ``token`` (plain text, NOT HTML-escaped).

    * ``"\\n"`` and ``"\\r\\n"`` -> ``"⏎"``, ``" "`` -> ``"␣"``, ``"\\t"`` -> ``"⇥"``;
    * any other control, format (bidi overrides such as U+202E, zero-width space, BOM),
      separator, non-ASCII space, surrogate or private-use character -> ``"U+XXXX"``
      (several such characters in one token are joined with a space);
      ZWJ, ZWNJ and tag characters inside a visible token are kept (emoji sequences);
    * a token starting with a combining mark gets a dotted circle base ``"◌́"``;
    * ``max_len``: longer labels are cut and end with ``"…"``.

    Escaping for HTML/markdown is the renderer's job; this only makes the label visible.
    """
    if not isinstance(token, str):
        raise TypeError(f"token must be a str, got {type(token).__name__}")
    if token == "":
        return "∅"
    label = _DISPLAY_WHOLE.get(token)
    if label is None:
        if all(_is_invisible(ch) or ch in _JOINERS or _is_tag(ord(ch)) for ch in token):
            label = " ".join(_DISPLAY_WHOLE.get(ch) or f"U+{ord(ch):04X}" for ch in token)
        else:
            parts = []
            for ch in token:
                if ch in _DISPLAY_WHOLE:
                    parts.append(_DISPLAY_WHOLE[ch])
                elif _is_invisible(ch):
                    parts.append(f"U+{ord(ch):04X}")
                else:
                    parts.append(ch)
            label = "".join(parts)
            if unicodedata.category(token[0]) in ("Mn", "Mc", "Me"):
                label = _DOTTED_CIRCLE + label
    if max_len is not None and len(label) > max_len:
        label = label[: max(max_len - 1, 0)] + "…"
    return label


# --------------------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------------------
@dataclass
class Vocab:
    """Token <-> id table with an optional unknown token.

    ``Vocab.build(tokens)`` puts ``unk`` at id 0, then the tokens. ``encode`` maps tokens
    not in the table to ``unk_id`` (or raises ``KeyError`` when ``unk`` is None).

    >>> v = Vocab.build(list("hello"))
    >>> v.encode(list("hex")).tolist()
    [1, 2, 0]
    >>> v.decode([1, 2, 0])
    ['h', 'e', '<unk>']
    """

    tokens: tuple[str, ...]
    unk: str | None = "<unk>"
    _index: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.tokens = tuple(self.tokens)
        for tok in self.tokens:
            if not isinstance(tok, str):
                raise TypeError(f"vocabulary tokens must be str, got {type(tok).__name__}")
        self._index = {tok: i for i, tok in enumerate(self.tokens)}
        if len(self._index) != len(self.tokens):
            dupes = [t for t, n in Counter(self.tokens).items() if n > 1]
            raise ValueError(f"duplicate tokens in vocabulary: {dupes[:5]!r}")
        if self.unk is not None and self.unk not in self._index:
            raise ValueError(f"unknown token {self.unk!r} is not in the vocabulary")

    @classmethod
    def build(
        cls,
        tokens: Iterable[str],
        unk: str | None = "<unk>",
        min_count: int = 1,
        max_size: int | None = None,
        order: str = "first",
    ) -> "Vocab":
        """Vocabulary of ``tokens``; ``unk`` (if not None) gets id 0.

        order: "first" (first appearance), "frequency" (most frequent first, ties by first
        appearance) or "sorted" (code point order). ``max_size`` counts ``unk`` and keeps the
        most frequent tokens; ``min_count`` drops rarer tokens. Deterministic for a given input.
        """
        if isinstance(tokens, str):
            raise TypeError("pass a list of tokens (e.g. tokenize_chars(text)), not a str")
        counts = Counter()
        first_seen: dict[str, int] = {}
        for pos, tok in enumerate(tokens):
            if not isinstance(tok, str):
                raise TypeError(f"tokens must be str, got {type(tok).__name__}")
            counts[tok] += 1
            first_seen.setdefault(tok, pos)
        kept = [t for t in first_seen if counts[t] >= min_count and t != unk]
        if max_size is not None:
            room = max_size - (unk is not None)
            if room < 0:
                raise ValueError("max_size must leave room for the unknown token")
            kept = sorted(kept, key=lambda t: (-counts[t], first_seen[t]))[:room]
        if order == "first":
            kept.sort(key=first_seen.__getitem__)
        elif order == "frequency":
            kept.sort(key=lambda t: (-counts[t], first_seen[t]))
        elif order == "sorted":
            kept.sort()
        else:
            raise ValueError(f"unknown order {order!r}; use 'first', 'frequency' or 'sorted'")
        return cls(tuple(([unk] if unk is not None else []) + kept), unk=unk)

    @property
    def unk_id(self) -> int | None:
        return None if self.unk is None else self._index[self.unk]

    def __len__(self) -> int:
        return len(self.tokens)

    def __contains__(self, token: object) -> bool:
        return token in self._index

    def __iter__(self):
        return iter(self.tokens)

    def token_to_id(self, token: str) -> int:
        idx = self._index.get(token)
        if idx is None:
            if self.unk is None:
                raise KeyError(f"token {token!r} is not in the vocabulary (and it has no unknown token)")
            return self._index[self.unk]
        return idx

    def id_to_token(self, idx: int) -> str:
        return self.decode([idx])[0]

    def encode(self, tokens: Sequence[str]) -> np.ndarray:
        """(T,) int64 ids; tokens not in the table -> ``unk_id``."""
        if isinstance(tokens, str):
            raise TypeError("pass a list of tokens (e.g. tokenize_chars(text)), not a str")
        return np.fromiter((self.token_to_id(t) for t in tokens), dtype=np.int64)

    def decode(self, ids: Iterable[int] | np.ndarray) -> list[str]:
        """Tokens for ``ids``; ``ValueError`` for an id outside ``[0, len)``."""
        ids = np.asarray(ids)
        if ids.size == 0:
            return []
        if ids.ndim != 1 or not np.issubdtype(ids.dtype, np.integer):
            raise ValueError(f"ids must be a 1-D integer sequence, got shape {ids.shape} dtype {ids.dtype}")
        bad = (ids < 0) | (ids >= len(self.tokens))
        if bad.any():
            raise ValueError(f"ids out of range [0, {len(self.tokens)}): {ids[bad][:5].tolist()}")
        return [self.tokens[i] for i in ids.tolist()]

    def to_dict(self) -> dict:
        """JSON-serialisable ``{"format": ..., "tokens": [...], "unk": ...}``."""
        return {"format": "lstm_viz.Vocab/1", "tokens": list(self.tokens), "unk": self.unk}

    @classmethod
    def from_dict(cls, data: dict) -> "Vocab":
        if not isinstance(data, dict) or "tokens" not in data:
            raise ValueError("not a vocabulary dict (expected a 'tokens' list)")
        tokens = data["tokens"]
        if isinstance(tokens, np.ndarray):
            tokens = tokens.tolist()
        if not isinstance(tokens, (list, tuple)):
            raise ValueError("vocabulary 'tokens' must be a list of strings")
        return cls(tuple(tokens), unk=data.get("unk"))

    def to_json(self) -> str:
        """JSON text (ASCII-escaped: safe for NUL, lone surrogates and numpy string arrays).

        Store a vocabulary in an ``.npz`` as ``np.array(vocab.to_json())``, not as an array
        of tokens: numpy's fixed-width strings drop trailing ``"\\x00"`` characters.
        """
        return json.dumps(self.to_dict(), ensure_ascii=True)

    @classmethod
    def from_json(cls, text: str) -> "Vocab":
        return cls.from_dict(json.loads(str(text)))


# --------------------------------------------------------------------------------------
# Embeddings
# --------------------------------------------------------------------------------------
def one_hot(ids, num_classes: int, dtype=np.float64) -> np.ndarray:
    """(..., V) one-hot rows for integer ``ids`` of any shape; ``ValueError`` if out of range."""
    ids = np.asarray(ids)
    if ids.size and not np.issubdtype(ids.dtype, np.integer):
        raise ValueError(f"ids must be integers, got dtype {ids.dtype}")
    num_classes = int(num_classes)
    if num_classes < 1:
        raise ValueError("num_classes must be >= 1")
    if ids.size and (ids.min() < 0 or ids.max() >= num_classes):
        raise ValueError(f"ids must lie in [0, {num_classes}), got range [{ids.min()}, {ids.max()}]")
    out = np.zeros(ids.shape + (num_classes,), dtype=dtype)  # (..., V)
    np.put_along_axis(out, ids.astype(np.int64)[..., None], 1, axis=-1)
    return out


def random_embedding(num_tokens: int, dim: int, seed: int = 0, dtype=np.float64) -> np.ndarray:
    """(V, dim) table with entries N(0, 1/dim) from ``np.random.default_rng(seed)``.

    Rows have norm ~ 1. Same (V, dim, seed) -> same table; look rows up with ``table[ids]``.
    """
    if num_tokens < 1 or dim < 1:
        raise ValueError("num_tokens and dim must be >= 1")
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((num_tokens, dim)) / np.sqrt(dim)).astype(dtype)


_HASH_DOMAIN = b"lstm_viz.hash_embedding/1\x00"
_U64_PER_DIGEST = 8  # blake2b(digest_size=64) -> 8 little-endian uint64


def _hash_vector(token: str, dim: int, seed: int) -> np.ndarray:
    """(dim,) float64, uniform in [-sqrt(3/dim), sqrt(3/dim)) (variance 1/dim), from BLAKE2b only."""
    payload = token.encode("utf-8", "surrogatepass")
    prefix = _HASH_DOMAIN + str(int(seed)).encode("ascii") + b"\x00"
    n_blocks = -(-dim // _U64_PER_DIGEST)
    raw = b"".join(
        hashlib.blake2b(prefix + block.to_bytes(4, "little") + payload, digest_size=64).digest()
        for block in range(n_blocks)
    )
    words = np.frombuffer(raw, dtype="<u8")[:dim]
    unit = (words >> np.uint64(11)).astype(np.float64) * 2.0**-53  # [0, 1), 53 random bits
    return (2.0 * unit - 1.0) * np.sqrt(3.0 / dim)


def hash_embedding(tokens: Sequence[str], dim: int, seed: int = 0, dtype=np.float64) -> np.ndarray:
    """(T, dim) vectors: each token string hashed (BLAKE2b of seed + token) to a fixed vector.

    The same token gets the same vector in any text, process, platform and numpy version
    (Python's ``hash()`` is salted per process and is not used). Entries are uniform with
    variance 1/dim, so rows have norm ~ 1.
    """
    if isinstance(tokens, str):
        raise TypeError("pass a list of tokens (e.g. tokenize_chars(text)), not a str")
    dim = int(dim)
    if dim < 1:
        raise ValueError("dim must be >= 1")
    tokens = list(tokens)
    cache: dict[str, np.ndarray] = {}
    out = np.empty((len(tokens), dim), dtype=dtype)  # (T, dim)
    for t, tok in enumerate(tokens):
        vec = cache.get(tok)
        if vec is None:
            if not isinstance(tok, str):
                raise TypeError(f"tokens must be str, got {type(tok).__name__}")
            vec = cache[tok] = _hash_vector(tok, dim, seed)
        out[t] = vec
    return out
