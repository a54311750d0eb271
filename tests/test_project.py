"""The project's promises to a fresh machine: the README's two commands, requirements and CI entry point."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

RUN_COMMAND = "pip install -r requirements.txt && streamlit run app.py"
TEST_COMMAND = "pip install -r requirements-dev.txt && python -m pytest"


def _requirement_names(path: Path) -> list[str]:
    names = []
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-r"):
            continue
        names.append(re.split(r"[<>=!~\[; ]", line, maxsplit=1)[0].lower())
    return names


def test_readme_states_the_two_commands_exactly():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert RUN_COMMAND in readme
    assert TEST_COMMAND in readme


def test_runtime_requirements_are_the_decided_stack_with_bounds():
    lines = [
        ln.strip() for ln in (ROOT / "requirements.txt").read_text().splitlines() if ln.strip() and not ln.startswith("#")
    ]
    assert sorted(_requirement_names(ROOT / "requirements.txt")) == ["numpy", "plotly", "streamlit"]
    for line in lines:
        assert ">=" in line and "<" in line, f"requirement without version bounds: {line}"


def test_dev_requirements_extend_runtime_and_never_pull_torch():
    text = (ROOT / "requirements-dev.txt").read_text()
    assert "-r requirements.txt" in text
    names = _requirement_names(ROOT / "requirements-dev.txt")
    assert {"pytest", "hypothesis", "playwright"} <= set(names)
    for req in ("requirements.txt", "requirements-dev.txt"):
        assert "torch" not in _requirement_names(ROOT / req)


FAKE_PIP = """#!/usr/bin/env bash
echo "pip $*" >> "$CI_LOG"
case "$*" in *torch*) exit "$FAKE_TORCH_PIP_STATUS";; esac
"""
FAKE_PYTHON = """#!/usr/bin/env bash
if [ "$1" = "-m" ] && [ "$2" = "pytest" ]; then
  echo "pytest $# LSTMX_REQUIRE_TORCH=${LSTMX_REQUIRE_TORCH:-unset}" >> "$CI_LOG"
  exit "$FAKE_PYTEST_STATUS"
fi
case "$*" in *torch*) [ "$FAKE_TORCH_PIP_STATUS" = 0 ] && echo 2.13.0 && exit 0; exit 1;; esac
exit 0
"""


def _run_ci(tmp_path, *, pytest_status: int, torch_pip_status: int):
    """.ci/run with fake pip, python and dpkg on PATH: (exit status, output, the commands it ran)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    for name, text in (("pip", FAKE_PIP), ("python", FAKE_PYTHON), ("dpkg", "#!/usr/bin/env bash\nexit 0\n")):
        (bin_dir / name).write_text(text)
        (bin_dir / name).chmod(0o755)
    log = tmp_path / f"ci-{pytest_status}-{torch_pip_status}.log"
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "CI_LOG": str(log),
           "FAKE_PYTEST_STATUS": str(pytest_status), "FAKE_TORCH_PIP_STATUS": str(torch_pip_status)}
    env.pop("LSTMX_REQUIRE_TORCH", None)
    result = subprocess.run(["bash", str(ROOT / ".ci" / "run")], capture_output=True, text=True, env=env, timeout=60)
    return result.returncode, result.stdout + result.stderr, log.read_text().splitlines()


def test_ci_installs_dev_requirements_then_torch_then_runs_the_readme_test_command(tmp_path):
    status, output, commands = _run_ci(tmp_path, pytest_status=0, torch_pip_status=0)
    assert status == 0, output
    assert commands == [
        "pip install -q -r requirements-dev.txt",
        "pip install -q torch==2.13.0",
        "pytest 2 LSTMX_REQUIRE_TORCH=1",  # exactly `python -m pytest`; torch tests may not skip
    ]
    assert "oracle tests will run" in output


def test_ci_goes_on_without_torch_and_says_so(tmp_path):
    status, output, commands = _run_ci(tmp_path, pytest_status=0, torch_pip_status=1)
    assert status == 0, output
    assert commands[-1] == "pytest 2 LSTMX_REQUIRE_TORCH=unset"
    assert "PyTorch could not be installed: the PyTorch oracle tests will skip" in output


@pytest.mark.parametrize("pytest_status", [1, 2, 5])
def test_ci_fails_when_pytest_fails_or_collects_nothing(tmp_path, pytest_status):
    status, output, _ = _run_ci(tmp_path, pytest_status=pytest_status, torch_pip_status=1)
    assert status == pytest_status, output
    if pytest_status == 5:
        assert "collected no tests" in output


def test_ci_checks_its_debian_packages_with_dpkg():
    script = (ROOT / ".ci" / "run").read_text()
    packages = re.search(r'APT_PACKAGES="([^"]+)"', script).group(1).split()
    assert packages == ["chromium", "fonts-noto-cjk", "fonts-noto-color-emoji", "nginx"]
    assert "dpkg -s $APT_PACKAGES" in script


def test_app_py_routes_exactly_the_page_files():
    """Every entry of app.py's menu has its file in pages/, and every file there is in the menu."""
    from apptest_support import PAGES_DIR, registered_pages

    pages = registered_pages()
    assert len(pages) == len(set(pages)) >= 1
    assert sorted(pages) == sorted(path.stem for path in PAGES_DIR.glob("*.py"))


def test_a_torch_test_that_skips_fails_once_ci_installed_torch(tmp_path):
    """conftest's guard, run on two tiny tests: a skip naming torch fails under LSTMX_REQUIRE_TORCH=1, others stay."""
    (tmp_path / "torch.py").write_text("")  # stands in for an installed torch (conftest imports it up front)
    (tmp_path / "test_tiny.py").write_text(
        "import pytest\n\n"
        "def test_oracle():\n    pytest.skip('needs torch')\n\n"
        "def test_browser():\n    pytest.skip('needs Chromium')\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT), str(ROOT / "tests")])}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "conftest", "-p", "no:cacheprovider", "test_tiny.py"]
    for required, status, summary in (("1", 1, "1 failed, 1 skipped"), ("0", 0, "2 skipped")):
        result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=120,
                                env={**env, "LSTMX_REQUIRE_TORCH": required})
        assert result.returncode == status and summary in result.stdout, result.stdout + result.stderr
