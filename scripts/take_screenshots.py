"""Screenshots of every page for the README, taken in headless Chromium against a local server.

    python scripts/take_screenshots.py [--out docs/screenshots] [--height 1100]
    python scripts/take_screenshots.py --matrix --out shots/   # every page x 3 sizes x en/zh + lecture mode

Needs Playwright (requirements-dev.txt) and a Chromium binary (Debian's ``chromium``; or set CHROMIUM_PATH).
Each page is opened from a shared link (query parameters), waited until idle, and the top of the page is saved.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

from appdriver import StreamlitServer, find_chromium, launch_chromium, wait_idle  # noqa: E402

# (file name, page id, query params): English pages on the shipped Python model, one Chinese view.
VIEWS = [
    ("step_by_step", "step_by_step", {"lang": "en", "step": "12", "unit": "5"}),
    ("gate_heatmaps_zh", "gate_heatmaps", {"lang": "zh"}),
    ("vanishing_gradients", "vanishing_gradients", {"lang": "en", "src": "random", "hidden": "32"}),
    ("theory", "theory", {"lang": "en"}),
    ("train", "train", {"lang": "en"}),
    ("cells", "cells", {"lang": "en", "text": 'def area(width, height):\n    """Area of a box."""\n'
                        '    return [width * (height + 1), "done"]\n'}),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--height", type=int, default=1100, help="viewport height in px (the top of each page)")
    parser.add_argument("--matrix", action="store_true",
                        help="every page at 1280x900, 1920x1080 (a projector) and 390x844 (a phone), English and "
                             "中文, plus lecture mode at 1920x1080 (whole pages at 1280 and 390 px, the top of the "
                             "page at 1920): for reviewing, not for the README")
    parser.add_argument("--pages", default="", help="--matrix: only these page ids (comma-separated)")
    args = parser.parse_args()
    if args.matrix:
        matrix(args.out, [name for name in args.pages.split(",") if name])
        return
    chromium = find_chromium()
    if chromium is None:
        sys.exit("no Chromium found (install Debian's chromium or set CHROMIUM_PATH)")
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    with StreamlitServer() as server, sync_playwright() as playwright:
        browser = launch_chromium(playwright, chromium)
        page = browser.new_page(viewport={"width": 1280, "height": args.height})
        for name, page_id, params in VIEWS:
            path = "" if page_id == "step_by_step" else page_id
            page.goto(f"{server.url}/{path}?{urlencode({'page': page_id, **params})}")
            wait_idle(page, timeout_ms=120_000)
            target = args.out / f"{name}.png"
            page.screenshot(path=str(target))
            print(f"{target.relative_to(ROOT)}")
        browser.close()


SIZES = {"desktop": (1280, 900), "projector": (1920, 1080), "phone": (390, 844)}
MAX_SHOT_PX = 16_000   # tallest whole-page shot (desktop and phone; the projector shows what the room sees)


def matrix(out: Path, only: list[str] | None = None) -> None:
    """Every page of app.PAGES (or ``only`` those) at every size in both languages, and lecture mode."""
    import ast

    from playwright.sync_api import sync_playwright

    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))   # app.py runs the app when imported
    PAGES = next(ast.literal_eval(node.value) for node in tree.body
                 if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "PAGES")

    out.mkdir(parents=True, exist_ok=True)
    pages = [page_id for page_id, _ in PAGES if not only or page_id in only]
    shots = [(page_id, size, lang, {}) for page_id in pages for size in SIZES for lang in ("en", "zh")]
    shots += [(page_id, "projector", lang, {"lecture": "1"}) for page_id in pages for lang in ("en", "zh")]
    with StreamlitServer() as server, sync_playwright() as playwright:
        browser = launch_chromium(playwright, find_chromium())
        for page_id, size, lang, extra in shots:
            width, height = SIZES[size]
            agent = ("Mozilla/5.0 (Linux; Android 14) Mobile" if size == "phone" else None)
            context = browser.new_context(viewport={"width": width, "height": height}, user_agent=agent)
            page = context.new_page()
            page.goto(f"{server.url}/{page_id}?{urlencode({'lang': lang, **extra})}")
            try:
                wait_idle(page, timeout_ms=120_000)
            except Exception as exc:  # noqa: BLE001 - a page that never settles is reported, the rest go on
                print(f"{page_id} {size} {lang}: {exc}")
            name = f"{page_id}-{size}-{lang}{'-lecture' if extra else ''}.png"
            if size != "projector":   # the whole page: Streamlit scrolls inside stMain, so grow the window to it
                tall = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
                page.set_viewport_size({"width": width, "height": int(min(max(tall, height), MAX_SHOT_PX))})
                page.wait_for_timeout(800)                     # charts re-measure their width
                with contextlib.suppress(Exception):
                    wait_idle(page, timeout_ms=60_000)
            page.screenshot(path=str(out / name))
            print(name)
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
