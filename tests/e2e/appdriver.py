"""Start the Streamlit app on a loopback port and drive it in Chromium (shared by tests/e2e, benchmarks, scripts).

The one launcher: :class:`StreamlitServer` (free port, app dir, extra ``--server.*`` args, log, timeout, clean
stop), :func:`free_loopback_port(s) <free_loopback_ports>`, :func:`wait_healthy`, :func:`stop_process`.
benchmarks/ and scripts/ import it as ``appdriver`` with tests/e2e on ``sys.path``.

Idle means: the app root reports ``data-test-script-state="notRunning"`` while connected, no element
is stale (greyed out while a rerun is pending), and every Plotly chart has drawn its SVG.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]

APP_ROOT = '[data-testid="stApp"]'
EXCEPTION = '[data-testid="stException"]'
PLOTLY_CHART = '[data-testid="stPlotlyChart"]'
LOOPBACK = "127.0.0.1"


def find_chromium() -> str | None:
    """The Chromium binary: $CHROMIUM_PATH, /usr/bin/chromium, or chromium / chromium-browser on PATH."""
    candidates = [
        os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser"),
    ]
    return next((c for c in candidates if c and os.path.isfile(c) and os.access(c, os.X_OK)), None)


def free_loopback_ports(candidates, count: int = 1) -> list[int]:
    """The first ``count`` ports of ``candidates`` (e.g. a range) that nobody on 127.0.0.1 listens on."""
    found = []
    for port in candidates:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            with contextlib.suppress(OSError):
                sock.bind((LOOPBACK, port))
                found.append(port)
        if len(found) == count:
            return found
    where = f"{candidates.start}-{candidates.stop - 1}" if isinstance(candidates, range) else candidates
    raise RuntimeError(f"need {count} free loopback port(s) in {where}, found {len(found)}")


def free_loopback_port(candidates=None) -> int:
    """A free loopback port: the kernel's choice, or the first free one of ``candidates`` (e.g. a range)."""
    if candidates is not None:
        return free_loopback_ports(candidates, 1)[0]
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, process: subprocess.Popen, timeout: float = 60.0, log_path: Path | None = None,
                 name: str = "streamlit") -> None:
    """Poll ``url``/_stcore/health until it answers 200; fail early when ``process`` (the one serving it) exits."""
    see = f"; see {log_path}" if log_path and str(log_path) != os.devnull else ""
    parts = urllib.parse.urlsplit(url)
    host, port = parts.hostname, parts.port
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with status {process.returncode} before {url} answered{see}")
        connection = http.client.HTTPConnection(host, port, timeout=2)    # never through an HTTP proxy
        try:
            connection.request("GET", "/_stcore/health")
            if connection.getresponse().status == 200:
                return
        except (OSError, http.client.HTTPException):
            pass
        finally:
            connection.close()
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer /_stcore/health within {timeout:.0f} s{see}")


def stop_process(process: subprocess.Popen | None, grace: float = 10.0) -> None:
    """Terminate one process we started (by its own handle), wait ``grace`` seconds, then kill it."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


class StreamlitServer:
    """``streamlit run app.py`` on 127.0.0.1; a context manager that always stops it (by its own pid).

    ``port``: a fixed port, or 0 for a free one (the first free one of ``ports`` when given). ``app_dir``: the
    checkout whose app is served (default this one). ``extra_args``: more ``streamlit run`` options (e.g.
    ``--server.disconnectedSessionTTL=10``). ``log_path``: the server's stdout and stderr (default
    test-artifacts/streamlit-<port>.log; ``Path(os.devnull)`` to drop them). ``env``: its environment.

    ``start()`` launches it and waits for /_stcore/health; ``launch()`` and ``wait_healthy()`` apart start
    several servers side by side.
    """

    def __init__(self, app="app.py", *, port: int = 0, ports=None, app_dir: Path = ROOT, extra_args=(),
                 log_path: Path | None = None, env: dict | None = None):
        self.port = port or free_loopback_port(ports)
        self.url = f"http://{LOOPBACK}:{self.port}"
        self.app_dir = Path(app_dir)
        self.log_path = Path(log_path) if log_path else ARTIFACTS / f"streamlit-{self.port}.log"
        self.env = env
        self.command = [
            sys.executable, "-m", "streamlit", "run", app,
            "--server.headless", "true",
            "--server.port", str(self.port),
            "--server.address", LOOPBACK,
            "--server.fileWatcherType", "none",
            "--browser.gatherUsageStats", "false",
            *extra_args,
        ]
        self.process: subprocess.Popen | None = None
        self._log = None

    @property
    def pid(self) -> int:
        return self.process.pid

    def launch(self) -> "StreamlitServer":
        """Start the process and return at once (``wait_healthy`` waits for it)."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(self.log_path, "wb")
        self.process = subprocess.Popen(self.command, cwd=self.app_dir, stdout=self._log, stderr=subprocess.STDOUT,
                                        env=self.env)
        return self

    def wait_healthy(self, timeout: float = 60.0) -> "StreamlitServer":
        try:
            wait_healthy(self.url, self.process, timeout, self.log_path)
        except RuntimeError:
            self.stop()
            raise
        return self

    def start(self, timeout: float = 60.0) -> "StreamlitServer":
        return self.launch().wait_healthy(timeout)

    def stop(self) -> None:
        stop_process(self.process)
        if self._log:
            self._log.close()
            self._log = None

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
