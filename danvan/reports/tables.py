"""The report's tables and pre-filled narratives, built once from the figures and shared by the
DOCX, the XLSX annex, the PDF and the report page — so the four always show the same numbers."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from danvan.petitions.models import Petition
from danvan.plans.models import Task
from danvan.reception.models import Role
from danvan.reports.selectors import TASK_STATUSES

OUTCOME_STATUS = {
    "accept": Petition.Status.ACCEPTED,
    "transfer": Petition.Status.TRANSFERRED,
    "guide": Petition.Status.GUIDED,
    "file": Petition.Status.FILED,
}


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    widths_mm: list[float] | None = None
    captioned: bool = True  # False where the heading above already names the table


def choice_label(choices, value) -> str:
    """The label of `value` in `choices`, or the value itself when it is not one of them."""
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value or "—")


def _rate(value) -> str:
    return "—" if value is None else f"{value:.1f} %".replace(".", ",")


def status_label(status: str) -> str:
    return choice_label(Task.Status, status)


def petition_tables(figures: dict) -> list[Table]:
    p, h = figures["petitions"], figures["headline"]
    by_kind = Table(
        "by_kind",
        _("Petitions received by kind"),
        [_("Kind of petition"), _("Number of petitions")],
        [[choice_label(Petition.Kind, k), n] for k, n in p["by_kind"].items() if n]
        + [[_("Total"), h["received"]]],
        [110, 55],
    )
    by_channel = Table(
        "by_channel",
        _("Petitions received by channel"),
        [_("Channel"), _("Number of petitions")],
        [[choice_label(Petition.Channel, k), n] for k, n in sorted(p["by_channel"].items())],
        [110, 55],
    )
    results = Table(
        "results",
        _("Processing and resolution"),
        [_("Result"), _("Number of petitions")],
        [[choice_label(Petition.Status, OUTCOME_STATUS[a]), n] for a, n in p["outcomes"].items()]
        + [
            [_("Resolved on time"), h["on_time"]],
            [_("Resolved late"), h["late"]],
            [_("Open and overdue"), h["open_overdue"]],
            [_("On-time rate"), _rate(h["on_time_rate"])],
            [_("Mass petitions (people)"), f"{p['mass']['petitions']} ({p['mass']['people']})"],
        ],
        [110, 55],
    )
    by_agency = Table(
        "by_agency",
        _("Petitions by handling agency"),
        [_("Agency"), _("Received"), _("On time"), _("Late"), _("Overdue"), _("On-time rate")],
        [
            [
                r["name"],
                r["received"],
                r["on_time"],
                r["late"],
                r["open_overdue"],
                _rate(r["on_time_rate"]),
            ]
            for r in p["by_agency"]
        ],
        [60, 21, 21, 21, 21, 21],
    )
    hotspots = Table(
        "hotspots",
        _("Places with the most petitions"),
        [_("Commune / ward"), _("Kind"), _("Number of petitions")],
        [[r["unit"], choice_label(Petition.Kind, r["kind"]), r["count"]] for r in p["hotspots"]],
        [80, 50, 35],
    )
    return [by_kind, by_channel, results, by_agency, hotspots]


def reception_table(figures: dict) -> Table:
    return Table(
        "reception",
        _("Regular citizen reception by leaders"),
        [
            _("Agency"),
            _("Role"),
            _("Leaders"),
            _("Sessions"),
            _("Days"),
            _("Minimum"),
            _("Periods short"),
        ],
        [
            [
                r["agency"],
                choice_label(Role, r["role"]),
                ", ".join(r["leaders"]) or "—",
                r["sessions"],
                r["days"],
                r["required"],
                r["short_periods"],
            ]
            for r in figures["reception"]
        ],
        [38, 30, 32, 16, 14, 17, 18],
    )


def task_tables(figures: dict) -> list[Table]:
    t = figures["tasks"]
    status_headers = [status_label(s) for s in TASK_STATUSES]
    by_content = Table(
        "tasks_by_content",
        _("Plan tasks due in the period, by content"),
        [_("Content"), _("Tasks"), *status_headers],
        [
            [f"({r['number']}) {r['title']}", r["total"], *(r[s] for s in TASK_STATUSES)]
            for r in t["by_content"]
        ],
        [55, 15, 19, 19, 19, 19, 19],
    )
    by_agency = Table(
        "tasks_by_agency",
        _("Plan tasks due in the period, by lead agency"),
        [_("Lead agency"), _("Tasks"), *status_headers],
        [[r["name"], r["total"], *(r[s] for s in TASK_STATUSES)] for r in t["by_agency"]],
        [55, 15, 19, 19, 19, 19, 19],
    )
    return [by_content, by_agency]


def section_table(section: dict) -> Table:
    return Table(
        f"content_{section['number']}",
        f"({section['number']}) {section['title']}",
        [_("No."), _("Task"), _("Lead agency"), _("Deadline"), _("Status"), "%"],
        [
            [
                i,
                r["title"],
                r["lead_agency"],
                r["due_on"],
                status_label(r["status"]),
                r["percent"],
            ]
            for i, r in enumerate(section["tasks"], start=1)
        ],
        [10, 62, 35, 22, 25, 11],
        captioned=False,
    )


def all_tables(data: dict) -> list[Table]:
    """Every table of the report, in document order (the XLSX annex has one sheet each)."""
    return [
        *(section_table(s) for s in data.get("sections", [])),
        reception_table(data),
        *petition_tables(data),
        *task_tables(data),
    ]


# -- narratives pre-filled from the data ---------------------------------------------------------


def section_narrative(section: dict) -> str:
    c = section["counts"]
    return _(
        "In the period this content had %(total)s tasks due: %(on_time)s done on time, "
        "%(late)s done late, %(progress)s in progress, %(not_started)s not started and "
        "%(overdue)s overdue."
    ) % {
        "total": c["total"],
        "on_time": c["done_on_time"],
        "late": c["done_late"],
        "progress": c["in_progress"],
        "not_started": c["not_started"],
        "overdue": c["overdue"],
    }


def petitions_narrative(figures: dict) -> str:
    p, h = figures["petitions"], figures["headline"]
    kinds = p["by_kind"]
    return _(
        "In the period %(received)s petitions were received (%(complaints)s complaints, "
        "%(denunciations)s denunciations, %(recommendations)s recommendations and feedback). "
        "%(accepted)s were accepted for resolution, %(transferred)s transferred, %(guided)s "
        "answered with guidance and %(filed)s filed. %(on_time)s were resolved on time and "
        "%(late)s late; %(overdue)s open cases are overdue. Mass petitions: %(mass)s."
    ) % {
        "received": h["received"],
        "complaints": kinds.get("complaint", 0),
        "denunciations": kinds.get("denunciation", 0),
        "recommendations": kinds.get("recommendation", 0) + kinds.get("feedback", 0),
        "accepted": p["outcomes"]["accept"],
        "transferred": p["outcomes"]["transfer"],
        "guided": p["outcomes"]["guide"],
        "filed": p["outcomes"]["file"],
        "on_time": h["on_time"],
        "late": h["late"],
        "overdue": h["open_overdue"],
        "mass": p["mass"]["petitions"],
    }


def default_narratives(data: dict) -> dict[str, str]:
    narratives = {f"content_{s['number']}": section_narrative(s) for s in data["sections"]}
    narratives["petitions"] = petitions_narrative(data)
    narratives["assessment"] = _("Strengths: …\nShortcomings and their causes: …")
    narratives["next_period"] = _("Tasks for the next period: …")
    return narratives
