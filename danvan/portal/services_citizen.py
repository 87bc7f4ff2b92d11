"""The citizen's side of petitions: submit from the portal, and follow a case by code.

Citizens are not users: a portal petition has no actor, and its tracking secret (shown once) is
kept only as a password hash. Tracking answers a wrong code in the same shape and time as a
right one, so that codes cannot be enumerated.
"""

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import NoReverseMatch
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from danvan.core.audit import audit_log
from danvan.core.selectors import due_date, legal_rule_in_force
from danvan.org.models import AdministrativeUnit, Agency
from danvan.petitions import sealing
from danvan.petitions import workflow as wf
from danvan.petitions.messaging import STEP_LABELS
from danvan.petitions.models import Deadline, Petition, Transition
from danvan.petitions.services import CODE_ALPHABET, PetitionerData, petition_receive

SECRET_LENGTH = 8
TRACKING_HASH_PREFIX = "hmac-sha256$"
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


@dataclass
class Tracked:
    """A tracking answer: `found` False gives the same page with no case data."""

    found: bool = False
    code: str = ""
    status: str = ""
    steps: list = field(default_factory=list)
    due_on: dt.date | None = None
    citation: str = ""
    answer_url: str = ""


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


def tracking_hash(code: str, secret: str) -> str:
    """The stored form of a tracking secret: HMAC-SHA256 of code and secret under a server key.

    Not a slow password hash, on purpose: the secret is random (8 characters of 32, 40 bits), so
    a slow hash adds nothing against online guessing, which the rate limit stops; and without the
    key (derived from SECRET_KEY, never in the database) a stolen database gives no way to test
    guesses offline. A fast check lets the portal answer a lookup in well under a millisecond
    instead of the ~0.3 s of PBKDF2 per request (benchmarks: tracking throughput)."""
    key = sealing._derived_key(b"danvan-tracking")
    digest = hmac.new(key, f"{code}:{secret.upper()}".encode(), hashlib.sha256).hexdigest()
    return TRACKING_HASH_PREFIX + digest


def tracking_check(code: str, secret: str, stored: str) -> bool:
    """Whether `secret` matches `stored`; always one keyed hash (also for unknown codes).
    Hashes written before this scheme (Django password hashes) are still accepted."""
    expected = tracking_hash(code, secret)
    if stored.startswith(TRACKING_HASH_PREFIX):
        return hmac.compare_digest(stored, expected)
    return bool(stored) and check_password(secret.upper(), stored)


def _phone_matches(petition: Petition | None, digits: str) -> bool:
    """Whether `digits` are the last 4 of a phone given at submission (unsealed in memory)."""
    if petition is None or len(digits) != 4 or not digits.isdigit():
        return False
    if petition.is_sealed:
        phones = [p.get("phone", "") for p in sealing.unseal(petition.sealed_identity.ciphertext)]
    else:
        phones = [p.phone for p in petition.petitioners.all()]
    return any(len(phone) >= 4 and phone[-4:] == digits for phone in phones)


def portal_find(*, code: str, factor: str) -> Petition | None:
    """The petition if `code` and its second factor (secret, or phone's last 4) match.

    Always one lookup and one keyed hash, found or not, so timing tells nothing."""
    petition = (
        Petition.objects.select_related("sealed_identity", "agency")
        .filter(tracking_code=code)
        .first()
    )
    stored = petition.tracking_secret_hash if petition and petition.tracking_secret_hash else ""
    secret_ok = tracking_check(code, factor, stored) and bool(stored)
    phone_ok = _phone_matches(petition, factor)
    return petition if petition and (secret_ok or phone_ok) else None


def _step_label(step: Transition) -> str:
    if step.action in STEP_LABELS:
        return str(STEP_LABELS[step.action]).capitalize()
    return Petition.Status(step.to_status).label


def portal_track(*, code: str, factor: str) -> Tracked:
    """The public view of a case: public steps, the current deadline, the published answer."""
    petition = portal_find(code=code, factor=factor)
    if petition is None:
        return Tracked()
    steps = [
        {"at": s.at, "label": _step_label(s), "to_agency": s.target_agency}
        for s in petition.transitions.filter(is_public=True).select_related("target_agency")
    ]
    deadline = (
        petition.deadlines.filter(met_on__isnull=True).select_related("rule").order_by("due_on")
    ).first()
    return Tracked(
        found=True,
        code=petition.tracking_code,
        status=petition.get_status_display(),
        steps=steps,
        due_on=deadline.due_on if deadline and petition.is_open else None,
        citation=deadline.rule.citation if deadline else "",
        answer_url=_answer_url(petition),
    )


def _answer_url(petition: Petition) -> str:
    """The published answer's address, if there is one (and its page exists)."""
    try:
        answer = petition.public_answer
        return "" if answer.is_withdrawn else answer.get_absolute_url()
    except (ObjectDoesNotExist, AttributeError, NoReverseMatch):
        return ""
