"""The import graph has a direction: a feature imports only the features below it.

Every module of pilotmgr/ is parsed, imports inside functions included. A package may import
its own modules and those of the packages below it in ORDER; any feature's ``models.py`` and
``pilots/stages.py`` are the shared schema and may be imported from anywhere.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "pilotmgr"

#: Low to high; the packages of one layer do not import each other. ``extensions`` (the
#: Flask extension objects) is the ground floor, ``core`` and ``api`` what every feature
#: shares, ``backup`` reads every table without knowing a feature; the programmes' pages
#: build on the pilots' rules. The command line (cli.py) and the app factory (__init__.py)
#: sit above every feature.
ORDER: list[tuple[str, ...]] = [
    ("extensions",),
    ("core",),
    ("api", "backup"),
    ("units",),
    ("notices",),
    ("auth",),
    ("pilots",),
    ("programmes", "results"),
    ("rollout",),
    ("memos",),
    ("discussion", "search"),
    ("dashboard",),
    ("exports",),
    ("reminders",),
    ("cli",),
    ("__init__",),
]
LAYER = {package: rank for rank, layer in enumerate(ORDER) for package in layer}
EXEMPT_MODULES = {"pilotmgr.pilots.stages", "pilotmgr.models"}


def _exempt(module: str) -> bool:
    return module in EXEMPT_MODULES or module.endswith(".models")


def _is_module(dotted: str) -> bool:
    path = PACKAGE.parent.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _imported_modules(node: ast.AST) -> list[str]:
    """The pilotmgr modules an import statement reads (``from x import y`` names x.y if a module)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names if alias.name.startswith("pilotmgr.")]
    if isinstance(node, ast.ImportFrom) and node.module and not node.level:
        if node.module != "pilotmgr" and not node.module.startswith("pilotmgr."):
            return []
        found = []
        for alias in node.names:
            dotted = f"{node.module}.{alias.name}"
            found.append(dotted if _is_module(dotted) else node.module)
        return found
    return []


def _package(module: str) -> str:
    """pilotmgr.pilots.views -> pilots; pilotmgr.cli -> cli; pilotmgr -> __init__."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _upward(source: str, tree: ast.AST) -> list[str]:
    """The imports in `tree` (module `source`) of a package at its layer or above."""
    mine = _package(source)
    found = []
    for node in ast.walk(tree):
        for target in _imported_modules(node):
            theirs = _package(target)
            if theirs != mine and not _exempt(target) and LAYER[theirs] >= LAYER[mine]:
                found.append(f"{node.lineno}: {mine} -> {target}")
    return found


def upward_imports() -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE.parent).with_suffix("")
        parts = list(relative.parts)
        if parts[-1] == "__init__" and len(parts) > 1:
            parts.pop()
        source = ".".join(parts)
        if source == "pilotmgr.models":
            continue  # the registry of every table: imports each feature's models only
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found += [f"{relative}.py:{line}" for line in _upward(source, tree)]
    return found


def test_every_package_has_a_layer():
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    modules = {p.stem for p in PACKAGE.glob("*.py")}
    assert packages | modules <= set(LAYER) | {"models"}


def test_no_package_imports_one_above_it():
    assert upward_imports() == []


def test_an_import_inside_a_function_counts_and_the_shared_schema_does_not():
    code = """
from pilotmgr.pilots.stages import Stage
from pilotmgr.rollout.models import RolloutTarget
from pilotmgr.notices import events


def page():
    from pilotmgr.dashboard.views import my_work_page
"""
    found = _upward("pilotmgr.pilots.views", ast.parse(code))
    assert found == ["8: pilots -> pilotmgr.dashboard.views"]
