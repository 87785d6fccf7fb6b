"""core/ holds what every feature needs and imports no feature, not even inside a function."""

from __future__ import annotations

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "pilotmgr" / "core"
SHARED = ("pilotmgr.core", "pilotmgr.extensions")


def test_core_imports_no_feature():
    found = []
    for path in CORE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module]
            for name in names:
                if name.startswith("pilotmgr") and not name.startswith(SHARED):
                    found.append(f"{path.name}:{node.lineno}: {name}")
    assert found == []
