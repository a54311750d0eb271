"""Share links: the text compressed or cut within the link budget, page options in the link, only the settings
that matter for the chosen model, the page in the path (lstm_viz/ui/urlstate.py)."""

from __future__ import annotations

import base64
import random
import zlib
from urllib.parse import parse_qs, urlencode

import pytest

from conftest import assert_clean_run
from lstm_viz.ui import urlstate

CJK = "".join(chr(cp) for cp in range(0x4E00, 0x4E00 + 3000))   # 3000 distinct common-range ideographs


def chinese_text(n: int, seed: int = 0) -> str:
    """n characters of shuffled ideographs and punctuation: close to incompressible, like a long real text."""
    rng = random.Random(seed)
    return "".join(rng.choice(CJK) if k % 12 else "，" for k in range(n))


def query_of(params: dict[str, str]) -> str:
    return urlencode(params, doseq=True)   # how Streamlit writes the address


def text_back(params: dict[str, str]) -> str:
    """The text a visitor of this link gets (what urlstate.parse reads from the query string)."""
    raw = {name: values for name, values in parse_qs(query_of(params), keep_blank_values=True).items()}
    values, bad = urlstate.parse(raw)
    assert not bad
    return values.get("text", "")


@pytest.mark.parametrize("text", ["", "abc", "床前明月光，疑是地上霜。", "emoji 🙂 and\nnew lines\t<b>&amp;", "x" * 20_000])
def test_compressed_text_round_trips(text):
    assert urlstate.decompress_text(urlstate.compress_text(text)) == text


@pytest.mark.parametrize("junk", ["", "!!!", "abc", "eJzLSM3JyQcABiwCFQ" + "x", "AAAA"])
def test_a_damaged_tz_is_refused(junk):
    assert urlstate.decompress_text(junk) is None
    _values, bad = urlstate.parse({"tz": junk})
    assert bad == ["tz"]


def test_a_compressed_bomb_is_refused_without_inflating_it():
    packed = zlib.compress(b"a" * (50 * 1024 * 1024), 9)          # 50 MB of 'a' in about 50 kB
    value = base64.urlsafe_b64encode(packed).decode().rstrip("=")
    assert urlstate.decompress_text(value) is None


def test_short_text_stays_readable_and_long_text_is_compressed():
    params, cuts = urlstate.fit_link({"lang": "en"}, [("text", "hello world", "tz")])
    assert params["text"] == "hello world" and "tz" not in params and not cuts
    long_text = ("The cat sat on the mat. " * 400)[:9000]          # 9000 characters, repetitive English
    params, cuts = urlstate.fit_link({"lang": "en"}, [("text", long_text, "tz")])
    assert "tz" in params and "text" not in params and not cuts
    assert len(query_of(params)) < len(query_of({"lang": "en", "text": long_text}))
    assert text_back(params) == long_text


def test_a_20k_chinese_text_makes_a_link_within_the_budget_that_says_what_it_carries():
    """Issue 13: 20,000 Chinese characters made a 180,000-character address; now the link stays within
    MAX_QUERY_CHARS, carries the longest prefix that fits (compressed), and reports the cut."""
    text = chinese_text(20_000)
    assert len(query_of({"text": text})) > 170_000                  # what the old link would have been
    params, cuts = urlstate.fit_link({"lang": "zh", "src": "random", "step": "12"}, [("text", text, "tz")])
    assert len(query_of(params)) <= urlstate.MAX_QUERY_CHARS
    kept, total = cuts["text"]
    assert total == 20_000 and 1000 < kept < 20_000
    assert text_back(params) == text[:kept]
    # (nearly) the longest prefix that fits: 50 characters more would not
    more = {"lang": "zh", "src": "random", "step": "12", "tz": urlstate.compress_text(text[:kept + 50])}
    assert len(query_of(more)) > urlstate.MAX_QUERY_CHARS


def test_page_texts_come_first_and_everything_stays_within_the_budget():
    review = chinese_text(2000, seed=1)                            # 18,000 characters as plain text=
    text = chinese_text(5000, seed=2)
    params, cuts = urlstate.fit_link({"lang": "zh"}, [("review", review, None), ("text", text, "tz")])
    assert len(query_of(params)) <= urlstate.MAX_QUERY_CHARS
    assert cuts["review"][1] == 2000 and review.startswith(params["review"])
    assert "text" in cuts                                          # nothing (or little) left for the sidebar text


def test_parse_prefers_tz_over_text():
    values, bad = urlstate.parse({"text": "plain", "tz": urlstate.compress_text("packed")})
    assert values["text"] == "packed" and not bad
    values, _ = urlstate.parse({"tz": urlstate.compress_text("packed"), "text": "plain"})
    assert values["text"] == "packed"


def test_the_review_and_what_if_travel_compressed_within_the_budget_and_come_back_whole():
    review, whatif = chinese_text(2000, seed=3), chinese_text(2000, seed=4)   # the page's longest reviews
    texts = [(name, value, urlstate.COMPRESSED_PARAMS[name]) for name, value in (("review", review), ("whatif", whatif))]
    params, cuts = urlstate.fit_link({"lang": "zh"}, texts)
    assert {"rz", "wz"} <= set(params) and not {"review", "whatif"} & set(params)
    assert len(query_of(params)) <= urlstate.MAX_QUERY_CHARS
    raw = {name: values for name, values in parse_qs(query_of(params)).items()}
    values, bad = urlstate.parse(raw)
    assert not bad
    for name, text in (("review", review), ("whatif", whatif)):    # what the link carries, compressed
        kept = cuts.get(name, (len(text), len(text)))[0]
        assert values[name] == text[:kept] and kept > 0
    assert "review" not in cuts                                     # the first text of the page comes whole
    short, _ = urlstate.fit_link({}, [("review", "not bad at all", "rz")])
    assert short == {"review": "not bad at all"}                   # short text stays readable


def test_a_compressed_review_wins_over_a_plain_one_and_is_capped_like_the_plain_one():
    packed = urlstate.compress_text("packed review")
    for order in (("review", "rz"), ("rz", "review")):
        raw = {name: ("plain" if name == "review" else packed) for name in order}
        values, bad = urlstate.parse(raw)
        assert values["review"] == "packed review" and not bad
    values, _ = urlstate.parse({"rz": urlstate.compress_text("x" * 5000)})
    assert values["review"] == "x" * urlstate.PAGE_PARAMS["review"][3]        # 2,000 characters, as review=
    values, bad = urlstate.parse({"wz": "!!!"})
    assert bad == ["wz"] and "whatif" not in values


@pytest.mark.parametrize("url, name, unknown", [
    ("http://h:1/nope", "nope", "nope"), ("http://h:1/home?lang=zh", "home", "home"), ("http://h:1/home/", "home", "home"),
    ("http://h:1/", "", None), ("http://h:1", "", None), (None, "", None),
    ("http://h:1/theory", "theory", None), ("http://h:1/app/theory", "theory", None),
    ("http://h:1/n%C3%B6pe", "nöpe", "nöpe"), ("http://h:1/a%2Fb", "a/b", None), ("http://h:1/%20x", " x", None),
])
def test_an_unknown_path_is_named_for_the_hidden_forwarding_page(url, name, unknown):
    assert urlstate.path_name(url) == name
    assert urlstate.unknown_path(url, ("step_by_step", "theory")) == unknown


@pytest.mark.parametrize("name, raw, expected", [
    ("hmshow", "f,o,h", ["f", "o", "h"]), ("hmshow", "f,evil", None), ("hmshow", "", None),
    ("hmsort", "cluster", "cluster"), ("hmsort", "random", None),
    ("hmunits", "topk", "topk"), ("hmunits", "some", None),
    ("hmrange", "3-10", (3, 10)), ("hmrange", "10-3", None), ("hmrange", "3", None), ("hmrange", "-1-4", None),
    ("hmtopk", "5", 5), ("hmtopk", "0", None),
    ("hmlist", "1, 4-6", "1, 4-6"),
    ("vgscale", "1.53", 1.55), ("vgscale", "9", None), ("vgscale", "nan", None),
    ("clabel", "indent", "indent"), ("clabel", "regex", "regex"), ("clabel", "<script>", None),
    ("speed", "2", 2.0), ("speed", "0.5", 0.5), ("speed", "3", None), ("speed", "fast", None),
    ("lecture", "1", 1), ("lecture", "2", None),
])
def test_page_options_are_validated(name, raw, expected):
    values, bad = urlstate.parse({name: raw})
    if expected is None:
        assert bad == [name] and name not in values
    else:
        assert values[name] == expected and not bad


@pytest.mark.parametrize("name, value", [("hmshow", ["f", "h"]), ("hmrange", (2, 9)), ("speed", 0.5),
                                         ("vgscale", 1.25), ("clabel", "column")])
def test_page_options_round_trip_through_their_link_form(name, value):
    kind = urlstate.PAGE_PARAMS[name][2]
    written = urlstate._fmt_page_value(kind, value)
    values, bad = urlstate.parse({name: written})
    assert not bad and values[name] == (list(value) if kind == "names" else value)


# ---- through the app ---------------------------------------------------------------------------------------------

def test_a_shipped_model_link_holds_no_random_network_settings(app_at):
    at = app_at(src="pretrained", seed=5, hidden=64, fbias=2, tok="words")
    assert_clean_run(at)
    for name in ("seed", "hidden", "fbias", "tok", "layers", "bidir", "peep", "page"):
        assert name not in at.query_params, name
    assert at.query_params["model"] and at.query_params["src"] == "pretrained"


def test_a_random_network_link_holds_its_settings_and_no_model(app_at):
    at = app_at(src="random", seed=5, hidden=64, fbias=2, tok="words")
    assert_clean_run(at)
    assert [at.query_params[name] for name in ("seed", "hidden", "fbias", "tok")] == ["5", "64", "2", "words"]
    assert "model" not in at.query_params and "page" not in at.query_params


def test_an_old_link_with_page_opens_that_page_and_the_address_keeps_only_the_path(app_at):
    at = app_at("theory", lang="zh")
    assert_clean_run(at)
    assert at.title[0].value == "理论" and "page" not in at.query_params


def test_a_long_text_link_is_cut_with_a_note_and_the_page_keeps_the_whole_text(app_at):
    text = chinese_text(20_000)
    at = app_at(lang="zh", tz=urlstate.compress_text(text))   # a link made elsewhere; its text reaches the app
    assert_clean_run(at)
    assert at.session_state["lstmx.text"] == text              # the view has the whole text
    query = {name: at.query_params[name] for name in at.query_params}
    assert len(query_of(query)) <= urlstate.MAX_QUERY_CHARS
    kept = len(text_back(query))
    assert 0 < kept < len(text) and text.startswith(text_back(query))
    notes = " ".join(w.value for w in at.sidebar.warning)
    assert f"{kept:,}" in notes and "20,000" in notes


def test_heatmap_options_travel_in_the_link(app_at):
    at = app_at("gate_heatmaps", text="heatmap options", hidden=12, hmshow="f,o", hmsort="mean", hmunits="topk",
                hmtopk=3)
    assert_clean_run(at)
    assert at.multiselect(key="lstmx.hm.show").value == ["f", "o"]
    assert at.selectbox(key="lstmx.hm.sort").value == "mean"
    assert at.radio(key="lstmx.hm.subset").value == "topk" and at.number_input(key="lstmx.hm.topk").value == 3
    assert (at.query_params["hmshow"], at.query_params["hmsort"], at.query_params["hmtopk"]) == ("f,o", "mean", "3")
    at.radio(key="lstmx.hm.subset").set_value("range").run()
    assert at.query_params["hmunits"] == "range" and at.query_params["hmrange"] == "0-11"


def test_gradient_scale_and_cells_label_travel_in_the_link(app_at):
    at = app_at("vanishing_gradients", text="scale me", hidden=6, vgscale="1.5")
    assert_clean_run(at)
    assert at.slider(key="lstmx.vg.scale").value == 1.5 and at.query_params["vgscale"] == "1.5"
    at = app_at("cells", src="pretrained", model="python-code")
    at.selectbox(key="lstmx.cells.label").set_value("bracket_depth").run()
    assert at.query_params["clabel"] == "bracket_depth" and at.query_params["cfor"] == "python-code"
    assert "vgscale" not in at.query_params                   # another page's option stays out
    link = {name: at.query_params[name] for name in at.query_params}
    other = app_at("cells", **link)                           # a visitor of that link
    assert_clean_run(other)
    assert other.selectbox(key="lstmx.cells.label").value == "bracket_depth"


def test_the_generate_prime_travels_compressed_and_comes_back_whole():
    prime = chinese_text(500, seed=5)                               # the page's longest prime
    params, cuts = urlstate.fit_link({"lang": "zh"}, [("prime", prime, urlstate.COMPRESSED_PARAMS["prime"])])
    assert "pz" in params and "prime" not in params and not cuts
    values, bad = urlstate.parse(parse_qs(query_of(params)))
    assert not bad and values["prime"] == prime
