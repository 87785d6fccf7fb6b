"""core/ and api/ hold what every feature needs and import no feature, not even in a function."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "pilotmgr"
SHARED = ("pilotmgr.core", "pilotmgr.extensions")


def _feature_imports(folder: Path, own: str) -> list[str]:
    found = []
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module]
            for name in names:
                if name.startswith("pilotmgr") and not name.startswith((*SHARED, own)):
                    found.append(f"{path.name}:{node.lineno}: {name}")
    return found


@pytest.mark.parametrize("package", ["core", "api"])
def test_shared_packages_import_no_feature(package):
    assert _feature_imports(PACKAGE / package, f"pilotmgr.{package}") == []
