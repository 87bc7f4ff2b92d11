"""Bar charts as plain geometry for inline SVG: no JavaScript, no CDN, printable, and every bar
is a link to the records it counts. Pure Python."""

from dataclasses import dataclass

WIDTH = 420
TREND_WIDTH = 640
ROW = 26
LABEL_WIDTH = 170
BAR_MAX = WIDTH - LABEL_WIDTH - 60
TREND_HEIGHT = 180


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    url: str
    x: float = 0
    y: float = 0
    width: float = 0
    height: float = 0
    series: int = 0

    @property
    def label_x(self) -> float:
        return self.x - 8

    @property
    def value_x(self) -> float:
        return self.x + self.width + 6

    @property
    def text_y(self) -> float:
        return self.y + self.height / 2 + 5


def _scale(values: list[int], room: float) -> float:
    top = max(values, default=0)
    return room / top if top else 0.0


def horizontal(items: list[tuple[str, int, str]]) -> dict:
    """One bar per (label, value, url), longest for the largest value."""
    scale = _scale([v for _, v, _ in items], BAR_MAX)
    bars = [
        Bar(
            label,
            value,
            url,
            LABEL_WIDTH,
            i * ROW + 4,
            max(value * scale, 1 if value else 0),
            ROW - 8,
        )
        for i, (label, value, url) in enumerate(items)
    ]
    return {"bars": bars, "width": WIDTH, "height": max(len(bars), 1) * ROW}


def grouped(labels: list[str], series: list[list[tuple[int, str]]]) -> dict:
    """Vertical bars: for each label one bar per series, e.g. received and resolved per period."""
    values = [v for s in series for v, _ in s]
    scale = _scale(values, TREND_HEIGHT - 40)
    slot = TREND_WIDTH / max(len(labels), 1)
    bar_width = (slot - 16) / max(len(series), 1)
    bars = []
    for i, label in enumerate(labels):
        for k, points in enumerate(series):
            value, url = points[i]
            height = value * scale
            bars.append(
                Bar(
                    label,
                    value,
                    url,
                    i * slot + 8 + k * bar_width,
                    TREND_HEIGHT - 20 - height,
                    bar_width - 2,
                    height,
                    k,
                )
            )
    axis = [(label, i * slot + slot / 2) for i, label in enumerate(labels)]
    return {"bars": bars, "axis": axis, "width": TREND_WIDTH, "height": TREND_HEIGHT}
