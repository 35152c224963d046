"""The structure of docs/architecture.md, checked: the layers hold (import-linter), an upward
import breaks them, the diagram is the contract's, and no module or function outgrows a reader."""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from urna.site.architecture import ARCHITECTURE_DOC, PYPROJECT, ROOT, diagram, doc_block, layers

PACKAGE = ROOT / "urna"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80


def _sources() -> list[Path]:
    return [
        path
        for path in sorted(PACKAGE.rglob("*.py"))
        if "migrations" not in path.parts and "tests" not in path.parts
    ]


def _lint_imports(package_parent: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(PYPROJECT), "--no-cache"],
        cwd=package_parent,
        env={"PYTHONPATH": str(package_parent), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.slow
def test_an_upward_import_breaks_the_layers_contract(tmp_path):
    """The same tree passes, and fails once core imports an app above it."""
    copy = tmp_path / "urna"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    clean = _lint_imports(tmp_path)
    assert clean.returncode == 0, clean.stdout + clean.stderr

    text = copy / "core" / "text.py"
    text.write_text(text.read_text() + "\nfrom urna.reports import selectors  # noqa\n")
    broken = _lint_imports(tmp_path)

    assert broken.returncode != 0
    assert "urna.core is not allowed to import urna.reports" in broken.stdout
    assert "urna.core.text -> urna.reports.selectors" in broken.stdout


def test_every_app_is_in_a_layer():
    declared = {module for layer in layers() for module in layer.modules}
    apps = {
        f"urna.{path.parent.name}"
        for path in PACKAGE.glob("*/apps.py")
        if path.parent.name not in {"locale"}
    }
    assert apps <= declared, f"apps in no layer: {sorted(apps - declared)}"


def test_the_architecture_page_draws_the_contract():
    assert doc_block(ARCHITECTURE_DOC) == diagram(), (
        "docs/architecture.md's layer diagram differs from pyproject.toml: run "
        "`.venv/bin/python manage.py layers_diagram --write`"
    )


def test_no_module_outgrows_a_reader():
    long = {
        str(path.relative_to(ROOT)): n
        for path in _sources()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert not long, f"modules over {MAX_MODULE_LINES} lines: {long}"


def test_no_function_outgrows_a_reader():
    long = []
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                n = node.end_lineno - node.lineno + 1
                if n > MAX_FUNCTION_LINES:
                    long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({n} lines)")
    assert not long, f"functions over {MAX_FUNCTION_LINES} lines: {long}"


def _function_level_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        # AppConfig.ready() is where an app registers itself with the apps below it; gunicorn's
        # hooks load the application in the worker, never in the master process.
        if (path.name, node.name) == ("apps.py", "ready") or path.name == "gunicorn_conf.py":
            continue
        for sub in ast.walk(node):
            if isinstance(sub, ast.ImportFrom):
                names = [sub.module or ""]
            elif isinstance(sub, ast.Import):
                names = [alias.name for alias in sub.names]
            else:
                continue
            if any(name == "urna" or name.startswith("urna.") for name in names):
                found.append(f"{path.relative_to(ROOT)}:{sub.lineno} in {node.name}()")
    return found


def test_no_import_inside_a_function_dodges_a_cycle():
    """Imports of Urna's own modules sit at the top of the module: a cycle is resolved by a
    registration, a signal or an on_commit hook, not hidden in a function body."""
    found = [hit for path in _sources() for hit in _function_level_imports(path)]
    assert not found, f"imports inside functions: {found}"
