"""`flask bench`: issuing a three-page rollout memo, against a bare WeasyPrint render of plain
HTML just as many pages long (the floor). Targets: median ≤ 1 s and ≤ 1.5 × the floor."""

from __future__ import annotations

import html
import re
import statistics
import time

from sqlalchemy import select

from pilotmgr.extensions import db
from pilotmgr.memos import render, service
from pilotmgr.pilots.models import Challenge, Pilot
from pilotmgr.results.models import Selection
from pilotmgr.results.selection import COMPARED_STAGES, ranking_record
from pilotmgr.rollout.models import RolloutTarget
from pilotmgr.units.models import Unit

SAMPLES = 10
PAGES = 3


def _rollout_pilot(ctx) -> int:
    """A selected pilot with enough rollout targets for its memo to fill PAGES pages."""
    # Not the first pilot: the rollout hook plans its own board there.
    ref = ctx.pilots[1]
    pilot = db.session.get(Pilot, ref.id)
    pilot.stage = "selected"
    head = ctx.user("head_root")
    # Selected over seven other pilots of its challenge: the comparison its memo recalls.
    others = db.session.scalars(
        select(Pilot.id)
        .where(
            Pilot.challenge_id == pilot.challenge_id,
            Pilot.id != pilot.id,
            Pilot.stage.in_(COMPARED_STAGES),
        )
        .order_by(Pilot.id)
        .limit(7)
    ).all()
    db.session.add(
        Selection(
            challenge_id=pilot.challenge_id,
            decided_by_id=head.id,
            selected_ids=str(pilot.id),
            other_ids=",".join(str(i) for i in others),
            others="not_selected",
            rationale="Điểm đánh giá tổng hợp và mức đạt KPI cao nhất.",
            # As select_pilots keeps it: the comparison the decision was taken on.
            ranking=ranking_record(
                head, db.session.get(Challenge, pilot.challenge_id), [pilot.id, *others]
            ),
        )
    )
    units = iter(db.session.scalars(select(Unit.id).order_by(Unit.id)).all())
    count = 0
    while True:
        batch = [next(units) for _ in range(5)]
        db.session.add_all(
            RolloutTarget(
                pilot_id=pilot.id, unit_id=u, responsible_id=pilot.owner_id, wave=1 + count // 25
            )
            for u in batch
        )
        count += len(batch)
        db.session.flush()
        # Laid out as issued: with its number, hence its QR code and verification address.
        numbered = service.preview(head, pilot, "rollout", "vi") | {"number": "1/TTr-X"}
        if render.memo_pages(numbered) >= PAGES:
            break
    db.session.commit()
    return pilot.id


def _words(memo_html: str) -> list[str]:
    body = re.sub(r"(?s)<style>.*?</style>|<svg.*?</svg>", "", memo_html)
    return html.unescape(re.sub(r"<[^>]+>", " ", body)).split()


def _plain(words: list[str], paragraphs: int) -> str:
    """Bare paragraphs of the memo's own words: no stylesheet, no fonts of ours, no tables."""
    lines = [" ".join(words[i : i + 60]) for i in range(0, len(words), 60)] or ["—"]
    chosen = [lines[n % len(lines)] for n in range(paragraphs)]
    return "<!doctype html><html><body>" + "".join(f"<p>{html.escape(x)}</p>" for x in chosen)


def floor_html(memo_html: str, pages: int) -> str:
    """Plain HTML as long as the memo: the fewest paragraphs that fill as many pages."""
    from weasyprint import HTML

    words = _words(memo_html)

    def long_enough(paragraphs: int) -> bool:
        return len(HTML(string=_plain(words, paragraphs)).render().pages) >= pages

    low, high = 0, 8
    while not long_enough(high):
        low, high = high, high * 2
    while high - low > 1:  # the fewest paragraphs that reach `pages` pages
        middle = (low + high) // 2
        low, high = (low, middle) if long_enough(middle) else (middle, high)
    return _plain(words, high)


def _median(fn, samples: int, cpu: dict | None = None, key: str = "") -> float:
    """Median wall time; `cpu[key]` gets the median CPU time (this process) of the same calls."""
    fn()  # warm: fonts registered, templates compiled
    timings, cpu_times = [], []
    for _ in range(samples):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        timings.append(time.perf_counter() - start)
        cpu_times.append(time.process_time() - start_cpu)
    if cpu is not None:
        cpu[key] = round(statistics.median(cpu_times) * 1000, 1)
    return statistics.median(timings)


def run(ctx) -> None:
    if ctx.small:  # the small pass only counts queries per page
        return
    from weasyprint import HTML

    pilot_id = _rollout_pilot(ctx)
    head = ctx.user("head_root")
    found = {}
    cpu = {}

    def issue():
        with ctx.app.app_context():
            memo = service.issue(head, db.session.get(Pilot, pilot_id), {"kind": "rollout"})
            found["snapshot"] = memo.snapshot
            db.session.rollback()  # timing only: leave the number free

    issue_s = _median(issue, SAMPLES, cpu, "issue")
    with ctx.app.app_context():
        memo_html = render.render_html(found["snapshot"], for_pdf=True)
        pages = render.memo_pages(found["snapshot"])
        snapshot_s = _median(
            lambda: service.preview(head, db.session.get(Pilot, pilot_id), "rollout", "vi"),
            SAMPLES,
            cpu,
            "snapshot",
        )
        pdf_s = _median(lambda: render.render_memo_pdf(found["snapshot"]), SAMPLES, cpu, "pdf")
    plain = floor_html(memo_html, pages)
    floor_s = _median(lambda: HTML(string=plain).write_pdf(), SAMPLES, cpu, "floor")
    # The memo's own markup (its tables included) without our stylesheet, fonts, PDF/A,
    # attachment, database or snapshot: what issuing adds on top of WeasyPrint's own work.
    bare = re.sub(r"(?s)<style>.*?</style>", "", memo_html)
    bare_s = _median(lambda: HTML(string=bare).write_pdf(), SAMPLES, cpu, "bare_markup")
    entry = {
        "pages": pages,
        "issue_median_ms": round(issue_s * 1000, 1),
        "floor_median_ms": round(floor_s * 1000, 1),
        "snapshot_median_ms": round(snapshot_s * 1000, 1),
        "pdf_median_ms": round(pdf_s * 1000, 1),
        "ratio_to_floor": round(issue_s / floor_s, 2),
        "bare_markup_median_ms": round(bare_s * 1000, 1),
        "ratio_to_bare_markup": round(issue_s / bare_s, 2),
        # CPU time of this process: on a shared machine, less noisy than the wall clock.
        "cpu_median_ms": cpu,
        "cpu_ratio_to_floor": round(cpu["issue"] / cpu["floor"], 2),
        "samples": SAMPLES,
        "targets": {"median_ms": 1000, "ratio_to_floor": 1.5},
    }
    ctx.report["memos"] = entry
    print(
        f"  issue rollout memo ({pages} pages)  median {entry['issue_median_ms']:.0f} ms;"
        f"  bare render {entry['floor_median_ms']:.0f} ms;  ratio {entry['ratio_to_floor']}"
        f"  (snapshot {entry['snapshot_median_ms']:.0f} ms, PDF {entry['pdf_median_ms']:.0f} ms);"
        f"  same markup bare {entry['bare_markup_median_ms']:.0f} ms,"
        f" ratio {entry['ratio_to_bare_markup']};  CPU: issue {cpu['issue']:.0f} ms,"
        f" bare render {cpu['floor']:.0f} ms, ratio {entry['cpu_ratio_to_floor']}",
        flush=True,
    )
