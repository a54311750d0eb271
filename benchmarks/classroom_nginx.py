"""Classroom load through nginx: the same class against 1 and 2 Streamlit replicas, printed side by side.

For each replica count it starts that many ``streamlit run app.py`` servers and the host's nginx with the
deployment's template (deploy/nginx/lstm-explorer.conf.template, rendered by deploy/render_nginx.py), warms
every replica, then runs benchmarks/classroom.py's class against nginx. Each simulated student first loads the
page through nginx, as a browser does, and sends the routing cookie it got with its websocket: all students
come from 127.0.0.1, like a classroom behind one NAT, and the cookie is what spreads them over the replicas.

    python benchmarks/classroom_nginx.py                                   # 20 students, 1 and 2 replicas
    python benchmarks/classroom_nginx.py --students 40 --window 20 --actions step,step,type,page
    python benchmarks/classroom_nginx.py --replicas 1,2,4 --direct --json results.json   # + one without nginx

Reported per replica count: students per replica (from nginx's access log), the class's p50 / p95 / max
seconds, errors, CPU seconds of the replicas, of nginx and of this load generator, the replicas' memory.
Replicas use ports 8640-8649, nginx 8085-8089 (loopback only). Every server is stopped by its own pid.

What to expect: one replica is one Python process whose script runs share one interpreter, so it uses about
one core. A second replica helps only while there is a free core for it; on a 2-core host the load generator
and nginx take part of the second core, so the gain there is a lower bound of what a larger host gives.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import http.client
import http.cookies
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "deploy"))

import classroom  # noqa: E402  (puts tests/e2e on sys.path for appdriver, the one launcher)
import render_nginx  # noqa: E402
from appdriver import StreamlitServer, free_loopback_ports, stop_process, wait_healthy  # noqa: E402

REPLICA_PORTS = range(8640, 8650)
NGINX_PORTS = range(8085, 8090)


def _free(ports, count: int) -> list[int]:
    try:
        return free_loopback_ports(ports, count)
    except RuntimeError as error:
        raise SystemExit(str(error)) from None


def _first_page_cookie(port: int) -> str:
    """GET / through nginx as a new browser: the Cookie header it sends from then on."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", "/")
        response = connection.getresponse()
        response.read()
        jar = http.cookies.SimpleCookie()
        for value in response.headers.get_all("Set-Cookie") or []:
            jar.load(value)
    finally:
        connection.close()
    if "lstmx_route" not in jar:
        raise RuntimeError("nginx set no lstmx_route cookie")
    return "; ".join(f"{name}={morsel.value}" for name, morsel in jar.items())


@contextlib.contextmanager
def browser_cookies(nginx_port: int):
    """Make classroom's students open their websocket as a browser would behind nginx: page first, then the
    websocket with that page's cookies (classroom.py's students connect without cookies)."""
    real_connect = classroom.connect

    async def connect(uri, **kwargs):
        cookie = await asyncio.to_thread(_first_page_cookie, nginx_port)
        headers = {**dict(kwargs.pop("additional_headers", None) or {}), "Cookie": cookie}
        return await real_connect(uri, additional_headers=headers, **kwargs)

    classroom.connect = connect
    try:
        yield
    finally:
        classroom.connect = real_connect


class Nginx:
    def __init__(self, directory: Path, upstreams: list[str], port: int):
        self.port = port
        self.config = render_nginx.write_config(directory, upstreams, port)
        self.access_log = self.config.parent / "logs" / "access.log"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 20.0) -> "Nginx":
        nginx = render_nginx.find_nginx()
        if nginx is None:
            raise SystemExit("nginx is not installed (Debian: apt-get install nginx)")
        log_path = self.config.parent / "logs" / "stderr.log"
        with open(log_path, "wb") as log:
            self.process = subprocess.Popen([nginx, "-p", str(self.config.parent), "-c", str(self.config)],
                                            stdout=log, stderr=subprocess.STDOUT)
        wait_healthy(f"http://127.0.0.1:{self.port}", self.process, timeout, log_path, name="nginx")
        return self

    def stop(self) -> None:
        stop_process(self.process)


async def _warm(replica_urls: list[str], link: str, page: str) -> None:
    """One visit straight to each replica (imports, shared caches), as classroom.py warms its single server."""
    for url in replica_urls:
        student = classroom.Student(index=-1, ws_url=url.replace("http://", "ws://") + "/_stcore/stream",
                                    query_string=link, page_name="" if page == "step_by_step" else page)
        await student.first_page()
        await student.close()


def _cpu(pids: list[int]) -> float:
    return sum(classroom.process_sample(pid)[0] for pid in pids)


def run_replicas(n: int, args, work: Path, direct: bool = False) -> dict:
    """The class against ``n`` replicas behind nginx, or (``direct``) against one replica without nginx."""
    ports = _free(REPLICA_PORTS, n)
    (nginx_port,) = _free(NGINX_PORTS, 1)
    servers = [StreamlitServer(port=port, log_path=work / f"streamlit-{n}-{port}.log",
                               env={**os.environ, "OPENBLAS_NUM_THREADS": "1"}) for port in ports]
    nginx = None if direct else Nginx(work / f"nginx-{n}", [f"127.0.0.1:{port}" for port in ports], nginx_port)
    try:
        for server in servers:                    # side by side: launch all, then wait for each
            server.launch()
        for server in servers:
            server.wait_healthy()
        if nginx:
            nginx.start()
        classroom.run_async(_warm([server.url for server in servers], args.link, args.page))
        pids = [server.pid for server in servers]
        cpu0, self0 = _cpu(pids), time.process_time()
        nginx0 = _nginx_cpu(nginx.process.pid) if nginx else float("nan")
        with browser_cookies(nginx_port) if nginx else contextlib.nullcontext():
            result = classroom.run_classroom(
                servers[0].url if direct else f"http://127.0.0.1:{nginx_port}", students=args.students,
                window=args.window, actions=args.actions, link=args.link, page=args.page, think=args.think,
                timeout=args.timeout, server_pid=pids[0] if n == 1 else None,
            )
        result["replicas_cpu_s"] = _cpu(pids) - cpu0
        result["nginx_cpu_s"] = _nginx_cpu(nginx.process.pid) - nginx0 if nginx else float("nan")
        result["generator_cpu_s"] = time.process_time() - self0
        result["replicas_rss_mb"] = sum(classroom.process_sample(pid)[1] for pid in pids)
        result["replicas"], result["label"] = n, "direct" if direct else f"{n} replica{'s' if n > 1 else ''}"
        if direct:
            result["students_per_replica"] = [args.students]
            return result
        # nginx logs a websocket when it closes: the first is classroom.py's warm-up visit, closed before the class.
        streams = [row for row in render_nginx.parse_access_log(nginx.access_log)
                   if "/_stcore/stream" in row["request"]][1:]
        per_replica = Counter(row["upstream_addr"] for row in streams)
        result["students_per_replica"] = [per_replica.get(f"127.0.0.1:{port}", 0) for port in ports]
        return result
    finally:
        if nginx:
            nginx.stop()
        for server in servers:
            server.stop()


def _nginx_cpu(master_pid: int) -> float:
    """CPU seconds of nginx's master and its workers (children listed in /proc)."""
    pids = [master_pid]
    with contextlib.suppress(OSError):
        children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
        pids += [int(pid) for pid in children]
    return _cpu(pids)


def side_by_side(results: list[dict]) -> str:
    """One column per replica count."""
    def fmt(value, spec=".2f"):
        return "-" if value is None or value != value else format(value, spec)

    names = ["first page"] + [f"action {name}" for name in results[0]["actions"]] + ["all actions"]

    def stats(result, name):
        if name == "first page":
            return result["first_page"]
        if name == "all actions":
            return result["all_actions"]
        return result["actions"][name.removeprefix("action ")]

    width = 22
    header = f"{'':<28}" + "".join(f"{r['label']:>{width}}" for r in results)
    lines = [
        f"classroom through nginx: {results[0]['students']} students over {results[0]['window_s']:.0f} s, actions "
        f"{','.join(results[0]['actions_each']) or '-'}; {os.cpu_count()} CPUs",
        header,
        f"{'students per replica':<28}" + "".join(f"{'/'.join(map(str, r['students_per_replica'])):>{width}}"
                                                  for r in results),
    ]
    for name in names:
        lines.append(f"{name + ' p50/p95/max s':<28}" + "".join(
            f"{fmt(stats(r, name)['p50']) + '/' + fmt(stats(r, name)['p95']) + '/' + fmt(stats(r, name)['max']):>{width}}"
            for r in results))
    rows = [
        ("errors", lambda r: str(r["error_count"])),
        ("wall s", lambda r: fmt(r["wall_s"], ".1f")),
        ("replicas CPU s", lambda r: fmt(r["replicas_cpu_s"], ".1f")),
        ("nginx CPU s", lambda r: fmt(r["nginx_cpu_s"], ".1f")),
        ("load generator CPU s", lambda r: fmt(r["generator_cpu_s"], ".1f")),
        ("replicas RSS MB (open)", lambda r: fmt(r["replicas_rss_mb"], ".0f")),
        ("load average before/after", lambda r: f"{r['loadavg_before'][0]:.2f}/{r['loadavg_after'][0]:.2f}"),
    ]
    lines += [f"{label:<28}" + "".join(f"{value(r):>{width}}" for r in results) for label, value in rows]
    proxied = [r for r in results if r["label"] != "direct"]
    for r in proxied[1:]:
        base = proxied[0]
        lines.append(f"speed-up {base['label']} -> {r['label']} (ratio of p95): first page "
                     f"{fmt(base['first_page']['p95'] / r['first_page']['p95'])}x, "
                     f"actions {fmt(base['all_actions']['p95'] / r['all_actions']['p95'])}x")
    for r in results:
        lines += [f"  {r['label']}: {line}" for line in r["errors"][:5]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--replicas", default="1,2", help="comma-separated replica counts (default 1,2; at most 10)")
    parser.add_argument("--students", type=int, default=20)
    parser.add_argument("--window", type=float, default=10.0, help="arrivals spread over this many seconds")
    parser.add_argument("--actions", default="step,type,page", help="as benchmarks/classroom.py --actions")
    parser.add_argument("--link", default=classroom.DEFAULT_LINK)
    parser.add_argument("--page", default="step_by_step")
    parser.add_argument("--think", type=float, default=0.5)
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--direct", action="store_true",
                        help="also run the class against one replica without nginx (nginx's own cost)")
    parser.add_argument("--json", help="also write every result (with classroom.py's samples) to this file")
    args = parser.parse_args(argv)
    counts = [int(part) for part in args.replicas.split(",") if part.strip()]
    if not counts or not all(1 <= n <= len(REPLICA_PORTS) for n in counts):
        parser.error(f"--replicas: counts between 1 and {len(REPLICA_PORTS)}")
    args.actions = [a.strip() for a in args.actions.split(",") if a.strip()]
    results = []
    work = Path(tempfile.mkdtemp(prefix="classroom-nginx-"))  # the servers' and nginx's logs
    if args.direct:
        print("running the class against one replica without nginx...", file=sys.stderr, flush=True)
        results.append(run_replicas(1, args, work, direct=True))
    for n in counts:
        print(f"running the class with {n} replica(s)...", file=sys.stderr, flush=True)
        results.append(run_replicas(n, args, work))
    print(side_by_side(results))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1, default=str))
    failed = any(r["error_count"] for r in results)
    if failed:
        print(f"errors: the servers' logs are kept in {work}", file=sys.stderr)
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
