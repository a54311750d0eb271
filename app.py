"""LSTM Explorer: entry point.

Sets the page config, draws the one shared sidebar, builds the page context (lstm_viz.ui.context), routes with
st.navigation over pages/*.py and keeps the URL in sync. Every page has one address, its path (/step_by_step);
the bare root / opens the first page (a hidden default page that forwards there, so the first page's own path
works when typed or shared), and so does a path no page has (/home, /nope): for that run a hidden page under
that path forwards too, so Streamlit never shows its "Page not found" dialog.

    streamlit run app.py
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from lstm_viz.ui import cache, context, i18n, sidebar, theme, urlstate

ROOT = Path(__file__).resolve().parent

# (page id = file stem = URL path, material icon); order = menu order
PAGES = [
    ("step_by_step", ":material/linear_scale:"),
    ("lesson", ":material/school:"),
    ("gate_heatmaps", ":material/grid_on:"),
    ("vanishing_gradients", ":material/trending_down:"),
    ("theory", ":material/functions:"),
    ("train", ":material/model_training:"),
    ("cells", ":material/memory:"),
    ("sentiment", ":material/sentiment_satisfied:"), ("generate", ":material/edit_note:"),
    ("backpropagation", ":material/undo:"),
]


def _root() -> None:
    """The bare address / (and an unknown path): never drawn, main() forwards it to the first page."""


def main() -> None:
    page_ids = tuple(page_id for page_id, _ in PAGES)
    urlstate.restore_once(page_ids, cache.pretrained_names())
    lecture = theme.lecture_on()
    st.set_page_config(page_title="LSTM Explorer", page_icon=":material/memory:", layout="wide",
                       initial_sidebar_state="collapsed" if lecture else "auto")
    theme.install_chart_styling()
    sidebar.keep_widget_state()

    lang = sidebar.draw_language()
    # The root's url_path is "" (a default page is served at / whatever its url_path), so no typed path is its.
    root = st.Page(_root, title=i18n.t("app.title", lang), url_path="", default=True, visibility="hidden")
    nav_pages = {
        page_id: st.Page(str(ROOT / "pages" / f"{page_id}.py"), title=i18n.t(f"nav.{page_id}", lang), icon=icon,
                         url_path=page_id)
        for page_id, icon in PAGES
    }
    unknown = urlstate.unknown_path(st.context.url, page_ids)
    forward = [] if unknown is None else [
        st.Page(_root, title=i18n.t("app.title", lang), url_path=unknown, visibility="hidden")]
    current = st.navigation([root, *nav_pages.values(), *forward])
    current_id = next((pid for pid, page in nav_pages.items() if page is current), None)

    # The root opens the first page; an older link names its page in ?page= (honoured once, on the first run).
    wanted = st.session_state.pop("lstmx.page_requested", None)
    target = wanted if wanted in nav_pages else (page_ids[0] if current_id is None else current_id)
    if target != current_id:
        st.switch_page(nav_pages[target], query_params=urlstate.desired_params(target))
    # Pages can tell whether they were just entered (e.g. the Step page stops play when you come back).
    st.session_state["lstmx.previous_page"] = st.session_state.get(urlstate.KEY["page"])
    st.session_state[urlstate.KEY["page"]] = current_id

    sidebar.draw_lecture(lang)
    settings = sidebar.draw(lang, page=current_id)
    ctx = context.build(settings, page=current_id)
    for note in ctx.notes:
        st.sidebar.info(note, icon=":material/info:")
    bad = st.session_state.pop("lstmx.bad_params", None)
    if bad:
        st.sidebar.warning(i18n.t("common.bad_url", lang, names=", ".join(bad)), icon=":material/link_off:")
    if ctx.trace is not None:
        shape = ctx.shape_text()   # "2 layers · bidirectional · peephole" (read from the weights for uploads)
        st.sidebar.caption(i18n.t(
            "sidebar.summary", lang, kind=ctx.kind.upper() + (f" · {shape}" if shape else ""), hidden=ctx.H,
            inputs=ctx.network_model.input_size, params=f"{ctx.network_model.num_parameters():,}", tokens=ctx.T,
        ))
    st.sidebar.caption(i18n.t("sidebar.share", lang))
    urlstate.write(current_id)
    theme.inject(lecture, lang)
    current.run()
    urlstate.write(current_id)   # options a page set up on its first show (a default range) join the link now
    for name, (kept, total) in urlstate.link_cut(current_id).items():   # the link cannot carry the whole text
        st.sidebar.warning(i18n.t("sidebar.link_cut", lang, name=name, kept=f"{kept:,}", total=f"{total:,}",
                                  limit=f"{urlstate.MAX_QUERY_CHARS:,}"), icon=":material/link:")


main()
