"""The classroom load generator (benchmarks/classroom.py) against one real Streamlit server.

Students speak Streamlit's websocket protocol (no browser); one server for the module.
"""

from __future__ import annotations

import asyncio
import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _load_classroom():
    spec = importlib.util.spec_from_file_location("classroom", ROOT / "benchmarks" / "classroom.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["classroom"] = module
    spec.loader.exec_module(module)
    return module


classroom = _load_classroom()


@pytest.fixture(scope="module")
def server():
    with classroom.StreamlitServer(log_path=ROOT / "test-artifacts" / "classroom-streamlit.log") as running:
        yield running                              # a free loopback port


def test_students_get_a_complete_first_page_and_next_moves_the_step(server):
    result = classroom.run_classroom(server.url, server_pid=server.pid, students=3, window=0.5, actions=["step"],
                                     think=0.0, timeout=60)
    assert result["first_page"]["n"] == 3                      # every student saw script_finished
    assert result["errors"] == [] and result["exceptions"] == 0
    assert result["actions"]["step"]["n"] == 3
    assert result["steps_checked"] == 3 and result["lost_clicks"] == 0   # step in the URL went 0 -> 1
    assert result["server_cpu_s"] > 0 and result["rss_open_mb"] > 0


def test_a_student_reads_widgets_and_the_step_from_the_stream(server):
    async def visit():
        parts = server.url.replace("http://", "ws://") + "/_stcore/stream"
        student = classroom.Student(index=0, ws_url=parts, query_string="page=step_by_step&lang=en&step=2")
        try:
            await student.first_page()
            assert student.step() == 2                         # the link's step, written back by the app
            assert student.widget_id("step.next") and student.widget_id("lstmx.text")
            assert {"", "gate_heatmaps"} <= set(student.pages)    # the navigation message
            await student.press("step.next")
            assert student.step() == 3
            slider = student.widgets[student.widget_id("w.step")]
            assert slider == ("double_array_value", [3.0])     # the server set the slider to the new step
            await student.open_page("gate_heatmaps")
            # the address holds the page as its path; the link now carries the heatmaps' own options and the step
            assert "hmshow=" in student.query_string and "step=3" in student.query_string
            assert student.errors == [] and student.exceptions == 0
        finally:
            await student.close()

    classroom.run_async(visit())


def test_only_loopback_urls():
    with pytest.raises(ValueError, match="loopback"):
        classroom.run_classroom("http://example.org", students=1)


def test_next_clicks_sent_before_the_browser_saw_the_new_step_all_count(server):
    """Three Next presses while the browser still shows step 0 (the server is slow under load: the browser's
    slider has not received the step the first press set) must end on step 3. The browser sends its stale
    slider value with every press; taken as a slider move it reset the step, and clicks were lost."""
    async def visit():
        url = server.url.replace("http://", "ws://") + "/_stcore/stream"
        student = classroom.Student(index=0, ws_url=url, query_string="page=step_by_step&lang=en")
        try:
            await student.first_page()
            slider_id = student.widget_id("w.step")
            stale = {slider_id: student.widgets[slider_id]}           # the browser's view: step 0
            for expected in (1, 2, 3):
                await student.press("step.next", values=stale)
                assert student.step() == expected
            assert student.errors == []
        finally:
            await student.close()

    classroom.run_async(visit())


def test_the_class_runs_also_where_an_event_loop_is_already_running():
    async def inside_a_running_loop():             # as under pytest beside Playwright's sync API
        return classroom.run_async(asyncio.sleep(0, result=7))

    assert classroom.run_async(inside_a_running_loop()) == 7   # itself fine whether or not a loop runs here
