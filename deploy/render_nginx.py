"""Render deploy/nginx/lstm-explorer.conf.template for nginx running on a host, without Docker.

The template is the one docker compose gives the nginx image (whose entrypoint fills it with envsubst); here the
line holding ``${LSTMX_UPSTREAM}`` is repeated once per replica address instead. ``write_config`` also writes a
small main nginx.conf that keeps everything (pid, logs, temp files) in one directory, so nginx runs as a
foreground child of the caller, as root or not, without touching the system's configuration:

    python deploy/render_nginx.py --dir /some/empty/dir --listen 8080 \\
        --upstream 127.0.0.1:8501 --upstream 127.0.0.1:8502
    nginx -p /some/empty/dir -c /some/empty/dir/nginx.conf      # prints this command too

The access log's format (``lstmx``) records the replica each request reached (``$upstream_addr``) and the
sticky-session cookie, which tests/test_nginx.py reads to check that a visitor stays on one replica.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
from pathlib import Path
from typing import Sequence

TEMPLATE = Path(__file__).resolve().parent / "nginx" / "lstm-explorer.conf.template"
UPSTREAM_VARIABLE = "${LSTMX_UPSTREAM}"
LISTEN_VARIABLE = "${LSTMX_LISTEN}"
ACCESS_LOG_FIELDS = ("request_id", "http_x_lstmx_probe", "status", "upstream_addr", "cookie_lstmx_route", "request")

MAIN_CONFIG = """\
# Written by deploy/render_nginx.py: nginx in the foreground, every file under its -p prefix directory.
daemon off;
master_process on;
{user}worker_processes {workers};
pid nginx.pid;
error_log logs/error.log warn;

events {{
    worker_connections 1024;
}}

http {{
    log_format lstmx '{log_format}';
    access_log logs/access.log lstmx;
    client_body_temp_path temp/client_body;
    proxy_temp_path temp/proxy;
    fastcgi_temp_path temp/fastcgi;
    uwsgi_temp_path temp/uwsgi;
    scgi_temp_path temp/scgi;

    include {site};
}}
"""


def render(upstreams: Sequence[str], listen: int | str, template: str | None = None) -> str:
    """The template with the listen port filled in and its upstream line once per ``host:port`` in ``upstreams``."""
    if not upstreams:
        raise ValueError("at least one upstream address (host:port) is needed")
    for address in upstreams:
        if not re.fullmatch(r"[A-Za-z0-9_.\-\[\]:]+:\d+", address):
            raise ValueError(f"not a host:port address: {address!r}")
    if not re.fullmatch(r"([A-Za-z0-9_.\-\[\]:]+:)?\d+", str(listen)):
        raise ValueError(f"not a port or address:port to listen on: {listen!r}")
    text = TEMPLATE.read_text(encoding="utf-8") if template is None else template
    lines = []
    for line in text.splitlines(keepends=True):
        if UPSTREAM_VARIABLE in line and not line.lstrip().startswith("#"):
            lines.extend(line.replace(UPSTREAM_VARIABLE, address) for address in upstreams)
        else:
            lines.append(line)
    rendered = "".join(lines).replace(LISTEN_VARIABLE, str(listen))
    body = "\n".join(line for line in rendered.splitlines() if not line.lstrip().startswith("#"))
    left = re.findall(r"\$\{[A-Za-z_]+\}", body)
    if left:
        raise ValueError(f"template variables without a value: {sorted(set(left))}")
    return rendered


def write_config(directory: Path, upstreams: Sequence[str], listen: int | str, workers: int = 1) -> Path:
    """Write ``nginx.conf`` (main) and ``lstm-explorer.conf`` (the rendered template) into ``directory``.

    Returns the main configuration's path; run ``nginx -p <directory> -c <that path>``.
    """
    directory = Path(directory).resolve()
    (directory / "logs").mkdir(parents=True, exist_ok=True)
    for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (directory / "temp" / name).mkdir(parents=True, exist_ok=True)
    site = directory / "lstm-explorer.conf"
    site.write_text(render(upstreams, listen), encoding="utf-8")
    log_format = "\\t".join(f"${field}" for field in ACCESS_LOG_FIELDS)
    main = directory / "nginx.conf"
    # Started as root, nginx's workers would switch to "nobody", who may not enter the caller's directory
    # (pytest's are private) to write the temp files of uploads; here they keep the caller's identity.
    user = "user root;\n" if os.geteuid() == 0 else ""
    text = MAIN_CONFIG.format(user=user, workers=workers, log_format=log_format, site=site)
    main.write_text(text, encoding="utf-8")
    return main


def parse_access_log(path: Path) -> list[dict[str, str]]:
    """The access log written with the ``lstmx`` format: one dict per request, keys ``ACCESS_LOG_FIELDS``."""
    if not Path(path).exists():
        return []
    rows = []
    for line in Path(path).read_text(encoding="utf-8", errors="replace").splitlines():
        values = line.split("\t")
        if len(values) == len(ACCESS_LOG_FIELDS):
            rows.append(dict(zip(ACCESS_LOG_FIELDS, values)))
    return rows


def find_nginx() -> str | None:
    """The nginx binary: Debian's /usr/sbin/nginx or one on PATH."""
    for candidate in ("/usr/sbin/nginx", shutil.which("nginx")):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, required=True, help="directory for nginx.conf, logs and temp files")
    parser.add_argument("--listen", default="8080", help="port (or address:port) nginx listens on")
    parser.add_argument("--upstream", action="append", required=True, help="a replica's host:port (repeat)")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args(argv)
    config = write_config(args.dir, args.upstream, args.listen, workers=args.workers)
    print(f"{find_nginx() or 'nginx'} -p {config.parent} -c {config}")


if __name__ == "__main__":
    main()
