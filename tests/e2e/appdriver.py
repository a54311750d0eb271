"""Start the Streamlit app on a loopback port and drive it in Chromium (shared by tests/e2e and benchmarks).

Idle means: the app root reports ``data-test-script-state="notRunning"`` while connected, no element
is stale (greyed out while a rerun is pending), and every Plotly chart has drawn its SVG.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]

APP_ROOT = '[data-testid="stApp"]'
EXCEPTION = '[data-testid="stException"]'
PLOTLY_CHART = '[data-testid="stPlotlyChart"]'


def find_chromium() -> str | None:
    """The Chromium binary: $CHROMIUM_PATH, /usr/bin/chromium, or chromium / chromium-browser on PATH."""
    candidates = [
        os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser"),
    ]
    return next((c for c in candidates if c and os.path.isfile(c) and os.access(c, os.X_OK)), None)


def free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class StreamlitServer:
    """``streamlit run app.py`` on 127.0.0.1:<free port>; a context manager that always stops it."""

    def __init__(self, app="app.py", log_path: Path | None = None, extra_args=()):
        self.port = free_loopback_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path or ARTIFACTS / f"streamlit-{self.port}.log"
        self.command = [
            sys.executable, "-m", "streamlit", "run", app,
            "--server.headless", "true",
            "--server.port", str(self.port),
            "--server.address", "127.0.0.1",
            "--server.fileWatcherType", "none",
            "--browser.gatherUsageStats", "false",
            *extra_args,
        ]
        self.process: subprocess.Popen | None = None

    def start(self, timeout=60.0) -> "StreamlitServer":
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(self.log_path, "wb")
        self.process = subprocess.Popen(self.command, cwd=ROOT, stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit exited with status {self.process.returncode}; see {self.log_path.name}")
            with contextlib.suppress(OSError):
                with urllib.request.urlopen(self.url + "/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        return self
            time.sleep(0.25)
        self.stop()
        raise RuntimeError(f"streamlit did not answer /_stcore/health within {timeout:.0f} s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        if getattr(self, "_log", None):
            self._log.close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def launch_chromium(playwright, executable_path: str):
    return playwright.chromium.launch(executable_path=executable_path, args=CHROMIUM_ARGS, headless=True)


IDLE_JS = """
([root, chart]) => {
  const app = document.querySelector(root);
  if (!app) return false;
  if (app.getAttribute('data-test-connection-state') !== 'CONNECTED') return false;
  if (app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-stale="true"]')) return false;
  if (document.querySelector('[data-testid="stStatusWidget"] [data-testid^="stStatusWidgetRunning"]')) return false;
  if (document.querySelector('[data-testid="stSkeleton"]')) return false;
  for (const c of document.querySelectorAll(chart)) {
    if (!c.querySelector('.js-plotly-plot .main-svg')) return false;
  }
  return true;
}
"""


def wait_idle(page, timeout_ms=60_000, settle_ms=150) -> None:
    """Block until the app finished its run and drew every chart (twice in a row, ``settle_ms`` apart)."""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        remaining = max(1, int((deadline - time.monotonic()) * 1000))
        page.wait_for_function(IDLE_JS, arg=[APP_ROOT, PLOTLY_CHART], timeout=remaining, polling=50)
        page.wait_for_timeout(settle_ms)
        if page.evaluate(IDLE_JS, [APP_ROOT, PLOTLY_CHART]):
            return
        if time.monotonic() > deadline:
            raise TimeoutError("the app did not become idle")


ARM_JS = """
(root) => {
  window.__lstmxSawRun = false;
  if (window.__lstmxObserver) window.__lstmxObserver.disconnect();
  const app = document.querySelector(root);
  if (!app) return;
  window.__lstmxObserver = new MutationObserver(() => {
    if (app.getAttribute('data-test-script-state') !== 'notRunning') window.__lstmxSawRun = true;
  });
  window.__lstmxObserver.observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
}
"""


@contextlib.contextmanager
def rerun(page, timeout_ms=60_000, start_timeout_ms=5_000):
    """``with rerun(page): <interaction>`` waits until the rerun the interaction caused has finished.

    A MutationObserver armed before the interaction notices the script starting however short the run is,
    so there is no fixed sleep; if no run starts within ``start_timeout_ms`` the app is just waited idle.
    """
    page.evaluate(ARM_JS, APP_ROOT)
    yield
    with contextlib.suppress(Exception):
        page.wait_for_function("() => window.__lstmxSawRun === true", timeout=start_timeout_ms, polling=25)
    wait_idle(page, timeout_ms)
