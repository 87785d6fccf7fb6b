"""Bulk seed of a realistic organisation with N pilots, for `flask bench` only.

Core bulk inserts with explicit ids keep 10,000 pilots (and their 100,000 tasks) to seconds;
the services would be far too slow and would write history we do not need here.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import insert
from werkzeug.security import generate_password_hash

from devtools.demo import catalog
from pilotmgr.auth.models import User
from pilotmgr.core.audit import HistoryEntry
from pilotmgr.core.clock import local_today
from pilotmgr.core.text import fold
from pilotmgr.extensions import db
from pilotmgr.pilots.models import Challenge, Kpi, Pilot, Programme, Task
from pilotmgr.pilots.stages import Stage
from pilotmgr.units.models import Unit

PASSWORD = "bench-pilotmgr"
CHUNK = 5_000
#: Roughly how pilots spread over the lifecycle in a running programme.
STAGE_WEIGHTS = {
    Stage.draft: 15,
    Stage.proposed: 10,
    Stage.piloting: 30,
    Stage.evaluating: 10,
    Stage.selected: 5,
    Stage.rolling_out: 10,
    Stage.scaled: 10,
    Stage.closed: 10,
}
TOPICS = [
    ("Tổ công nghệ số cộng đồng", "hướng dẫn người dân dùng VNeID và dịch vụ công trực tuyến"),
    (
        "Hóa đơn điện tử từ máy tính tiền",
        "kết nối máy tính tiền của hộ kinh doanh với cơ quan thuế",
    ),
    ("Dịch vụ công trực tuyến toàn trình", "giải quyết thủ tục hành chính không cần giấy tờ"),
    ("Thanh toán không dùng tiền mặt", "thu học phí và viện phí qua mã QR"),
    ("Chia sẻ dữ liệu giữa các cơ quan", "kết nối cơ sở dữ liệu dân cư với hệ thống chuyên ngành"),
    ("Bệnh án điện tử", "số hóa hồ sơ khám chữa bệnh tại bệnh viện tuyến huyện"),
    ("Sổ sức khỏe điện tử", "theo dõi sức khỏe người dân trên ứng dụng VNeID"),
    ("Học bạ số", "cấp học bạ điện tử cho học sinh tiểu học"),
]
PLACES = ["xã", "phường", "thôn", "trường", "bệnh viện", "chợ", "trung tâm y tế"]
TASKS = [
    ("Khảo sát hiện trạng", "Báo cáo khảo sát"),
    ("Ra quyết định thành lập tổ triển khai", "Quyết định được ký"),
    ("Tập huấn cán bộ cơ sở", "Danh sách học viên và tài liệu"),
    ("Ký kết thỏa thuận với đối tác", "Biên bản thỏa thuận"),
    ("Triển khai phần mềm", "Hệ thống chạy thử"),
    ("Tuyên truyền đến người dân", "Kế hoạch truyền thông"),
    ("Thu thập số liệu chỉ số", "Bảng số liệu tháng"),
    ("Họp sơ kết giữa kỳ", "Biên bản họp"),
    ("Xử lý phản ánh của người dân", "Sổ theo dõi phản ánh"),
    ("Báo cáo kết quả thí điểm", "Báo cáo tổng kết"),
]
KPIS = [
    ("Tỷ lệ hồ sơ nộp trực tuyến", "%", 30, 70, "increase"),
    ("Thời gian giải quyết trung bình", "ngày", 10, 4, "decrease"),
    ("Số giao dịch không dùng tiền mặt mỗi tháng", "giao dịch", 500, 3000, "increase"),
]


@dataclass
class Seeded:
    """Ids of what was seeded, for choosing who and what to measure."""

    n: int
    root_unit_id: int = 0
    province_ids: list[int] = field(default_factory=list)
    #: unit id → the province it lies in (the root for ministry units).
    province_of: dict[int, int] = field(default_factory=dict)
    users: dict[str, int] = field(default_factory=dict)
    pilot_ids: list[int] = field(default_factory=list)
    by_role: dict[str, list[int]] = field(default_factory=dict)


def _bulk(model, rows: list[dict]) -> None:
    for start in range(0, len(rows), CHUNK):
        db.session.execute(insert(model), rows[start : start + CHUNK])


def seed(n: int, *, rng_seed: int = 20260101) -> Seeded:
    """Units, users, one programme with challenges, and `n` pilots with 10 tasks, 3 KPIs each."""
    rng = random.Random(rng_seed)
    now = datetime.now(UTC)
    today = local_today()
    out = Seeded(n=n)

    # --- units: the ministry, its departments, 34 provinces each with 4 departments ---------
    units: list[dict] = []
    depts: list[tuple[int, int]] = []  # (department id, province id)

    def unit(code, name, parent=None):
        uid = len(units) + 1
        parent_path = units[parent - 1]["path"] if parent else "/"
        units.append(
            dict(id=uid, code=code, name=name, parent_id=parent, path=f"{parent_path}{uid}/")
        )
        return uid

    root = unit(*catalog.MINISTRY)
    out.root_unit_id = root
    ministry_depts = [unit(code, name, root) for code, name in catalog.MINISTRY_DEPARTMENTS]
    for code, name in catalog.PROVINCES:
        pid = unit(code, name, root)
        out.province_ids.append(pid)
        for suffix, dept in catalog.DEPARTMENTS:
            depts.append((unit(f"{code}-{suffix}", f"{dept} {name.split(' ', 1)[1]}", pid), pid))
    out.province_of = {uid: uid for uid in (root, *ministry_depts, *out.province_ids)}
    out.province_of.update(dict(depts))
    for row in units:
        row.update(is_active=True, created_at=now, version=1)
    _bulk(Unit, units)

    # --- users: every role, one password hash for all (scrypt is slow on purpose) ----------
    password_hash = generate_password_hash(PASSWORD, method="scrypt")
    users: list[dict] = []
    by_role: dict[str, list[int]] = {r: [] for r in ("admin", "head", "lead", "staff", "viewer")}

    def user(key, name, role, unit_id):
        uid = len(users) + 1
        users.append(
            dict(
                id=uid,
                email=f"{key}@bench.gov.vn",
                name=name,
                password_hash=password_hash,
                role=role,
                unit_id=unit_id,
                lang="vi",
                is_active_account=True,
                calendar_secret=f"bench-calendar-{uid}",
                created_at=now,
                version=1,
            )
        )
        by_role[role].append(uid)
        out.users[key] = uid
        return uid

    surnames = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
    given = ["Văn An", "Thị Bình", "Minh Châu", "Quốc Dũng", "Thu Hà", "Đức Long", "Ngọc Lan"]

    def person():
        return f"{rng.choice(surnames)} {rng.choice(given)}"

    user("admin", "Quản trị hệ thống", "admin", ministry_depts[-1])
    user("head_root", "Nguyễn Văn Thành", "head", root)
    user("viewer_root", "Mai Anh Tuấn", "viewer", root)
    user("lead_root", "Trần Thị Lan", "lead", ministry_depts[0])
    user("staff_root", "Hoàng Minh Đức", "staff", ministry_depts[0])
    for i, pid in enumerate(out.province_ids):
        user(f"head_p{i}", person(), "head", pid)
        user(f"viewer_p{i}", person(), "viewer", pid)
    dept_leads: dict[int, list[int]] = {}
    dept_staff: dict[int, list[int]] = {}
    for j, (did, _pid) in enumerate(depts):
        user(f"head_d{j}", person(), "head", did)
        dept_leads[did] = [user(f"lead_d{j}_{k}", person(), "lead", did) for k in range(2)]
        dept_staff[did] = [user(f"staff_d{j}_{k}", person(), "staff", did) for k in range(3)]
    _bulk(User, users)
    out.by_role = by_role

    # --- one programme and its challenges -------------------------------------------------
    name, description = catalog.PROGRAMME
    _bulk(Programme, [dict(id=1, name=name, description=description, created_at=now, version=1)])
    challenges = [
        dict(id=i + 1, programme_id=1, title=title, problem=problem, created_at=now, version=1)
        for i, (title, problem) in enumerate(catalog.CHALLENGES.values())
    ]
    _bulk(Challenge, challenges)

    # --- pilots, their KPIs, tasks and a short history -------------------------------------
    stages = list(STAGE_WEIGHTS)
    weights = list(STAGE_WEIGHTS.values())
    # One busy staff member carries far more tasks than anyone: the worst "my work" page.
    busy = out.users["staff_d0_0"]
    pilots, kpis, tasks, history = [], [], [], []
    for pid in range(1, n + 1):
        did, prov = depts[rng.randrange(len(depts))]
        owner = rng.choice(dept_leads[did])
        stage = rng.choices(stages, weights)[0]
        topic, what = TOPICS[pid % len(TOPICS)]
        title = f"{topic} tại {rng.choice(PLACES)} số {pid} – {units[prov - 1]['name']}"
        summary = f"Thí điểm {what}; đánh giá sau 6 tháng trước khi nhân rộng."
        partner = rng.choice(["Viettel", "VNPT", "FPT", "MobiFone", ""])
        start = today + timedelta(days=rng.randint(-300, 30))
        changed = now - timedelta(days=rng.randint(0, 200), minutes=pid)
        pilots.append(
            dict(
                id=pid,
                title=title,
                summary=summary,
                challenge_id=challenges[pid % len(challenges)]["id"],
                unit_id=did,
                owner_id=owner,
                start_date=start,
                end_date=start + timedelta(days=rng.choice((90, 180, 365))),
                budget=Decimal(rng.randint(1, 200) * 10_000_000),
                partner=partner,
                stage=stage,
                outcome="stopped" if stage == Stage.closed else None,
                stage_changed_at=changed,
                search_text=fold(f"{title} {summary} {partner}"),
                success_formula="",
                lessons="",
                regulation_number="",
                regulation_issuer="",
                created_by_id=owner,
                created_at=changed - timedelta(days=30),
                version=1,
            )
        )
        for kname, kunit, base, target, direction in KPIS:
            kpis.append(
                dict(
                    pilot_id=pid,
                    name=kname,
                    unit=kunit,
                    baseline=Decimal(base),
                    target=Decimal(target),
                    direction=direction,
                    created_at=now,
                    version=1,
                )
            )
        staff = dept_staff[did]
        for t, (ttitle, deliverable) in enumerate(TASKS):
            assignee = busy if t == 0 and pid % 4 == 0 else rng.choice(staff + [owner])
            status = rng.choices(("todo", "in_progress", "done", "cancelled"), (4, 3, 6, 1))[0]
            tasks.append(
                dict(
                    pilot_id=pid,
                    title=ttitle,
                    how="Theo kế hoạch được duyệt.",
                    assignee_id=assignee,
                    priority=rng.choice(("high", "normal", "normal", "low")),
                    due_date=start + timedelta(days=7 * (t + 1)),
                    deliverable=deliverable,
                    status=status,
                    completed_at=now if status == "done" else None,
                    created_at=now,
                    version=1,
                )
            )
        code = units[did - 1]["code"]
        history.append(_history(pid, owner, "create", now - timedelta(days=240), code))
        if stage != Stage.draft:
            history.append(_history(pid, owner, "transition", changed, code, stage))
        out.pilot_ids.append(pid)
    for model, rows in ((Pilot, pilots), (Kpi, kpis), (Task, tasks), (HistoryEntry, history)):
        _bulk(model, rows)
    db.session.commit()
    return out


PREVIOUS_STAGE = {
    Stage.proposed: Stage.draft,
    Stage.piloting: Stage.proposed,
    Stage.evaluating: Stage.piloting,
    Stage.selected: Stage.evaluating,
    Stage.rolling_out: Stage.selected,
    Stage.scaled: Stage.rolling_out,
    Stage.closed: Stage.piloting,
}


def _history(pilot_id, actor, action, at, unit_code, stage=None) -> dict:
    transition = action == "transition"
    return dict(
        pilot_id=pilot_id,
        object_type="pilot",
        object_id=pilot_id,
        action=action,
        actor_id=actor,
        at=at,
        comment="Chuyển giai đoạn theo kế hoạch năm." if transition else "",
        before={"stage": PREVIOUS_STAGE[stage]} if transition else {},
        after={"stage": stage} if transition else {"title": ""},
        unit_code=unit_code,
    )
