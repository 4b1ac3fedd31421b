"""Draw the « état des lieux » charts at build time as inline SVG, readable without JavaScript.

Geometry is computed here (typed, testable); the SVG itself comes from an autoescaped Jinja2
template, with a title and a description that screen readers announce (role="img").
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass

from markupsafe import Markup

from recueil.model import Chart, Figure
from recueil.templating import template

WIDTH = 640
MARGIN = 16
LABEL_CHARS = 72  # characters per label line at the chart's font size
LINE_HEIGHT = 18
BAR_HEIGHT = 22
VALUE_ROOM = 110  # room kept right of the longest bar for its value
COLUMN_WIDTH = 120
COLUMN_HEIGHT = 180
PERCENT = "%"

NARROW_NBSP = "\u202f"


def french_number(value: float) -> str:
    """14 → « 14 », 23.5 → « 23,5 », 35000 → « 35 000 » (narrow no-break spaces)."""
    if float(value).is_integer():
        grouped = f"{int(value):,}".replace(",", NARROW_NBSP)
        return grouped
    return f"{value:,}".replace(",", NARROW_NBSP).replace(".", ",")


def with_unit(figure: Figure) -> str:
    return f"{french_number(figure.valeur)}{NARROW_NBSP}{figure.unite}"


def scale_max(chart: Chart) -> float:
    """100 for percentages; otherwise the largest value rounded up to 1, 2, 2.5 or 5 × 10ⁿ."""
    if all(figure.unite == PERCENT for figure in chart.chiffres):
        return 100.0
    largest = max(figure.valeur for figure in chart.chiffres) or 1.0
    power = 10 ** math.floor(math.log10(largest))
    for step in (1, 2, 2.5, 5, 10):
        if largest <= step * power:
            return float(step * power)
    return float(10 * power)  # unreachable: 10 × 10ⁿ always covers `largest`


@dataclass(frozen=True, kw_only=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True, kw_only=True)
class Bar:
    label_lines: tuple[str, ...]
    label_y: float
    x: float
    y: float
    width: float
    height: float
    value: str
    value_x: float
    value_y: float
    emphasis: bool = True


@dataclass(frozen=True, kw_only=True)
class Drawing:
    chart: Chart
    width: int
    height: int
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    axis_y1: float
    axis_y2: float
    baseline_y: float = 0.0


def _horizontal_bars(chart: Chart) -> Drawing:
    top = MARGIN
    usable = WIDTH - 2 * MARGIN - VALUE_ROOM
    maximum = scale_max(chart)
    bars: list[Bar] = []
    y = top
    for figure in chart.chiffres:
        lines = tuple(textwrap.wrap(f"{figure.libelle} ({figure.annee})", LABEL_CHARS))
        label_y = y + LINE_HEIGHT - 4
        bar_y = y + LINE_HEIGHT * len(lines) + 4
        width = usable * figure.valeur / maximum
        bars.append(
            Bar(
                label_lines=lines,
                label_y=label_y,
                x=MARGIN,
                y=bar_y,
                width=round(width, 1),
                height=BAR_HEIGHT,
                value=with_unit(figure),
                value_x=round(MARGIN + width + 6, 1),
                value_y=bar_y + BAR_HEIGHT - 6,
            )
        )
        y = bar_y + BAR_HEIGHT + 14
    axis_bottom = y
    ticks = tuple(
        Tick(
            x=round(MARGIN + usable * fraction, 1),
            label=f"{french_number(maximum * fraction)}{NARROW_NBSP}{chart.chiffres[0].unite}",
        )
        for fraction in (0, 0.5, 1)
    )
    return Drawing(
        chart=chart,
        width=WIDTH,
        height=int(axis_bottom + LINE_HEIGHT + 8),
        bars=tuple(bars),
        ticks=ticks,
        axis_y1=top,
        axis_y2=axis_bottom,
    )


def _before_after(chart: Chart) -> Drawing:
    maximum = scale_max(chart)
    baseline = MARGIN + LINE_HEIGHT + COLUMN_HEIGHT
    bars: list[Bar] = []
    for position, figure in enumerate(chart.chiffres):
        height = COLUMN_HEIGHT * figure.valeur / maximum
        x = WIDTH / 2 + (-COLUMN_WIDTH - 40 if position == 0 else 40)
        bars.append(
            Bar(
                label_lines=tuple(textwrap.wrap(f"{figure.libelle} ({figure.annee})", 32)),
                label_y=baseline + LINE_HEIGHT + 2,
                x=x,
                y=round(baseline - height, 1),
                width=COLUMN_WIDTH,
                height=round(height, 1),
                value=with_unit(figure),
                value_x=x + COLUMN_WIDTH / 2,
                value_y=round(baseline - height - 6, 1),
                emphasis=position == 1,
            )
        )
    label_lines = max(len(bar.label_lines) for bar in bars)
    return Drawing(
        chart=chart,
        width=WIDTH,
        height=int(baseline + LINE_HEIGHT * (label_lines + 1)),
        bars=tuple(bars),
        ticks=(),
        axis_y1=MARGIN,
        axis_y2=baseline,
        baseline_y=baseline,
    )


def layout(chart: Chart) -> Drawing:
    return _before_after(chart) if chart.type == "avant-apres" else _horizontal_bars(chart)


def svg(chart: Chart) -> Markup:
    """The chart as one inline <svg role="img"> element, without blank lines (it sits in Markdown)."""
    rendered = template("site/graphique.svg.j2").render(d=layout(chart))
    return Markup("\n".join(line for line in rendered.splitlines() if line.strip()))
