"""AppTest runs of the Cells page: default state, a shipped model from the sidebar, hostile text, regex labels."""

import pytest

from conftest import assert_clean_run, page_html

pytestmark = pytest.mark.slow  # each run loads a model and runs it over up to 2,000 characters

TIMEOUT = 60


def open_cells(app_at, **query):
    at = app_at("cells", run=False, **query)
    at.run(timeout=TIMEOUT)
    return at


def texts(at):
    return " ".join(str(e.value) for e in [*at.markdown, *at.caption, *at.info, *at.warning, *at.error])


def test_default_state_shows_a_shipped_model_on_its_example(app_at):
    at = open_cells(app_at)
    assert_clean_run(at)
    assert at.toggle(key="lstmx.cells.example").value is True
    assert "Best unit" in texts(at)
    # it says what it analyses: the model's example, not the sidebar's text
    assert "Analysing the model's own example text" in texts(at) and "on the sidebar's text" not in texts(at)


def test_code_is_coloured_line_by_line(app_at):
    """The coloured text keeps the code's lines and indentation (⏎ then a real line break), not one paragraph."""
    from lstm_viz.data.pretrained import load_pretrained

    at = open_cells(app_at, src="random")
    example = load_pretrained("python-code").example_text
    html = str(page_html(at)[0].proto.body)
    assert html.count("⏎\n") == example[:2000].count("\n")
    assert "white-space:pre" in html and ">␣<" not in html     # spaces stay blank, so indentation reads


def test_random_sidebar_model_falls_back_to_a_shipped_model(app_at):
    at = open_cells(app_at, src="random")
    assert_clean_run(at)
    assert at.selectbox(key="lstmx.cells.model").value == "python-code"
    assert at.toggle(key="lstmx.cells.example").value is True
    assert "Best unit" in texts(at)
    assert len(at.get("plotly_chart")) == 4


def test_chinese_and_poetry_model(app_at):
    at = open_cells(app_at, lang="zh", src="random")
    at.selectbox(key="lstmx.cells.model").set_value("tang-poetry").run(timeout=TIMEOUT)
    assert_clean_run(at)
    assert "最佳单元" in texts(at)


def test_pretrained_network_from_the_sidebar_reads_the_sidebar_text(app_at):
    at = open_cells(app_at, src="pretrained", model="python-code", text="x = [1, (2, 3)]  # done\n")
    assert_clean_run(at)
    assert "python-code" in texts(at)
    assert at.toggle(key="lstmx.cells.example").value is False
    assert "Analysing the sidebar's text (24 characters)" in texts(at)
    at.slider(key="lstmx.cells.step").set_value(5).run(timeout=TIMEOUT)
    assert_clean_run(at)


@pytest.mark.parametrize("name", ["empty", "script", "markdown_latex", "emoji_zwj", "controls", "chinese"])
def test_hostile_texts_never_crash(app_at, hostile_texts, name):
    at = open_cells(app_at, src="pretrained", model="python-code", text=hostile_texts[name] or " ")
    assert_clean_run(at)
    if name == "script":
        html = " ".join(str(getattr(e, "proto", "")) for e in at.get("html"))
        assert "<script>" not in html
    if name in ("emoji_zwj", "chinese"):
        assert "<unk>" in texts(at)


def test_regex_label_and_invalid_regex(app_at):
    at = open_cells(app_at, src="random")
    at.selectbox(key="lstmx.cells.label").set_value("regex").run(timeout=TIMEOUT)
    at.text_input(key="lstmx.cells.regex").set_value(r"self\.\w+").run(timeout=TIMEOUT)
    assert_clean_run(at)
    assert "Best unit" in texts(at)
    at.text_input(key="lstmx.cells.regex").set_value("(unclosed").run(timeout=TIMEOUT)
    assert_clean_run(at)
    assert any("Invalid regular expression" in str(w.value) for w in at.warning)
    at.text_input(key="lstmx.cells.regex").set_value("zzzz_no_match").run(timeout=TIMEOUT)
    assert_clean_run(at)
    assert any("constant" in str(w.value) for w in at.warning)


def test_every_builtin_label_and_cell_state(app_at):
    at = open_cells(app_at, src="random")
    for label in ("in_string", "in_comment", "bracket_depth", "column", "since_punct"):
        at.selectbox(key="lstmx.cells.label").set_value(label).run(timeout=TIMEOUT)
        assert_clean_run(at)
    at.radio(key="lstmx.cells.find_state").set_value("h").run(timeout=TIMEOUT)
    at.number_input(key="lstmx.cells.unit").set_value(5).run(timeout=TIMEOUT)
    assert_clean_run(at)


def test_a_label_that_only_grows_with_time_is_flagged(app_at):
    at = open_cells(app_at, src="pretrained", model="tang-poetry", text="床前明月光，疑是地上霜。举头望明月，低头思故乡。")
    assert_clean_run(at)
    assert at.selectbox(key="lstmx.cells.label").value == "column"
    assert any("grows with time" in str(i.value) for i in at.info)
