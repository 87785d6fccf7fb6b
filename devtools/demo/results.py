"""Demo: evidence files behind the results, and the e-invoice challenge's selection on record."""

from __future__ import annotations

import csv
import hashlib
import io

from sqlalchemy import select

from pilotmgr.core.storage import file_store
from pilotmgr.extensions import db
from pilotmgr.pilots.models import Challenge, Kpi
from pilotmgr.pilots.stages import Stage
from pilotmgr.results.models import Evaluation, Evidence, Measurement, Selection
from pilotmgr.results.selection import ranking_record

WITH_RESULTS = (
    Stage.piloting,
    Stage.evaluating,
    Stage.selected,
    Stage.rolling_out,
    Stage.scaled,
    Stage.closed,
)


#: Scores a head gave the pilots still under evaluation (feasibility … scalability).
SCORES = {
    "bn_hospital": (5, 5, 4, 4, 5, "Vượt mục tiêu, người bệnh hài lòng; có thể nhân rộng ngay."),
    "hn_school": (4, 4, 5, 4, 4, "Phụ huynh ủng hộ; cần thêm thời gian đối soát với ngân hàng."),
    "dn_hospital": (3, 3, 4, 3, 3, "Ví điện tử chưa phổ biến với người cao tuổi."),
}


def add_demo_data(ctx) -> None:
    for pilot in ctx.pilots.values():
        if pilot.stage in WITH_RESULTS:
            _evidence(pilot)
    for key, (f, e, n, c, s, comment) in SCORES.items():
        pilot = ctx.pilots.get(key)
        if pilot is not None and pilot.stage == Stage.evaluating:
            db.session.add(
                Evaluation(
                    pilot_id=pilot.id,
                    evaluator_id=ctx.users["head_ministry"].id,
                    feasibility=f,
                    effectiveness=e,
                    needs_fit=n,
                    cost=c,
                    scalability=s,
                    comment=comment,
                )
            )
    _einvoice_selection(ctx)


def _evidence(pilot) -> None:
    """A CSV of the pilot's approved values, as a unit would attach its monthly report."""
    rows = db.session.execute(
        select(Kpi.name, Kpi.unit, Measurement.measured_on, Measurement.value)
        .join(Measurement, Measurement.kpi_id == Kpi.id)
        .where(Kpi.pilot_id == pilot.id, Measurement.status == "approved")
        .order_by(Kpi.id, Measurement.measured_on)
    ).all()
    if not rows:
        return
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Chỉ số", "Đơn vị tính", "Ngày đo", "Giá trị"])
    for name, unit, day, value in rows:
        writer.writerow([name, unit, day.strftime("%d/%m/%Y"), f"{value.normalize():f}"])
    data = buffer.getvalue().encode("utf-8")
    stored = file_store().put(data)
    db.session.add(
        Evidence(
            pilot_id=pilot.id,
            filename="so-lieu-kpi.csv",
            stored_name=stored,
            kind="csv",
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            note="Số liệu KPI đã được duyệt, trích từ báo cáo tháng của đơn vị",
            uploaded_by_id=pilot.owner_id,
        )
    )


def _einvoice_selection(ctx) -> None:
    selected, other = ctx.pilots.get("hcm_einvoice"), ctx.pilots.get("qn_einvoice")
    if selected is None or other is None:
        return
    head = ctx.users["head_ministry"]
    db.session.add(
        Selection(
            challenge_id=selected.challenge_id,
            decided_by_id=head.id,
            selected_ids=str(selected.id),
            other_ids=str(other.id),
            others="not_selected",
            rationale="Mô hình chợ Bến Thành đạt và vượt cả hai chỉ số, chi phí trên mỗi hộ thấp "
            "hơn; mô hình nhà thuốc Hạ Long mới đạt hơn một nửa mục tiêu.",
            lessons=selected.lessons,
            ranking=ranking_record(
                head, db.session.get(Challenge, selected.challenge_id), [selected.id, other.id]
            ),
        )
    )
