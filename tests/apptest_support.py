"""AppTest helpers shared by the page fuzz tests, the session-isolation test and the browser tests.

AppTest runs of app.py need no patching: a rerun that Streamlit's legacy pages/ mode hands to a page file
alone is sent back through app.py by lstm_viz.ui.context (the app's one workaround, explained there).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES_DIR = ROOT / "pages"
TIMEOUT_S = 30


def registered_pages() -> list[str]:
    """Page ids in menu order, read from app.py's ``PAGES`` (importing app.py would run the app)."""
    for node in ast.parse((ROOT / "app.py").read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "PAGES" for t in node.targets):
            return [page_id for page_id, _icon in ast.literal_eval(node.value)]
    raise LookupError("app.py defines no PAGES list")


def app_test(**kwargs):
    """An AppTest of app.py with the tests' timeout; errors show their real message (not the public one)."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.set_option("client.showErrorDetails", "full")  # config.toml hides details from visitors, not from tests
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT_S, **kwargs)
