"""The citizen's side of petitions: submit from the portal (following a case by code is in
`portal.tracking`).

Citizens are not users: a portal petition has no actor, and its tracking secret (shown once) is
kept only as a keyed hash (`tracking.tracking_hash`).
"""

import datetime as dt
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from danvan.core.audit import audit_log
from danvan.core.selectors import due_date, legal_rule_in_force
from danvan.org.models import AdministrativeUnit, Agency
from danvan.petitions import sealing
from danvan.petitions import workflow as wf
from danvan.petitions.models import Deadline, Petition
from danvan.petitions.services import CODE_ALPHABET, PetitionerData, petition_receive
from danvan.portal.tracking import tracking_hash

SECRET_LENGTH = 8
# Bump when the consent text in the submit form changes; stored with each consent.
CONSENT_VERSION = "2026-01"
# What each kind leads to, and the legal rules whose time limits the form shows.
KIND_RULES = {
    wf.COMPLAINT: ("complaint.accept", "complaint.resolve.first"),
    wf.DENUNCIATION: ("denunciation.check", "denunciation.resolve"),
    wf.RECOMMENDATION: ("petition.process",),
    wf.FEEDBACK: ("petition.process",),
}


@dataclass
class Receipt:
    """What the receipt page shows once, kept in the session between submit and receipt."""

    code: str
    secret: str
    due_on: str
    citation: str
    email: bool = False

    def as_session(self) -> dict:
        return self.__dict__.copy()


def rule_summaries(kind: str, on: dt.date) -> list[dict]:
    """The time limits of `kind` from the legal rules in force on `on`, with their citations."""
    rows = []
    for code in KIND_RULES.get(kind, ()):
        rule = legal_rule_in_force(code, on)
        rows.append(
            {
                "title": rule.title,
                "days": rule.period_days,
                "unit": rule.get_unit_display(),
                "citation": rule.citation,
            }
        )
    return rows


def handling_agency(unit: AdministrativeUnit | None, on: dt.date) -> Agency:
    """The commune's People's Committee if there is one, else the province's."""
    committees = Agency.objects.in_force(on).filter(kind=Agency.Kind.PEOPLES_COMMITTEE)
    found = committees.filter(unit=unit).order_by("pk").first() if unit else None
    found = found or (
        committees.filter(
            unit__level=AdministrativeUnit.Level.PROVINCE,
            unit__scheme=AdministrativeUnit.Scheme.TWO_TIER,
            unit__code=f"{settings.DANVAN_PROVINCE_CODE:02d}",
        )
        .order_by("pk")
        .first()
    )
    if found is None:
        raise ValidationError(
            {"unit": _("No agency takes petitions for this commune yet; please visit its office.")}
        )
    return found


def new_secret() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(SECRET_LENGTH))


def portal_submit(
    *,
    kind: str,
    unit: AdministrativeUnit,
    subject: str,
    content: str,
    person: PetitionerData | None,
    consent_text: str = "",
    files=(),
) -> tuple[Petition, Receipt]:
    """Record a citizen's petition from the portal; return it and its one-time receipt."""
    today = timezone.localdate()
    secret = new_secret()
    with transaction.atomic():
        petition = petition_receive(
            actor=None,
            agency=handling_agency(unit, today),
            channel=Petition.Channel.PORTAL,
            subject=subject,
            content=content,
            received_on=today,
            petitioners=[person] if person else [],
            kind=kind,
            unit=unit,
            is_anonymous=person is None,
            files=files,
        )
        petition.tracking_secret_hash = tracking_hash(petition.tracking_code, secret)
        petition.save(update_fields=["tracking_secret_hash"])
        if consent_text:
            _record_consent(petition, consent_text)
        if person and person.email:
            transaction.on_commit(lambda: send_portal_confirmation.enqueue(petition.pk))
    return petition, _receipt(petition, secret, email=bool(person and person.email))


def _record_consent(petition: Petition, text: str) -> None:
    """The consent to personal data processing (Luật 91/2025/QH15): when, which text."""
    audit_log(
        actor=None,
        action="portal.consent",
        obj=petition,
        agency=petition.agency,
        changes={
            "consent": {"at": timezone.now().isoformat(), "version": CONSENT_VERSION, "text": text}
        },
    )


def _receipt(petition: Petition, secret: str, *, email: bool) -> Receipt:
    deadline = petition.deadlines.select_related("rule").get(kind=Deadline.Kind.PROCESS)
    return Receipt(
        petition.tracking_code, secret, deadline.due_on.isoformat(), deadline.rule.citation, email
    )


def decoy_receipt(*, email: bool = False) -> Receipt:
    """A receipt shaped like a real one, for a bot that filled the honeypot: nothing stored."""
    due = due_date("petition.process", timezone.localdate())
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))
    return Receipt(code, new_secret(), due.date.isoformat(), due.rule.citation, email)


def _contact_email(petition: Petition) -> str:
    if petition.is_sealed:
        people = sealing.unseal(petition.sealed_identity.ciphertext)
        audit_log(
            actor=None,
            action="portal.confirmation_unseal",
            obj=petition,
            agency=petition.agency,
            sensitive_read=True,
        )
        return next((p.get("email") for p in people if p.get("email")), "")
    return next((p.email for p in petition.petitioners.all() if p.email), "")


@task()
def send_portal_confirmation(petition_id: int) -> bool:
    """E-mail the tracking code (never the secret) to the address given at submission."""
    petition = Petition.objects.select_related("agency").filter(pk=petition_id).first()
    address = _contact_email(petition) if petition else ""
    if not address:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        values = {"code": petition.tracking_code, "agency": petition.agency}
        subject = _("Petition received: %(code)s") % values
        body = (
            _(
                "%(agency)s has received your petition. Tracking code: %(code)s. "
                "Follow it on the citizen portal with this code and the secret on your receipt."
            )
            % values
        )
    send_mail(subject, body, None, [address])
    return True
