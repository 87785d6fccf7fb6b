"""Small server-rendered SVG charts: no JavaScript, the same markup on pages and in PDFs.

Every chart is an image with an accessible name (`role="img"`, `aria-label` and a `<title>`
first child) that says what the bars or points show, in the reader's language; numbers and
dates are written the reader's way ("12,5", "31/12/2026"), like the tables beside them. The
markup stays well-formed XML: the memo PDFs parse it as such.
"""

from __future__ import annotations

from html import escape

from flask_babel import lazy_gettext as _l

from pilotmgr.core.formats import format_number, format_percent

#: Characters of a bar label per line (12 px text in the 160 px label column), and lines.
LABEL_CHARS, LABEL_LINES = 24, 2
LINE_HEIGHT = 14


def _svg_open(
    css_class: str, width: int, height: int, name: str, extra: str = "", role: str = "img"
) -> str:
    """An image, or a named group when it holds links (an image's content is not reachable)."""
    name = escape(name)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="{role}" aria-label="{name}"'
        f"{extra}><title>{name}</title>"
    )


def kpi_chart(
    values: list[tuple],
    baseline,
    target,
    width: int = 220,
    height: int = 60,
    name: str = "",
) -> str:
    """A line of (date, value) points with dashed baseline and target lines.

    `name` (the KPI's) starts the chart's accessible name, which lists every figure drawn.
    """
    points = [(d, float(v)) for d, v in values]
    levels = [float(x) for x in (baseline, target) if x is not None]
    all_values = [v for _d, v in points] + levels
    if not all_values:
        return ""
    low, high = min(all_values), max(all_values)
    if high == low:
        high, low = high + 1, low - 1
    pad = 6

    def y(value: float) -> float:
        return round(height - pad - (value - low) / (high - low) * (height - 2 * pad), 1)

    def x(i: int) -> float:
        if len(points) < 2:
            return width / 2
        return round(pad + i * (width - 2 * pad) / (len(points) - 1), 1)

    shown = "; ".join(f"{d.strftime('%d/%m/%Y')}: {format_number(v)}" for d, v in values)
    summary = str(
        _l(
            "%(name)s: baseline %(baseline)s, target %(target)s; approved values: %(values)s.",
            name=name or _l("KPI"),
            baseline=format_number(baseline),
            target=format_number(target),
            values=shown or _l("none yet"),
        )
    )
    parts = [_svg_open("kpi-chart", width, height, summary)]
    for value, colour, label in (
        (baseline, "#6c757d", _l("Baseline")),
        (target, "#198754", _l("Target")),
    ):
        if value is not None:
            parts.append(
                f'<line x1="0" x2="{width}" y1="{y(float(value))}" y2="{y(float(value))}" '
                f'stroke="{colour}" stroke-dasharray="4 3" stroke-width="1"><title>'
                f"{escape(str(label))}: {escape(format_number(value))}</title></line>"
            )
    if points:
        path = " ".join(f"{x(i)},{y(v)}" for i, (_d, v) in enumerate(points))
        parts.append(f'<polyline fill="none" stroke="#0d6efd" stroke-width="2" points="{path}"/>')
        for i, ((d, raw), (_d, v)) in enumerate(zip(values, points, strict=True)):
            parts.append(
                f'<circle cx="{x(i)}" cy="{y(v)}" r="2.5" fill="#0d6efd">'
                f"<title>{d.strftime('%d/%m/%Y')}: {escape(format_number(raw))}</title></circle>"
            )
    parts.append("</svg>")
    return "".join(parts)


def label_lines(label: str, per_line: int = LABEL_CHARS, lines: int = LABEL_LINES) -> list[str]:
    """A bar label in at most `lines` lines, broken between words; a longer one ends in "…"."""
    words = [w if len(w) <= per_line else w[: per_line - 1] + "…" for w in label.split()]
    found: list[str] = []
    for word in words:
        if found and len(f"{found[-1]} {word}") <= per_line:
            found[-1] = f"{found[-1]} {word}"
        else:
            found.append(word)
    if len(found) <= lines:
        return found or [""]
    kept = found[:lines]
    last = kept[-1]
    while len(last) + 1 > per_line:
        last = last.rsplit(" ", 1)[0] if " " in last else last[: per_line - 1]
    kept[-1] = last.rstrip(" ,.;:–-") + "…"
    return kept


def _figure(value, suffix: str) -> str:
    if value is None:
        return "—"
    if suffix.strip() == "%":
        return format_percent(value)
    return format_number(value) + suffix


def bar_chart(
    rows: list[tuple],
    width: int = 420,
    bar: int = 18,
    top: float | None = None,
    font_family: str | None = None,
    suffix: str = "",
    name: str = "",
) -> str:
    """Horizontal bars (label, value[, link]) for the comparison page, the dashboard and memos.

    A third item in a row makes the bar a link (to the list behind the figure); `top` fixes
    the scale (100 for percentages), else the largest value fills the width. `font_family`
    names the font of the labels (a PDF must use only its embedded fonts). `suffix` "%" shows
    the figures as percentages ("12,5 %"). Labels wrap between words on up to two lines, a
    longer one is shortened on a word with the full text in its `<title>`. `name` says what
    the bars measure; the accessible name adds every label with its figure.
    """
    top = top or max([r[1] for r in rows if r[1] is not None] + [1])
    labels = [label_lines(str(r[0])) for r in rows]
    heights = [max(bar, len(lines) * LINE_HEIGHT) for lines in labels]
    height = sum(h + 8 for h in heights) + 4
    listing = "; ".join(f"{r[0]}: {_figure(r[1], suffix)}" for r in rows)
    summary = f"{name}. {listing}" if name else listing
    extra = f' font-family="{escape(font_family)}"' if font_family else ""
    linked = any(len(r) > 2 and r[2] for r in rows)
    role = "group" if linked else "img"
    parts = [_svg_open("bar-chart", width, height, summary, extra, role)]
    y = 4
    for row, lines, row_height in zip(rows, labels, heights, strict=True):
        label, value = str(row[0]), row[1]
        length = 0 if value is None else round(min(value, top) / top * (width - 210), 1)
        text_top = y + (row_height - len(lines) * LINE_HEIGHT) / 2
        bar_top = y + (row_height - bar) / 2
        figure = _figure(value, suffix)
        texts = "".join(
            f'<text x="0" y="{round(text_top + (n + 1) * LINE_HEIGHT - 3, 1)}" font-size="12">'
            f"{escape(line)}</text>"
            for n, line in enumerate(lines)
        )
        item = (
            f"<g><title>{escape(label)}: {escape(figure)}</title>{texts}"
            f'<rect x="160" y="{bar_top}" width="{length}" height="{bar}" fill="#0d6efd" rx="2"/>'
            f'<text x="{164 + length}" y="{bar_top + bar - 5}" font-size="12">'
            f"{escape(figure)}</text></g>"
        )
        if len(row) > 2 and row[2]:
            item = (
                f'<a href="{escape(row[2])}" aria-label="{escape(label)}: {escape(figure)}">'
                f"{item}</a>"
            )
        parts.append(item)
        y += row_height + 8
    parts.append("</svg>")
    return "".join(parts)


def step_chart(
    points: list[tuple], total: int, until=None, width: int = 480, height: int = 140
) -> str:
    """A cumulative count over time as steps, (date, count) points, with the total dashed above.

    Used for rollout progress: how many targets were done by each day, out of `total`.
    """
    if not points or total <= 0:
        return ""
    pad, left = 8, 34
    first = points[0][0]
    last = max(until or points[-1][0], points[-1][0])
    span = max((last - first).days, 1)

    def x(day) -> float:
        return round(left + (day - first).days / span * (width - left - pad), 1)

    def y(value: float) -> float:
        return round(height - pad - 14 - value / total * (height - 2 * pad - 14), 1)

    summary = str(
        _l(
            "Targets done over time, out of %(total)s: %(points)s.",
            total=format_number(total),
            points="; ".join(
                f"{day.strftime('%d/%m/%Y')}: {format_number(value)}" for day, value in points
            ),
        )
    )
    parts = [
        _svg_open("step-chart", width, height, summary),
        f'<line x1="{left}" x2="{width - pad}" y1="{y(total)}" y2="{y(total)}" stroke="#198754" '
        f'stroke-dasharray="4 3" stroke-width="1"><title>{total}</title></line>',
        f'<text x="0" y="{y(total) + 4}" font-size="11">{format_number(total)}</text>',
        f'<text x="0" y="{y(0) + 4}" font-size="11">0</text>',
    ]
    steps = [f"{x(first)},{y(0)}"]
    previous = 0
    for day, value in points:
        steps.append(f"{x(day)},{y(previous)}")
        steps.append(f"{x(day)},{y(value)}")
        previous = value
    steps.append(f"{x(last)},{y(previous)}")
    parts.append(
        f'<polyline fill="none" stroke="#0d6efd" stroke-width="2" points="{" ".join(steps)}"/>'
    )
    for day, value in points:
        parts.append(
            f'<circle cx="{x(day)}" cy="{y(value)}" r="2.5" fill="#0d6efd">'
            f"<title>{day.strftime('%d/%m/%Y')}: {value}/{total}</title></circle>"
        )
    parts.append(
        f'<text x="{left}" y="{height - 2}" font-size="11">{first.strftime("%d/%m/%Y")}</text>'
        f'<text x="{width - pad}" y="{height - 2}" font-size="11" text-anchor="end">'
        f"{last.strftime('%d/%m/%Y')}</text>"
    )
    parts.append("</svg>")
    return "".join(parts)


def progress_bar(percent: int, width: int = 160, height: int = 12) -> str:
    """A thin bar filled to `percent` (rollout coverage), with the figure as its name."""
    percent = max(0, min(int(percent), 100))
    filled = round(width * percent / 100, 1)
    name = str(_l("Coverage %(percent)s", percent=format_percent(percent)))
    return (
        _svg_open("progress-chart", width, height, name)
        + f'<rect width="{width}" height="{height}" fill="#e9ecef" rx="3"/>'
        f'<rect width="{filled}" height="{height}" fill="#198754" rx="3"/></svg>'
    )
