"""The package layout is the pipeline: one folder per stage, imports only point to earlier stages.

Walks every module's imports with ``ast`` (type-checking imports included for the
direction rule), so a new upward import or cycle fails here before it confuses a reader.
"""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "drift"

#: Stages in pipeline order; a module belongs to the longest prefix that names it.
STAGES = [
    ("drift.version", "drift.errors", "drift.limits", "drift.lazy"),
    ("drift.article",),
    ("drift.read",),
    ("drift.text",),
    ("drift.embed",),
    ("drift.align",),
    ("drift.score",),
    ("drift.report",),
    ("drift.pipeline",),
    ("drift.store",),
    ("drift.distributed",),
    ("drift.cli",),
    ("drift", "drift.__main__"),
]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def stage(module: str) -> int:
    best, level = -1, -1
    for n, names in enumerate(STAGES):
        for name in names:
            if (module == name or module.startswith(name + ".")) and len(name) > best:
                best, level = len(name), n
    assert level >= 0, f"{module} belongs to no stage: add it to STAGES"
    return level


def _type_checking_block(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports(module: str) -> list[tuple[str, bool]]:
    """(imported drift module, only for type checking) for every import in ``module``."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    guarded: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and _type_checking_block(node):
            guarded |= {id(n) for child in node.body for n in ast.walk(child)}
    found = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in MODULES else node.module
                     for a in node.names]
        for name in names:
            if name == "drift" or name.startswith("drift."):
                found.append((name, id(node) in guarded))
    return found


def test_every_module_has_a_stage():
    assert {m: stage(m) for m in MODULES}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_only_to_earlier_stages_or_the_same_one(module):
    upward = [(target, STAGES[stage(target)][0]) for target, _ in imports(module)
              if target != "drift" and stage(target) > stage(module)]
    assert upward == [], f"{module} (stage {STAGES[stage(module)][0]}) imports a later stage"
    if module != "drift":
        assert all(target != "drift" for target, _ in imports(module)), \
            f"{module} imports the package facade; import the module that defines the name"


def test_no_import_cycles():
    graph = {m: sorted({t for t, typing_only in imports(m) if not typing_only and t in MODULES}) for m in MODULES}
    state: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in graph[node]:
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m)
    assert cycles == []


def test_no_module_is_over_500_lines():
    long = {m: n for m, p in MODULES.items() if (n := len(p.read_text(encoding="utf-8").splitlines())) > 500}
    assert long == {}


def test_the_walker_sees_an_upward_import(tmp_path):
    """The rule can fail: an import of the CLI from the reading stage is caught."""
    tree = ast.parse("from drift.cli.common import fail\n")
    node = tree.body[0]
    assert isinstance(node, ast.ImportFrom) and node.module is not None
    assert stage(node.module) > stage("drift.read.files")


def test_python_dash_m_drift_runs_the_cli():
    proc = subprocess.run([sys.executable, "-m", "drift", "--version"], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("drift, version ")


def test_package_ships_its_type_marker_and_licence():
    assert (PACKAGE / "py.typed").exists()
    assert "MIT License" in (ROOT / "LICENSE").read_text(encoding="utf-8")
