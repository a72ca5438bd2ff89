"""SVG charts made at build time, so they show without JavaScript and in print.

Every chart is an accessible image (``role="img"`` with a title and a text
description); all text from YAML goes through render.text.plain.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from markupsafe import Markup

from .text import plain

#: Fallback colours for readers of the SVG alone (the PDF, a feed); on the
#: site the stylesheet paints the chart classes in the page's palette.
BASELINE = "#8a8a8a"
RESULT = "#00796b"
TRACK = "#ececec"
MUTED = "#555555"

#: Every chart is drawn at this width (CSS lets it shrink, never grow): at
#: 14 px it reads 1:1 on a 390 px phone and at 11.4 px on a 320 px one.
WIDTH = 360
FONT = 14
#: Average width of a character, in ems, of the sans-serif fonts the charts
#: meet (DejaVu Sans is the widest): enough to wrap labels before they clip.
CHAR_EM = 0.6


def number_or_blank(value: float | None) -> str:
    """:func:`number_text`, or '' for no value (the templates' ``fmt``)."""
    return "" if value is None else number_text(value)


def number_text(value: float) -> str:
    """A number as the pages print it: 1,234 or 12.5 (at most two decimals)."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _svg(width: float, height: float, title: str, desc: str, body: Iterable[str], css_class: str, extra: str = "") -> Markup:
    chart_id = css_class.replace(" ", "-")
    return Markup(
        f'<svg class="ap-chart {css_class}" viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg" '
        f'font-family="sans-serif" font-size="{FONT}"{extra}>'
        f'<title id="{chart_id}-title">{plain(title)}</title><desc id="{chart_id}-desc">{plain(desc)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def wrap(text: str, width_px: float, font: float = FONT, max_lines: int | None = None) -> list[str]:
    """``text`` in lines that fit ``width_px`` at ``font`` px; with
    ``max_lines``, the last line ends in an ellipsis if the text goes on."""
    import textwrap

    per_line = max(4, int(width_px / (font * CHAR_EM)))
    lines = textwrap.wrap(text, per_line, break_long_words=True, break_on_hyphens=False) or [""]
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[: max_lines - 1] + [textwrap.shorten(" ".join(lines[max_lines - 1:]), per_line, placeholder="…")]
    return lines


def _lines(lines: Sequence[str], x: float, y: float, step: float, attrs: str = "") -> str:
    """A multi-line text: the first line's baseline at ``y``."""
    spans = "".join(f'<tspan x="{x:.1f}" y="{y + step * n:.1f}">{plain(line)}</tspan>' for n, line in enumerate(lines))
    return f"<text{attrs}>{spans}</text>"


def metrics_chart(metrics: Sequence[tuple[str, float | None, float, str]], title: str, labels: tuple[str, str]) -> Markup:
    """Baseline against result, one pair of bars per metric, each on its own
    scale. The indicator is written above its bars; each bar says what it is
    and its value in words ("Result: 3,400 people"), so colour is never the
    only carrier of meaning. ``metrics``: (indicator, baseline, result, unit).
    """
    line, plot = 18, WIDTH - 110
    parts: list[str] = []
    desc = []
    y = 4.0
    for indicator, baseline, result, unit in metrics:
        head = wrap(indicator, WIDTH, max_lines=3)
        parts.append(_lines(head, 0, y + 14, line, ' font-weight="bold"'))
        y += line * len(head) + 6
        top = max(abs(result), abs(baseline or 0)) or 1
        suffix = f" {unit}" if unit and unit != "%" else (unit or "")
        bars = [(value, f"{name}: {number_text(value)}{suffix}", css, colour, bar_h) for value, name, css, colour, bar_h in
                ((baseline, labels[0], "ap-bar-baseline", BASELINE, 12), (result, labels[1], "ap-bar-result", RESULT, 18)) if value is not None]
        # The longest value text decides how long the bars may be, so it fits.
        room = max(90.0, min(plot, WIDTH - 8 - max(len(text) * 13 * CHAR_EM for _, text, *_ in bars)))
        for value, text, css, colour, bar_h in bars:
            w = max(2.0, room * abs(value) / top)
            parts.append(f'<rect class="{css}" x="0" y="{y:.1f}" width="{w:.1f}" height="{bar_h}" fill="{colour}"/>')
            parts.append(f'<text x="{w + 6:.1f}" y="{y + bar_h / 2 + 5:.1f}" font-size="13">{plain(text)}</text>')
            y += bar_h + 6
        y += 14
        desc.append(f"{indicator}: " + (f"{number_text(baseline)} to " if baseline is not None else "") + f"{number_text(result)}{suffix}")
    return _svg(WIDTH, y - 8, title, "; ".join(desc), parts, "ap-metrics-chart")


def sector_chart(counts: Sequence[tuple[str, int]], title: str) -> Markup:
    """Partner mix: one bar per sector, its name above it and its count at its
    end; one series, so one colour."""
    plot = WIDTH - 40
    top = max((c for _, c in counts), default=1) or 1
    parts: list[str] = []
    y = 4.0
    for label, count in counts:
        parts.append(_lines(wrap(label, WIDTH, max_lines=2), 0, y + 14, 18))
        y += 18 * len(wrap(label, WIDTH, max_lines=2)) + 4
        w = max(2.0, plot * count / top)
        parts.append(f'<rect class="ap-bar-result" x="0" y="{y:.1f}" width="{w:.1f}" height="16" fill="{RESULT}"/>')
        parts.append(f'<text x="{w + 6:.1f}" y="{y + 13:.1f}" font-weight="bold">{count}</text>')
        y += 16 + 12
    desc = ", ".join(f"{label}: {count}" for label, count in counts)
    return _svg(WIDTH, y - 8, title, desc, parts, "ap-sector-chart")


def quadrant_chart(
    x_label: str, y_label: str, x_range: tuple[int, int], y_range: tuple[int, int],
    corners: dict[str, str], title: str, points: Sequence[tuple[str, float, float]] = (), empty: str = "",
) -> Markup:
    """The influence/interest grid; points are (label, x, y). The browser
    script redraws the points layer as the reader types (from the data-*
    geometry: x = pad + f * inner, y = pad / 2 + inner - f * inner)."""
    pad = 40
    inner = WIDTH - pad - 12
    size = pad / 2 + inner + pad
    mid_x, mid_y = pad + inner / 2, pad / 2 + inner / 2
    parts = [
        f'<rect class="ap-frame" x="{pad}" y="{pad / 2}" width="{inner}" height="{inner}" fill="#fff" stroke="{MUTED}"/>',
        f'<line class="ap-grid" x1="{mid_x}" y1="{pad / 2}" x2="{mid_x}" y2="{pad / 2 + inner}" stroke="#999" stroke-dasharray="4 3"/>',
        f'<line class="ap-grid" x1="{pad}" y1="{mid_y}" x2="{pad + inner}" y2="{mid_y}" stroke="#999" stroke-dasharray="4 3"/>',
    ]
    half = inner / 2 - 12
    corner_at = {"top_left": (pad + 6, pad / 2 + 18, "start", 1), "top_right": (pad + inner - 6, pad / 2 + 18, "end", 1),
                 "bottom_left": (pad + 6, pad / 2 + inner - 8, "start", -1), "bottom_right": (pad + inner - 6, pad / 2 + inner - 8, "end", -1)}
    for key, (x, y, anchor, direction) in corner_at.items():
        if corners.get(key):
            lines = wrap(corners[key], half, 13)
            first = y if direction > 0 else y - 16 * (len(lines) - 1)
            parts.append(_lines(lines, x, first, 16, f' class="ap-quadrant-label ap-chart-muted" text-anchor="{anchor}" fill="{MUTED}" font-size="13" font-style="italic"'))
    parts.append(f'<text x="{mid_x}" y="{size - 6}" text-anchor="middle" font-weight="bold">{plain(wrap(x_label, inner - 20, max_lines=1)[0])} →</text>')
    parts.append(f'<text x="14" y="{mid_y}" text-anchor="middle" font-weight="bold" transform="rotate(-90 14 {mid_y})">{plain(wrap(y_label, inner - 20, max_lines=1)[0])} →</text>')
    for lo_hi, axis in ((x_range, "x"), (y_range, "y")):
        for value in (lo_hi[0], lo_hi[1]):
            frac = (value - lo_hi[0]) / ((lo_hi[1] - lo_hi[0]) or 1)
            if axis == "x":
                parts.append(f'<text class="ap-chart-muted" x="{pad + frac * inner:.1f}" y="{pad / 2 + inner + 16}" text-anchor="middle" fill="{MUTED}" font-size="13">{value}</text>')
            else:
                parts.append(f'<text class="ap-chart-muted" x="{pad - 6}" y="{pad / 2 + inner - frac * inner + 5:.1f}" text-anchor="end" fill="{MUTED}" font-size="13">{value}</text>')
    dots = []
    for label, px, py in points:
        fx = (px - x_range[0]) / ((x_range[1] - x_range[0]) or 1)
        fy = (py - y_range[0]) / ((y_range[1] - y_range[0]) or 1)
        cx, cy = pad + fx * inner, pad / 2 + inner - fy * inner
        dots.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="6" fill="{RESULT}"/><text x="{cx + 9:.1f}" y="{cy + 4:.1f}">{plain(label)}</text>')
    if empty:
        # Said in the empty grid until a row has both ratings (the script hides it).
        parts.append(_lines(wrap(empty, inner - 40, 13), mid_x, mid_y - 4, 17, ' class="ap-chart-empty" text-anchor="middle" font-size="13" font-style="italic"'
                            + (' display="none"' if points else "")))
    parts.append('<g class="ap-points">' + "".join(dots) + "</g>")
    extra = (f' data-pad="{pad}" data-inner="{inner}" data-x-min="{x_range[0]}" data-x-max="{x_range[1]}"'
             f' data-y-min="{y_range[0]}" data-y-max="{y_range[1]}"')
    desc = f"{y_label} against {x_label}; " + (", ".join(f"{name}: {x}, {y}" for name, x, y in points) or "no rows yet")
    return _svg(WIDTH, size, title, desc, parts, "ap-quadrant-chart", extra)


def bars_chart(fields: Sequence[tuple[str, str, int, int, float | None]], title: str) -> Markup:
    """One bar per scale field of a form: (field id, label, min, max, value).
    The label is written above its bar (wrapped, never cut); the value at the
    bar's end."""
    plot = WIDTH - 48
    parts: list[str] = []
    y = 4.0
    for fid, label, lo, hi, value in fields:
        lines = wrap(label, WIDTH)
        parts.append(_lines(lines, 0, y + 14, 18))
        y += 18 * len(lines) + 4
        parts.append(f'<rect class="ap-track" x="0" y="{y:.1f}" width="{plot}" height="18" fill="{TRACK}" stroke="#ccc"/>')
        w = plot * ((value - lo) / ((hi - lo) or 1)) if value is not None else 0
        parts.append(f'<rect class="ap-bar" data-field="{plain(fid)}" data-min="{lo}" data-max="{hi}" x="0" y="{y:.1f}" width="{max(0.0, w):.1f}" height="18" fill="{RESULT}"/>')
        parts.append(f'<text class="ap-bar-value" data-field="{plain(fid)}" x="{plot + 8}" y="{y + 14:.1f}" font-weight="bold">{"" if value is None else number_text(value)}</text>')
        y += 18 + 14
    desc = ", ".join(f"{label}: {'not rated' if v is None else number_text(v)} of {hi}" for _, label, _, hi, v in fields)
    return _svg(WIDTH, y - 8, title, desc, parts, "ap-bars-chart", extra=f' data-plot="{plot}"')
