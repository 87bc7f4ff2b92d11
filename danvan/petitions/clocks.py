"""A case's statutory clocks, each from the LegalRule in force on the day it starts counting."""

import datetime as dt

from danvan.core.selectors import due_date
from danvan.petitions import workflow as wf
from danvan.petitions.models import Deadline, Petition

RESOLVE_RULES = {
    (wf.COMPLAINT, 1): "complaint.resolve.first",
    (wf.COMPLAINT, 2): "complaint.resolve.second",
    (wf.DENUNCIATION, 1): "denunciation.resolve",
}


def start_clock(
    petition: Petition, kind: str, rule_code: str, start: dt.date, *, extensions: int = 0
) -> Deadline:
    """Create or recompute the deadline `kind` of `petition` (the row is unique per kind)."""
    due = due_date(
        rule_code,
        start,
        complex_case=petition.is_complex,
        remote=petition.is_remote,
        extensions=extensions,
    )
    deadline, _ = Deadline.objects.update_or_create(
        petition=petition,
        kind=kind,
        defaults={
            "rule": due.rule,
            "start_on": start,
            "due_on": due.date,
            "days": due.days,
            "met_on": None,
        },
    )
    return deadline


def meet(petition: Petition, kinds, on: dt.date) -> None:
    petition.deadlines.filter(kind__in=list(kinds), met_on__isnull=True).update(met_on=on)


def clocks_on_receipt(petition: Petition) -> None:
    start_clock(petition, Deadline.Kind.PROCESS, "petition.process", petition.received_on)


def clocks_on_classify(petition: Petition) -> None:
    """Acceptance is decided within 10 days for a complaint, 7 (10) working days of checks for a
    denunciation, both counted from receipt (KN Đ27; TC Đ24)."""
    petition.deadlines.filter(kind__in=[Deadline.Kind.ACCEPT, Deadline.Kind.CHECK]).delete()
    if petition.kind == wf.COMPLAINT:
        start_clock(petition, Deadline.Kind.ACCEPT, "complaint.accept", petition.received_on)
    elif petition.kind == wf.DENUNCIATION:
        start_clock(petition, Deadline.Kind.CHECK, "denunciation.check", petition.received_on)


def clocks_on_accept(petition: Petition, on: dt.date) -> None:
    meet(petition, [Deadline.Kind.PROCESS, Deadline.Kind.ACCEPT, Deadline.Kind.CHECK], on)
    rule = RESOLVE_RULES.get((petition.kind, petition.instance))
    if rule:
        start_clock(petition, Deadline.Kind.RESOLVE, rule, on, extensions=petition.extensions)


def clocks_on_extend(petition: Petition) -> None:
    deadline = petition.deadlines.get(kind=Deadline.Kind.RESOLVE)
    start_clock(
        petition,
        Deadline.Kind.RESOLVE,
        deadline.rule.code,
        deadline.start_on,
        extensions=petition.extensions,
    )


def refresh_due_on(petition: Petition) -> None:
    """Store the earliest unmet deadline on the case, for the inbox's index."""
    if petition.status not in wf.OPEN_STATES:
        petition.due_on = None
        return
    nxt = petition.deadlines.filter(met_on__isnull=True).order_by("due_on").first()
    petition.due_on = nxt.due_on if nxt else None
