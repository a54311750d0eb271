"""The layers of DESIGN.md, checked on the real imports: the core (numpy only) loads neither streamlit nor
plotly, the figures never load streamlit, and only lstm_viz.ui imports streamlit.

Modules are found with pkgutil from the files on disk (nothing is imported to find them), so a new module
is covered the day it is added. Each import check runs in a fresh interpreter: this test process has long
imported streamlit and plotly through the app tests.
"""

from __future__ import annotations

import ast
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "lstm_viz"
UI = "lstm_viz.ui"
FIGURES = "lstm_viz.figures"


def _walk(folder: Path, prefix: str) -> list[str]:
    """Dotted names of every module and package below ``folder`` (read from disk, none imported)."""
    names = []
    for info in pkgutil.iter_modules([str(folder)]):
        name = f"{prefix}.{info.name}"
        names.append(name)
        if info.ispkg:
            names += _walk(folder / info.name, name)
    return names


def _in_layer(name: str, layer: str) -> bool:
    return name == layer or name.startswith(layer + ".")


ALL_MODULES = ["lstm_viz", *_walk(PACKAGE, "lstm_viz")]
CORE_MODULES = [name for name in ALL_MODULES if not _in_layer(name, UI) and not _in_layer(name, FIGURES)]
FIGURE_MODULES = [name for name in ALL_MODULES if _in_layer(name, FIGURES)]

CHECK_IMPORTS = """
import importlib, json, sys
modules, forbidden = json.loads(sys.argv[1]), json.loads(sys.argv[2])
culprits = {}
for module in modules:
    importlib.import_module(module)
    for name in forbidden:
        if name in sys.modules and name not in culprits:
            culprits[name] = module
print(json.dumps(culprits))
"""


def _first_importers(modules: list[str], forbidden: list[str]) -> dict[str, str]:
    """Import ``modules`` in order in a fresh interpreter: {forbidden package: the module whose import loaded it}."""
    result = subprocess.run(
        [sys.executable, "-c", CHECK_IMPORTS, json.dumps(modules), json.dumps(forbidden)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]  # an import that fails is a failure, never a skip
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_modules_of_each_layer_are_found():
    for expected in ("lstm_viz", "lstm_viz.gradients", "lstm_viz.pretrained", "lstm_viz.nn", "lstm_viz.data",
                     "lstm_viz.analysis", "lstm_viz.analysis.jacobians"):
        assert expected in CORE_MODULES
    assert "lstm_viz.figures" in FIGURE_MODULES and len(FIGURE_MODULES) > 1
    assert not any(_in_layer(name, UI) for name in CORE_MODULES)


def test_the_core_loads_neither_streamlit_nor_plotly():
    assert _first_importers(CORE_MODULES, ["streamlit", "plotly"]) == {}


def test_the_figures_never_load_streamlit():
    assert _first_importers(FIGURE_MODULES, ["streamlit"]) == {}


def _imported_packages(path: Path) -> set[str]:
    """Top-level names of every absolute import in the file, wherever it is (functions included)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def _source_files(is_wanted) -> list[Path]:
    files = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        if is_wanted(name):
            files.append(path)
    return files


def _offenders(files: list[Path], package: str) -> list[str]:
    return [str(path.relative_to(ROOT)) for path in files if package in _imported_packages(path)]


def test_only_the_ui_package_imports_streamlit():
    """Read from the source, so an import inside a function (which the import checks cannot see) counts too."""
    assert _offenders(_source_files(lambda name: not _in_layer(name, UI)), "streamlit") == []


def test_no_core_source_imports_plotly():
    core = set(CORE_MODULES)
    files = _source_files(lambda name: name in core)
    assert len(files) == len(core)
    assert _offenders(files, "plotly") == []


# ---- no numerics in the views ------------------------------------------------------------------------------------
# The engine's kind of math (the cell's nonlinearities, products, norms, cumulative products of gates) belongs in
# the core; pages and figures only lay arrays out. Shapes, ranges, rounding and clipping are layout and allowed.
ENGINE_MATH = {"exp", "expm1", "log", "log1p", "log2", "log10", "tanh", "sinh", "cosh", "dot", "matmul", "einsum",
               "tensordot", "outer", "inner", "power", "cumprod", "linalg", "fft"}
VIEW_FILES = sorted([*(ROOT / "pages").glob("*.py"), *(PACKAGE / "figures").rglob("*.py")])


def _engine_math_calls(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    aliases = {}  # local name -> "numpy" | "math" | "scipy"
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in ("numpy", "math", "scipy"):
                    aliases[alias.asname or alias.name.split(".")[0]] = alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").split(".")[0] == "scipy":
            found.append(f"line {node.lineno}: from {node.module} import ...")
        elif isinstance(node, ast.ImportFrom) and node.module in ("numpy", "math", "numpy.linalg"):
            found += [f"line {node.lineno}: from {node.module} import {a.name}" for a in node.names
                      if a.name in ENGINE_MATH or node.module == "numpy.linalg"]
    outer_attr = {id(node.value): node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.MatMult):
            found.append(f"line {node.lineno}: the @ product")
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases:
            scipy = aliases[node.value.id] == "scipy"
            # np.linalg.LinAlgError (an except clause) is not math
            if scipy or (node.attr in ENGINE_MATH and not outer_attr.get(id(node), "").endswith("Error")):
                found.append(f"line {node.lineno}: {node.value.id}.{node.attr}")
    return found


def test_views_are_found():
    assert any(path.parent.name == "pages" for path in VIEW_FILES)


def test_pages_and_figures_do_no_engine_math():
    offenders = {str(path.relative_to(ROOT)): calls for path in VIEW_FILES if (calls := _engine_math_calls(path))}
    assert offenders == {}
