"""The scale-out configuration, run for real without Docker: Debian's nginx with the same template docker compose
uses (deploy/nginx/lstm-explorer.conf.template, rendered by deploy/render_nginx.py for loopback ports) in front
of two ``streamlit run app.py`` replicas.

Checked through nginx: the page and the health check load; the websocket upgrade works and runs the app (a rerun
BackMsg in, the app's ForwardMsgs out); a visitor (one cookie) stays on one replica while visitors sharing one IP
spread over both; a weight upload reaches the replica that holds the visitor's session, and would be refused by
the other one (which is why the cookie matters); an upload over nginx's default 1 MB limit goes through.
The replica each request reached is read from nginx's access log ($upstream_addr).
"""

from __future__ import annotations

import http.client
import http.cookies
import os
import socket
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "deploy"))
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

import render_nginx  # noqa: E402
from appdriver import StreamlitServer, free_loopback_ports, stop_process  # noqa: E402

NGINX = render_nginx.find_nginx()
pytestmark = [
    pytest.mark.skipif(NGINX is None, reason="nginx is not installed (.ci/run installs Debian's nginx)"),
    pytest.mark.slow,
]

STREAMLIT_PORTS = range(8630, 8650)
NGINX_PORTS = range(8080, 8090)
START_TIMEOUT = 60.0


def _free_ports(candidates, count: int) -> list[int]:
    try:
        return free_loopback_ports(candidates, count)
    except RuntimeError as error:
        pytest.skip(str(error))


class Stack:
    """Two replicas and nginx; ``get``/``put``/``websocket`` talk to nginx as one browser would."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.replica_ports = _free_ports(STREAMLIT_PORTS, 2)
        (self.port,) = _free_ports(NGINX_PORTS, 1)
        self.host = f"127.0.0.1:{self.port}"
        self.replicas = [f"127.0.0.1:{port}" for port in self.replica_ports]
        self.config = render_nginx.write_config(directory / "nginx", self.replicas, self.port)
        self.access_log = self.config.parent / "logs" / "access.log"
        env = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}  # as in the Dockerfile
        self.servers = [StreamlitServer(port=port, log_path=directory / f"streamlit-{port}.log", env=env)
                        for port in self.replica_ports]
        self.nginx: subprocess.Popen | None = None

    def start(self) -> "Stack":
        for server in self.servers:
            server.launch()
        with open(self.directory / "nginx-stderr.log", "wb") as nginx_log:
            self.nginx = subprocess.Popen([NGINX, "-p", str(self.config.parent), "-c", str(self.config)],
                                          stdout=nginx_log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + START_TIMEOUT
        for server in self.servers:
            server.wait_healthy(max(1.0, deadline - time.monotonic()))
        return self

    def stop(self) -> None:
        stop_process(self.nginx)
        for server in self.servers:
            server.stop()

    # ------------------------------------------------------------------ talking to nginx

    def request(self, method: str, path: str, cookies: dict | None = None, body: bytes | None = None,
                headers: dict | None = None) -> tuple[int, http.client.HTTPMessage, bytes, str]:
        """One request through nginx; returns status, headers, body and the upstream nginx chose for it."""
        probe = uuid.uuid4().hex
        all_headers = {"X-Lstmx-Probe": probe, **(headers or {})}
        if cookies:
            all_headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=all_headers)
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        return response.status, response.headers, data, self.upstream_of(probe)

    def upstream_of(self, probe: str, timeout: float = 3.0) -> str:
        """The replica that served the request with this probe id (nginx logs a request once it has answered)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for row in render_nginx.parse_access_log(self.access_log):
                if row["http_x_lstmx_probe"] == probe:
                    return row["upstream_addr"].split(",")[-1].strip()
            time.sleep(0.02)
        raise AssertionError(f"request {probe} is not in nginx's access log")

    def websocket(self, cookies: dict, xsrf: str, site: str = "lstm-explorer.test"):
        """A websocket to nginx as a browser on http://<site>:<port> opens it (Host and Origin name the site).

        Streamlit refuses a websocket whose Origin differs from the Host it receives (except for loopback
        names), so this checks that nginx forwards the Host with its port.
        """
        from websockets.sync.client import connect

        return connect(
            f"ws://{site}:{self.port}/_stcore/stream",
            sock=socket.create_connection(("127.0.0.1", self.port), timeout=15),
            subprotocols=["streamlit", xsrf],  # Streamlit reads the XSRF token from the second subprotocol
            origin=f"http://{site}:{self.port}",
            additional_headers={"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())},
            proxy=None,
            max_size=None,
            open_timeout=15,
        )


def _set_cookies(headers: http.client.HTTPMessage) -> dict[str, str]:
    jar = http.cookies.SimpleCookie()
    for value in headers.get_all("Set-Cookie") or []:
        jar.load(value)
    return {name: morsel.value for name, morsel in jar.items()}


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    started = Stack(tmp_path_factory.mktemp("nginx-stack"))
    try:
        yield started.start()
    except RuntimeError as error:
        logs = "\n".join(
            f"--- {path.name}\n{path.read_text(errors='replace')[-2000:]}" for path in started.directory.glob("*.log")
        )
        raise AssertionError(f"{error}\n{logs}") from None
    finally:
        started.stop()


def _visitor(stack: Stack) -> dict[str, str]:
    """A new browser: its first response sets the routing cookie and Streamlit's XSRF cookie."""
    status, headers, _, _ = stack.request("GET", "/_stcore/health")
    assert status == 200
    return _set_cookies(headers)


def _run_app(ws, timeout: float = 45.0) -> dict:
    """Send the rerun a browser sends when it opens the page; collect ForwardMsgs until the script finishes."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    rerun = BackMsg()
    rerun.rerun_script.query_string = ""
    rerun.rerun_script.page_script_hash = ""
    rerun.rerun_script.page_name = "step_by_step"   # a browser opening /step_by_step (/ only forwards there)
    ws.send(rerun.SerializeToString())
    seen: dict = {"kinds": {}}
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        message = ForwardMsg()
        message.ParseFromString(ws.recv(timeout=max(0.1, deadline - time.monotonic())))
        kind = message.WhichOneof("type")
        seen["kinds"][kind] = seen["kinds"].get(kind, 0) + 1
        if kind == "new_session":
            seen["session_id"] = message.new_session.initialize.session_id
        if kind == "script_finished":
            seen["finished"] = message.script_finished
            return seen
    raise AssertionError(f"the script did not finish within {timeout:.0f} s; got {seen['kinds']}")


def _upload(stack: Stack, cookies: dict, session_id: str, payload: bytes):
    boundary = uuid.uuid4().hex
    body = (
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"weights.npz\"\r\n"
        f"Content-Type: application/octet-stream\r\n\r\n".encode() + payload + f"\r\n--{boundary}--\r\n".encode()
    )
    return stack.request(
        "PUT", f"/_stcore/upload_file/{session_id}/{uuid.uuid4().hex}", cookies=cookies, body=body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}", "X-Xsrftoken": cookies["_streamlit_xsrf"]},
    )


# ----------------------------------------------------------------------------- tests


def test_page_and_health_load_through_nginx(stack):
    status, headers, body, upstream = stack.request("GET", "/")
    assert status == 200 and b'<div id="root">' in body
    assert upstream in stack.replicas
    cookie = _set_cookies(headers)["lstmx_route"]
    assert len(cookie) == 32 and int(cookie, 16) >= 0  # nginx's $request_id: 128 random bits in hex

    status, headers, body, _ = stack.request("GET", "/_stcore/health", cookies={"lstmx_route": cookie})
    assert status == 200 and body.strip() == b"ok"
    assert "lstmx_route" not in _set_cookies(headers)  # set once, on the first response only


def test_websocket_upgrade_through_nginx_runs_the_app(stack):
    cookies = _visitor(stack)
    _, _, _, replica = stack.request("GET", "/", cookies=cookies)
    with stack.websocket(cookies, cookies["_streamlit_xsrf"]) as ws:
        assert ws.response.status_code == 101 and ws.subprotocol == "streamlit"
        seen = _run_app(ws)
    assert seen["session_id"]
    assert seen["kinds"].get("delta", 0) >= 5  # the page's elements
    assert seen["finished"] == 0  # FINISHED_SUCCESSFULLY
    streams = [row for row in render_nginx.parse_access_log(stack.access_log)
               if "/_stcore/stream" in row["request"] and row["cookie_lstmx_route"] == cookies["lstmx_route"]]
    assert [row["status"] for row in streams] == ["101"]
    assert streams[0]["upstream_addr"] == replica  # the websocket went where the visitor's page came from


def test_a_visitor_stays_on_one_replica_and_one_ip_spreads_over_both(stack):
    # 24 visitors behind one IP (127.0.0.1, like a classroom behind one NAT), each with its own cookie.
    visitors = [f"visitor-{k:02d}" for k in range(24)]

    def replicas_of(name):
        return {stack.request("GET", path, cookies={"lstmx_route": name})[3]
                for path in ("/", "/_stcore/health", "/_stcore/host-config", "/")}

    with ThreadPoolExecutor(max_workers=4) as pool:
        seen = dict(zip(visitors, pool.map(replicas_of, visitors)))
    assert all(len(replicas) == 1 for replicas in seen.values()), seen
    used = {replica for replicas in seen.values() for replica in replicas}
    assert used == set(stack.replicas)  # an IP hash would have put all 24 on one replica
    # The same visitor coming back later still lands where it was.
    assert stack.request("GET", "/", cookies={"lstmx_route": "visitor-00"})[3] in seen["visitor-00"]
    # Without a cookie, a visitor is routed by IP: the same replica every time.
    assert len({stack.request("GET", "/_stcore/health")[3] for _ in range(4)}) == 1


def test_an_upload_reaches_the_replica_of_its_session(stack):
    cookies = _visitor(stack)
    _, _, _, home = stack.request("GET", "/", cookies=cookies)
    other_cookie = next(
        f"elsewhere-{k}" for k in range(200)
        if stack.request("GET", "/_stcore/health", cookies={"lstmx_route": f"elsewhere-{k}"})[3] != home
    )
    payload = bytes(range(256)) * (6 * 1024)  # 1.5 MB: over nginx's default client_max_body_size (1 MB)
    with stack.websocket(cookies, cookies["_streamlit_xsrf"]) as ws:
        session_id = _run_app(ws)["session_id"]
        status, _, body, replica = _upload(stack, cookies, session_id, payload)
        assert (status, replica) == (204, home), body
        # An upload routed to the other replica (another visitor's cookie) finds no such session there: what
        # every upload would risk without sticky sessions. (A small file: Streamlit answers before reading the
        # body, and had nginx still been sending a large one, it would retry on the next replica, this one's.)
        status, _, body, replica = _upload(stack, {**cookies, "lstmx_route": other_cookie}, session_id, b"x" * 1024)
        assert replica != home
        assert status == 400 and b"Invalid session_id" in body


def test_classroom_students_through_nginx_each_get_a_routing_cookie(stack):
    """benchmarks/classroom_nginx.py's students (classroom.py's protocol client, page first, then the websocket
    with the page's cookies) run the app through nginx without errors."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import classroom
    import classroom_nginx

    before = len(render_nginx.parse_access_log(stack.access_log))
    with classroom_nginx.browser_cookies(stack.port):
        result = classroom.run_classroom(f"http://{stack.host}", students=3, window=0.5, actions=["step"],
                                         think=0.0, timeout=60.0)
    from websockets.asyncio.client import connect

    assert classroom.connect is connect  # the students' connect is classroom.py's own again
    assert result["error_count"] == 0, result["errors"]
    assert result["first_page"]["n"] == 3 and result["actions"]["step"]["n"] == 3
    deadline, streams = time.monotonic() + 5, []
    while len(streams) < 4 and time.monotonic() < deadline:  # nginx logs a websocket once it has closed
        time.sleep(0.1)
        streams = [row for row in render_nginx.parse_access_log(stack.access_log)[before:]
                   if "/_stcore/stream" in row["request"]]
    cookies = [row["cookie_lstmx_route"] for row in streams]
    assert len(cookies) == 4 and len(set(cookies)) == 4 and "-" not in cookies  # warm-up visit + 3 students
    assert all(row["upstream_addr"] in stack.replicas for row in streams)
