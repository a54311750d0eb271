"""Tokenizers, Vocab, embeddings and display labels (lstm_viz.data.text)."""

import json
import unicodedata

import numpy as np
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from lstm_viz.data.text import (
    Vocab,
    display_token,
    hash_embedding,
    one_hot,
    random_embedding,
    tokenize,
    tokenize_chars,
    tokenize_words,
)

ZWJ = "\u200d"
FAMILY = "\U0001F468" + ZWJ + "\U0001F469" + ZWJ + "\U0001F467" + ZWJ + "\U0001F466"  # 👨‍👩‍👧‍👦
THUMBS_MEDIUM = "\U0001F44D\U0001F3FD"  # 👍🏽
FLAG_CN = "\U0001F1E8\U0001F1F3"
FLAG_FR = "\U0001F1EB\U0001F1F7"
ENGLAND = "\U0001F3F4\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F"
KEYCAP_ONE = "1\ufe0f\u20e3"
RED_HEART = "\u2764\ufe0f"
WOMAN_TECH_DARK = "\U0001F469\U0001F3FF" + ZWJ + "\U0001F4BB"  # 👩🏿‍💻


def non_blank_text(**kwargs):
    return st.text(**kwargs).filter(lambda s: s.strip() != "")


# ----------------------------------------------------------------------------- chars
@pytest.mark.parametrize(
    "text, expected",
    [
        ("abc", ["a", "b", "c"]),
        ("中文字符", ["中", "文", "字", "符"]),
        ("e\u0301te\u0301", ["e\u0301", "t", "e\u0301"]),  # combining acute stays with its base
        ("a\u0308\u0301b", ["a\u0308\u0301", "b"]),  # several marks
        (FAMILY + "!", [FAMILY, "!"]),
        (THUMBS_MEDIUM * 2, [THUMBS_MEDIUM, THUMBS_MEDIUM]),
        (WOMAN_TECH_DARK, [WOMAN_TECH_DARK]),
        (FLAG_CN + FLAG_FR, [FLAG_CN, FLAG_FR]),
        (FLAG_CN + "\U0001F1EB", [FLAG_CN, "\U0001F1EB"]),  # odd regional indicator left alone
        (ENGLAND + "x", [ENGLAND, "x"]),
        (KEYCAP_ONE + RED_HEART, [KEYCAP_ONE, RED_HEART]),
        ("a\r\nb", ["a", "\r\n", "b"]),  # CRLF is one token
        ("x\n\r", ["x", "\n", "\r"]),  # LF CR is two
        ("a\tb\x00\x07\x1b", ["a", "\t", "b", "\x00", "\x07", "\x1b"]),
        ("\u202eabc", ["\u202e", "a", "b", "c"]),  # bidi override: own token
        ("a\u200bb", ["a", "\u200b", "b"]),  # zero-width space: own token
        ("\ufeffhi", ["\ufeff", "h", "i"]),  # BOM
        ("\u0301a", ["\u0301", "a"]),  # orphan mark at the start is its own token
        ("\n\u0301", ["\n", "\u0301"]),  # marks never attach to control characters
        ("\u1100\u1161\u11a8", ["\u1100\u1161\u11a8"]),  # Hangul jamo L V T -> one syllable
        ("한국", ["한", "국"]),
        ("שלום", ["ש", "ל", "ו", "ם"]),  # RTL: logical order
        ("مرحبا", ["م", "ر", "ح", "ب", "ا"]),
        ("\u0600\u0661", ["\u0600\u0661"]),  # Arabic number sign (Prepend) + digit
        ("\U0001F600" + ZWJ + "a", ["\U0001F600" + ZWJ, "a"]),  # ZWJ only joins pictographs
    ],
)
def test_tokenize_chars_cases(text, expected):
    assert tokenize_chars(text) == expected
    assert "".join(expected) == text


@pytest.mark.parametrize("bad", ["", " ", "\n", "\r\n", " \t\n\u3000\u00a0\u2028"])
@pytest.mark.parametrize("tokenizer", [tokenize_chars, tokenize_words])
def test_empty_or_whitespace_text_is_a_clear_value_error(tokenizer, bad):
    with pytest.raises(ValueError, match="empty|whitespace"):
        tokenizer(bad)


@pytest.mark.parametrize("tokenizer", [tokenize_chars, tokenize_words])
def test_non_str_is_type_error(tokenizer):
    with pytest.raises(TypeError):
        tokenizer(b"bytes")
    with pytest.raises(TypeError):
        tokenizer(None)


@settings(max_examples=300, deadline=None)
@given(non_blank_text())
@example("a\r\nb")
@example("\ud800x")  # lone surrogate
@example(FAMILY + ENGLAND + "\u0301")
def test_char_tokens_concatenate_to_the_text(text):
    tokens = tokenize_chars(text)
    assert "".join(tokens) == text
    assert all(tokens)
    # every control/format character other than CRLF is alone in its token
    for tok in tokens:
        if len(tok) > 1 and tok != "\r\n":
            assert not any(unicodedata.category(ch) == "Cc" for ch in tok)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_tokenizers_never_crash(text):
    for tokenizer in (tokenize_chars, tokenize_words):
        try:
            tokens = tokenizer(text)
        except ValueError:
            continue
        assert tokens and all(isinstance(t, str) and t for t in tokens)
        for tok in tokens:
            display_token(tok)


@settings(max_examples=200, deadline=None)
@given(non_blank_text(alphabet=st.characters(max_codepoint=127)))
def test_ascii_fast_path_agrees_with_the_general_rules(text):
    """ASCII text takes a fast path; one non-ASCII character at the end forces the general one."""
    assert tokenize_chars(text + "\u00e9") == tokenize_chars(text) + ["\u00e9"]


# Characters whose cluster rules we implement exactly (no Indic conjuncts): compare to the
# `regex` module's \X when it is installed (it is a test oracle only, not a dependency).
ORACLE_ALPHABET = (
    list("ab ,.!1") + ["\r", "\n", "\t", "\x07", "\u200b", "\u202e", "\ufeff", "\u00a0"]
    + ["\u0301", "\u0308", "\u20e3", "\ufe0f", ZWJ, "\u200c"]
    + ["\U0001F468", "\U0001F469", "\U0001F467", "\u2764", "\U0001F44D", "\U0001F4BB", "\U0001F3F4"]
    + ["\U0001F3FB", "\U0001F3FD", "\U0001F1E8", "\U0001F1F3", "\U0001F1EB", "\U000E0067", "\U000E007F"]
    + ["\u1100", "\u1161", "\u11a8", "\uac00", "\uac01", "\u4e2d", "\u0645", "\u05e9", "\u0600", "\u0903"]
)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(ORACLE_ALPHABET), min_size=1, max_size=30))
def test_chars_match_unicode_grapheme_clusters_oracle(text):
    regex = pytest.importorskip("regex")
    assume(text.strip())
    assert tokenize_chars(text) == regex.findall(r"\X", text)


# ----------------------------------------------------------------------------- words
@pytest.mark.parametrize(
    "text, expected",
    [
        ("Hello, world!", ["Hello", ",", "world", "!"]),
        ("Don't stop; it's rock'n'roll.", ["Don't", "stop", ";", "it's", "rock'n'roll", "."]),
        ("l\u2019homme", ["l\u2019homme"]),  # typographic apostrophe
        ("'quoted' dogs'", ["'", "quoted", "'", "dogs", "'"]),  # edge apostrophes are punctuation
        ("pi is 3.14, not 1,000.5 or 42.", ["pi", "is", "3.14", ",", "not", "1,000.5", "or", "42", "."]),
        ("我爱北京天安门", ["我", "爱", "北", "京", "天", "安", "门"]),
        ("用LSTM学习，很好。", ["用", "LSTM", "学", "习", "，", "很", "好", "。"]),
        ("ひらがなカタカナ", list("ひらがなカタカナ")),
        ("한국어 문장", ["한국어", "문장"]),
        ("café naïve", ["café", "naïve"]),
        ("cafe\u0301!", ["cafe\u0301", "!"]),  # decomposed accent kept inside the word
        ("snake_case x2", ["snake_case", "x2"]),
        ("well-known", ["well", "-", "known"]),
        ("I " + "\u2764\ufe0f" + " " + FAMILY + "!!", ["I", RED_HEART, FAMILY, "!", "!"]),
        ("a\r\nb\tc  d\u3000e", ["a", "b", "c", "d", "e"]),
        ("a\u200bb\ufeffc\u200ed", ["a", "b", "c", "d"]),  # format characters separate, dropped
        ("beep\x07 \x00", ["beep", "\x07", "\x00"]),  # other controls kept
        ("שלום עולם", ["שלום", "עולם"]),
        ("مرحبا، بالعالم", ["مرحبا", "،", "بالعالم"]),
        ("$5 + 3 = 8", ["$", "5", "+", "3", "=", "8"]),
    ],
)
def test_tokenize_words_cases(text, expected):
    assert tokenize_words(text) == expected


def test_words_of_only_format_characters_is_value_error():
    with pytest.raises(ValueError, match="no visible"):
        tokenize_words("\u200b\u200e")


@settings(max_examples=300, deadline=None)
@given(non_blank_text())
def test_word_tokens_appear_in_order_without_whitespace(text):
    try:
        tokens = tokenize_words(text)
    except ValueError:
        return  # only format characters
    pos = 0
    for tok in tokens:
        assert tok and not tok.isspace()
        assert not any(ch.isspace() for ch in tok) or len(tokenize_chars(tok)) == 1
        found = text.find(tok, pos)
        assert found >= 0, (tok, text)
        pos = found + len(tok)


def test_tokenize_mode():
    assert tokenize("ab c", "char") == ["a", "b", " ", "c"]
    assert tokenize("ab c", "word") == ["ab", "c"]
    with pytest.raises(ValueError):
        tokenize("ab", "bpe")


# ----------------------------------------------------------------------------- display
@pytest.mark.parametrize(
    "token, label",
    [
        ("\n", "⏎"),
        ("\r\n", "⏎"),
        (" ", "␣"),
        ("\t", "⇥"),
        ("\x07", "U+0007"),
        ("\x00", "U+0000"),
        ("\r", "U+000D"),
        ("\u202e", "U+202E"),
        ("\u200b", "U+200B"),
        ("\u00a0", "U+00A0"),
        ("\u2028", "U+2028"),
        ("\ud800", "U+D800"),
        ("\ue000", "U+E000"),
        (ZWJ, "U+200D"),
        ("a", "a"),
        ("中", "中"),
        (FAMILY, FAMILY),
        (ENGLAND, ENGLAND),
        ("\u0301", "\u25cc\u0301"),
        ("<script>", "<script>"),  # escaping is the renderer's job
        ("x\u202ey", "xU+202Ey"),
        ("", "∅"),
    ],
)
def test_display_token(token, label):
    assert display_token(token) == label


def test_display_token_max_len():
    assert display_token("abcdefgh", max_len=4) == "abc…"
    assert display_token("abc", max_len=4) == "abc"


@settings(max_examples=300, deadline=None)
@given(non_blank_text())
def test_display_labels_are_visible_single_line(text):
    tokens = tokenize_chars(text)
    try:
        tokens += tokenize_words(text)
    except ValueError:
        pass  # only format characters: no words
    for tok in tokens:
        label = display_token(tok)
        assert label
        for ch in label:
            cat = unicodedata.category(ch)
            assert cat not in ("Cc", "Zl", "Zp", "Cs", "Co"), (tok, label)
            assert ch == " " or cat != "Zs", (tok, label)  # " " only separates U+XXXX codes
            if cat == "Cf":  # only emoji/word joiners and tag characters survive
                assert ch in (ZWJ, "\u200c") or 0xE0020 <= ord(ch) <= 0xE007F, (tok, label)


# ----------------------------------------------------------------------------- vocab
def test_vocab_basics():
    tokens = tokenize_chars("hello world")
    v = Vocab.build(tokens)
    assert v.unk_id == 0 and v.tokens[0] == "<unk>"
    assert len(v) == 1 + len(set(tokens))
    assert "h" in v and "z" not in v
    assert v.tokens[1:4] == ("h", "e", "l")  # first-appearance order
    ids = v.encode(tokenize_chars("hez"))
    assert ids.dtype == np.int64
    assert ids.tolist() == [1, 2, 0]
    assert v.decode(ids) == ["h", "e", "<unk>"]
    assert v.decode([]) == []


def test_vocab_orders_and_limits():
    toks = list("bbbaac")
    assert Vocab.build(toks, order="frequency").tokens == ("<unk>", "b", "a", "c")
    assert Vocab.build(toks, order="sorted").tokens == ("<unk>", "a", "b", "c")
    assert Vocab.build(toks, max_size=3).tokens == ("<unk>", "b", "a")
    assert Vocab.build(toks, min_count=2).tokens == ("<unk>", "b", "a")
    assert Vocab.build(toks, unk=None).tokens == ("b", "a", "c")
    with pytest.raises(ValueError):
        Vocab.build(toks, order="random")


def test_vocab_errors():
    v = Vocab.build(list("ab"), unk=None)
    with pytest.raises(KeyError):
        v.encode(["z"])
    with pytest.raises(ValueError, match="out of range"):
        v.decode([2])
    with pytest.raises(ValueError, match="out of range"):
        v.decode([-1])
    with pytest.raises(TypeError):
        v.encode("ab")
    with pytest.raises(TypeError):
        Vocab.build("ab")
    with pytest.raises(ValueError, match="duplicate"):
        Vocab(("a", "a"), unk=None)
    with pytest.raises(ValueError):
        Vocab(("a",), unk="<unk>")
    with pytest.raises(ValueError):
        Vocab.from_dict({"nope": 1})


def test_unk_string_in_the_text_maps_to_unk():
    v = Vocab.build(["<unk>", "a"])
    assert v.tokens == ("<unk>", "a")
    assert v.encode(["<unk>", "a"]).tolist() == [0, 1]


@settings(max_examples=200, deadline=None)
@given(non_blank_text(), st.sampled_from(["char", "word"]), st.sampled_from(["first", "frequency", "sorted"]))
def test_vocab_round_trips(text, mode, order):
    try:
        tokens = tokenize(text, mode)
    except ValueError:
        return
    v = Vocab.build(tokens, order=order)
    assert v.decode(v.encode(tokens)) == tokens
    for restored in (Vocab.from_dict(v.to_dict()), Vocab.from_json(v.to_json()),
                     Vocab.from_dict(json.loads(json.dumps(v.to_dict())))):
        assert restored == v
        assert restored.encode(tokens).tolist() == v.encode(tokens).tolist()
    # JSON stored in an npz-style numpy string scalar survives too
    assert Vocab.from_json(np.array(v.to_json())[()]) == v


# ----------------------------------------------------------------------------- embeddings
def test_one_hot():
    out = one_hot([2, 0, 1], 4)
    assert out.shape == (3, 4) and out.dtype == np.float64
    np.testing.assert_array_equal(out, np.eye(4)[[2, 0, 1]])
    batched = one_hot(np.array([[0, 1], [3, 2]]), 4, dtype=np.float32)
    assert batched.shape == (2, 2, 4) and batched.dtype == np.float32
    assert one_hot(np.array([], dtype=np.int64), 3).shape == (0, 3)
    with pytest.raises(ValueError):
        one_hot([4], 4)
    with pytest.raises(ValueError):
        one_hot([-1], 4)
    with pytest.raises(ValueError):
        one_hot([0.5], 4)


def test_random_embedding_is_seeded():
    a = random_embedding(10, 16, seed=3)
    assert a.shape == (10, 16)
    np.testing.assert_array_equal(a, random_embedding(10, 16, seed=3))
    assert not np.allclose(a, random_embedding(10, 16, seed=4))
    assert random_embedding(10, 16, dtype=np.float32).dtype == np.float32


def test_hash_embedding_same_token_same_vector_in_any_text():
    t1 = tokenize_chars("hello 世界 👍🏽")
    t2 = tokenize_chars("👍🏽 world 世")
    e1 = hash_embedding(t1, 24, seed=1)
    e2 = hash_embedding(t2, 24, seed=1)
    assert e1.shape == (len(t1), 24)
    np.testing.assert_array_equal(e1[t1.index("世")], e2[t2.index("世")])
    np.testing.assert_array_equal(e1[t1.index(THUMBS_MEDIUM)], e2[t2.index(THUMBS_MEDIUM)])
    np.testing.assert_array_equal(e1[2], e1[3])  # the two "l"
    assert not np.allclose(e1[0], e1[1])
    assert not np.allclose(hash_embedding(["a"], 24, seed=1), hash_embedding(["a"], 24, seed=2))
    # different lengths share a prefix of randomness but are rescaled: still deterministic
    np.testing.assert_array_equal(hash_embedding(["a"], 5), hash_embedding(["a"], 5))


def test_hash_embedding_is_stable_across_versions():
    """Golden values: derived from BLAKE2b only, so they never change with numpy or Python."""
    vec = hash_embedding(["a", "\ud800", ""], 3, seed=0)
    assert np.all(np.abs(vec) <= 1.0)  # sqrt(3/3)
    golden = hash_embedding(["a"], 3, seed=0)[0]
    import hashlib

    digest = hashlib.blake2b(b"lstm_viz.hash_embedding/1\x000\x00" + (0).to_bytes(4, "little") + b"a",
                             digest_size=64).digest()
    words = np.frombuffer(digest, dtype="<u8")[:3]
    expected = ((words >> np.uint64(11)).astype(np.float64) * 2.0**-53 * 2 - 1) * np.sqrt(3 / 3)
    np.testing.assert_array_equal(golden, expected)


def test_hash_embedding_statistics_and_dtype():
    tokens = [f"tok{i}" for i in range(400)]
    emb = hash_embedding(tokens, 64, seed=0, dtype=np.float32)
    assert emb.dtype == np.float32
    norms = np.linalg.norm(emb, axis=1)
    assert 0.8 < norms.mean() < 1.2
    assert abs(emb.mean()) < 0.02
    with pytest.raises(TypeError):
        hash_embedding("abc", 4)
    with pytest.raises(ValueError):
        hash_embedding(["a"], 0)
    assert hash_embedding([], 4).shape == (0, 4)
