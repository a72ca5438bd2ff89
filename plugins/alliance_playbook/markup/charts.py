"""SVG charts made at build time, so they show without JavaScript and in print.

Every chart is an accessible image (``role="img"`` with a title and a text
description); all text from YAML goes through render.text.plain.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from markupsafe import Markup

from .text import plain

BASELINE = "#9e9e9e"
RESULT = "#1f6f8b"
SECTOR_COLOURS = ["#1f6f8b", "#e07a1f", "#3f8f3f", "#8e44ad", "#c0392b", "#7f6a00", "#5d6d7e"]


def number_text(value: float) -> str:
    """A number as the pages print it: 1,234 or 12.5 (at most two decimals)."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _svg(width: int, height: int, title: str, desc: str, body: Iterable[str], css_class: str, extra: str = "") -> Markup:
    chart_id = css_class.replace(" ", "-")
    return Markup(
        f'<svg class="ap-chart {css_class}" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg" '
        f'font-family="sans-serif" font-size="12"{extra}>'
        f'<title id="{chart_id}-title">{plain(title)}</title><desc id="{chart_id}-desc">{plain(desc)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def metrics_chart(metrics: Sequence[tuple[str, float | None, float, str]], title: str, labels: tuple[str, str]) -> Markup:
    """Baseline against result, one pair of bars per metric, each on its own scale.

    ``metrics``: (indicator, baseline, result, unit).
    """
    row_h, bar_h, left, width = 58, 16, 8, 640
    plot_w = width - left - 150
    height = 34 + row_h * len(metrics)
    parts = [
        f'<rect x="{left}" y="6" width="12" height="12" fill="{BASELINE}"/><text x="{left + 18}" y="16">{plain(labels[0])}</text>',
        f'<rect x="{left + 120}" y="6" width="12" height="12" fill="{RESULT}"/><text x="{left + 138}" y="16">{plain(labels[1])}</text>',
    ]
    desc = []
    for i, (indicator, baseline, result, unit) in enumerate(metrics):
        y = 34 + i * row_h
        top = max(abs(result), abs(baseline or 0)) or 1
        suffix = f" {unit}" if unit and unit != "%" else (unit or "")
        parts.append(f'<text x="{left}" y="{y + 10}" font-weight="bold">{plain(indicator)}</text>')
        for j, (value, colour) in enumerate(((baseline, BASELINE), (result, RESULT))):
            if value is None:
                continue
            w = max(1.0, plot_w * abs(value) / top)
            by = y + 16 + j * (bar_h + 2)
            parts.append(f'<rect x="{left}" y="{by}" width="{w:.1f}" height="{bar_h}" fill="{colour}"/>')
            parts.append(f'<text x="{left + w + 6:.1f}" y="{by + 12}">{plain(number_text(value) + suffix)}</text>')
        desc.append(f"{indicator}: " + (f"{number_text(baseline)} to " if baseline is not None else "") + f"{number_text(result)}{suffix}")
    return _svg(width, height, title, "; ".join(desc), parts, "ap-metrics-chart")


def sector_chart(counts: Sequence[tuple[str, int]], title: str) -> Markup:
    """Partner mix: one horizontal bar per sector, with its count."""
    row_h, left, width = 26, 170, 520
    top = max((c for _, c in counts), default=1)
    parts = []
    for i, (label, count) in enumerate(counts):
        y = 8 + i * row_h
        w = (width - left - 40) * count / top
        colour = SECTOR_COLOURS[i % len(SECTOR_COLOURS)]
        parts.append(f'<text x="{left - 8}" y="{y + 14}" text-anchor="end">{plain(label)}</text>')
        parts.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="18" fill="{colour}"/>')
        parts.append(f'<text x="{left + w + 6:.1f}" y="{y + 14}">{count}</text>')
    desc = ", ".join(f"{label}: {count}" for label, count in counts)
    return _svg(width, 16 + row_h * len(counts), title, desc, parts, "ap-sector-chart")


def quadrant_chart(
    x_label: str, y_label: str, x_range: tuple[int, int], y_range: tuple[int, int],
    corners: dict[str, str], title: str, points: Sequence[tuple[str, float, float]] = (),
) -> Markup:
    """The influence/interest grid; points are (label, x, y). The browser
    script redraws the points layer as the reader types."""
    size, pad = 420, 46
    inner = size - 2 * pad
    mid = pad + inner / 2
    parts = [
        f'<rect x="{pad}" y="{pad / 2}" width="{inner}" height="{inner}" fill="#fff" stroke="#555"/>',
        f'<line x1="{mid}" y1="{pad / 2}" x2="{mid}" y2="{pad / 2 + inner}" stroke="#999" stroke-dasharray="4 3"/>',
        f'<line x1="{pad}" y1="{pad / 2 + inner / 2}" x2="{pad + inner}" y2="{pad / 2 + inner / 2}" stroke="#999" stroke-dasharray="4 3"/>',
    ]
    q = {"top_left": (pad + 6, pad / 2 + 16, "start"), "top_right": (pad + inner - 6, pad / 2 + 16, "end"),
         "bottom_left": (pad + 6, pad / 2 + inner - 8, "start"), "bottom_right": (pad + inner - 6, pad / 2 + inner - 8, "end")}
    for key, (x, y, anchor) in q.items():
        if corners.get(key):
            parts.append(f'<text class="ap-quadrant-label" x="{x}" y="{y}" text-anchor="{anchor}" fill="#555" font-style="italic">{plain(corners[key])}</text>')
    parts.append(f'<text x="{mid}" y="{size - 8}" text-anchor="middle" font-weight="bold">{plain(x_label)} →</text>')
    parts.append(f'<text x="14" y="{pad / 2 + inner / 2}" text-anchor="middle" font-weight="bold" transform="rotate(-90 14 {pad / 2 + inner / 2})">{plain(y_label)} →</text>')
    for lo_hi, axis in ((x_range, "x"), (y_range, "y")):
        for value in (lo_hi[0], lo_hi[1]):
            frac = (value - lo_hi[0]) / ((lo_hi[1] - lo_hi[0]) or 1)
            if axis == "x":
                parts.append(f'<text x="{pad + frac * inner:.1f}" y="{pad / 2 + inner + 14}" text-anchor="middle" fill="#555">{value}</text>')
            else:
                parts.append(f'<text x="{pad - 6}" y="{pad / 2 + inner - frac * inner + 4:.1f}" text-anchor="end" fill="#555">{value}</text>')
    dots = []
    for label, px, py in points:
        fx = (px - x_range[0]) / ((x_range[1] - x_range[0]) or 1)
        fy = (py - y_range[0]) / ((y_range[1] - y_range[0]) or 1)
        cx, cy = pad + fx * inner, pad / 2 + inner - fy * inner
        dots.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="6" fill="{RESULT}"/><text x="{cx + 9:.1f}" y="{cy + 4:.1f}">{plain(label)}</text>')
    parts.append('<g class="ap-points">' + "".join(dots) + "</g>")
    extra = (f' data-pad="{pad}" data-inner="{inner}" data-x-min="{x_range[0]}" data-x-max="{x_range[1]}"'
             f' data-y-min="{y_range[0]}" data-y-max="{y_range[1]}"')
    desc = f"{y_label} against {x_label}; " + (", ".join(f"{name}: {x}, {y}" for name, x, y in points) or "no rows yet")
    return _svg(size, size, title, desc, parts, "ap-quadrant-chart", extra)


def _wrap(text: str, width: int, max_lines: int = 2) -> list[str]:
    """Split a label into at most ``max_lines`` lines of about ``width`` characters."""
    import textwrap

    lines = textwrap.wrap(text, width) or [""]
    if len(lines) > max_lines:
        lines = lines[: max_lines - 1] + [textwrap.shorten(" ".join(lines[max_lines - 1:]), width, placeholder="…")]
    return lines


def bars_chart(fields: Sequence[tuple[str, str, int, int, float | None]], title: str) -> Markup:
    """One bar per scale field of a form: (field id, label, min, max, value)."""
    # The label column grows with the longest label (about 6.5 px a character
    # at 12 px), up to a limit; longer labels wrap onto two lines.
    longest = max((len(label) for _, label, *_ in fields), default=10)
    per_line = 46
    left = int(min(per_line, max(12, longest)) * 6.5) + 16
    row_h, plot = 34, 340
    width = left + plot + 40
    parts = []
    for i, (fid, label, lo, hi, value) in enumerate(fields):
        y = 8 + i * row_h
        lines = _wrap(label, per_line)
        first_y = y + 15 - (6 if len(lines) > 1 else 0)
        tspans = "".join(f'<tspan x="{left - 8}" y="{first_y + 12 * n}">{plain(line)}</tspan>' for n, line in enumerate(lines))
        parts.append(f'<text text-anchor="end">{tspans}</text>')
        parts.append(f'<rect x="{left}" y="{y}" width="{plot}" height="20" fill="#f1f1f1" stroke="#ccc"/>')
        w = plot * ((value - lo) / ((hi - lo) or 1)) if value is not None else 0
        parts.append(f'<rect class="ap-bar" data-field="{plain(fid)}" data-min="{lo}" data-max="{hi}" x="{left}" y="{y}" width="{max(0.0, w):.1f}" height="20" fill="{RESULT}"/>')
        parts.append(f'<text class="ap-bar-value" data-field="{plain(fid)}" x="{left + plot + 6}" y="{y + 15}">{"" if value is None else number_text(value)}</text>')
    desc = ", ".join(f"{label}: {'not rated' if v is None else number_text(v)} of {hi}" for _, label, _, hi, v in fields)
    return _svg(width, 16 + row_h * len(fields), title, desc, parts, "ap-bars-chart", extra=f' data-plot="{plot}"')
