"""Charts drawn as SVG by the server: a bar chart and a scatter plot.

Written here rather than with a charting library because the review app's Content-Security-Policy
allows no inline script or style: the SVG uses presentation attributes only (``fill``, ``stroke``,
``font-size``), which the policy permits, and the same markup is embedded in the self-contained HTML
report. Plotting libraries that write SVG (pygal, matplotlib) add ``<style>`` blocks, scripts or
fonts, and these two shapes are a few dozen lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 56
BAR = "#2f6f4f"
POINT = "#1f4e79"


def _frame(title: str, body: list[str], chart_id: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(chart_id)}" role="img" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>" + "".join(body) + "</svg>"
    )


def _nice_max(value: float) -> float:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000, 2000, 5000, 10000):
        if value <= step * 5:
            return step * 5 if value > step * 4 else max(step * 4, value)
    return value


def _axis(maximum: float) -> list[str]:
    plot_h = HEIGHT - TOP - BOTTOM
    out = [f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_h}" stroke="#444"/>']
    for i in range(5):
        value = maximum * i / 4
        y = TOP + plot_h - plot_h * i / 4
        out.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#ddd"/>')
        out.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" fill="#333">{value:g}</text>'
        )
    return out


def bar_chart(title: str, items: Sequence[tuple[str, float]], chart_id: str) -> str:
    """One bar per (label, value); each bar carries ``data-label`` and ``data-value``."""
    maximum = _nice_max(max((v for _, v in items), default=1) or 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    body = _axis(maximum)
    step = plot_w / max(len(items), 1)
    for i, (label, value) in enumerate(items):
        h = plot_h * value / maximum
        x = LEFT + i * step + step * 0.15
        body.append(
            f'<rect class="bar" x="{x:.1f}" y="{TOP + plot_h - h:.1f}" width="{step * 0.7:.1f}" height="{h:.1f}" '
            f'fill="{BAR}" data-label="{escape(label)}" data-value="{value:g}"><title>{escape(label)}: {value:g}</title></rect>'
        )
        body.append(
            f'<text x="{x + step * 0.35:.1f}" y="{TOP + plot_h + 14}" text-anchor="end" font-size="10" fill="#333" '
            f'transform="rotate(-45 {x + step * 0.35:.1f} {TOP + plot_h + 14})">{escape(label)}</text>'
        )
    return _frame(title, body, chart_id)


def scatter_chart(title: str, points: Sequence[tuple[str, float, float]], chart_id: str) -> str:
    """One point per (label, x, y): x a year, y a per cent; each point carries its label and values."""
    if not points:
        return _frame(
            title,
            [f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle">ingen data</text>'],
            chart_id,
        )
    xs = [x for _, x, _ in points]
    lo, hi = min(xs) - 1, max(xs) + 1
    maximum = 100.0
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    body = _axis(maximum)
    for year in range(int(lo) + 1, int(hi)):
        x = LEFT + plot_w * (year - lo) / (hi - lo)
        body.append(
            f'<text x="{x:.1f}" y="{TOP + plot_h + 16}" text-anchor="middle" font-size="10" fill="#333">{year}</text>'
        )
    for label, xv, yv in points:
        x = LEFT + plot_w * (xv - lo) / (hi - lo)
        y = TOP + plot_h - plot_h * min(yv, maximum) / maximum
        body.append(
            f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{POINT}" fill-opacity="0.6" '
            f'data-label="{escape(label)}" data-x="{xv:g}" data-y="{yv:g}"><title>{escape(label)}: {yv:g} % i {xv:g}</title></circle>'
        )
    return _frame(title, body, chart_id)
