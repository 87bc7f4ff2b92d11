"""Writes to the reception log (Form 03) and the refusals register."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from danvan.core.audit import audit_log, model_snapshot
from danvan.core.text import fold_text, normalize_text
from danvan.org.models import Agency
from danvan.petitions.models import SEALED, Petition
from danvan.petitions.services import PetitionerData, petition_receive
from danvan.reception import groups
from danvan.reception.models import (
    VISIT_KINDS,
    ReceptionRefusal,
    ReceptionSession,
    ReceptionVisit,
)
from danvan.reception.services.common import check_session, not_in_future

SUBJECT_LENGTH = 120
# petition_receive's field names → the visit form's.
PETITION_FIELDS = {
    "petitioner_0_full_name": "citizen_name",
    "petitioner_0_id_number": "id_number",
    "received_on": "visited_on",
}


TEXT_FIELDS = (
    "citizen_name", "content", "address", "handled_by", "forwarded_to", "result", "notes",
)  # fmt: skip
ROW_FIELDS = (
    "agency", "session", "visited_on", "content", "kind", "people_count", "handled_by",
    "action", "forwarded_to", "result", "notes",
)  # fmt: skip


def _representative_error(people: int, representatives: list[str]) -> str | None:
    problem = groups.check_representatives(people, len(representatives))
    if problem is None:
        return None
    if problem.code == "more_than_group":
        return _("There cannot be more representatives than people in the group.")
    return _(
        "A group of %(people)d people chooses %(min)d to %(max)d representative(s); "
        "%(given)d entered (%(citation)s)."
    ) % {
        "people": people,
        "min": problem.minimum,
        "max": problem.maximum,
        "given": problem.given,
        "citation": groups.CITATION,
    }


@dataclass
class _VisitInput:
    """A visit's input, normalised, with its checks and the log row it becomes."""

    agency: Agency
    visited_on: dt.date
    citizen_name: str
    content: str
    kind: str
    action: str
    address: str
    id_number: str
    people_count: int
    representatives: list[str]
    session: ReceptionSession | None
    handled_by: str
    forwarded_to: str
    result: str
    notes: str

    def __post_init__(self) -> None:
        for name in TEXT_FIELDS:
            setattr(self, name, normalize_text(getattr(self, name)))
        self.representatives = [
            normalize_text(r) for r in self.representatives if normalize_text(r)
        ]

    def errors(self) -> dict:
        errors: dict = {}
        if not self.citizen_name:
            errors["citizen_name"] = _("Enter the visitor's full name.")
        if not self.content:
            errors["content"] = _("Enter what the visitor brought.")
        if self.kind not in dict(VISIT_KINDS):
            errors["kind"] = _("Choose complaint, denunciation, recommendation or feedback.")
        if self.action not in ReceptionVisit.Action.values:
            errors["action"] = _("Choose how the visit was handled.")
        elif self.action == ReceptionVisit.Action.FORWARDED and not self.forwarded_to:
            errors["forwarded_to"] = _("Enter the agency the case was forwarded to.")
        if self.people_count < 1:
            errors["people_count"] = _("At least one person came.")
        else:
            rep_error = _representative_error(self.people_count, self.representatives)
            if rep_error:
                errors["representatives"] = rep_error
        not_in_future(errors, "visited_on", self.visited_on)
        check_session(errors, self.session, self.agency, self.visited_on)
        return errors

    def log_row(self, visitor: PetitionerData) -> dict:
        """The ReceptionVisit fields; a denouncer's identity stays out of the log (TC Đ56)."""
        sealed = self.kind == Petition.Kind.DENUNCIATION
        row = {name: getattr(self, name) for name in ROW_FIELDS}
        row.update(
            citizen_name=SEALED if sealed else visitor.full_name,
            address=SEALED if sealed else visitor.address,
            id_number=SEALED if sealed else visitor.id_number,
            representatives=[SEALED] * len(self.representatives)
            if sealed
            else self.representatives,
        )
        return row


def _visitors(
    citizen_name: str, id_number: str, address: str, representatives: list[str]
) -> list[PetitionerData]:
    """The visitor, then the other representatives, checked as petitioners (ID number format)."""
    reps = {fold_text(r) for r in representatives}
    people = [
        PetitionerData(
            citizen_name,
            id_number=id_number,
            address=address,
            is_representative=fold_text(citizen_name) in reps,
        )
    ]
    people += [
        PetitionerData(name, is_representative=True)
        for name in representatives
        if fold_text(name) != fold_text(citizen_name)
    ]
    try:
        return [p.cleaned(i) for i, p in enumerate(people)]
    except ValidationError as exc:
        raise _as_visit_errors(exc) from None


def _as_visit_errors(exc: ValidationError) -> ValidationError:
    """Re-key petition_receive's field errors to the visit form's fields."""
    if not hasattr(exc, "error_dict"):
        return exc
    errors: dict = {}
    for field, messages in exc.error_dict.items():
        key = PETITION_FIELDS.get(field)
        if key is None:
            key = "representatives" if field.startswith("petitioner_") else None
        errors.setdefault(key or "__all__", []).extend(messages)
    return ValidationError(errors)


def _subject(subject: str, content: str) -> str:
    subject = normalize_text(subject)
    if subject:
        return subject[:300]
    first_line = content.splitlines()[0] if content else ""
    if len(first_line) <= SUBJECT_LENGTH:
        return first_line
    return first_line[: SUBJECT_LENGTH - 1].rstrip() + "…"


def _accept(*, actor, visit: ReceptionVisit, people: list[PetitionerData], subject: str):
    """Open the petition of an accepted visit (sealed by petition_receive if a denunciation)."""
    try:
        return petition_receive(
            actor=actor,
            agency=visit.agency,
            channel=Petition.Channel.RECEPTION,
            subject=_subject(subject, visit.content),
            content=visit.content,
            received_on=visit.visited_on,
            petitioners=people,
            kind=visit.kind,
            petitioner_count=visit.people_count,
            assisted_intake=True,
        )
    except ValidationError as exc:
        raise _as_visit_errors(exc) from None


def visit_record(
    *,
    actor,
    agency: Agency,
    visited_on: dt.date,
    citizen_name: str,
    content: str,
    kind: str,
    action: str,
    address: str = "",
    id_number: str = "",
    people_count: int = 1,
    representatives: Sequence[str] = (),
    session: ReceptionSession | None = None,
    handled_by: str = "",
    forwarded_to: str = "",
    result: str = "",
    notes: str = "",
    subject: str = "",
) -> ReceptionVisit:
    """Write one row of the reception log; an accepted visit also opens its petition."""
    data = _VisitInput(
        agency, visited_on, citizen_name, content, kind, action, address, id_number,
        people_count, list(representatives), session, handled_by, forwarded_to, result, notes,
    )  # fmt: skip
    errors = data.errors()
    if errors:
        raise ValidationError(errors)
    people = _visitors(data.citizen_name, data.id_number, data.address, data.representatives)
    with transaction.atomic():
        visit = ReceptionVisit.objects.create(
            **data.log_row(people[0]),
            recorded_by=actor if getattr(actor, "pk", None) else None,
        )
        if action == ReceptionVisit.Action.ACCEPTED:
            visit.petition = _accept(actor=actor, visit=visit, people=people, subject=subject)
            visit.save(update_fields=["petition"])
        fields = ("visited_on", "kind", "action", "people_count", "session", "petition")
        audit_log(
            actor=actor,
            action="reception.visit_record",
            obj=visit,
            agency=agency,
            changes={"after": model_snapshot(visit, fields)},
        )
    return visit


def _refusal_errors(*, agency, refused_on, person, ground, explanation, written_notice, session):
    errors: dict = {}
    if not person:
        errors["person"] = _("Enter the person's name, or describe them if they gave none.")
    if ground not in ReceptionRefusal.Ground.values:
        errors["ground"] = _("Choose the legal ground for the refusal (Luật Tiếp công dân Đ9).")
    elif ground == ReceptionRefusal.Ground.REPEAT_SETTLED and not written_notice:
        errors["written_notice"] = _(
            "For a case already settled, the head refuses with a written notice "
            "(Thông tư 04/2021/TT-TTCP Đ4)."
        )
    if not explanation:
        errors["explanation"] = _("Explain the reason (Thông tư 04/2021/TT-TTCP Đ4).")
    not_in_future(errors, "refused_on", refused_on)
    check_session(errors, session, agency, refused_on)
    return errors


def refusal_record(
    *,
    actor,
    agency: Agency,
    refused_on: dt.date,
    person: str,
    ground: str,
    explanation: str,
    written_notice: bool = False,
    session: ReceptionSession | None = None,
) -> ReceptionRefusal:
    """Record a refusal to receive someone, on a legal ground and with its reason."""
    person, explanation = normalize_text(person), normalize_text(explanation)
    errors = _refusal_errors(
        agency=agency,
        refused_on=refused_on,
        person=person,
        ground=ground,
        explanation=explanation,
        written_notice=written_notice,
        session=session,
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        refusal = ReceptionRefusal.objects.create(
            agency=agency,
            session=session,
            refused_on=refused_on,
            person=person,
            ground=ground,
            explanation=explanation,
            written_notice=written_notice,
            recorded_by=actor if getattr(actor, "pk", None) else None,
        )
        audit_log(
            actor=actor,
            action="reception.refusal_record",
            obj=refusal,
            agency=agency,
            changes={"after": model_snapshot(refusal, ("refused_on", "ground", "written_notice"))},
        )
    return refusal
