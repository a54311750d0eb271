"""What a visitor waits for: each page's script time, drawing time and payload, measured in Chromium.

One Streamlit server (``--app-dir``: this checkout or an older one, to compare before / after) and one
headless Chromium (Playwright). For every page and every repeat:

* **cold**: a fresh browser context (a new visitor, a new Streamlit session) opens the page;
* **warm**: the same tab reloads it;
* **typed**: new text typed in the sidebar (Ctrl+Enter) until every chart has been redrawn.

Times (ms) are taken inside the page by a probe installed before any script runs (``performance.now()``,
so a load is measured from navigation start and a typed change from the key press):

* ``script``: the app root reports ``data-test-script-state="notRunning"`` after a run, while connected,
  with no "running" status widget and no stale (greyed) element: Streamlit's script finished;
* ``svg``: every ``.js-plotly-plot`` of the page has its ``.main-svg`` (the last chart appeared);
* ``drawn``: the last DOM change inside any chart (Plotly finished drawing; measured after the page stayed
  quiet for ``QUIET_MS``); ``draw = drawn - script`` is the browser's part (target: ≤ 2 s after a load,
  typed text → all charts redrawn ≤ 1.5 s);
* ``js``: the renderer's busy time (Chrome's TaskDuration) over the phase, less sensitive to other load;
* ``kB``: bytes of all websocket frames the page received in the phase (the ForwardMsgs: figures included).

    python benchmarks/bench_browser.py [--pages step_by_step gate_heatmaps] [--repeat 3] [--json out.json]
                                       [--app-dir ../older-checkout] [--port 8680]

Medians over the repeats are printed per page, then a summary. Wall-clock numbers depend on the machine's
load (``/proc/loadavg`` is printed); compare runs taken together, on a quiet machine.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

from appdriver import StreamlitServer, find_chromium, free_loopback_port, launch_chromium  # noqa: E402

PORT_RANGE = range(8680, 8690)
QUIET_MS = 600            # no script run and no chart mutation for this long = the page is done
TIMEOUT_S = 180.0
VIEWPORT = {"width": 1280, "height": 900}
TEXTS = (
    "The forget gate decides what the cell state keeps; the input gate writes new content to it.",
    "Long short-term memory keeps (nested (brackets)) and \"quotes\" open for a while, then closes them.",
    "长短期记忆网络会记住很久以前的信息。门控决定遗忘什么，写入什么，输出什么。",
)

# Installed before any page script: records when the script ran / finished and when charts last changed.
PROBE_JS = r"""
(() => {
  const b = window.__bench = {t0: 0, scriptStart: null, scriptDone: null, svgDone: null, lastChartChange: null,
                              lastRun: null, charts: 0, sawRun: false};
  b.reset = () => { b.t0 = performance.now(); b.scriptStart = b.scriptDone = b.svgDone = null;
                    b.lastChartChange = null; b.sawRun = false; };
  const idle = (app) => app.getAttribute('data-test-connection-state') === 'CONNECTED'
      && app.getAttribute('data-test-script-state') === 'notRunning'
      && !document.querySelector('[data-stale="true"]')
      && !document.querySelector('[data-testid="stStatusWidget"] [data-testid^="stStatusWidgetRunning"]');
  const chartsDrawn = () => {
    const charts = document.querySelectorAll('[data-testid="stPlotlyChart"]');
    b.charts = charts.length;
    if (document.querySelector('[data-testid="stSkeleton"]')) return false;
    for (const c of charts) if (!c.querySelector('.js-plotly-plot .main-svg')) return false;
    return true;
  };
  const check = () => {
    const now = performance.now();
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app) return;
    const state = app.getAttribute('data-test-script-state');
    if (state === 'running' || state === 'rerunRequested') {
      if (b.scriptStart === null) b.scriptStart = now;
      b.sawRun = true; b.lastRun = now; b.scriptDone = null; b.svgDone = null;
      return;
    }
    if (b.sawRun && b.scriptDone === null && idle(app)) b.scriptDone = now;
    if (b.scriptDone !== null && b.svgDone === null && chartsDrawn()) b.svgDone = now;
  };
  const observer = new MutationObserver((records) => {
    const now = performance.now();
    for (const r of records) {
      const el = r.target.nodeType === 1 ? r.target : r.target.parentElement;
      if (el && el.closest && (el.closest('.js-plotly-plot') || el.closest('[data-testid="stPlotlyChart"]'))) {
        b.lastChartChange = now; break;
      }
    }
    check();
  });
  const start = () => {
    observer.observe(document.documentElement, {subtree: true, childList: true, attributes: true,
                                                 characterData: false});
    const frame = () => { check(); requestAnimationFrame(frame); };
    requestAnimationFrame(frame);
    setInterval(check, 20);   // background tabs get no animation frames
  };
  if (document.documentElement) start(); else document.addEventListener('DOMContentLoaded', start);
})();
"""

DONE_JS = """
(quiet) => {
  const b = window.__bench;
  if (!b || b.scriptDone === null || b.svgDone === null) return false;
  const now = performance.now();
  return now - Math.max(b.scriptDone, b.svgDone, b.lastChartChange || 0) > quiet;
}
"""


def registered_pages(app_dir: Path) -> list[str]:
    """Page ids in menu order from app.py's ``PAGES`` list (parsed, not imported)."""
    for node in ast.parse((app_dir / "app.py").read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "PAGES" for t in node.targets):
            return [entry[0] for entry in ast.literal_eval(node.value)]
    raise LookupError("app.py defines no PAGES list")


class PageTimeout(RuntimeError):
    pass


class Tab:
    """One browser tab with the probe, a websocket byte counter and a CDP session for busy time."""

    def __init__(self, context):
        self.page = context.new_page()
        self.received = 0
        self.page.on("websocket", self._on_websocket)
        self.cdp = context.new_cdp_session(self.page)
        self.cdp.send("Performance.enable")

    def _on_websocket(self, ws) -> None:
        def count(payload):
            self.received += len(payload.encode("utf-8") if isinstance(payload, str) else payload)
        ws.on("framereceived", count)

    def task_seconds(self) -> float:
        metrics = self.cdp.send("Performance.getMetrics")["metrics"]
        return next((m["value"] for m in metrics if m["name"] == "TaskDuration"), 0.0)

    def _busy_since(self, before: float) -> float:
        after = self.task_seconds()
        return after if after < before else after - before   # a reload may start a new renderer process

    def measure(self, action, phase: str) -> dict:
        """Run ``action`` (navigation or typing), wait until the page is done, return the phase's numbers."""
        bytes_before, busy_before = self.received, self.task_seconds()
        action()
        try:
            self.page.wait_for_function(DONE_JS, arg=QUIET_MS, timeout=TIMEOUT_S * 1000, polling=100)
        except Exception as exc:   # a page that never settles: say where it stopped, measure the others
            probe = self.page.evaluate("() => window.__bench")
            raise PageTimeout(f"{phase}: not done after {TIMEOUT_S:.0f} s (probe {probe})") from exc
        probe = self.page.evaluate("() => window.__bench")
        errors = self.page.locator('[data-testid="stException"]').count()
        t0 = probe["t0"]
        script = probe["scriptDone"] - t0
        svg = probe["svgDone"] - t0
        drawn = max(probe["lastChartChange"] or probe["svgDone"], probe["svgDone"]) - t0
        return {
            "phase": phase, "script_ms": round(script), "svg_ms": round(svg), "drawn_ms": round(drawn),
            "draw_ms": round(max(drawn - script, 0.0)),
            "js_ms": round(self._busy_since(busy_before) * 1000),
            "kB": round((self.received - bytes_before) / 1000, 1), "charts": probe["charts"], "errors": errors,
        }


def page_url(base: str, pages: list[str], page_id: str) -> str:
    return base + ("/" if page_id == pages[0] else f"/{page_id}") + f"?page={page_id}"


def bench_page(browser, base: str, pages: list[str], page_id: str, repeat: int, text_index: int) -> list[dict]:
    url = page_url(base, pages, page_id)
    rows = []
    for k in range(repeat):
        context = browser.new_context(viewport=VIEWPORT, locale="en-US")
        context.add_init_script(PROBE_JS)
        try:
            tab = Tab(context)
            page = tab.page
            rows.append(tab.measure(lambda: page.goto(url, wait_until="commit"), "cold"))
            rows.append(tab.measure(lambda: page.reload(wait_until="commit"), "warm"))
            area = page.locator('[data-testid="stSidebar"] textarea').first
            if not area.count() or area.is_disabled():   # a page the text does not drive (Train): no typed phase
                continue
            text = TEXTS[(text_index + k) % len(TEXTS)] + f" ({page_id} {k})"
            area.fill(text)

            def type_text():
                page.evaluate("() => window.__bench.reset()")
                area.press("Control+Enter")

            rows.append(tab.measure(type_text, "typed"))
        finally:
            context.close()
    for row in rows:
        row["page"] = page_id
    return rows


def median_by_phase(rows: list[dict]) -> dict[str, dict]:
    out = {}
    for phase in ("cold", "warm", "typed"):
        picked = [r for r in rows if r["phase"] == phase]
        if picked:
            out[phase] = {key: statistics.median(r[key] for r in picked)
                          for key in ("script_ms", "svg_ms", "drawn_ms", "draw_ms", "js_ms", "kB", "charts", "errors")}
    return out


COLUMNS = ("script_ms", "svg_ms", "drawn_ms", "draw_ms", "js_ms", "kB", "charts", "errors")


def print_table(page_id: str, medians: dict[str, dict], repeat: int) -> None:
    print(f"\n{page_id}  (median of {repeat})")
    print(f"  {'phase':<6}" + "".join(f"{c:>11}" for c in COLUMNS))
    for phase, values in medians.items():
        print(f"  {phase:<6}" + "".join(f"{values[c]:>11g}" for c in COLUMNS))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--app-dir", type=Path, default=ROOT, help="checkout whose app.py is served")
    parser.add_argument("--pages", nargs="*", help="page ids (default: every page of app.py)")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--warmup", type=int, default=1, help="unmeasured visits per page first (server caches)")
    parser.add_argument("--port", type=int, help="default: the first free port of 8680-8689")
    parser.add_argument("--json", type=Path, help="write every measured row and the medians here")
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    app_dir = args.app_dir.resolve()
    all_pages = registered_pages(app_dir)
    pages = args.pages or all_pages
    unknown = sorted(set(pages) - set(all_pages))
    if unknown:
        parser.error(f"unknown pages {unknown}; app.py has {all_pages}")
    chromium = find_chromium()
    if chromium is None:
        parser.error("Chromium not found (set CHROMIUM_PATH)")
    port = args.port or free_loopback_port(PORT_RANGE)
    load_before = Path("/proc/loadavg").read_text().split()[:3] if Path("/proc/loadavg").exists() else []
    print(f"app: {app_dir}  port {port}  repeat {args.repeat}  warm-up {args.warmup}  load {' '.join(load_before)}")

    results, all_rows = {}, []
    log_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"bench-browser-{port}.log"
    with StreamlitServer(port=port, app_dir=app_dir, log_path=log_path) as server, sync_playwright() as driver:
        base = server.url
        browser = launch_chromium(driver, chromium)
        try:
            for index, page_id in enumerate(pages):
                try:
                    if args.warmup:
                        bench_page(browser, base, all_pages, page_id, args.warmup, index)
                    rows = bench_page(browser, base, all_pages, page_id, args.repeat, index + 1)
                except PageTimeout as exc:
                    print(f"\n{page_id}: {exc}")
                    continue
                all_rows.extend(rows)
                results[page_id] = median_by_phase(rows)
                print_table(page_id, results[page_id], args.repeat)
        finally:
            browser.close()

    load_after = Path("/proc/loadavg").read_text().split()[:3] if Path("/proc/loadavg").exists() else []
    print("\nsummary (medians; draw = drawn - script; targets: load draw <= 2000 ms, typed drawn <= 1500 ms)")
    print(f"  {'page':<22}{'cold drawn':>11}{'cold draw':>10}{'warm drawn':>11}{'warm draw':>10}"
          f"{'typed drawn':>12}{'load kB':>9}{'typed kB':>9}")
    for page_id, m in results.items():
        if not all(phase in m for phase in ("cold", "warm")):
            continue
        typed = m.get("typed")   # none where the text does not drive the page
        typed_drawn, typed_kb = (f"{typed['drawn_ms']:g}", f"{typed['kB']:g}") if typed else ("-", "-")
        print(f"  {page_id:<22}{m['cold']['drawn_ms']:>11g}{m['cold']['draw_ms']:>10g}{m['warm']['drawn_ms']:>11g}"
              f"{m['warm']['draw_ms']:>10g}{typed_drawn:>12}{m['warm']['kB']:>9g}{typed_kb:>9}")
    print(f"load average before {' '.join(load_before)}, after {' '.join(load_after)}")
    if args.json:
        args.json.write_text(json.dumps({"app_dir": str(app_dir), "load_before": load_before,
                                         "load_after": load_after, "rows": all_rows, "medians": results},
                                        indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
