"""The results API beside the pages: the same services, JSON in and out."""

from __future__ import annotations

from sqlalchemy import select

from pilotmgr.extensions import db
from pilotmgr.reminders.models import Notification
from pilotmgr.results.models import PilotEvaluator


def _schema(spec: dict, ref: dict) -> dict:
    return spec["components"]["schemas"][ref["$ref"].rsplit("/", 1)[1]]


def test_openapi_describes_retraction_and_evaluators(api):
    spec = api(None).get("/openapi.json").get_json()
    paths = spec["paths"]
    retraction = paths["/evidence/{evidence_id}/retraction"]["post"]
    body = _schema(spec, retraction["requestBody"]["content"]["application/json"]["schema"])
    assert set(body["properties"]) == {"reason"} and body["required"] == ["reason"]
    evaluators = paths["/pilots/{pilot_id}/evaluators"]["post"]
    answer = _schema(spec, evaluators["responses"]["201"]["content"]["application/json"]["schema"])
    assert set(answer["properties"]) == {"pilot_id", "evaluator"}


def test_openapi_describes_the_evidence_upload_as_multipart(api):
    spec = api(None).get("/openapi.json").get_json()
    upload = spec["paths"]["/pilots/{pilot_id}/evidence"]["post"]
    (media,) = upload["requestBody"]["content"]
    assert media == "multipart/form-data"
    body = _schema(spec, upload["requestBody"]["content"][media]["schema"])
    assert body["properties"]["file"] == {"type": "string", "format": "binary"}
    assert body["required"] == ["file"] and {"note", "measurement_id"} <= set(body["properties"])
    answer = _schema(spec, upload["responses"]["201"]["content"]["application/json"]["schema"])
    assert "sha256" in answer["properties"]


def test_openapi_describes_the_memo_pdf_and_the_comparison(api):
    spec = api(None).get("/openapi.json").get_json()
    pdf = spec["paths"]["/memos/{memo_id}.pdf"]["get"]
    assert set(pdf["responses"]["200"]["content"]) == {"application/pdf"}
    comparison = spec["paths"]["/challenges/{challenge_id}/comparison"]["get"]
    answer = _schema(spec, comparison["responses"]["200"]["content"]["application/json"]["schema"])
    assert set(answer["properties"]) == {"challenge_id", "rule", "candidates"}


def test_a_head_names_an_evaluator_through_the_api(bn, api, make):
    pilot = make.pilot("evaluating", owner=bn.lead, unit_=bn.department)
    url = f"/pilots/{pilot.id}/evaluators"
    refused = api(bn.head).post(url, json={"evaluator": bn.stranger.email})
    assert refused.status_code == 422 and "evaluator" in refused.get_json()["errors"]
    assert api(bn.lead).post(url, json={"evaluator": bn.staff.email}).status_code == 403
    done = api(bn.head).post(url, json={"evaluator": bn.staff.email})
    assert done.status_code == 201
    assert done.get_json() == {"pilot_id": pilot.id, "evaluator": bn.staff.email}
    assert db.session.get(PilotEvaluator, (pilot.id, bn.staff.id))
    note = db.session.scalar(select(Notification).where(Notification.kind == "evaluator_named"))
    assert note.user_id == bn.staff.id


def test_api_values_stay_json_numbers(bn, api):
    day = bn.pilot.start_date.isoformat()
    created = api(bn.staff).post(
        f"/kpis/{bn.kpi.id}/measurements", json={"value": 12.5, "measured_on": day}
    )
    assert created.status_code == 201 and created.get_json()["value"] == 12.5
    written = api(bn.staff).post(
        f"/kpis/{bn.kpi.id}/measurements", json={"value": "12,5", "measured_on": day}
    )
    assert written.status_code == 422 and "value" in written.get_json()["errors"]


def test_a_file_uploaded_through_the_api_backs_a_value_named_as_text(bn, api):
    import io

    from pilotmgr.results.models import Evidence, Measurement

    value = db.session.scalar(select(Measurement).where(Measurement.kpi_id == bn.kpi.id))
    sent = {"file": (io.BytesIO(b"%PDF-1.4 x"), "so-lieu.pdf"), "note": "Biên bản"}
    url = f"/pilots/{bn.pilot.id}/evidence"
    linked = api(bn.lead).post(
        url, data={**sent, "measurement_id": str(value.id)}, content_type="multipart/form-data"
    )
    assert linked.status_code == 201, linked.get_json()
    answer = linked.get_json()
    assert set(answer) == {
        "id",
        "filename",
        "size",
        "sha256",
        "note",
        "retracted_at",
        "retraction_reason",
    }
    assert answer["note"] == "Biên bản" and answer["retracted_at"] is None
    assert db.session.get(Evidence, answer["id"]).measurement_id == value.id
    unnamed = api(bn.lead).post(url, data={"note": "x"}, content_type="multipart/form-data")
    assert unnamed.status_code == 422 and unnamed.get_json()["errors"]["file"] == [
        "Hãy chọn một tệp."
    ]
