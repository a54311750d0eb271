"""Classroom load: N students open the lecturer's link within a window, then step, type and switch pages.

Each simulated student speaks Streamlit's own websocket protocol (``/_stcore/stream``, the protobuf
``BackMsg`` / ``ForwardMsg`` messages shipped inside the streamlit package) the way the browser does: it
sends a ``rerun_script`` BackMsg with the link's query string and reads ForwardMsgs until
``script_finished``; it keeps the value of every widget the server drew (as the browser's widget manager
does) and sends them all with each rerun; a button press is a ``trigger_value``. No browser runs, so on a
small machine the numbers are the server's, not Chromium's.

    python benchmarks/classroom.py --students 20 --window 10            # starts its own server
    python benchmarks/classroom.py --students 200 --window 60 --actions step,step,step,type,page
    python benchmarks/classroom.py --url http://127.0.0.1:8080 --server-pid 1234   # a running server
    python benchmarks/classroom.py --students 20 --window 2 --actions steps3 --click-gap 0.5   # fast Next clicks
    python benchmarks/classroom.py --sweep 10,20,40,80 --window 60     # capacity: one row per class size

Per student: time from connecting to the first complete page, then one timed action after another
(``step`` = press the Step page's Next button, ``type`` = put a new text in the sidebar text area,
``page`` = open another page, ``steps3`` = three fast Next presses without waiting). Reported: the
p50 / p95 / max of those times, errors (exception elements, timeouts, a wrong step after Next), and the
server process's CPU seconds and resident memory over time (sampled from /proc, Linux only).

Importable: :func:`run_classroom` returns the result dict that the command line prints as a table.
Loopback only, at most ``MAX_STUDENTS`` students, every run bounded by ``--timeout``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from streamlit.proto.Alert_pb2 import Alert as AlertProto
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import connect

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

from appdriver import StreamlitServer  # noqa: E402  (the one launcher: free port, health check, clean stop)

MAX_STUDENTS = 400
DEFAULT_LINK = "page=step_by_step&lang=en"
TEXTS = [
    "The quick brown fox jumps over the lazy dog (and \"remembers\" it).",
    "长短期记忆网络会记住很久以前的信息。",
    "def f(x):\n    return [x * 2 for x in range(10)]",
    "Les réseaux récurrents lisent le texte pas à pas.",
]
SWITCH_PAGES = ("gate_heatmaps", "step_by_step")   # `page` actions alternate between these
FINISHED_OK = ForwardMsg.FINISHED_SUCCESSFULLY
ERROR_ALERT = AlertProto.ERROR
LOOPBACK = ("127.0.0.1", "localhost", "::1")


# ---- the server: watch one ---------------------------------------------------------------------------------

def process_sample(pid: int) -> tuple[float, float]:
    """(user + system CPU seconds, resident set in MB) of a process, from /proc; NaNs when unreadable."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        rss_pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
        return cpu, rss_pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, IndexError, ValueError):
        return float("nan"), float("nan")


class Sampler:
    """Samples a process's CPU seconds and RSS every ``interval`` seconds in a background thread."""

    def __init__(self, pid: int | None, interval: float = 0.5):
        self.pid, self.interval = pid, interval
        self.samples: list[tuple[float, float, float]] = []    # (seconds since start, cpu_s, rss_mb)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._t0 = time.monotonic()

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def sample(self) -> tuple[float, float]:
        if self.pid is None:
            return float("nan"), float("nan")
        cpu, rss = process_sample(self.pid)
        self.samples.append((round(time.monotonic() - self._t0, 2), round(cpu, 2), round(rss, 1)))
        return cpu, rss

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


# ---- one student ---------------------------------------------------------------------------------------------

def _widget_value(kind: str, element, known: bool):
    """The value the browser keeps for a widget element: (field of WidgetState, value), or None to keep the
    browser's current value (an element the browser already knows that the server did not set)."""
    if known and not getattr(element, "set_value", False):
        return None
    set_value = getattr(element, "set_value", False)
    if kind == "slider" and len(element.options):       # a select_slider: the browser sends the option strings
        if set_value:
            return "string_array_value", list(element.raw_value)
        return "string_array_value", [element.options[int(i)] for i in element.default]
    if kind == "slider":
        return "double_array_value", list(element.value if set_value else element.default)
    if kind in ("text_area", "text_input"):
        return "string_value", element.value if set_value else element.default
    if kind == "number_input":
        if set_value:
            return "double_value", float(element.value)
        return ("double_value", float(element.default)) if element.HasField("default") else None
    if kind == "checkbox":
        return "bool_value", bool(element.value if set_value else element.default)
    if kind in ("radio", "selectbox"):
        if set_value:
            return "string_value", element.raw_value
        if element.HasField("default") and 0 <= element.default < len(element.options):
            return "string_value", element.options[element.default]
    return None


@dataclass
class Student:
    """One simulated browser tab: a websocket, the widget states it would send, what it saw."""

    index: int
    ws_url: str
    query_string: str
    page_name: str = ""
    timeout: float = 60.0
    widgets: dict = field(default_factory=dict)           # widget id -> (field, value): what the browser sends
    widget_kinds: dict = field(default_factory=dict)      # widget id -> element type ("button", "slider", ...)
    run_widgets: set = field(default_factory=set)         # ids drawn by the run in progress
    drawn: set = field(default_factory=set)               # ids drawn by the last run that finished
    log: list = field(default_factory=list)               # (message type, detail) of the last messages
    pages: dict = field(default_factory=dict)             # url path ("" = default page) -> page_script_hash
    page_hash: str = ""
    errors: list = field(default_factory=list)
    exceptions: int = 0
    messages: int = 0
    bytes_in: int = 0
    _seq: int = 0
    _started_seq: int = -1
    _finished_seq: int = -1

    def __post_init__(self):
        self._changed = asyncio.Condition()

    # -- protocol --
    async def open(self) -> None:
        self.ws = await connect(self.ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=self.timeout,
                                ping_interval=None, close_timeout=2)
        self._reader = asyncio.create_task(self._read())

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            await self.ws.close()
        with contextlib.suppress(BaseException):
            await asyncio.wait_for(self._reader, 5)

    async def _read(self) -> None:
        try:
            async for raw in self.ws:
                msg = ForwardMsg()
                msg.ParseFromString(raw)
                self.messages += 1
                self.bytes_in += len(raw)
                self._handle(msg)
                async with self._changed:
                    self._seq += 1
                    self._changed.notify_all()
        except Exception as error:  # noqa: BLE001 - a dropped connection is an error of this student
            self.errors.append(f"student {self.index}: connection {type(error).__name__}: {error}"[:200])
        async with self._changed:
            self._seq += 1
            self._closed = True
            self._changed.notify_all()

    def _handle(self, msg: ForwardMsg) -> None:
        kind = msg.WhichOneof("type")
        if kind != "delta":
            self.log = self.log[-30:] + [(kind, str(getattr(msg, kind)).replace("\n", " ")[:80])]
        if kind == "new_session":
            self.run_widgets = set()
            self._started_seq = self._seq
            self.page_hash = msg.new_session.page_script_hash
        elif kind == "navigation":
            self.pages = {page.url_pathname: page.page_script_hash for page in msg.navigation.app_pages}
            self.page_hash = msg.navigation.page_script_hash or self.page_hash
        elif kind == "page_info_changed":
            self.query_string = msg.page_info_changed.query_string
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            element_kind = element.WhichOneof("type")
            if element_kind == "exception":
                self.exceptions += 1
                self.errors.append(f"student {self.index}: exception element: "
                                   f"{element.exception.type} {element.exception.message}"[:200])
                return
            if element_kind == "alert" and element.alert.format == ERROR_ALERT:
                self.errors.append(f"student {self.index}: error message: {element.alert.body}"[:200])
                return
            widget = getattr(element, element_kind)
            widget_id = getattr(widget, "id", "")
            if widget_id.startswith("$$ID-"):
                self.run_widgets.add(widget_id)
                self.widget_kinds[widget_id] = element_kind
                value = _widget_value(element_kind, widget, widget_id in self.widgets)
                if value is not None:
                    self.widgets[widget_id] = value
        elif kind == "script_finished":
            if msg.script_finished == FINISHED_OK:
                self._finished_seq = self._seq
                self.drawn = set(self.run_widgets)
                # the browser forgets the state of widgets the finished run did not draw
                self.widgets = {wid: value for wid, value in self.widgets.items() if wid in self.run_widgets}

    def _back_msg(self, triggers: dict | None = None, values: dict | None = None, page_hash: str | None = None,
                  page_name: str | None = None) -> bytes:
        back = BackMsg()
        state = back.rerun_script
        state.query_string = self.query_string
        state.page_script_hash = self.page_hash if page_hash is None else page_hash
        state.page_name = self.page_name if page_name is None else page_name
        state.context_info.timezone = "UTC"
        state.context_info.locale = "en-US"
        for widget_id, (name, value) in {**self.widgets, **(values or {})}.items():
            if widget_id in (triggers or {}):
                continue
            ws = WidgetState(id=widget_id)
            if name == "double_array_value":
                ws.double_array_value.data.extend(value)
            elif name == "string_array_value":
                ws.string_array_value.data.extend(value)
            else:
                setattr(ws, name, value)
            state.widget_states.widgets.append(ws)
        for widget_id in triggers or {}:
            state.widget_states.widgets.append(WidgetState(id=widget_id, trigger_value=True))
        return back.SerializeToString()

    async def rerun(self, wait: bool = True, **kwargs) -> float:
        """Send one rerun BackMsg; with ``wait``, seconds until a run started after it finished successfully."""
        async with self._changed:
            mark = self._seq
        start = time.monotonic()
        await self.ws.send(self._back_msg(**kwargs))
        if wait:
            await self.wait_finished(mark)
        return time.monotonic() - start

    async def wait_finished(self, mark: int) -> None:
        """Wait for a run that started after message ``mark`` to finish successfully."""
        async def done():
            async with self._changed:
                await self._changed.wait_for(
                    lambda: getattr(self, "_closed", False)
                    or (self._started_seq >= mark and self._finished_seq > self._started_seq))
            if getattr(self, "_closed", False):
                raise ConnectionError("connection closed before the run finished")
        await asyncio.wait_for(done(), self.timeout)

    # -- what a student does --
    async def first_page(self) -> float:
        start = time.monotonic()
        await self.open()
        await self.rerun()
        return time.monotonic() - start

    def widget_id(self, key: str) -> str | None:
        """The id of the widget with user key ``key`` drawn by the last run (``$$ID-<hash>-<key>``)."""
        return next((wid for wid in self.drawn if wid.endswith("-" + key)), None)

    def step(self) -> int | None:
        """The step in the URL the server wrote last (None when absent)."""
        value = urllib.parse.parse_qs(self.query_string).get("step")
        return int(value[-1]) if value else None

    async def press(self, key: str, wait: bool = True, values: dict | None = None) -> float:
        """Press the button with user key ``key`` (``values``: widget states to send instead of the current
        ones, e.g. what a browser still shows while the server has not answered yet)."""
        widget_id = self.widget_id(key)
        if widget_id is None:
            raise LookupError(f"no widget with key {key!r} on the page; last messages {self.log[-8:]}")
        return await self.rerun(wait=wait, triggers={widget_id: True}, values=values)

    async def type_text(self, text: str) -> float:
        widget_id = self.widget_id("lstmx.text")
        if widget_id is None:
            raise LookupError("no sidebar text area on the page")
        self.widgets[widget_id] = ("string_value", text)
        return await self.rerun()

    async def open_page(self, url_path: str) -> float:
        """Click a page in the navigation: its script hash, the page's URL path, no query string."""
        page_hash = self.pages.get(url_path)
        if page_hash is None:
            raise LookupError(f"no page {url_path!r} in the navigation")
        self.query_string, self.page_name = "", url_path
        return await self.rerun(page_hash=page_hash, page_name=url_path)


# ---- a class ------------------------------------------------------------------------------------------------

def _current_page(student: Student) -> str:
    return urllib.parse.parse_qs(student.query_string).get("page", [""])[-1]


async def _do_action(student: Student, action: str, k: int, result: dict) -> None:
    """One timed action; checks what it can (Next moved the step by one, three fast Nexts by three)."""
    if action in ("step", "steps3"):
        if _current_page(student) != "step_by_step":
            await student.open_page("step_by_step")
        before = student.step() or 0
        presses = 3 if action == "steps3" else 1
        start = time.monotonic()
        for press in range(presses):
            await student.press("step.next", wait=press == presses - 1)
            if press < presses - 1:
                await asyncio.sleep(result["click_gap"])
        result["actions"][action].append(time.monotonic() - start)
        after = student.step()
        result["steps_checked"] += 1
        if after != before + presses:
            result["lost_clicks"] += 1
            student.errors.append(f"student {student.index}: step {after} after {presses} x Next from {before}")
    elif action == "type":
        result["actions"][action].append(await student.type_text(TEXTS[(student.index + k) % len(TEXTS)]
                                                                 + f" #{student.index}.{k}"))
    elif action == "page":
        target = SWITCH_PAGES[0] if _current_page(student) != SWITCH_PAGES[0] else SWITCH_PAGES[1]
        result["actions"][action].append(await student.open_page(target))
    else:
        raise ValueError(f"unknown action {action!r}")


async def _student_life(index: int, delay: float, ws_url: str, link: str, page_name: str,
                        actions: list[str], think: float, timeout: float, result: dict) -> None:
    await asyncio.sleep(delay)
    student = Student(index=index, ws_url=ws_url, query_string=link, page_name=page_name, timeout=timeout)
    result["students"].append(student)
    try:
        result["first_page"].append(await student.first_page())
        for k, action in enumerate(actions):
            if think:
                await asyncio.sleep(think)
            await _do_action(student, action, k, result)
    except (Exception, asyncio.TimeoutError) as error:  # noqa: BLE001 - counted and reported
        student.errors.append(f"student {index}: {type(error).__name__}: {str(error)[:160]}")
    finally:
        if not result["keep_open"]:
            await student.close()


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (NaN for no values)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


def _summary(values: list[float]) -> dict:
    return {"n": len(values), "p50": percentile(values, 50), "p95": percentile(values, 95),
            "max": max(values, default=float("nan"))}


def _check_loopback(url: str) -> None:
    host = urllib.parse.urlsplit(url).hostname
    if host not in LOOPBACK:
        raise ValueError(f"loopback only: {host!r} is not 127.0.0.1 / localhost")


async def _classroom(url: str, students: int, window: float, actions: list[str], link: str, page: str,
                     think: float, timeout: float, click_gap: float, sampler: Sampler, settle: float) -> dict:
    parts = urllib.parse.urlsplit(url)
    scheme = "wss" if parts.scheme == "https" else "ws"
    ws_url = f"{scheme}://{parts.netloc}{parts.path.rstrip('/')}/_stcore/stream"
    page_name = "" if page in ("", "step_by_step") else page
    result = {"students": [], "first_page": [], "actions": {a: [] for a in dict.fromkeys(actions)},
              "lost_clicks": 0, "steps_checked": 0, "click_gap": click_gap, "keep_open": True}

    # warm-up visit doing what the students will do (imports of every page visited, the shared caches): not what a
    # class waits for, and the memory baseline the class is compared with
    warm = Student(index=-1, ws_url=ws_url, query_string=link, page_name=page_name, timeout=timeout)
    await warm.first_page()
    for k, action in enumerate(actions):
        await _do_action(warm, action, k, {"actions": {a: [] for a in actions}, "steps_checked": 0, "lost_clicks": 0,
                                           "click_gap": click_gap})
    await warm.close()
    await asyncio.sleep(0.5)
    cpu0, rss0 = sampler.sample()
    result["rss_warm_mb"] = rss0

    wall = time.monotonic()
    delays = [window * k / max(students - 1, 1) for k in range(students)] if students > 1 else [0.0]
    tasks = [asyncio.create_task(_student_life(k, delays[k], ws_url, link, page_name, actions, think, timeout,
                                               result)) for k in range(students)]
    done, pending = await asyncio.wait(tasks, timeout=window + timeout * (2 + len(actions)))
    for task in pending:
        task.cancel()
    wall = time.monotonic() - wall
    cpu1, rss_open = sampler.sample()
    result["rss_open_mb"] = rss_open          # every session still connected (students keep the tab open)
    await asyncio.gather(*(student.close() for student in result["students"]))
    await asyncio.sleep(1.0)
    rss1 = sampler.sample()[1]
    result["timed_out_students"] = len(pending)
    result["wall_s"], result["server_cpu_s"] = wall, cpu1 - cpu0
    result["rss_peak_mb"] = max((s[2] for s in sampler.samples), default=float("nan"))
    result["rss_after_mb"] = rss1
    if settle > 0:
        # Streamlit keeps a closed session (for a reconnect) until server.disconnectedSessionTTL has passed and a
        # later disconnect reaps it: wait, let one more visitor come and go, then measure.
        await asyncio.sleep(settle)
        late = Student(index=-2, ws_url=ws_url, query_string=link, page_name=page_name, timeout=timeout)
        await late.first_page()
        await late.close()
        await asyncio.sleep(1.0)
        result["rss_settled_mb"] = sampler.sample()[1]
    return result


def run_async(coroutine):
    """asyncio.run(coroutine), also from a thread whose event loop is already running (e.g. under pytest beside
    Playwright's sync API, which keeps one running for the session): then the coroutine gets a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    result: dict = {}

    def target() -> None:
        try:
            result["value"] = asyncio.run(coroutine)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            result["error"] = exc

    worker = threading.Thread(target=target, name="classroom-loop")
    worker.start()
    worker.join()
    if "error" in result:
        raise result["error"]
    return result.get("value")


def run_classroom(url: str | None = None, *, students: int = 20, window: float = 10.0,
                  actions: list[str] | tuple[str, ...] = ("step", "type", "page"), link: str = DEFAULT_LINK,
                  page: str = "step_by_step", think: float = 0.5, timeout: float = 120.0, click_gap: float = 0.05,
                  server_pid: int | None = None, port: int = 0, server_args: tuple[str, ...] = (),
                  settle: float = 0.0, sample_interval: float = 0.5, log_path: Path | None = None) -> dict:
    """Run a class against ``url`` (a running server, e.g. behind nginx; ``server_pid`` to watch its CPU and
    memory) or, without ``url``, against a server it starts on ``port`` (0 = a free port) and stops.

    Returns a dict: ``first_page`` / ``actions[name]`` as {n, p50, p95, max} seconds, ``errors`` (list of
    strings), ``lost_clicks``, ``server_cpu_s``, ``rss_*_mb``, ``samples`` [(t, cpu_s, rss_mb)], ``loadavg``.
    """
    if not 1 <= students <= MAX_STUDENTS:
        raise ValueError(f"students must be between 1 and {MAX_STUDENTS}")
    window, timeout = max(0.0, float(window)), min(max(1.0, float(timeout)), 900.0)
    actions = list(actions)
    load_before = os.getloadavg()
    server = None
    if url is None:
        server = StreamlitServer(port=port, extra_args=tuple(server_args), log_path=log_path or Path(os.devnull)).start()
        url, server_pid = server.url, server.pid
    _check_loopback(url)
    try:
        with Sampler(server_pid, sample_interval) as sampler:
            raw = run_async(_classroom(url, students, window, actions, link, page, think, timeout, click_gap,
                                         sampler, settle))
    finally:
        if server is not None:
            server.stop()
    errors = [line for s in raw["students"] for line in s.errors]
    errors += [f"{raw['timed_out_students']} students did not finish in time"] if raw["timed_out_students"] else []
    n_sessions = max(students, 1)
    result = {
        "url": url, "students": students, "window_s": window, "actions_each": actions,
        "first_page": _summary(raw["first_page"]),
        "actions": {name: _summary(values) for name, values in raw["actions"].items()},
        "all_actions": _summary([v for values in raw["actions"].values() for v in values]),
        "errors": errors, "error_count": len(errors), "exceptions": sum(s.exceptions for s in raw["students"]),
        "lost_clicks": raw["lost_clicks"], "steps_checked": raw["steps_checked"],
        "wall_s": raw["wall_s"], "server_cpu_s": raw["server_cpu_s"],
        "rss_warm_mb": raw["rss_warm_mb"], "rss_peak_mb": raw["rss_peak_mb"], "rss_open_mb": raw["rss_open_mb"],
        "rss_after_mb": raw["rss_after_mb"],
        "rss_settled_mb": raw.get("rss_settled_mb"),
        "rss_per_session_mb": (raw["rss_open_mb"] - raw["rss_warm_mb"]) / n_sessions,
        "mb_received": sum(s.bytes_in for s in raw["students"]) / 2**20,
        "samples": sampler.samples,
        "loadavg_before": load_before, "loadavg_after": os.getloadavg(), "cpus": os.cpu_count(),
    }
    return result


def format_table(result: dict) -> str:
    """The compact summary the command line prints."""
    def row(name, s):
        return f"{name:<22}{s['n']:>5}{s['p50']:>9.2f}{s['p95']:>9.2f}{s['max']:>9.2f}"
    lines = [
        f"classroom: {result['students']} students over {result['window_s']:.0f} s, actions "
        f"{','.join(result['actions_each']) or '-'}; {result['cpus']} CPUs, load average "
        f"{result['loadavg_before'][0]:.2f} before, {result['loadavg_after'][0]:.2f} after",
        f"{'seconds':<22}{'n':>5}{'p50':>9}{'p95':>9}{'max':>9}",
        row("first page complete", result["first_page"]),
        *(row(f"action {name}", s) for name, s in result["actions"].items()),
        f"errors {result['error_count']} (exceptions {result['exceptions']}, lost clicks {result['lost_clicks']}"
        f"/{result['steps_checked']} checks)",
        f"server: {result['server_cpu_s']:.1f} CPU-s in {result['wall_s']:.1f} s wall; RSS warm "
        f"{result['rss_warm_mb']:.0f} MB, peak {result['rss_peak_mb']:.0f} MB, all open {result['rss_open_mb']:.0f} MB "
        f"({result['rss_per_session_mb']:.2f} MB/session), closed {result['rss_after_mb']:.0f} MB"
        + (f", settled {result['rss_settled_mb']:.0f} MB" if result.get("rss_settled_mb") is not None else ""),
    ]
    lines += ["  " + line for line in result["errors"][:10]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add = parser.add_argument
    add("--students", type=int, default=20, help=f"simulated students (1..{MAX_STUDENTS}, default 20)")
    add("--window", type=float, default=10.0, help="arrivals spread over this many seconds (default 10)")
    parser.add_argument("--actions", default="step,type,page",
                        help="comma-separated actions after the first page: step, steps3, type, page "
                             "(default step,type,page; '' for none)")
    add("--link", default=DEFAULT_LINK, help=f"the shared link's query string (default {DEFAULT_LINK})")
    add("--page", default="step_by_step", help="the shared link's page (URL path; default step_by_step)")
    add("--think", type=float, default=0.5, help="pause before each action, seconds (default 0.5)")
    add("--click-gap", type=float, default=0.05, help="pause between the presses of steps3 (default 0.05)")
    add("--timeout", type=float, default=120.0, help="limit for one page or action, seconds (default 120)")
    parser.add_argument("--url", help="a running server (loopback, e.g. behind nginx); default: start one")
    parser.add_argument("--server-pid", type=int, help="pid of the --url server, to sample its CPU and memory")
    parser.add_argument("--port", type=int, default=0, help="port for the server it starts (default: a free one)")
    parser.add_argument("--server-arg", action="append", default=[],
                        help="extra argument for `streamlit run`, e.g. --server-arg=--server.disconnectedSessionTTL=10")
    add("--settle", type=float, default=0.0,
        help="after the class, wait this long (past server.disconnectedSessionTTL), let one more visitor come and "
             "go (that reaps expired sessions) and sample RSS again")
    add("--json", help="also write the full result (with the CPU/RSS samples) to this file")
    add("--sweep", help="comma-separated class sizes, e.g. 10,20,40,80: one class each (a fresh server each), "
                        "one row per size and the largest with p95 first page <= 5 s and no errors")
    args = parser.parse_args(argv)
    actions = [a.strip() for a in args.actions.split(",") if a.strip()]
    unknown = [a for a in actions if a not in ("step", "steps3", "type", "page")]
    if unknown:
        parser.error(f"unknown actions: {', '.join(unknown)}")
    if not 1 <= args.students <= MAX_STUDENTS:
        parser.error(f"--students must be between 1 and {MAX_STUDENTS}")
    common = dict(window=args.window, actions=actions, link=args.link.lstrip("?"), page=args.page, think=args.think,
                  timeout=args.timeout, click_gap=args.click_gap, server_pid=args.server_pid, port=args.port,
                  server_args=tuple(args.server_arg), settle=args.settle)
    if args.sweep:
        return sweep([int(n) for n in args.sweep.split(",")], args.url, args.json, **common)
    result = run_classroom(args.url, students=args.students, **common)
    print(format_table(result))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1, default=str))
    return 1 if result["error_count"] else 0


def sweep(sizes: list[int], url: str | None, json_path: str | None, *, p95_limit: float = 5.0, **common) -> int:
    """Classes of growing size (a fresh server for each unless ``url``); prints one row per size and the largest
    class whose p95 time to the first page is at most ``p95_limit`` seconds with no errors."""
    results, capacity = [], 0
    print(f"{'students':>8}{'first p50':>10}{'first p95':>10}{'action p95':>11}{'errors':>7}{'CPU-s':>7}"
          f"{'RSS warm':>9}{'open':>6}{'closed':>7}{'MB/sess':>8}{'load':>6}", flush=True)
    for n in sizes:
        result = run_classroom(url, students=n, **common)
        results.append(result)
        fits = result["error_count"] == 0 and result["first_page"]["p95"] <= p95_limit
        capacity = n if fits and n > capacity else capacity
        print(f"{n:>8}{result['first_page']['p50']:>10.2f}{result['first_page']['p95']:>10.2f}"
              f"{result['all_actions']['p95']:>11.2f}{result['error_count']:>7}{result['server_cpu_s']:>7.1f}"
              f"{result['rss_warm_mb']:>9.0f}{result['rss_open_mb']:>6.0f}{result['rss_after_mb']:>7.0f}"
              f"{result['rss_per_session_mb']:>8.2f}{result['loadavg_after'][0]:>6.1f}", flush=True)
        if not fits:
            break                                    # bigger classes will not fit either
    print(f"largest class with p95 first page <= {p95_limit:.0f} s and no errors: {capacity or 'none'} students")
    if json_path:
        Path(json_path).write_text(json.dumps(results, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
