"""A server worker makes the memo renderer ready when it starts, and only a serving one does."""

from __future__ import annotations

import importlib
import subprocess
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[2]


def test_warm_up_in_a_fresh_process_loads_fonts_stylesheet_and_memo_templates(tmp_path):
    script = textwrap.dedent(
        """
        import json
        from config import TestConfig
        from pilotmgr import create_app
        from pilotmgr.memos import pdf, render

        app = create_app(TestConfig)
        before = pdf._font_config is None and not pdf._stylesheets
        seconds = pdf.warm_up(app)
        with app.app_context():
            css = render.stylesheet(for_pdf=True)
        cached = app.jinja_env.cache or {}
        print(json.dumps({
            "cold_before": before,
            "fonts": pdf._font_config is not None,
            "stylesheet": css in pdf._stylesheets,
            "templates": sorted(k[1] for k in cached if k[1].startswith("memos/")),
            "seconds": seconds,
        }))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "HOME": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    import json

    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["cold_before"] and found["fonts"] and found["stylesheet"]
    assert "memos/memo.html" in found["templates"]
    assert found["seconds"] > 0


def test_gunicorn_workers_warm_up_with_their_own_app(monkeypatch):
    calls = []
    monkeypatch.setattr("pilotmgr.memos.pdf.warm_up", lambda app: calls.append(app) or 0.5)
    settings = {}
    exec((ROOT / "gunicorn.conf.py").read_text(), settings)
    logged = []
    worker = SimpleNamespace(
        wsgi="the app", pid=42, log=SimpleNamespace(info=lambda *a: logged.append(a))
    )
    settings["post_worker_init"](worker)
    assert calls == ["the app"]
    assert "memo renderer ready" in logged[0][0]


def test_wsgi_warms_up_under_flask_run_only(monkeypatch):
    calls = []
    monkeypatch.setattr("pilotmgr.memos.pdf.warm_up", lambda app: calls.append(app))
    monkeypatch.syspath_prepend(str(ROOT))
    for argv, expected in (
        (["flask", "db", "upgrade"], 0),
        (["flask", "scheduler", "run"], 0),
        (["pytest"], 0),
        (["flask", "run", "--port", "5000"], 1),
    ):
        monkeypatch.setattr(sys, "argv", argv)
        sys.modules.pop("wsgi", None)
        importlib.import_module("wsgi")
        assert len(calls) == expected, argv
    sys.modules.pop("wsgi", None)
