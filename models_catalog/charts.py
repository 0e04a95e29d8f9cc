"""The openness chart: catalogue models by release date (x) and openness (y), drawn as SVG here.

Server-side SVG needs no charting script and prints; every point is a link to its model, and
every point carries its own text (a <title> and a visible name) and a shape per openness band,
so neither colour nor the picture is the only way to read it. The template pairs it with a
data table for screen readers.
"""

import datetime
from dataclasses import dataclass, field

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from models_catalog.models import AIModel, Openness

WIDTH, HEIGHT = 760, 380
LEFT, RIGHT, TOP, BOTTOM = 118, 24, 16, 44
BAND_HEIGHT = (HEIGHT - TOP - BOTTOM) / 3
# Top to bottom: the most open first, as a reader scans down from "open" to "closed".
BANDS = [Openness.OPEN_SOURCE, Openness.OPEN_WEIGHTS, Openness.CLOSED]
# A shape per band, so a point's openness can be told without seeing colour.
SHAPES = {Openness.OPEN_SOURCE: "circle", Openness.OPEN_WEIGHTS: "square",
          Openness.CLOSED: "triangle"}
# Points in one band are spread over a few lanes so names close in time do not overprint.
LANES = (-0.36, 0.0, 0.36, -0.18, 0.18)


@dataclass
class Point:
    model: AIModel
    x: float
    y: float

    @property
    def shape(self):
        return SHAPES[self.model.openness]


@dataclass
class Chart:
    points: list[Point] = field(default_factory=list)
    undated: list[AIModel] = field(default_factory=list)
    start: datetime.date | None = None
    end: datetime.date | None = None
    svg: str = ""

    def __bool__(self):
        return bool(self.points or self.undated)


def band_centre(openness):
    return TOP + BAND_HEIGHT * (BANDS.index(openness) + 0.5)


def chart_models():
    """The one query the chart needs: every catalogue model, oldest first."""
    return AIModel.objects.only("name", "slug", "openness", "release_date").order_by(
        "release_date", "name"
    )


def openness_chart(models=None, title_id="openness-chart-title", desc_id="openness-chart-desc"):
    """Place `models` (default: the whole catalogue) and draw the SVG. Models without a release
    date cannot be placed on a time axis; they are returned in `undated` for the table."""
    models = list(chart_models() if models is None else models)
    dated = sorted((m for m in models if m.release_date and m.openness in SHAPES),
                   key=lambda m: (m.release_date, m.name))
    chart = Chart(undated=[m for m in models if not m.release_date])
    if dated:
        chart.start = datetime.date(dated[0].release_date.year, 1, 1)
        chart.end = datetime.date(dated[-1].release_date.year + 1, 1, 1)
        span = (chart.end - chart.start).days
        lane_counter = {band: 0 for band in BANDS}
        for model in dated:
            lane = LANES[lane_counter[model.openness] % len(LANES)]
            lane_counter[model.openness] += 1
            x = LEFT + (model.release_date - chart.start).days / span * (WIDTH - LEFT - RIGHT)
            y = band_centre(model.openness) + lane * BAND_HEIGHT
            chart.points.append(Point(model=model, x=round(x, 1), y=round(y, 1)))
    chart.svg = _draw(chart, title_id, desc_id)
    return chart


def _marker(point, size=6):
    x, y = point.x, point.y
    if point.shape == "circle":
        return format_html('<circle class="chart__marker" cx="{}" cy="{}" r="{}"/>', x, y, size)
    if point.shape == "square":
        return format_html(
            '<rect class="chart__marker" x="{}" y="{}" width="{}" height="{}"/>',
            round(x - size, 1), round(y - size, 1), size * 2, size * 2,
        )
    return format_html(
        '<polygon class="chart__marker" points="{},{} {},{} {},{}"/>',
        x, round(y - size - 1, 1), round(x - size - 1, 1), round(y + size, 1),
        round(x + size + 1, 1), round(y + size, 1),
    )


def _point(point):
    model = point.model
    label = f"{model.name}: {model.get_openness_display()}, released {model.release_date:%d %B %Y}"
    # Names near the right edge are drawn to the left of their point, so they stay in the frame.
    anchor_end = point.x > WIDTH - RIGHT - 110
    text_x = point.x - 10 if anchor_end else point.x + 10
    return format_html(
        '<a class="chart__point chart__point--{}" href="{}" aria-label="{}" data-slug="{}" '
        'data-openness="{}" data-x="{}" data-y="{}"><title>{}</title>{}'
        '<text x="{}" y="{}" text-anchor="{}">{}</text></a>',
        model.openness, model.get_absolute_url(), label, model.slug, model.openness,
        point.x, point.y, label, _marker(point),
        text_x, round(point.y + 4, 1), "end" if anchor_end else "start", model.name,
    )


def _axes(chart):
    parts = []
    for band in BANDS:
        top = TOP + BAND_HEIGHT * BANDS.index(band)
        parts.append(format_html(
            '<rect class="chart__band chart__band--{}" x="{}" y="{}" width="{}" height="{}"/>'
            '<text class="chart__band-label" x="8" y="{}">{}</text>',
            band, LEFT, round(top, 1), WIDTH - LEFT - RIGHT, round(BAND_HEIGHT, 1),
            round(top + BAND_HEIGHT / 2 + 4, 1), Openness(band).label,
        ))
    if chart.start:
        span = (chart.end - chart.start).days
        years = range(chart.start.year, chart.end.year + 1)
        step = max(1, len(years) // 8)
        for year in years[::step]:
            days = (datetime.date(year, 1, 1) - chart.start).days
            x = LEFT + days / span * (WIDTH - LEFT - RIGHT)
            parts.append(format_html(
                '<line class="chart__tick" x1="{x}" y1="{top}" x2="{x}" y2="{bottom}"/>'
                '<text class="chart__year" x="{x}" y="{label_y}" text-anchor="middle">'
                "{year}</text>",
                x=round(x, 1), top=TOP, bottom=HEIGHT - BOTTOM, label_y=HEIGHT - BOTTOM + 18,
                year=year,
            ))
    parts.append(format_html(
        '<text class="chart__axis-label" x="{}" y="{}" text-anchor="middle">Release date</text>',
        (LEFT + WIDTH - RIGHT) // 2, HEIGHT - 6,
    ))
    return mark_safe("".join(parts))  # noqa: S308 - each part built by format_html


def _draw(chart, title_id, desc_id):
    counts = {band: sum(1 for p in chart.points if p.model.openness == band) for band in BANDS}
    desc = (
        f"{len(chart.points)} models placed by release date"
        + (f" from {chart.start.year} to {chart.end.year - 1}" if chart.start else "")
        + ": "
        + ", ".join(f"{counts[b]} {Openness(b).label.lower()}" for b in BANDS)
        + ". Circles are open source, squares open weights, triangles closed."
        + (f" {len(chart.undated)} without a release date are listed in the table only."
           if chart.undated else "")
    )
    # role="group", not "img": an image role would hide the point links from screen readers.
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {} {}" role="group" '
        'aria-labelledby="{} {}"><title id="{}">AI models by release date and openness</title>'
        '<desc id="{}">{}</desc><g>{}{}</g></svg>',
        WIDTH, HEIGHT, title_id, desc_id, title_id, desc_id, desc, _axes(chart),
        format_html_join("", "{}", ((_point(p),) for p in chart.points)),
    )
