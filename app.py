"""LSTM Explorer: entry point.

Sets the page config, draws the one shared sidebar, builds the page context (lstm_viz.ui.context), routes with
st.navigation over pages/*.py and keeps the URL in sync.

    streamlit run app.py
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from lstm_viz.ui import cache, context, i18n, sidebar, urlstate

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


def main() -> None:
    st.set_page_config(page_title="LSTM Explorer", page_icon=":material/memory:", layout="wide")
    page_ids = tuple(page_id for page_id, _ in PAGES)
    urlstate.restore_once(page_ids, cache.pretrained_names())
    sidebar.keep_widget_state()

    lang = sidebar.draw_language()
    nav_pages = {
        page_id: st.Page(str(ROOT / "pages" / f"{page_id}.py"), title=i18n.t(f"nav.{page_id}", lang), icon=icon,
                         url_path=page_id, default=(k == 0))
        for k, (page_id, icon) in enumerate(PAGES)
    }
    current = st.navigation(list(nav_pages.values()))
    current_id = next((pid for pid, page in nav_pages.items() if page is current), page_ids[0])

    # A shared link names its page in ?page=; honour it once, on the session's first run.
    wanted = st.session_state.pop("lstmx.page_requested", None)
    if wanted in nav_pages and wanted != current_id:
        st.switch_page(nav_pages[wanted], query_params=urlstate.desired_params(wanted))
    # Pages can tell whether they were just entered (e.g. the Step page stops play when you come back).
    st.session_state["lstmx.previous_page"] = st.session_state.get(urlstate.KEY["page"])
    st.session_state[urlstate.KEY["page"]] = current_id

    settings = sidebar.draw(lang)
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
    current.run()


main()
