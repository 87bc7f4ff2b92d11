"""Messages to citizens: the notice a petitioner gets at each public step of their case.

`petition_receive` and `petition_move` call `enqueue_petitioner_notice` after commit; the
worker runs `send_petitioner_notice`, which writes a short text in the site's language and
hands it to the message gateway (`settings.DANVAN_MESSAGE_GATEWAY`, a dotted path): SMS if
a phone is known, else e-mail. A denouncer's sealed identity is decrypted in the worker only
to find where to send, with an audit event; the text never names anyone.
"""

import re
import sys
from dataclasses import dataclass
from typing import ClassVar, Protocol, TextIO

from django.conf import settings
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from danvan.core.audit import audit_log
from danvan.core.models import ReminderClaim
from danvan.core.notifications import reminder_claim
from danvan.petitions import sealing
from danvan.petitions.models import SEALED, Deadline, Petition, Transition

DEFAULT_GATEWAY = "danvan.petitions.messaging.ConsoleGateway"
NOTICE_KIND = "petitioner_notice"

# Public steps told as "the step, and why"; receive, accept and transfer have their own texts.
STEP_LABELS = {
    "guide": gettext_lazy("you have been guided to the competent agency"),
    "file": gettext_lazy("filed without action"),
    "resolve": gettext_lazy("resolved"),
    "withdraw": gettext_lazy("withdrawn"),
    "withdraw_partially": gettext_lazy("partly withdrawn"),
    "extend": gettext_lazy("the time for resolution has been extended"),
    "suspend": gettext_lazy("resolution suspended"),
    "resume": gettext_lazy("resolution resumed"),
    "second_instance": gettext_lazy("a second-instance complaint has been opened"),
}


class MessageGateway(Protocol):
    """Sends one message to a citizen; raises if it cannot, so the task fails and is retried."""

    def send_sms(self, phone: str, text: str) -> None: ...

    def send_email(self, address: str, subject: str, text: str) -> None: ...


@dataclass(frozen=True)
class OutgoingMessage:
    channel: str  # "sms" or "email"
    to: str
    subject: str
    text: str


def masked(address: str) -> str:
    """A phone or e-mail address with its middle hidden, for logs and consoles."""
    if "@" in address:
        local, domain = address.split("@", 1)
        return f"{local[:1]}***@{domain}"
    return f"{address[:3]}***{address[-2:]}"


class ConsoleGateway:
    """Development: prints each message instead of sending it.

    The address is masked: this is also the default when an operator forgot to configure a
    real gateway, and a console log must not collect denouncers' phone numbers.
    """

    def __init__(self, stream: TextIO | None = None):
        self.stream = stream or sys.stdout

    def send_sms(self, phone: str, text: str) -> None:
        self.stream.write(f"[SMS to {masked(phone)}] {text}\n")

    def send_email(self, address: str, subject: str, text: str) -> None:
        self.stream.write(f"[E-mail to {masked(address)}] {subject}\n{text}\n")


class LocmemGateway:
    """Tests: keeps every message in the class-level `outbox` (like Django's locmem mail)."""

    outbox: ClassVar[list[OutgoingMessage]] = []

    def send_sms(self, phone: str, text: str) -> None:
        self.outbox.append(OutgoingMessage("sms", phone, "", text))

    def send_email(self, address: str, subject: str, text: str) -> None:
        self.outbox.append(OutgoingMessage("email", address, subject, text))


def message_gateway() -> MessageGateway:
    """The configured gateway (read at call time, so a test's setting takes effect)."""
    return import_string(getattr(settings, "DANVAN_MESSAGE_GATEWAY", DEFAULT_GATEWAY))()


def enqueue_petitioner_notice(transition_id: int) -> None:
    """Queue the notice for one public step of a case (runs after commit)."""
    send_petitioner_notice.enqueue(transition_id)


@dataclass(frozen=True)
class Contact:
    phone: str
    email: str
    names: tuple[str, ...]  # only to keep them out of the text


def _contact(people: list[dict]) -> Contact:
    """The first phone and the first e-mail among `people`, representatives first."""
    ordered = sorted(people, key=lambda p: not p.get("is_representative"))
    phones = [p["phone"] for p in ordered if p.get("phone")]
    emails = [p["email"] for p in ordered if p.get("email")]
    names = tuple(p["full_name"] for p in ordered if p.get("full_name"))
    return Contact(phones[0] if phones else "", emails[0] if emails else "", names)


def _people(transition: Transition) -> list[dict]:
    """The case's petitioners; a sealed identity is decrypted for this use only, and audited."""
    petition = transition.petition
    if not petition.is_sealed:
        return list(petition.petitioners.values("full_name", "phone", "email", "is_representative"))
    people = sealing.unseal(petition.sealed_identity.ciphertext)
    audit_log(
        actor=None,
        action="petitions.identity_use_for_notice",
        obj=petition,
        agency=petition.agency,
        changes={"transition": transition.pk, "action": transition.action},
        sensitive_read=True,
    )
    return people


def _deadline(petition: Petition, kind: str) -> Deadline | None:
    return petition.deadlines.filter(kind=kind).select_related("rule").first()


def _with_deadline(text: str, deadline: Deadline | None) -> str:
    if deadline is None:
        return text
    values = {"date": deadline.due_on.strftime("%d/%m/%Y"), "citation": deadline.rule.citation}
    return f"{text} " + _("Deadline: %(date)s (%(citation)s).") % values


def notice_text(transition: Transition) -> str:
    """The notice of one public step, in the active language; it names no one."""
    petition = transition.petition
    values = {"code": petition.tracking_code, "agency": petition.agency}
    action = transition.action
    if action == "receive":
        text = _("%(agency)s has received your petition. Tracking code: %(code)s.") % values
        return _with_deadline(text, _deadline(petition, Deadline.Kind.PROCESS))
    if action == "accept":
        text = _("Your petition %(code)s has been accepted for resolution.") % values
        return _with_deadline(text, _deadline(petition, Deadline.Kind.RESOLVE))
    if action == "transfer":
        values["agency"] = transition.target_agency
        text = _("Your petition %(code)s has been transferred to %(agency)s.") % values
    else:
        step = STEP_LABELS.get(action, action)
        text = _("Your petition %(code)s: %(step)s.") % {**values, "step": step}
    if transition.reason:
        text += " " + _("Reason: %(reason)s") % {"reason": transition.reason}
    return text


def _scrubbed(text: str, names: tuple[str, ...]) -> str:
    # An officer's free-text reason could repeat a sealed name; an SMS is no place for it.
    for name in names:
        text = re.sub(rf"\b{re.escape(name)}\b", SEALED, text)
    return text


def _load(transition_id: int) -> Transition | None:
    return (
        Transition.objects.select_related(
            "petition__agency", "petition__sealed_identity", "target_agency"
        )
        .filter(pk=transition_id)
        .first()
    )


def _release(transition: Transition) -> None:
    """Undo the claim, so that a re-run of the task can send the notice after all."""
    ReminderClaim.objects.filter(
        object_type=Transition._meta.label_lower, object_id=str(transition.pk), kind=NOTICE_KIND
    ).delete()


def _deliver(transition: Transition) -> bool:
    """Find the contact, write the text and send it; False if there is nowhere to send."""
    people = _people(transition)
    contact = _contact(people)
    if not (contact.phone or contact.email):
        return False
    with translation.override(settings.LANGUAGE_CODE):
        text = _scrubbed(notice_text(transition), contact.names)
        subject = _("Your petition %(code)s") % {"code": transition.petition.tracking_code}
    gateway = message_gateway()
    if contact.phone:
        gateway.send_sms(contact.phone, text)
    else:
        gateway.send_email(contact.email, subject, text)
    return True


@task()
def send_petitioner_notice(transition_id: int) -> bool:
    """Send the notice of one public step to its petitioner; return False if none was sent.

    Idempotent: the notice is claimed (core.notifications.reminder_claim) before sending, so a
    task run twice sends once. The claim commits before the gateway is called (no transaction
    held open on a slow SMS operator); if sending fails it is released and the error re-raised.
    """
    transition = _load(transition_id)
    if transition is None or not transition.is_public or transition.petition.is_anonymous:
        return False
    if transition.action == "receive" and transition.petition.channel == "portal":
        return False  # the portal shows a receipt and e-mails its own confirmation
    if not reminder_claim(
        obj=transition, kind=NOTICE_KIND, due_on=timezone.localdate(transition.at)
    ):
        return False
    try:
        sent = _deliver(transition)
    except Exception:
        _release(transition)
        raise
    if not sent:
        _release(transition)
    return sent
