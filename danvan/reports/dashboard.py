"""The dashboard's view model: the figures with, for each number, the link to its records."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from danvan.petitions.models import Petition
from danvan.reception.models import Role
from danvan.reports import charts
from danvan.reports.periods import Period
from danvan.reports.selectors import TASK_STATUSES
from danvan.reports.tables import OUTCOME_STATUS, choice_label, status_label

HEADLINE = (
    # key, label, metric, bucket, higher is better
    ("received", _lazy("Petitions received"), "received", "", None),
    ("on_time", _lazy("Resolved on time"), "on_time", "", True),
    ("late", _lazy("Resolved late"), "late", "", False),
    ("open_overdue", _lazy("Open and overdue"), "open_overdue", "", False),
    ("mass", _lazy("Mass petitions"), "mass", "", None),
    ("tasks_due", _lazy("Plan tasks due"), "tasks", "", None),
    ("tasks_done", _lazy("Tasks done"), "tasks", "status:done", True),
    ("tasks_overdue", _lazy("Tasks overdue"), "tasks", "status:overdue", False),
)


# Long tables on the page (a province has hundreds of agencies) show the first rows; the report
# documents and the exports have them all.
ROWS_SHOWN = 50


class Links:
    """Builds drill-down URLs for one period and agency filter."""

    def __init__(self, period: Period, agency_id: int | None):
        self.base = period.as_params()
        if agency_id:
            self.base["agency"] = str(agency_id)

    def records(self, metric: str, by: str = "", value="") -> str:
        params = {**self.base, "metric": metric}
        if by:
            params.update(by=by, value=str(value))
        return f"{reverse('reports:records')}?{urlencode(params)}"

    def dashboard(self, period: Period) -> str:
        params = {**period.as_params()}
        if "agency" in self.base:
            params["agency"] = self.base["agency"]
        return f"{reverse('reports:dashboard')}?{urlencode(params)}"


def _tile(key, label, metric, bucket, better, now: dict, before: dict, links: Links) -> dict:
    value, old = now[key], before[key]
    by, _sep, bucket_value = bucket.partition(":")
    url = links.records(metric, by, bucket_value)
    delta = value - old
    trend = ""
    if better is not None and delta:
        trend = "good" if (delta > 0) == better else "bad"
    return {"label": str(label), "value": value, "previous": old, "delta": delta}, url, trend


def build(figures: dict, period: Period, previous: Period, agency_id: int | None) -> dict:
    links = Links(period, agency_id)
    now, before = figures["headline"], figures["previous"]
    tiles = []
    for key, label, metric, bucket, better in HEADLINE:
        tile, url, trend = _tile(key, label, metric, bucket, better, now, before, links)
        tiles.append({**tile, "url": url, "trend": trend})
    p = figures["petitions"]
    kinds = [
        (choice_label(Petition.Kind, k), n, links.records("received", "kind", k))
        for k, n in p["by_kind"].items()
        if n
    ]
    channels = [
        (choice_label(Petition.Channel, k), n, links.records("received", "channel", k))
        for k, n in sorted(p["by_channel"].items(), key=lambda kv: -kv[1])
    ]
    units = [
        (
            u["name"] or _("No commune given"),
            u["count"],
            links.records("received", "unit", u["id"] or "none"),
        )
        for u in p["by_unit"]
    ]
    outcomes = [
        (choice_label(Petition.Status, OUTCOME_STATUS[a]), n, links.records("outcome", "action", a))
        for a, n in p["outcomes"].items()
    ]
    trend = figures["trend"]
    trend_periods = [Period.from_dict(t["period"]) for t in trend]
    trend_chart = charts.grouped(
        [tp.range_label().split(" – ")[1][:5] for tp in trend_periods],
        [
            [
                (t["received"], links.dashboard(tp))
                for t, tp in zip(trend, trend_periods, strict=True)
            ],
            [
                (t["resolved"], links.dashboard(tp))
                for t, tp in zip(trend, trend_periods, strict=True)
            ],
        ],
    )
    return {
        "tiles": tiles,
        "previous_url": links.dashboard(previous),
        "kind_chart": charts.horizontal(kinds),
        "channel_chart": charts.horizontal(channels),
        "unit_chart": charts.horizontal(units),
        "outcome_chart": charts.horizontal(outcomes),
        "trend_chart": trend_chart,
        "trend_rows": [
            {"label": tp.range_label(), "received": t["received"], "resolved": t["resolved"]}
            | {"url": links.dashboard(tp)}
            for t, tp in zip(trend, trend_periods, strict=True)
        ],
        "agencies_total": len(p["by_agency"]),
        "reception_total": len(figures["reception"]),
        "agencies": [
            {
                **r,
                "urls": {
                    "received": links.records("received", "agency", r["id"]),
                    "on_time": links.records("on_time", "agency", r["id"]),
                    "late": links.records("late", "agency", r["id"]),
                    "open_overdue": links.records("open_overdue", "agency", r["id"]),
                },
            }
            for r in p["by_agency"][:ROWS_SHOWN]
        ],
        "hotspots": [
            {
                **h,
                "kind_label": choice_label(Petition.Kind, h["kind"]),
                "url": links.records("received", "unit,kind", f"{h['unit_id']},{h['kind']}"),
            }
            for h in p["hotspots"]
        ],
        "mass": p["mass"],
        "mass_url": links.records("mass"),
        "task_statuses": [
            {
                "label": status_label(s),
                "value": figures["tasks"]["by_status"][s],
                "url": links.records("tasks", "status", s),
            }
            for s in TASK_STATUSES
        ],
        "task_contents": [
            {
                **c,
                "cells": [
                    (c[s], links.records("tasks", "content,status", f"{c['id']},{s}"))
                    for s in TASK_STATUSES
                ],
                "url": links.records("tasks", "content", c["id"]),
            }
            for c in figures["tasks"]["by_content"]
        ],
        "task_agencies": [
            {
                **a,
                "cells": [a[s] for s in TASK_STATUSES],
                "url": links.records("tasks", "agency", a["id"]),
            }
            for a in figures["tasks"]["by_agency"]
        ],
        "task_headers": [status_label(s) for s in TASK_STATUSES],
        "reception": [
            {
                **r,
                "role_label": choice_label(Role, r["role"]),
                "url": links.records("reception", "agency", r["agency_id"]),
            }
            for r in sorted(figures["reception"], key=lambda r: (-r["short_periods"], r["agency"]))[
                :ROWS_SHOWN
            ]
        ],
    }
