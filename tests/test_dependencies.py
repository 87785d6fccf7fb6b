"""pyproject.toml declares what the code imports, and nothing it does not use."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRODUCT = ["pilotmgr", "devtools", "migrations", "config.py", "wsgi.py"]
#: Declared, and used without being imported by name.
NOT_IMPORTED = {
    "psycopg": "the PostgreSQL driver SQLAlchemy loads from the database URL",
    "gunicorn": "the production web server, run as a command",
    "email-validator": "loaded by WTForms' Email validator",
    "lxml": "openpyxl writes XLSX through it when it is installed",
    "ruff": "the linter, run as a command",
    "pytest": "the test runner, run as a command",
    "openapi-python-client": "the client generator, run as a command by a test",
}
#: Imported, but part of another declared package's distribution.
LOCAL = {"pilotmgr", "devtools", "migrations", "config", "wsgi", "tests"}


def _name(requirement: str) -> str:
    return re.split(r"[\s\[<>=~!;]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _imports(paths: list[str]) -> set[str]:
    found = set()
    for entry in paths:
        path = ROOT / entry
        for file in [path] if path.is_file() else path.rglob("*.py"):
            tree = ast.parse(file.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    found |= {alias.name.split(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    found.add(node.module.split(".")[0])
    return {name for name in found if name not in sys.stdlib_module_names} - LOCAL


def _distributions(modules: set[str]) -> dict[str, set[str]]:
    owners = packages_distributions()
    return {m: {d.lower().replace("_", "-") for d in owners.get(m, [])} for m in modules}


def _declared() -> tuple[set[str], set[str]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    main = {_name(r) for r in project["dependencies"]}
    test = {_name(r) for r in project["optional-dependencies"]["test"]}
    return main, test


def test_every_package_the_product_imports_is_declared():
    main, _test = _declared()
    undeclared = {m: d for m, d in _distributions(_imports(PRODUCT)).items() if not d & main}
    assert undeclared == {}


def test_every_package_the_tests_import_is_declared():
    main, test = _declared()
    found = _distributions(_imports(["tests"]))
    undeclared = {m: d for m, d in found.items() if not d & (main | test)}
    assert undeclared == {}


def test_every_declared_package_is_used():
    main, test = _declared()
    used = set().union(*_distributions(_imports([*PRODUCT, "tests"])).values())
    unused = (main | test) - used - set(NOT_IMPORTED)
    assert unused == set()
