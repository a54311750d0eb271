"""The browser benchmark's helpers (no browser): page list from app.py, URLs, medians; the launcher's free ports
and a server that cannot start (tests/e2e/appdriver.py, which every benchmark starts its servers with)."""

import importlib.util
import socket
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("bench_browser", ROOT / "benchmarks" / "bench_browser.py")
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)

import appdriver  # noqa: E402  (bench_browser put tests/e2e on sys.path, as every benchmark does)
from apptest_support import registered_pages  # noqa: E402


def test_pages_come_from_the_served_checkouts_app_py(tmp_path):
    assert bench.registered_pages(ROOT) == registered_pages()
    (tmp_path / "app.py").write_text('PAGES = [("a", ":material/x:"), ("b", ":material/y:")]\n', encoding="utf-8")
    assert bench.registered_pages(tmp_path) == ["a", "b"]


def test_page_urls_follow_the_apps_link_form():
    pages = ["step_by_step", "gate_heatmaps"]
    assert bench.page_url("http://h:1", pages, "step_by_step") == "http://h:1/?page=step_by_step"
    assert bench.page_url("http://h:1", pages, "gate_heatmaps") == "http://h:1/gate_heatmaps?page=gate_heatmaps"


def test_medians_per_phase():
    rows = [dict(phase=phase, script_ms=s, svg_ms=s + 1, drawn_ms=s + 2, draw_ms=2, js_ms=s, kB=1.5, charts=2,
                 errors=0) for phase, s in (("cold", 10), ("cold", 30), ("cold", 20), ("warm", 5))]
    medians = bench.median_by_phase(rows)
    assert medians["cold"]["script_ms"] == 20 and medians["cold"]["drawn_ms"] == 22
    assert medians["warm"]["script_ms"] == 5 and "typed" not in medians


def test_free_port_skips_a_busy_one():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as busy:
        busy.bind(("127.0.0.1", 0))
        taken = busy.getsockname()[1]
        busy.listen()
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as other:
            other.bind(("127.0.0.1", 0))
            free = other.getsockname()[1]
        assert bench.free_loopback_port([taken, free]) == free
        assert bench.free_loopback_port() not in (taken, 0)             # the kernel's choice
        with pytest.raises(RuntimeError, match="need 2 free"):
            appdriver.free_loopback_ports([taken, free], count=2)


def test_a_server_that_cannot_start_fails_at_once_and_is_stopped(tmp_path):
    """No app.py in the app dir: streamlit exits; start() says so well before its timeout, nothing left running."""
    server = appdriver.StreamlitServer(app_dir=tmp_path, log_path=tmp_path / "streamlit.log")
    started = time.monotonic()
    with pytest.raises(RuntimeError, match="streamlit exited with status"):
        server.start(timeout=60)
    assert time.monotonic() - started < 30
    assert server.process.poll() is not None and server.port
    assert (tmp_path / "streamlit.log").stat().st_size > 0
