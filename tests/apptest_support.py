"""AppTest helpers shared by the page fuzz tests, the session-isolation test and the browser tests.

AppTest runs of app.py need no patching: a rerun that Streamlit's legacy pages/ mode hands to a page file
alone is sent back through app.py by lstm_viz.ui.context (the app's one workaround, explained there).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT_S = 30


def _app_source() -> str:
    path = ROOT / "app.py"
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def pages_dir() -> Path:
    """The folder app.py takes its page files from (``ROOT / "<folder>" / f"{page_id}.py"``)."""
    found = re.search(r'ROOT\s*/\s*"(\w+)"\s*/\s*f"\{page_id\}\.py"', _app_source())
    return ROOT / (found.group(1) if found else "pages")


def registered_pages() -> list[str]:
    """Page ids in menu order from app.py's ``PAGES``, only those whose file exists (as app.py does)."""
    folder = pages_dir()
    for node in ast.parse(_app_source()).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "PAGES" for t in node.targets):
            return [page_id for page_id, _icon in ast.literal_eval(node.value) if (folder / f"{page_id}.py").is_file()]
    return sorted(p.stem for p in folder.glob("*.py"))


def app_test(**kwargs):
    """An AppTest of app.py with the tests' timeout; errors show their real message (not the public one)."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.set_option("client.showErrorDetails", "full")  # config.toml hides details from visitors, not from tests
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT_S, **kwargs)
