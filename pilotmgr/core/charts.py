"""Small server-rendered SVG charts: no JavaScript, the same markup on pages and in PDFs."""

from __future__ import annotations

from decimal import Decimal
from html import escape


def kpi_chart(values: list[tuple], baseline, target, width: int = 220, height: int = 60) -> str:
    """A line of (date, value) points with dashed baseline and target lines."""
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

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="kpi-chart" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img">'
    ]
    for value, colour, label in ((baseline, "#6c757d", "baseline"), (target, "#198754", "target")):
        if value is not None:
            parts.append(
                f'<line x1="0" x2="{width}" y1="{y(float(value))}" y2="{y(float(value))}" '
                f'stroke="{colour}" stroke-dasharray="4 3" stroke-width="1"><title>{label}: '
                f"{escape(_fmt(value))}</title></line>"
            )
    if points:
        path = " ".join(f"{x(i)},{y(v)}" for i, (_d, v) in enumerate(points))
        parts.append(f'<polyline fill="none" stroke="#0d6efd" stroke-width="2" points="{path}"/>')
        for i, (d, v) in enumerate(points):
            parts.append(
                f'<circle cx="{x(i)}" cy="{y(v)}" r="2.5" fill="#0d6efd">'
                f"<title>{d.strftime('%d/%m/%Y')}: {escape(_fmt(v))}</title></circle>"
            )
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(
    rows: list[tuple],
    width: int = 420,
    bar: int = 18,
    top: float | None = None,
    font_family: str | None = None,
    suffix: str = "",
) -> str:
    """Horizontal bars (label, value[, link]) for the comparison page, the dashboard and memos.

    A third item in a row makes the bar a link (to the list behind the figure); `top` fixes
    the scale (100 for percentages), else the largest value fills the width. `font_family`
    names the font of the labels (a PDF must use only its embedded fonts).
    """
    top = top or max([r[1] for r in rows if r[1] is not None] + [1])
    height = len(rows) * (bar + 8) + 4
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bar-chart" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img"'
        + (f' font-family="{escape(font_family)}"' if font_family else "")
        + ">"
    ]
    for i, row in enumerate(rows):
        label, value = row[0], row[1]
        y = 4 + i * (bar + 8)
        length = 0 if value is None else round(min(value, top) / top * (width - 210), 1)
        item = (
            f'<text x="0" y="{y + bar - 5}" font-size="12">{escape(label[:24])}</text>'
            f'<rect x="160" y="{y}" width="{length}" height="{bar}" fill="#0d6efd" rx="2"/>'
            f'<text x="{164 + length}" y="{y + bar - 5}" font-size="12">'
            f"{'—' if value is None else escape(_fmt(value)) + suffix}</text>"
        )
        if len(row) > 2 and row[2]:
            item = f'<a href="{escape(row[2])}">{item}</a>'
        parts.append(item)
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

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="step-chart" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img">',
        f'<line x1="{left}" x2="{width - pad}" y1="{y(total)}" y2="{y(total)}" stroke="#198754" '
        f'stroke-dasharray="4 3" stroke-width="1"><title>{total}</title></line>',
        f'<text x="0" y="{y(total) + 4}" font-size="11">{total}</text>',
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
    """A thin bar filled to `percent` (rollout coverage), with the figure as its title."""
    percent = max(0, min(int(percent), 100))
    filled = round(width * percent / 100, 1)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="progress-chart" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img">'
        f"<title>{percent}%</title>"
        f'<rect width="{width}" height="{height}" fill="#e9ecef" rx="3"/>'
        f'<rect width="{filled}" height="{height}" fill="#198754" rx="3"/></svg>'
    )


def _fmt(value) -> str:
    value = Decimal(str(value)).normalize()
    return f"{value:f}".rstrip("0").rstrip(".") if "." in f"{value:f}" else f"{value:f}"
