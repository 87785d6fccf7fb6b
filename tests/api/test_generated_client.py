"""A client generated from /api/v1/openapi.json with openapi-python-client reads typed answers.

The client is generated afresh from the document the app serves, imported, and sent through
httpx's WSGI transport to the app in-process: what a programme's own integration would do.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from pilotmgr.auth.service import issue_token
from pilotmgr.extensions import db

GENERATOR = Path(sys.executable).with_name("openapi-python-client")


@pytest.fixture
def generated(app, tmp_path, monkeypatch):
    """The generated package (imported), and the generator's output."""
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    (tmp_path / "openapi.json").write_text(json.dumps(document), encoding="utf-8")
    # The generator reads only JSON, text and octet-stream answers: a PDF (a memo) is bytes.
    config = {"content_type_overrides": {"application/pdf": "application/octet-stream"}}
    (tmp_path / "generator.json").write_text(json.dumps(config), encoding="utf-8")
    run = subprocess.run(
        [
            str(GENERATOR),
            "generate",
            "--path",
            str(tmp_path / "openapi.json"),
            "--output-path",
            str(tmp_path / "pilotmgr_client"),
            "--meta",
            "none",
            "--config",
            str(tmp_path / "generator.json"),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
        # The generator formats its output with ruff, found beside it.
        env={**os.environ, "PATH": f"{GENERATOR.parent}{os.pathsep}{os.environ.get('PATH', '')}"},
    )
    assert run.returncode == 0, run.stdout + run.stderr
    monkeypatch.syspath_prepend(str(tmp_path))
    yield importlib.import_module("pilotmgr_client"), run.stdout + run.stderr
    for name in [m for m in sys.modules if m.startswith("pilotmgr_client")]:
        del sys.modules[name]


def _client(package, app, user):
    token = issue_token(user)
    db.session.commit()
    return package.AuthenticatedClient(
        base_url="http://localhost/api/v1",
        token=token,
        httpx_args={"transport": httpx.WSGITransport(app=app)},
        raise_on_unexpected_status=True,
    )


def test_the_document_generates_a_client_without_warnings(generated):
    _package, output = generated
    assert "Warning" not in output, output


def test_a_generated_client_calls_three_operations_and_reads_typed_answers(app, world, generated):
    package, _output = generated
    client = _client(package, app, world.head)
    me = importlib.import_module("pilotmgr_client.api.auth.me").sync(client=client)
    assert me.email == world.head.email and me.role == "head"

    models = importlib.import_module("pilotmgr_client.models")
    create = importlib.import_module("pilotmgr_client.api.pilots.create_programme")
    made = create.sync(
        client=client,
        body=models.ProgrammeInput(name="Chuyển đổi số cấp xã", description="Thí điểm"),
    )
    assert isinstance(made, models.ProgrammeOut)
    assert made.name == "Chuyển đổi số cấp xã" and made.version == 1

    listing = importlib.import_module("pilotmgr_client.api.pilots.list_pilots")
    page = listing.sync(client=client, per_page=5)
    assert isinstance(page, models.PilotOutPage)
    assert page.total >= 1 and len(page.items) <= 5
    first = page.items[0]
    assert isinstance(first, models.PilotOut)
    assert isinstance(first.id, int) and first.stage and first.unit
