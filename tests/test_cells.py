"""Hypothesis labels on hand-made strings and unit ranking on synthetic activations."""

import numpy as np
import pytest

from lstm_viz.analysis import probes as cells


def bits(a):
    return "".join(str(int(v)) for v in a)


def test_in_string_single_and_double_quotes():
    s = "a = 'x' + \"y#\"  # z"
    st = cells.python_lexical_states(s)
    #                   a = 'x' + "y#"  # z
    assert bits(st["in_string"]) == "0000110000111000000"
    assert bits(st["in_comment"]) == "0000000000000000111"


def test_escaped_quote_stays_inside():
    s = r"'a\'b' c"
    assert bits(cells.builtin_label("in_string", s)) == "11111000"


def test_triple_quotes_span_lines_and_close():
    s = 'x="""a\n"b"\n""" y'
    st = cells.builtin_label("in_string", s)
    # opening """ and content (incl. lone " and newlines) inside; last two closing quotes inside, third not
    assert bits(st) == "00" + "111" + "1" + "1" + "111" + "1" + "11" + "0" + "00"
    s2 = "'''it's'''+1"
    assert bits(cells.builtin_label("in_string", s2)) == "111111111000"


def test_single_quoted_string_ends_at_newline():
    s = "'abc\nd"
    assert bits(cells.builtin_label("in_string", s)) == "111100"


def test_hash_inside_string_is_not_a_comment_and_quote_in_comment_is_not_a_string():
    s = "'#' # it's\nx"
    st = cells.python_lexical_states(s)
    assert bits(st["in_string"]) == "110000000000"
    assert bits(st["in_comment"]) == "000011111100"


def test_bracket_depth_ignores_strings_and_never_negative():
    s = "f(a[1], '(')) {"
    d = cells.builtin_label("bracket_depth", s)
    assert d.tolist() == [0, 1, 1, 2, 2, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1]


def test_column_and_indent():
    assert cells.column_label("ab\ncd").tolist() == [1, 2, 0, 1, 2]
    assert cells.indent_label(" a\n  b").tolist() == [1, 1, 0, 1, 2, 2]
    assert cells.indent_label("\tx").tolist() == [4, 4]


def test_since_punctuation_counts_the_verse_rhythm():
    assert cells.builtin_label("since_punct", "床前明月光，疑是\n地").tolist() == [1, 2, 3, 4, 5, 0, 1, 2, 0, 1]
    assert cells.since_punctuation_label("a, b").tolist() == [1, 0, 1, 2]


def test_regex_label_marks_match_spans():
    assert bits(cells.regex_label(r"\d+", "ab12c3")) == "001101"
    assert bits(cells.regex_label(r"x*", "abc")) == "000"  # zero-width matches mark nothing
    assert cells.regex_label("李白", "作者：李白").tolist() == [0, 0, 0, 1, 1]


def test_invalid_regex_has_a_clear_message():
    with pytest.raises(ValueError, match="Invalid regular expression"):
        cells.regex_label("(a", "aaa")
    with pytest.raises(ValueError, match="empty"):
        cells.regex_label("", "aaa")
    with pytest.raises(ValueError, match="too long"):
        cells.regex_label("a" * 1000, "aaa")


@pytest.mark.slow
def test_catastrophic_regex_is_stopped():
    with pytest.raises(ValueError, match="took longer"):
        cells.regex_spans("(a+)+b", "a" * 40, timeout=0.5)


def test_text_caps_and_empty_text():
    with pytest.raises(ValueError, match="empty"):
        cells.column_label("")
    with pytest.raises(ValueError, match="too long"):
        cells.regex_label("a", "a" * (cells.MAX_REGEX_TEXT_CHARS + 1))
    with pytest.raises(ValueError, match="unknown label"):
        cells.builtin_label("nope", "abc")


def test_rank_units_finds_the_unit_equal_to_the_label():
    rng = np.random.default_rng(0)
    label = cells.builtin_label("in_string", "x = 'abc' + \"de\" # 'no'\n" * 4)
    acts = rng.normal(size=(label.size, 16)) * 0.5
    acts[:, 11] = label  # exactly the label
    acts[:, 3] = -2 * label + 0.01 * rng.normal(size=label.size)  # anti-correlated
    acts[:, 7] = 0.25  # constant unit
    ranked = cells.rank_units(acts, label, top=3)
    assert ranked[0].unit == 11 and ranked[0].r == pytest.approx(1.0)
    assert ranked[1].unit == 3 and ranked[1].r < -0.99
    assert cells.correlations(acts, label)[7] == 0.0


def test_correlations_match_numpy_corrcoef():
    rng = np.random.default_rng(1)
    acts = rng.normal(size=(50, 4))
    y = rng.normal(size=50)
    expected = [np.corrcoef(acts[:, u], y)[0, 1] for u in range(4)]
    np.testing.assert_allclose(cells.correlations(acts, y), expected, atol=1e-12)


def test_constant_label_and_bad_shapes_are_clear_errors():
    with pytest.raises(ValueError, match="constant"):
        cells.correlations(np.ones((5, 2)), np.zeros(5))
    with pytest.raises(ValueError, match="share T"):
        cells.correlations(np.ones((5, 2)), np.zeros(4))


def test_label_errors_carry_a_code_for_translated_messages():
    cases = [
        (lambda: cells.regex_label("(a", "aaa"), "regex_invalid"),
        (lambda: cells.regex_label("", "aaa"), "regex_empty"),
        (lambda: cells.column_label(""), "empty_text"),
        (lambda: cells.correlations(np.ones((5, 2)), np.zeros(5)), "constant_label"),
        (lambda: cells.builtin_label("nope", "abc"), "unknown_label"),
    ]
    for call, code in cases:
        with pytest.raises(cells.LabelError) as info:
            call()
        assert info.value.code == code


def test_score_units_ranks_like_rank_units_and_flags_a_drifting_label():
    rng = np.random.default_rng(2)
    label = cells.builtin_label("column", "ab\ncde\nf\n" * 5)
    acts = rng.normal(size=(label.size, 6))
    acts[:, 4] = -label
    scores = cells.score_units(acts, label, top=3)
    np.testing.assert_allclose(scores.r, cells.correlations(acts, label), atol=0)
    assert scores.best == cells.rank_units(acts, label, top=3)
    np.testing.assert_array_equal(scores.units, [s.unit for s in scores.best])
    assert scores.units[0] == 4 and not scores.weak and not scores.label_drifts
    drifting = cells.column_label("x" * 40)  # no line break: the column is the step number
    assert cells.score_units(rng.normal(size=(40, 3)), drifting, top=1).label_drifts
    assert cells.score_units(rng.normal(size=(40, 3)), label[:40], top=1).weak  # noise: no unit follows it


def test_next_char_scores_probability_and_rank_of_the_true_next_character():
    probs = np.array([[0.1, 0.6, 0.3], [0.5, 0.2, 0.3], [0.2, 0.2, 0.6]])  # (T=3, V=3)
    ids = np.array([0, 2, 1])
    p, rank = cells.next_char_scores(probs, ids)
    np.testing.assert_allclose(p, [0.3, 0.2])
    np.testing.assert_array_equal(rank, [2, 3])
    assert cells.uniform_bits_per_char(64) == pytest.approx(6.0)


def test_poem_header_marks_title_and_author_lines_of_every_poem():
    text = "《春》\n作者：某\n花开，鸟鸣。\n\n《夏》\n作者：甲\n雨。\n"
    label = cells.builtin_label("poem_header", text)
    header_chars = len("《春》\n作者：某\n")
    assert label[:header_chars].tolist() == [1.0] * header_chars
    body = len("花开，鸟鸣。\n\n")
    assert label[header_chars:header_chars + body].tolist() == [0.0] * body
    second = header_chars + body
    assert label[second:second + len("《夏》\n作者：甲\n")].min() == 1.0
    assert label[-3:].tolist() == [0.0, 0.0, 0.0]


def test_rhyme_half_is_the_second_half_of_each_couplet():
    assert cells.builtin_label("rhyme_half", "月光，地霜。").tolist() == [0, 0, 1, 1, 1, 0]
    # a newline also ends the half-line; an English comma counts as a half-line mark
    assert cells.rhyme_half_label("a,b\nc").tolist() == [0, 1, 1, 0, 0]
