"""AppTest helpers shared by the page fuzz tests and the session-isolation test.

Streamlit's AppTest resets ``PagesManager.uses_pages_directory`` before every run. With a ``pages/``
directory beside app.py it then starts each run in the v1 multipage mode, and from the second run on it
executes ``pages/<page>.py`` alone, without app.py (no sidebar, no context). A real server leaves that mode
for good once any session has called ``st.navigation``; :func:`app_test` reproduces that state.
"""

from __future__ import annotations

import ast
import contextlib
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


def patch_navigation_mode():
    """Keep AppTest in st.navigation mode from now on (see the module docstring).

    Returns a function that restores Streamlit's own ``PagesManager.__init__``.
    """
    from streamlit.runtime.pages_manager import PagesManager

    original_init = PagesManager.__init__

    def init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init

    def restore() -> None:
        PagesManager.__init__ = original_init

    return restore


@contextlib.contextmanager
def navigation_mode():
    """Keep AppTest in st.navigation mode (see the module docstring); restores Streamlit afterwards."""
    restore = patch_navigation_mode()
    try:
        yield
    finally:
        restore()


def app_test(**kwargs):
    """An AppTest of app.py with the tests' timeout; errors show their real message (not the public one)."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.set_option("client.showErrorDetails", "full")  # config.toml hides details from visitors, not from tests
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT_S, **kwargs)
