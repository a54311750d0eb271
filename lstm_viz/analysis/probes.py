"""Find interpretable cells: per-character hypothesis labels and unit ranking (numpy only).

In the spirit of LSTMVis's hypothesis test (Strobelt et al. 2018) and of Karpathy, Johnson &
Fei-Fei (2015), "Visualizing and Understanding Recurrent Networks": write down a property of the
text as one number per character (a *label*), run the model over the text, and rank the hidden
units by how well their activation follows the label:

    r_u = Pearson(a_u, y) = Σ_t (a_{t,u} - ā_u)(y_t - ȳ) / sqrt(Σ_t (a_{t,u} - ā_u)² · Σ_t (y_t - ȳ)²)

and report the units with the largest |r_u| (the sign says whether the unit turns on or off).

Every label describes the state **after reading** character t, because that is what the hidden
state h_t has seen: the opening quote of a string is already "inside", the closing quote is not.

Built-in labels (Python-flavoured, but ``column`` and ``regex`` work for any text):

* ``in_string``     1 inside '...', "...", '''...''', \"\"\"...\"\"\" (backslash escapes; a single-quoted
                    string ends at a newline if unterminated)
* ``in_comment``    1 from ``#`` (outside strings) to the end of the line
* ``bracket_depth`` nesting depth of (), [], {} in code (not in strings or comments), never below 0
* ``column``        characters read so far on the current line (0 right after a newline)
* ``indent``        leading whitespace of the current line read so far (a tab counts 4)
* ``since_punct``   characters read since the last punctuation mark or newline (the rhythm of a
                    verse line: 1..5 or 1..7 in Tang poems), 0 on the mark itself
* ``poem_header``   1 on a poem's title and author lines (the corpus writes 《title》, then 作者：name,
                    then the verse lines), 0 in the verse; a blank line starts the next poem
* ``rhyme_half``    1 in the second half of a couplet: after the comma-like mark (，、；) up to the
                    full stop (。？！) that ends it, where regulated verse puts its rhyme
* ``regex``         1 on characters inside a match of a user pattern (capped text, time-limited)
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass

import numpy as np

MAX_TEXT_CHARS = 20_000
MAX_REGEX_TEXT_CHARS = 5_000
MAX_PATTERN_CHARS = 200
REGEX_TIMEOUT_SECONDS = 2.0

BUILTIN_LABELS = ("in_string", "in_comment", "bracket_depth", "column", "indent", "since_punct",
                  "poem_header", "rhyme_half")
_HALF_MARKS, _FULL_MARKS = "，,、；;", "。？！.?!"
_OPEN, _CLOSE = "([{", ")]}"


class LabelError(ValueError):
    """A label cannot be computed or used; ``code`` names the reason (for translated UI messages).

    Codes: empty_text, text_too_long, regex_empty, regex_too_long, regex_invalid, regex_timeout,
    regex_failed, constant_label, unknown_label.  ``details`` holds the numbers/reason in the message.
    """

    def __init__(self, code: str, message: str, **details):
        super().__init__(message)
        self.code = code
        self.details = details


def _check_text(text: str, cap: int = MAX_TEXT_CHARS) -> None:
    if not isinstance(text, str) or text == "":
        raise LabelError("empty_text", "The text is empty: type at least one character.")
    if len(text) > cap:
        raise LabelError("text_too_long", f"The text is too long for labelling ({len(text):,} characters; "
                         f"at most {cap:,}).", n=len(text), cap=cap)


def python_lexical_states(text: str) -> dict[str, np.ndarray]:
    """One pass of a small Python lexer state machine.

    Returns float arrays (T,): ``in_string``, ``in_comment`` and ``bracket_depth`` (see module doc).
    """
    _check_text(text)
    T = len(text)
    in_string = np.zeros(T)
    in_comment = np.zeros(T)
    depth = np.zeros(T)
    quote = ""  # current delimiter: "", "'", '"', "'''", '\"\"\"'
    comment = False
    level = 0
    t = 0
    while t < T:
        ch = text[t]
        if comment:
            if ch == "\n":
                comment = False
            else:
                in_comment[t] = 1.0
            depth[t] = level
            t += 1
            continue
        if quote:
            if ch == "\\" and t + 1 < T:  # escape: this and the next character stay inside
                in_string[t] = in_string[t + 1] = 1.0
                depth[t] = depth[t + 1] = level
                t += 2
                continue
            if len(quote) == 3 and text.startswith(quote, t):
                in_string[t : t + 2] = 1.0  # the first two closing quotes are still inside
                depth[t : t + 3] = level
                quote = ""
                t += 3
                continue
            if len(quote) == 1 and (ch == quote or ch == "\n"):
                quote = ""
                depth[t] = level
                t += 1
                continue
            in_string[t] = 1.0
            depth[t] = level
            t += 1
            continue
        # code
        if ch == "#":
            comment = True
            in_comment[t] = 1.0
        elif ch in "'\"":
            triple = ch * 3
            if text.startswith(triple, t):
                quote = triple
                in_string[t : t + 3] = 1.0
                depth[t : t + 3] = level
                t += 3
                continue
            quote = ch
            in_string[t] = 1.0
        elif ch in _OPEN:
            level += 1
        elif ch in _CLOSE:
            level = max(0, level - 1)
        depth[t] = level
        t += 1
    return {"in_string": in_string, "in_comment": in_comment, "bracket_depth": depth}


def column_label(text: str) -> np.ndarray:
    """Characters read so far on the current line: "ab\\ncd" -> [1, 2, 0, 1, 2]."""
    _check_text(text)
    out = np.zeros(len(text))
    col = 0
    for t, ch in enumerate(text):
        col = 0 if ch == "\n" else col + 1
        out[t] = col
    return out


def indent_label(text: str, tab_width: int = 4) -> np.ndarray:
    """Leading whitespace width of the current line read so far: " a\\n  b" -> [1, 1, 0, 1, 2, 2]."""
    _check_text(text)
    out = np.zeros(len(text))
    width, leading = 0, True
    for t, ch in enumerate(text):
        if ch == "\n":
            width, leading = 0, True
        elif leading and ch == " ":
            width += 1
        elif leading and ch == "\t":
            width += tab_width
        else:
            leading = False
        out[t] = width
    return out


def since_punctuation_label(text: str) -> np.ndarray:
    """Characters since the last punctuation mark (Unicode category P*) or newline: "ab，c" -> [1, 2, 0, 1]."""
    import unicodedata

    _check_text(text)
    out = np.zeros(len(text))
    count = 0
    for t, ch in enumerate(text):
        count = 0 if ch == "\n" or unicodedata.category(ch).startswith("P") else count + 1
        out[t] = count
    return out


def poem_header_label(text: str) -> np.ndarray:
    """1 on the title and author lines of each poem, 0 on its verse lines.

    A poem is "《title》\\n作者：author\\n" then one line per couplet; poems are separated by an empty
    line. The header is the first two lines of a poem, newlines included:
    "《春》\\n作者：某\\n花开。\\n" -> 1 on "《春》\\n作者：某\\n", 0 on "花开。\\n".
    """
    _check_text(text)
    out = np.zeros(len(text))
    line_in_poem = 0                         # 0 title, 1 author, 2.. verse
    for t, ch in enumerate(text):
        out[t] = 1.0 if line_in_poem < 2 else 0.0
        if ch == "\n":
            at_line_start = t == 0 or text[t - 1] == "\n"
            line_in_poem = 0 if at_line_start else line_in_poem + 1
        elif ch == "《" and (t == 0 or text[t - 1] == "\n"):
            line_in_poem = 0                 # a title line always starts a poem
            out[t] = 1.0
    return out


def rhyme_half_label(text: str) -> np.ndarray:
    """1 after a half-line mark (，、；) until the full stop (。？！) or newline that ends the couplet.

    Like ``in_string``'s quotes, the mark that opens the second half is already inside and the mark that
    closes it is not: "月光，地霜。" -> [0, 0, 1, 1, 1, 0].
    """
    _check_text(text)
    out = np.zeros(len(text))
    inside = False
    for t, ch in enumerate(text):
        if ch in _HALF_MARKS:
            inside = True
        elif ch in _FULL_MARKS or ch == "\n":
            inside = False
        out[t] = 1.0 if inside else 0.0
    return out


def _validate_pattern(pattern: str) -> None:
    import re

    if not isinstance(pattern, str) or pattern == "":
        raise LabelError("regex_empty", "The regular expression is empty.")
    if len(pattern) > MAX_PATTERN_CHARS:
        raise LabelError("regex_too_long", f"The regular expression is too long (at most {MAX_PATTERN_CHARS} "
                         "characters).", cap=MAX_PATTERN_CHARS)
    try:
        re.compile(pattern)
    except re.error as exc:
        raise LabelError("regex_invalid", f"Invalid regular expression: {exc}", reason=str(exc)) from None


_REGEX_WORKER = r"""
import json, re, sys
job = json.loads(sys.stdin.read())
spans = [m.span() for m in re.finditer(job["pattern"], job["text"])]
sys.stdout.write(json.dumps(spans))
"""


def regex_spans(pattern: str, text: str, timeout: float = REGEX_TIMEOUT_SECONDS) -> list[tuple[int, int]]:
    """(start, end) of every match, computed in a separate Python process killed after ``timeout``.

    Python's ``re`` can backtrack for exponential time (e.g. ``(a+)+b``); a child process is the
    one reliable way to stop it.  LabelError (a ValueError) with a clear message on an invalid or slow pattern.
    """
    _validate_pattern(pattern)
    _check_text(text, MAX_REGEX_TEXT_CHARS)
    job = json.dumps({"pattern": pattern, "text": text})
    try:
        done = subprocess.run(
            [sys.executable, "-I", "-S", "-c", _REGEX_WORKER],
            input=job, capture_output=True, text=True, timeout=timeout, encoding="utf-8",
        )
    except subprocess.TimeoutExpired:
        raise LabelError(
            "regex_timeout",
            f"The regular expression took longer than {timeout:g} s on this text (catastrophic backtracking?). "
            "Simplify it, e.g. avoid nested repetition like (a+)+.",
            seconds=timeout,
        ) from None
    if done.returncode != 0:
        raise LabelError("regex_failed", "The regular expression could not be evaluated on this text.")
    return [tuple(s) for s in json.loads(done.stdout)]


def regex_label(pattern: str, text: str) -> np.ndarray:
    """1.0 on characters inside a (non-empty) match of ``pattern``, else 0.0."""
    out = np.zeros(len(text))
    for start, end in regex_spans(pattern, text):
        out[start:end] = 1.0
    return out


def builtin_label(name: str, text: str) -> np.ndarray:
    """The label array (T,) float64 for a built-in label name (see ``BUILTIN_LABELS``)."""
    if name in ("in_string", "in_comment", "bracket_depth"):
        return python_lexical_states(text)[name]
    if name == "column":
        return column_label(text)
    if name == "indent":
        return indent_label(text)
    if name == "since_punct":
        return since_punctuation_label(text)
    if name == "poem_header":
        return poem_header_label(text)
    if name == "rhyme_half":
        return rhyme_half_label(text)
    raise LabelError("unknown_label",
                     f"unknown label {name!r}; choose one of {', '.join(BUILTIN_LABELS)} or a regular expression")


@dataclass(frozen=True)
class CellScore:
    """One unit's agreement with a label."""

    unit: int
    r: float  # Pearson correlation in [-1, 1]


def correlations(activations: np.ndarray, label: np.ndarray) -> np.ndarray:
    """Pearson r of every unit with the label: activations (T, H), label (T,) -> (H,).

    A unit that is constant over the text gets r = 0. ValueError if the label is constant
    (nothing to correlate with) or the shapes disagree.
    """
    a = np.asarray(activations, dtype=np.float64)
    y = np.asarray(label, dtype=np.float64)
    if a.ndim != 2 or y.ndim != 1 or a.shape[0] != y.shape[0]:
        raise ValueError(f"activations (T, H) and label (T,) must share T; got {a.shape} and {y.shape}")
    if a.shape[0] < 2:
        raise ValueError("Need at least two characters to correlate.")
    y_c = y - y.mean()
    y_norm = np.sqrt(np.sum(y_c * y_c))
    if y_norm < 1e-12 * max(1.0, np.abs(y).max()):
        raise LabelError("constant_label", "The label is constant on this text, so no unit can correlate with it.")
    a_c = a - a.mean(axis=0)  # (T, H)
    a_norm = np.sqrt(np.sum(a_c * a_c, axis=0))  # (H,)
    cov = a_c.T @ y_c  # (H,)
    safe = a_norm > 1e-12
    r = np.zeros(a.shape[1])
    r[safe] = cov[safe] / (a_norm[safe] * y_norm)
    return np.clip(r, -1.0, 1.0)


def rank_units(activations: np.ndarray, label: np.ndarray, top: int = 5) -> list[CellScore]:
    """The ``top`` units by |Pearson r| with the label, best first (ties: lower unit first)."""
    return score_units(activations, label, top).best


#: A best |r| below this is a weak match (the page says so).
WEAK_CORRELATION = 0.3
#: A label whose |corr| with the step number exceeds this mostly grows with time (e.g. the column on a text
#: without line breaks): any unit that drifts matches it.
DRIFT_CORRELATION = 0.9


@dataclass(frozen=True)
class UnitScores:
    """Every unit's agreement with a label, and the best units.

    r:    (H,) Pearson r of each unit with the label
    best: the ``top`` units by |r|, best first (ties: lower unit first)
    label_drifts: the label mostly follows the step number (|corr(label, t)| > DRIFT_CORRELATION)
    """

    r: np.ndarray
    best: list[CellScore]
    label_drifts: bool

    @property
    def units(self) -> np.ndarray:
        """(top,) the best units, best first."""
        return np.array([score.unit for score in self.best], dtype=np.int64)

    @property
    def weak(self) -> bool:
        """The best unit's |r| is below WEAK_CORRELATION."""
        return abs(self.best[0].r) < WEAK_CORRELATION


def score_units(activations: np.ndarray, label: np.ndarray, top: int = 5) -> UnitScores:
    """r of every unit (:func:`correlations`), the ``top`` best by |r|, and whether the label drifts with time."""
    r = correlations(activations, label)
    order = np.argsort(-np.abs(r), kind="stable")[: max(1, int(top))]
    y = np.asarray(label, dtype=np.float64)
    steps = np.arange(y.size, dtype=np.float64)
    drifts = y.size > 2 and abs(float(correlations(steps[:, None], y)[0])) > DRIFT_CORRELATION
    return UnitScores(r=r, best=[CellScore(int(u), float(r[u])) for u in order], label_drifts=bool(drifts))


def next_char_scores(probs: np.ndarray, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """How a language model scored the character that actually came next.

    probs: (T, V) row t = P(next character | text[:t+1]) (``CharLM.predict``); ids: (T,) the text's ids.
    Returns ``(p (T-1,), rank (T-1,))``: p[t] = probs[t, ids[t+1]] and its rank among the V candidates
    (1 = the model's first choice; ties count in the character's favour).
    """
    probs = np.asarray(probs)
    ids = np.asarray(ids)
    steps = np.arange(ids.size - 1)
    p = probs[steps, ids[1:]]  # (T-1,)
    rank = (probs[:-1] > p[:, None]).sum(axis=1) + 1  # (T-1,)
    return p, rank.astype(np.int64)


def uniform_bits_per_char(vocab_size: int) -> float:
    """log2 V: the bits per character of a model that guesses uniformly (the baseline a trained LM beats)."""
    return float(np.log2(int(vocab_size)))
