"""The metrics report as one self-contained HTML file: inline CSS and SVG, no scripts.

One section per dimension: a table of the period's figures (money in each row's locale) and
small line charts of each figure over the periods (one line per key), so the file can be mailed
or opened offline.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

from .data import currency_digits
from .metrics import MetricRow, MetricsResult, money_text

PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22", "#17becf")
MAX_LINES = 10
CSS = """
body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:24px;color:#222}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #ddd}
.meta{color:#555;margin:0 0 12px}table{border-collapse:collapse;margin:8px 0 16px}
th,td{padding:4px 10px;border-bottom:1px solid #eee;text-align:right;white-space:nowrap;
vertical-align:top}
th:first-child,td:first-child{text-align:left}th{background:#f5f5f7;font-weight:600}
.charts{display:flex;flex-wrap:wrap;gap:12px}.chart{border:1px solid #eee;padding:6px}
.chart h3{font-size:13px;margin:0 0 2px}.legend{font-size:12px;color:#333;margin:4px 0}
.legend span{display:inline-block;margin-right:12px}.sw{display:inline-block;width:10px;
height:10px;margin-right:4px;vertical-align:middle}.na{color:#999}
"""


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 100:.1f} %"


def _num(value: float | None, digits: int = 2) -> str:
    return "n/a" if value is None else f"{value:,.{digits}f}"


#: (title, value of a row, cell text)
FIGURES: tuple[tuple[str, Callable[[MetricRow], float | None], Callable[[float | None], str]],
               ...] = (
    ("Customer retention rate", lambda r: r.crr, _pct),
    ("Churn rate", lambda r: r.churn, _pct),
    ("Repeat purchase rate", lambda r: r.repeat_rate, _pct),
    ("Purchase frequency", lambda r: r.frequency, _num),
    ("NPS", lambda r: r.nps, lambda v: _num(v, 1)),
)


def render_report(result: MetricsResult, title: str = "Retention report") -> str:
    """The whole report as one HTML document."""
    current = result.current
    labels = [p.period.label for p in result.periods]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)} {html.escape(current.period.label)}</title>",
        f"<style>{CSS}</style></head><body>",
        f"<h1>{html.escape(title)}: {html.escape(current.period.label)}</h1>",
        f'<p class="meta">{current.period.start:%Y-%m-%d} to {current.period.last:%Y-%m-%d}, '
        f"compared with {html.escape(current.previous.label)}; gross margin "
        f"{result.margin:g}; inputs: {html.escape(result.report.summary() or 'none')}.</p>",
    ]
    for dimension in result.dimensions:
        rows = [r for r in current.rows if r.dimension == dimension]
        name = "All customers" if dimension == "none" else f"By {dimension}"
        parts.append(f"<h2>{html.escape(name)}</h2>")
        parts.append(_table(rows))
        if len(labels) > 1:
            parts.append(_charts(result, dimension, labels))
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _table(rows: Sequence[MetricRow]) -> str:
    head = ("key", "customers", "orders", "base S", "retained R", "CRR", "churn",
            "repeat rate", "frequency", "AOV", "CLV", "NPS")
    out = ["<table><thead><tr>", *(f"<th>{h}</th>" for h in head), "</tr></thead><tbody>"]
    for r in rows:
        cells = (
            r.key, f"{r.customers:,}", f"{r.orders:,}", f"{r.base:,}", f"{r.retained:,}",
            _pct(r.crr), _pct(r.churn), _pct(r.repeat_rate), _num(r.frequency),
            money_text(dict(r.aov), r.dimension, r.key), money_text(r.clv, r.dimension, r.key),
            _num(r.nps, 1),
        )
        out.append("<tr>" + "".join(
            f'<td{" class=na" if c == "n/a" else ""}>'
            f'{"<br>".join(html.escape(part) for part in c.split(" / "))}</td>'
            for c in cells
        ) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _charts(result: MetricsResult, dimension: str, labels: list[str]) -> str:
    keys: list[str] = []
    for period in result.periods:
        for r in period.rows:
            if r.dimension == dimension and r.key not in keys:
                keys.append(r.key)
    current_size = {r.key: r.customers for r in result.current.rows if r.dimension == dimension}
    keys = sorted(keys, key=lambda k: -current_size.get(k, 0))[:MAX_LINES]
    colors = {k: PALETTE[i % len(PALETTE)] for i, k in enumerate(keys)}
    series_sets: list[tuple[str, dict[str, list[float | None]], Callable[[float], str]]] = []
    for title, value, _ in FIGURES:
        series: dict[str, list[float | None]] = {}
        for key in keys:
            by_label = {
                p.period.label: next(
                    (value(r) for r in p.rows if r.dimension == dimension and r.key == key), None
                )
                for p in result.periods
            }
            series[key] = [by_label[label] for label in labels]
        percent = title.endswith("rate")
        scale = 100.0 if percent else 1.0
        series = {k: [None if v is None else v * scale for v in vs] for k, vs in series.items()}
        fmt: Callable[[float], str] = (
            (lambda v: f"{v:.1f} %") if percent else (lambda v: f"{v:,.2f}")
        )
        series_sets.append((title, series, fmt))
    currencies = sorted({c for p in result.periods for r in p.rows
                         if r.dimension == dimension for c in r.aov})
    for currency in currencies:
        series = {}
        for key in keys:
            found = {p.period.label: next((r.aov.get(currency) for r in p.rows
                                           if r.dimension == dimension and r.key == key), None)
                     for p in result.periods}
            if any(v is not None for v in found.values()):
                series[key] = [None if found[label] is None else float(found[label])  # type: ignore[arg-type]
                               for label in labels]
        digits = currency_digits(currency)
        series_sets.append((f"AOV ({currency})", series,
                            lambda v, digits=digits: f"{v:,.{digits}f}"))  # type: ignore[misc]
    legend = "".join(
        f'<span><i class="sw" style="background:{colors[k]}"></i>{html.escape(k)}</span>'
        for k in keys
    )
    charts = "".join(
        _line_chart(title, labels, series, colors, fmt) for title, series, fmt in series_sets
    )
    return f'<div class="legend">{legend}</div><div class="charts">{charts}</div>'


def _line_chart(
    title: str,
    labels: list[str],
    series: dict[str, list[float | None]],
    colors: dict[str, str],
    fmt: Callable[[float], str],
    width: int = 300,
    height: int = 170,
) -> str:
    values = [v for vs in series.values() for v in vs if v is not None]
    left, right, top, bottom = 52, 26, 10, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    low, high = (min(values), max(values)) if values else (0.0, 1.0)
    if low > 0 and low < high * 0.5:
        low = 0.0
    if high == low:
        high, low = high + 1, low - 1 if low else 0.0
    step = plot_w / max(len(labels) - 1, 1)

    def x(i: int) -> float:
        return left + i * step

    def y(v: float) -> float:
        return top + plot_h * (1 - (v - low) / (high - low))

    svg = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'role="img" aria-label="{html.escape(title)}">',
        f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="#fafafa"/>',
    ]
    for tick in (low, (low + high) / 2, high):
        svg.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y(tick):.1f}" '
                   f'y2="{y(tick):.1f}" stroke="#e3e3e3"/>')
        svg.append(f'<text x="{left - 4}" y="{y(tick) + 4:.1f}" font-size="10" '
                   f'text-anchor="end" fill="#555">{html.escape(fmt(tick))}</text>')
    every = max(1, (len(labels) + 5) // 6)  # at most about six labels under the axis
    for i, label in enumerate(labels):
        if i % every and i != len(labels) - 1:
            continue
        svg.append(f'<text x="{x(i):.1f}" y="{height - 10}" font-size="9" '
                   f'text-anchor="middle" fill="#555">{html.escape(label)}</text>')
    for key, vs in series.items():
        color = colors.get(key, "#333")
        points = [(x(i), y(v)) for i, v in enumerate(vs) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
            svg.append(f'<polyline fill="none" stroke="{color}" stroke-width="2" '
                       f'points="{path}"/>')
        for (px, py), v in zip(points, [v for v in vs if v is not None], strict=True):
            svg.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3" fill="{color}">'
                       f"<title>{html.escape(key)}: {html.escape(fmt(v))}</title></circle>")
    svg.append("</svg>")
    return f'<div class="chart"><h3>{html.escape(title)}</h3>{"".join(svg)}</div>'
