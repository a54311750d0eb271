"""Load test: N concurrent visitors in Chromium against one local Streamlit server.

Starts ``streamlit run app.py`` on a free loopback port, opens ``--sessions`` browser contexts at once
(each is a separate Streamlit session), and in every one: waits for the first page to be idle, types a text
in the sidebar, then moves the step slider ``--steps`` times; each action is timed until the app is idle
again (script finished, nothing stale, every Plotly chart drawn). Prints the error count (should be 0) and
the p50 / p95 / max of those times.

    python benchmarks/load_test.py                      # 10 sessions
    python benchmarks/load_test.py --sessions 4 --steps 2 --page gate_heatmaps

Bounded: at most --max-sessions (50) sessions and --timeout seconds overall. Numbers depend on the
machine; on a shared 2-core host everything (server, browsers) competes for the same two cores.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

from appdriver import (  # noqa: E402
    APP_ROOT,
    ARM_JS,
    ARTIFACTS,
    CHROMIUM_ARGS,
    EXCEPTION,
    IDLE_JS,
    PLOTLY_CHART,
    StreamlitServer,
    find_chromium,
)

TEXTS = [
    "The quick brown fox jumps over the lazy dog (and \"remembers\" it).",
    "长短期记忆网络会记住很久以前的信息。",
    "def f(x):\n    return [x * 2 for x in range(10)]",
    "Les réseaux récurrents lisent le texte pas à pas.",
]
STEP_SLIDER = '[data-testid="stMain"] [data-testid="stSlider"] input[type="range"]'


async def wait_idle(page, timeout_ms: int) -> None:
    """Async twin of appdriver.wait_idle: idle twice in a row, 100 ms apart."""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        remaining = max(1, int((deadline - time.monotonic()) * 1000))
        await page.wait_for_function(IDLE_JS, arg=[APP_ROOT, PLOTLY_CHART], timeout=remaining, polling=50)
        await page.wait_for_timeout(100)
        if await page.evaluate(IDLE_JS, [APP_ROOT, PLOTLY_CHART]):
            return


async def timed_rerun(page, action, timeout_ms: int) -> float:
    """Seconds from ``action`` until the rerun it caused has finished (see appdriver.rerun)."""
    await page.evaluate(ARM_JS, APP_ROOT)
    start = time.monotonic()
    await action()
    try:
        await page.wait_for_function("() => window.__lstmxSawRun === true", timeout=5000, polling=25)
    except Exception:  # noqa: BLE001 - no run started: just wait for idle
        pass
    await wait_idle(page, timeout_ms)
    return time.monotonic() - start


async def visitor(index: int, browser, url: str, steps: int, timeout_ms: int, results: dict) -> None:
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    page.on("pageerror", lambda error: results["errors"].append(f"session {index}: JS error {error}"))
    try:
        start = time.monotonic()
        await page.goto(url, wait_until="domcontentloaded")
        await wait_idle(page, timeout_ms)
        results["first_load"].append(time.monotonic() - start)

        area = page.locator('[data-testid="stSidebar"] textarea').first
        await area.fill(TEXTS[index % len(TEXTS)] + f" #{index}")
        results["actions"].append(await timed_rerun(page, lambda: area.press("Control+Enter"), timeout_ms))

        slider = page.locator(STEP_SLIDER).first
        for _ in range(steps):
            await slider.focus()
            results["actions"].append(await timed_rerun(page, lambda: slider.press("ArrowRight"), timeout_ms))

        if await page.locator(EXCEPTION).count():
            results["errors"].append(f"session {index}: exception shown in the app")
        expected_step = str(steps)
        if await slider.input_value() != expected_step:
            results["errors"].append(f"session {index}: step is {await slider.input_value()}, expected {expected_step}")
        if index == 0:
            await page.screenshot(path=str(ARTIFACTS / "load-test-session-0.png"))
    except Exception as error:  # noqa: BLE001 - counted and reported
        results["errors"].append(f"session {index}: {type(error).__name__}: {str(error).splitlines()[0][:200]}")
    finally:
        await context.close()


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc; NaN elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return float("nan")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


async def run(args) -> int:
    from playwright.async_api import async_playwright

    chromium = find_chromium()
    if chromium is None:
        print("no Chromium found (apt-get install chromium or set CHROMIUM_PATH)")
        return 2
    results = {"errors": [], "first_load": [], "actions": []}
    load_before = os.getloadavg()
    with StreamlitServer(log_path=ARTIFACTS / "load-test-streamlit.log") as server:
        page_id = args.page or "step_by_step"
        url = server.url + ("/" if page_id == "step_by_step" else f"/{page_id}") + f"?page={page_id}"
        # Warm-up visit: the first run of the server pays for imports and caches, which is not what we measure.
        async with async_playwright() as driver:
            browser = await driver.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
            warm = await browser.new_page()
            await warm.goto(server.url + "/", wait_until="domcontentloaded")
            await wait_idle(warm, args.timeout * 1000)
            await warm.close()

            wall = time.monotonic()
            server_cpu = process_cpu_seconds(server.process.pid)
            tasks = [visitor(k, browser, url, args.steps, args.timeout * 1000, results) for k in range(args.sessions)]
            try:
                await asyncio.wait_for(asyncio.gather(*tasks), timeout=args.timeout)
            except asyncio.TimeoutError:
                results["errors"].append(f"load test exceeded {args.timeout} s")
            wall = time.monotonic() - wall
            server_cpu = process_cpu_seconds(server.process.pid) - server_cpu
            await browser.close()

    actions, loads = results["actions"], results["first_load"]
    print(f"sessions: {args.sessions} concurrent, {args.steps} slider steps each, page {args.page or 'step_by_step'}")
    print(f"machine: {os.cpu_count()} CPU cores (server, Chromium and the driver share them); "
          f"load average before {load_before[0]:.1f}, after {os.getloadavg()[0]:.1f}")
    print(f"wall time: {wall:.1f} s; the server process used {server_cpu:.1f} CPU-s of it "
          f"({server_cpu / max(len(actions) + len(loads), 1):.2f} CPU-s per page load or action)")
    print(f"errors: {len(results['errors'])}")
    for line in results["errors"][:20]:
        print("  " + line)
    for name, values in (("first load until idle", loads), ("action until idle", actions)):
        print(f"{name} ({len(values)}): p50 {percentile(values, 50):.2f} s, p95 {percentile(values, 95):.2f} s, "
              f"max {max(values, default=float('nan')):.2f} s")
    if actions:
        print(f"action mean {statistics.fmean(actions):.2f} s")
    return 1 if results["errors"] else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=10, help="concurrent browser sessions (default 10)")
    parser.add_argument("--steps", type=int, default=3, help="slider moves per session (default 3)")
    parser.add_argument("--page", default="step_by_step", help="page id to load (default step_by_step)")
    parser.add_argument("--timeout", type=int, default=300, help="overall time limit in seconds (default 300)")
    parser.add_argument("--max-sessions", type=int, default=50, help="refuse more sessions than this (default 50)")
    args = parser.parse_args()
    if not 1 <= args.sessions <= args.max_sessions:
        parser.error(f"--sessions must be between 1 and {args.max_sessions}")
    args.steps = max(0, min(args.steps, 20))
    ARTIFACTS.mkdir(exist_ok=True)
    return asyncio.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
