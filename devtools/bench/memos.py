"""`flask bench`: issuing a three-page rollout memo, against a bare WeasyPrint render of plain
HTML just as many pages long (the floor). Targets: median ≤ 1 s and ≤ 1.5 × the floor."""

from __future__ import annotations

import gc
import html
import re
import statistics
import time
from collections.abc import Callable

from sqlalchemy import select

from pilotmgr.extensions import db
from pilotmgr.memos import render, service
from pilotmgr.pilots.models import Challenge, Pilot
from pilotmgr.pilots.stages import Stage
from pilotmgr.results.models import Selection
from pilotmgr.results.selection import COMPARED_STAGES, ranking_record
from pilotmgr.rollout.models import RolloutTarget
from pilotmgr.units.models import Unit

#: Rounds: each times the memo, the floor and the parts once (the issue asks for ≥ 10).
SAMPLES = 21
PAGES = 3


def _rollout_pilot(ctx) -> int:
    """A selected pilot with enough rollout targets for its memo to fill PAGES pages."""
    # Not the first pilot: the rollout hook plans its own board there.
    ref = ctx.pilots[1]
    pilot = db.session.get(Pilot, ref.id)
    pilot.stage = Stage.selected
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


def _in_turn(calls: dict[str, Callable[[], object]], samples: int) -> tuple[dict, dict]:
    """Wall and CPU times (ms, this process) of each call, the calls taken in turn.

    One round calls each once, in order, `samples` rounds in all: the memo and the floor are
    timed side by side, so a machine that slows down or speeds up over the run (a shared
    virtual machine does) moves both, not the one that happened to run then.

    Garbage is collected before each call, untimed: each call then pays for collecting what
    it leaves itself, not for a full collection of the garbage of the calls before it (which
    fell on one issue in five: about 70 ms each, on whichever call crossed the threshold).
    """
    for call in calls.values():  # warm: fonts registered, templates compiled
        call()
    wall = {key: [] for key in calls}
    cpu = {key: [] for key in calls}
    for _ in range(samples):
        for key, call in calls.items():
            gc.collect()
            start, start_cpu = time.perf_counter(), time.process_time()
            call()
            wall[key].append((time.perf_counter() - start) * 1000)
            cpu[key].append((time.process_time() - start_cpu) * 1000)
    return wall, cpu


def _medians(timings: dict[str, list[float]]) -> dict[str, float]:
    return {key: round(statistics.median(values), 1) for key, values in timings.items()}


def _paired_ratio(timings: dict[str, list[float]]) -> float:
    """The median over rounds of issuing ÷ the floor rendered right after it."""
    pairs = zip(timings["issue"], timings["floor"], strict=True)
    return round(statistics.median(issue / floor for issue, floor in pairs), 2)


def run(ctx) -> None:
    if ctx.small:  # the small pass only counts queries per page
        return
    from weasyprint import HTML

    pilot_id = _rollout_pilot(ctx)
    head = ctx.user("head_root")
    found = {}

    def issue():
        with ctx.app.app_context():
            memo = service.issue(head, db.session.get(Pilot, pilot_id), {"kind": "rollout"})
            found["snapshot"] = memo.snapshot
            db.session.rollback()  # timing only: leave the number free

    issue()  # the snapshot the floor is sized on
    with ctx.app.app_context():
        memo_html = render.render_html(found["snapshot"], for_pdf=True)
        pages = render.memo_pages(found["snapshot"])
    plain = floor_html(memo_html, pages)
    # The memo's own markup without our stylesheet, fonts, PDF/A, attachment, database or
    # snapshot: what issuing adds on top of WeasyPrint's own work on the same elements.
    bare = re.sub(r"(?s)<style>.*?</style>", "", memo_html)

    def in_app(call):
        def run_it():
            with ctx.app.app_context():
                call()

        return run_it

    wall_times, cpu_times = _in_turn(
        {
            "issue": issue,
            "floor": lambda: HTML(string=plain).write_pdf(),
            "snapshot": in_app(
                lambda: service.preview(head, db.session.get(Pilot, pilot_id), "rollout", "vi")
            ),
            "pdf": in_app(lambda: render.render_memo_pdf(found["snapshot"])),
            "bare_markup": lambda: HTML(string=bare).write_pdf(),
        },
        SAMPLES,
    )
    wall, cpu = _medians(wall_times), _medians(cpu_times)
    entry = {
        "pages": pages,
        "issue_median_ms": wall["issue"],
        "floor_median_ms": wall["floor"],
        "snapshot_median_ms": wall["snapshot"],
        "pdf_median_ms": wall["pdf"],
        "ratio_to_floor": round(wall["issue"] / wall["floor"], 2),
        # Each round's issue against the floor right after it: a slow spell of a shared
        # machine falls on both halves of a pair, where it can shift one median alone.
        "paired_ratio_median": _paired_ratio(wall_times),
        "bare_markup_median_ms": wall["bare_markup"],
        "ratio_to_bare_markup": round(wall["issue"] / wall["bare_markup"], 2),
        # CPU time of this process: on a shared machine, less noisy than the wall clock.
        "cpu_median_ms": cpu,
        "cpu_ratio_to_floor": round(cpu["issue"] / cpu["floor"], 2),
        "cpu_paired_ratio_median": _paired_ratio(cpu_times),
        "samples": SAMPLES,
        "targets": {"median_ms": 1000, "ratio_to_floor": 1.5},
    }
    ctx.report["memos"] = entry
    print(
        f"  issue rollout memo ({pages} pages)  median {entry['issue_median_ms']:.0f} ms;"
        f"  bare render {entry['floor_median_ms']:.0f} ms;  ratio {entry['ratio_to_floor']}"
        f" (round by round {entry['paired_ratio_median']})"
        f"  (snapshot {entry['snapshot_median_ms']:.0f} ms, PDF {entry['pdf_median_ms']:.0f} ms);"
        f"  same markup bare {entry['bare_markup_median_ms']:.0f} ms,"
        f" ratio {entry['ratio_to_bare_markup']};  CPU: issue {cpu['issue']:.0f} ms,"
        f" bare render {cpu['floor']:.0f} ms, ratio {entry['cpu_ratio_to_floor']}"
        f" (round by round {entry['cpu_paired_ratio_median']})",
        flush=True,
    )
