"""Hosted-demo readiness: .streamlit/config.toml, the Dockerfile (checked statically: no container engine is
needed) and isolation between visitors' sessions (two AppTest sessions in one process share every cache,
exactly like two browser tabs on one server)."""

import re
import sys
import tomllib
from pathlib import Path

import numpy as np
import pytest
from apptest_support import app_test

ROOT = Path(__file__).resolve().parents[1]


# ----------------------------------------------------------------------------- config.toml


@pytest.fixture(scope="module")
def config():
    return tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def test_config_is_suited_to_a_public_demo(config):
    assert config["server"]["headless"] is True
    assert 1 <= config["server"]["maxUploadSize"] <= 20
    assert config["browser"]["gatherUsageStats"] is False
    assert config["client"]["showErrorDetails"] in ("none", False)
    assert config["client"]["toolbarMode"] == "minimal"
    assert config["theme"]["base"] == "light"


def test_config_values_are_valid_for_the_installed_streamlit(config):
    from streamlit import config as st_config

    options = st_config.get_config_options()
    for section, values in config.items():
        for name, value in values.items():
            key = f"{section}.{name}"
            assert key in options, f"unknown option {key}"
    valid_details = {o.value for o in st_config.ShowErrorDetailsConfigOptions}
    assert config["client"]["showErrorDetails"] in valid_details


def test_upload_limit_matches_the_weight_loader(config):
    from lstm_viz.data import weight_files as interop

    assert config["server"]["maxUploadSize"] * 1024 * 1024 >= interop.MAX_FILE_BYTES


def _contrast_ratio(foreground: str, background: str) -> float:
    def luminance(color: str) -> float:
        rgb = [int(color.lstrip("#")[k : k + 2], 16) / 255 for k in (0, 2, 4)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_theme_text_is_readable(config):
    theme = config["theme"]
    for background in ("backgroundColor", "secondaryBackgroundColor"):
        assert _contrast_ratio(theme["textColor"], theme[background]) >= 7.0  # WCAG AAA body text
    assert _contrast_ratio("#ffffff", theme["primaryColor"]) >= 4.5  # white text on primary buttons


# ----------------------------------------------------------------------------- Dockerfile


@pytest.fixture(scope="module")
def dockerfile():
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    return re.sub(r"\\\n\s*", " ", text)  # join continuation lines


def _instructions(dockerfile, name):
    return [line.split(None, 1)[1] for line in dockerfile.splitlines() if line.strip().upper().startswith(name + " ")]


def test_dockerfile_follows_the_streamlit_deployment_guide(dockerfile):
    assert _instructions(dockerfile, "FROM") == ["python:3.11-slim"]
    assert any("pip install" in run and "-r requirements.txt" in run for run in _instructions(dockerfile, "RUN"))
    assert _instructions(dockerfile, "EXPOSE") == ["8501"]
    (healthcheck,) = _instructions(dockerfile, "HEALTHCHECK")
    assert "curl --fail http://localhost:8501/_stcore/health" in healthcheck
    assert any("curl" in run and "apt-get install" in run for run in _instructions(dockerfile, "RUN"))
    (entrypoint,) = _instructions(dockerfile, "ENTRYPOINT")
    assert entrypoint.startswith("[")  # exec form: signals reach streamlit
    import json

    assert json.loads(entrypoint) == [
        "streamlit", "run", "app.py", "--server.port=8501", "--server.address=0.0.0.0",
    ]


def test_dockerfile_installs_requirements_before_copying_the_code_and_runs_unprivileged(dockerfile):
    lines = [line.strip() for line in dockerfile.splitlines() if line.strip() and not line.startswith("#")]
    copy_requirements = next(k for k, line in enumerate(lines) if line.startswith("COPY requirements.txt"))
    pip_install = next(k for k, line in enumerate(lines) if line.startswith("RUN pip install"))
    copy_all = next(k for k, line in enumerate(lines) if re.match(r"COPY (--chown=\S+ )?\. \.", line))
    assert copy_requirements < pip_install < copy_all
    assert _instructions(dockerfile, "USER") and _instructions(dockerfile, "USER")[-1] != "root"
    assert "torch" not in dockerfile


def test_dockerignore_keeps_the_image_small_but_the_app_complete():
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    ignored = {line.strip() for line in lines if line.strip() and not line.startswith("#")}
    assert {".git", "tests", "test-artifacts", "__pycache__"} <= ignored
    for needed in ("app.py", "pages", "lstm_viz", "requirements.txt", ".streamlit"):
        assert needed not in ignored


def test_deploy_docs_cover_community_cloud_and_a_docker_space():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "Community Cloud" in text
    assert "sdk: docker" in text and "app_port: 8501" in text


# ----------------------------------------------------------------------------- scale-out: compose, nginx, k8s
# deploy/docker-compose.yml and deploy/k8s/lstm-explorer.yaml are checked here statically (no container engine
# or cluster in CI); the nginx template they share with tests/test_nginx.py is also run there for real.

DEPLOY = ROOT / "deploy"
HEALTH = "/_stcore/health"
sys.path.insert(0, str(DEPLOY))

import render_nginx  # noqa: E402


def _app_port(dockerfile) -> int:
    (port,) = _instructions(dockerfile, "EXPOSE")
    return int(port)


@pytest.fixture(scope="module")
def compose():
    yaml = pytest.importorskip("yaml")
    return yaml.safe_load((DEPLOY / "docker-compose.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def k8s():
    yaml = pytest.importorskip("yaml")
    documents = [doc for doc in yaml.safe_load_all((DEPLOY / "k8s" / "lstm-explorer.yaml").read_text()) if doc]
    return {doc["kind"]: doc for doc in documents}


@pytest.fixture(scope="module")
def template():
    return (DEPLOY / "nginx" / "lstm-explorer.conf.template").read_text(encoding="utf-8")


def _nginx_blocks(text: str) -> dict[str, str]:
    """Top-level ``name args { body }`` blocks of an nginx config (comments dropped), keyed by ``name args``."""
    text = re.sub(r"#[^\n]*", "", text)
    blocks, depth, start, head = {}, 0, 0, ""
    for k, char in enumerate(text):
        if char == "{":
            if depth == 0:
                head = " ".join(text[start:k].split())
                start = k + 1
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                blocks[head] = text[start:k]
                start = k + 1
        elif char == ";" and depth == 0:
            start = k + 1
    return blocks


def _locations(server_body: str) -> dict[str, str]:
    return {path: body for path, body in re.findall(r"location\s+(\S+)\s*\{([^}]*)\}", server_body)}


def test_compose_puts_nginx_with_the_shared_template_in_front_of_healthy_replicas(compose, dockerfile):
    port = _app_port(dockerfile)
    app, nginx = compose["services"]["app"], compose["services"]["nginx"]
    assert (DEPLOY / app["build"]["context"] / app["build"]["dockerfile"]).resolve() == ROOT / "Dockerfile"
    assert app["deploy"]["replicas"] >= 2
    assert "ports" not in app and str(port) in [str(p) for p in app["expose"]]  # reached through nginx only
    check = app["healthcheck"]["test"]
    assert check[0] == "CMD" and f"http://localhost:{port}{HEALTH}" in check
    assert app["environment"]["OPENBLAS_NUM_THREADS"] == "1"

    # The very template tests/test_nginx.py renders and runs, mounted where the nginx image renders templates.
    (volume,) = nginx["volumes"]
    source, target, mode = volume.split(":")
    assert (DEPLOY / source).resolve() == DEPLOY / "nginx" / "lstm-explorer.conf.template"
    assert target.startswith("/etc/nginx/templates/") and target.endswith(".template") and mode == "ro"
    assert target == "/etc/nginx/templates/default.conf.template"  # replaces the image's welcome-page server
    env = nginx["environment"]
    assert env["LSTMX_UPSTREAM"] == f"app:{port}"
    (published,) = nginx["ports"]
    assert published.split(":")[-1] == env["LSTMX_LISTEN"]
    assert nginx["depends_on"]["app"]["condition"] == "service_healthy"
    assert HEALTH in " ".join(nginx["healthcheck"]["test"])


def test_template_variables_are_exactly_what_compose_and_the_renderer_fill(template, compose):
    variables = set(re.findall(r"\$\{([A-Za-z_]+)\}", re.sub(r"#[^\n]*", "", template)))
    assert variables == set(compose["services"]["nginx"]["environment"])
    assert variables == {name.strip("${}") for name in (render_nginx.UPSTREAM_VARIABLE, render_nginx.LISTEN_VARIABLE)}
    # envsubst replaces only the variables compose defines: no other ${...} nor a $LSTMX... without braces.
    assert not re.search(r"\$LSTMX", re.sub(r"\$\{LSTMX_[A-Z]+\}", "", template))


def _without_comments(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))


def test_the_renderer_and_the_images_envsubst_make_the_same_config(template, compose):
    env = compose["services"]["nginx"]["environment"]
    envsubst = re.sub(r"\$\{(\w+)\}", lambda match: env[match.group(1)], template)  # what the nginx image does
    assert _without_comments(render_nginx.render([env["LSTMX_UPSTREAM"]], env["LSTMX_LISTEN"])) == _without_comments(envsubst)

    replicas = ["10.0.0.1:8501", "10.0.0.2:8501", "app-3.internal:8501"]
    rendered = render_nginx.render(replicas, 8080)
    upstream = _nginx_blocks(rendered)["upstream lstm_explorer"]
    assert re.findall(r"server\s+(\S+)\s", upstream) == replicas
    assert "listen 8080;" in rendered and "${" not in _without_comments(rendered)
    for bad in ([], ["no-port"], ["10.0.0.1:8501; include /etc/passwd"], ["10.0.0.1:8501\n"]):
        with pytest.raises(ValueError):
            render_nginx.render(bad, 8080)
    for bad_listen in ("80; daemon on", "", "http"):
        with pytest.raises(ValueError):
            render_nginx.render(replicas, bad_listen)
    assert "listen 127.0.0.1:8080;" in render_nginx.render(replicas, "127.0.0.1:8080")


def test_template_routes_by_cookie_with_websocket_and_upload_settings(template, config):
    blocks = _nginx_blocks(template)
    (upstream,) = [body for head, body in blocks.items() if head.startswith("upstream")]
    hash_key = re.search(r"hash\s+(\$\w+)\s+consistent;", upstream).group(1)
    map_source = re.search(r"map\s+\$cookie_(\w+)\s+%s\s*\{" % re.escape(hash_key), template)
    assert map_source, "the upstream hash must be keyed on a cookie (with a fallback), not $remote_addr alone"
    cookie = map_source.group(1)
    (server,) = [body for head, body in blocks.items() if head == "server"]
    assert re.search(r"add_header\s+Set-Cookie\s+\$\w+\s+always;", server)
    assert re.search(r'""\s+"%s=\$request_id;' % cookie, template)  # a random value, set when absent

    assert "proxy_set_header Upgrade $http_upgrade;" in server
    assert re.search(r"proxy_set_header Connection \$\w+;", server)
    assert "proxy_http_version 1.1;" in server
    assert "proxy_set_header Host $http_host;" in server  # with the port: Streamlit compares Origin and Host
    locations = _locations(server)
    assert set(locations) == {"/", "/_stcore/stream"}
    for body in locations.values():
        assert "proxy_pass http://lstm_explorer;" in body
        assert "proxy_set_header" not in body  # one there would silently drop every server-level header
    stream_timeout = re.search(r"proxy_read_timeout\s+(\d+)s;", locations["/_stcore/stream"]).group(1)
    assert int(stream_timeout) >= 600

    body_limit = re.search(r"client_max_body_size\s+(\d+)m;", server).group(1)
    assert int(body_limit) > config["server"]["maxUploadSize"]  # the upload limit, plus the multipart envelope


def test_k8s_deployment_probes_health_and_runs_as_the_image_user(k8s, dockerfile):
    port = _app_port(dockerfile)
    deployment, service, ingress = k8s["Deployment"], k8s["Service"], k8s["Ingress"]
    pod = deployment["spec"]["template"]
    assert deployment["spec"]["selector"]["matchLabels"].items() <= pod["metadata"]["labels"].items()
    assert deployment["spec"]["replicas"] >= 2
    (container,) = pod["spec"]["containers"]
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    assert ports == {"http": port}
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        check = container[probe]["httpGet"]
        assert check["path"] == HEALTH and ports[check["port"]] == port
    resources = container["resources"]
    assert {"cpu", "memory"} <= resources["requests"].keys() and {"cpu", "memory"} <= resources["limits"].keys()
    security = pod["spec"]["securityContext"]
    uid = int(re.search(r"useradd\b.*--uid (\d+)", dockerfile).group(1))
    assert security["runAsNonRoot"] is True and security["runAsUser"] == uid
    assert {"name": "OPENBLAS_NUM_THREADS", "value": "1"} in container["env"]

    assert service["spec"]["selector"].items() <= pod["metadata"]["labels"].items()
    assert service["spec"]["sessionAffinity"] == "ClientIP"
    (service_port,) = service["spec"]["ports"]
    assert ports[service_port["targetPort"]] == port

    notes = ingress["metadata"]["annotations"]
    assert notes["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    assert int(notes["nginx.ingress.kubernetes.io/proxy-read-timeout"]) >= 600
    (rule,) = ingress["spec"]["rules"]
    (path,) = rule["http"]["paths"]
    backend = path["backend"]["service"]
    assert backend["name"] == service["metadata"]["name"] and backend["port"]["name"] == service_port["name"]


def test_deploy_readme_names_every_file_and_command():
    text = (DEPLOY / "README.md").read_text(encoding="utf-8")
    for needed in ("docker-compose.yml", "lstm-explorer.conf.template", "render_nginx.py", "k8s/lstm-explorer.yaml",
                   "tests/test_nginx.py", "benchmarks/classroom_nginx.py", "docker compose", "kubectl apply"):
        assert needed in text, needed


# ----------------------------------------------------------------------------- session isolation


def _context(at):
    return at.session_state["lstmx.ctx"]


def _fingerprint(model):
    return {name: np.array(value, copy=True) for name, value in model.state_dict().items()}


def _try_to_corrupt(obj):
    """What a buggy page could do to shared objects: write into every writable array it can reach."""
    touched = 0
    for value in list(vars(obj).values()) if hasattr(obj, "__dict__") else []:
        if isinstance(value, np.ndarray) and value.flags.writeable and value.size and value.dtype.kind == "f":
            value[...] = 123.0
            touched += 1
    return touched


def test_two_sessions_do_not_see_each_others_state():
    first, second = app_test(), app_test()
    first.run()
    second.run()
    assert not first.exception and not second.exception
    baseline_text = second.sidebar.text_area[0].value
    baseline_model = _fingerprint(_context(second).model)
    baseline_h = np.array(_context(second).trace.h, copy=True)

    # A buggy page in session 1 writes into everything it got from the shared caches (same cache keys as session 2).
    ctx = _context(first)
    _try_to_corrupt(ctx.model)
    _try_to_corrupt(ctx.trace)
    # Session 1 then types its own text, moves the step and keeps a trained network of its own.
    first.sidebar.text_area[0].input("private text of visitor one 你好").run()
    first.session_state["lstmx.step"] = 3
    first.session_state["trained_network"] = object()
    first.run()
    assert _context(first).text.startswith("private text")

    # Session 2 reruns: same text, same step, same (uncorrupted) model and trace as before.
    second.run()
    ctx2 = _context(second)
    assert not second.exception
    assert second.sidebar.text_area[0].value == baseline_text
    assert "private text" not in ctx2.text
    assert ctx2.step == 0
    assert "trained_network" not in second.session_state
    for name, value in _fingerprint(ctx2.model).items():
        np.testing.assert_array_equal(value, baseline_model[name])
    np.testing.assert_array_equal(ctx2.trace.h, baseline_h)

    # A third visitor arriving now gets the defaults too.
    third = app_test().run()
    assert third.sidebar.text_area[0].value == baseline_text
    for name, value in _fingerprint(_context(third).model).items():
        np.testing.assert_array_equal(value, baseline_model[name])
