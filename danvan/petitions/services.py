"""Writes to petitions. Each is one transaction with one audit event; only `petition_move`
changes a case's status, and only as the workflow table allows."""

import datetime as dt
import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.core.audit import audit_log
from danvan.core.errors import ConcurrentChangeError, TransitionError
from danvan.core.files import check_upload
from danvan.core.text import normalize_text
from danvan.petitions import clocks, eligibility, sealing
from danvan.petitions import workflow as wf
from danvan.petitions.messaging import enqueue_petitioner_notice
from danvan.petitions.models import Attachment, Petition, Petitioner, SealedIdentity, Transition
from danvan.webhooks import events as webhook_events
from danvan.webhooks.services import petition_event_payload, webhook_emit

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud on the phone
ID_NUMBER = re.compile(r"^(\d{9}|\d{12}|[A-Z]\d{7,8})$")  # old ID, citizen ID, passport
PHONE = re.compile(r"^(\+84|0)\d{9,10}$")


def clean_id_number(value: str) -> str:
    """Return the ID number without spaces, upper-case; raise ValidationError if malformed."""
    value = re.sub(r"\s", "", value or "").upper()
    if value and not ID_NUMBER.match(value):
        raise ValidationError(
            _("A citizen ID has 12 digits (old ID cards 9); a passport is a letter and 7–8 digits.")
        )
    return value


def clean_phone(value: str) -> str:
    value = re.sub(r"[\s.\-()]", "", value or "")
    if value and not PHONE.match(value):
        raise ValidationError(_("Enter a Vietnamese phone number, e.g. 0912345678."))
    return value


@dataclass
class PetitionerData:
    full_name: str
    id_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    address_unit: object = None
    kind: str = Petitioner.Kind.PERSON
    is_representative: bool = False

    def cleaned(self, index: int) -> "PetitionerData":
        name = normalize_text(self.full_name)
        errors = {}
        if not name:
            errors[f"petitioner_{index}_full_name"] = _("Enter the petitioner's full name.")
        for field, check in (("id_number", clean_id_number), ("phone", clean_phone)):
            try:
                setattr(self, field, check(getattr(self, field)))
            except ValidationError as exc:
                errors[f"petitioner_{index}_{field}"] = exc.messages
        if errors:
            raise ValidationError(errors)
        return PetitionerData(
            name,
            self.id_number,
            self.phone,
            (self.email or "").strip().lower(),
            normalize_text(self.address),
            self.address_unit,
            self.kind,
            self.is_representative,
        )

    def as_json(self) -> dict:
        return {
            "full_name": self.full_name,
            "id_number": self.id_number,
            "phone": self.phone,
            "email": self.email,
            "address": self.address,
            "kind": self.kind,
            "address_unit": getattr(self.address_unit, "pk", None),
            "is_representative": self.is_representative,
        }


def new_tracking_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))
        if not Petition.objects.filter(tracking_code=code).exists():
            return code


def _match_keys(people: list[PetitionerData]) -> list[str]:
    keys = {sealing.match_key("id", p.id_number) for p in people}
    keys |= {sealing.match_key("phone", p.phone) for p in people}
    return sorted(k for k in keys if k)


def _store_people(petition: Petition, people: list[PetitionerData]) -> None:
    """Denunciations: only the sealed, encrypted copy. Others: plain rows."""
    if petition.kind == wf.DENUNCIATION:
        SealedIdentity.objects.create(
            petition=petition, ciphertext=sealing.seal([p.as_json() for p in people])
        )
        return
    _insert_people(petition, people)


def petition_receive(
    *,
    actor,
    agency,
    channel: str,
    subject: str,
    content: str,
    received_on: dt.date,
    petitioners: list[PetitionerData],
    kind: str = wf.UNCLASSIFIED,
    unit=None,
    is_anonymous: bool = False,
    petitioner_count: int | None = None,
    forwarded_by: str = "",
    assisted_intake: bool = False,
    files=(),
) -> Petition:
    """Record a petition from any channel and start its processing clock."""
    subject, content = normalize_text(subject), normalize_text(content)
    errors = {}
    if not subject:
        errors["subject"] = _("Give the petition a short subject.")
    if not content:
        errors["content"] = _("Enter what the petition says.")
    if not is_anonymous and not petitioners:
        errors["petitioner_0_full_name"] = _("Enter the petitioner, or mark it anonymous.")
    if received_on > timezone.localdate():
        errors["received_on"] = _("The date received cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    people = [] if is_anonymous else [p.cleaned(i) for i, p in enumerate(petitioners)]
    checked = [(f, check_upload(f)) for f in files]
    count = max(petitioner_count or 0, len(people), 1)
    with transaction.atomic():
        petition = Petition.objects.create(
            tracking_code=new_tracking_code(),
            agency=agency,
            unit=unit,
            kind=kind,
            channel=channel,
            subject=subject,
            content=content,
            received_on=received_on,
            is_anonymous=is_anonymous,
            petitioner_count=count,
            is_mass=count >= settings.DANVAN_MASS_PETITION_MIN,
            forwarded_by=forwarded_by,
            received_by=actor if getattr(actor, "pk", None) else None,
            assisted_intake=assisted_intake,
            match_keys=_match_keys(people),
        )
        _store_people(petition, people)
        for upload, info in checked:
            Attachment.objects.create(
                petition=petition,
                file=upload,
                original_name=info.name,
                content_type=info.content_type,
                size=info.size,
                is_sealed=petition.kind == wf.DENUNCIATION,
            )
        clocks.clocks_on_receipt(petition)
        clocks.refresh_due_on(petition)
        petition.save(update_fields=["due_on"])
        received = Transition.objects.create(
            petition=petition,
            action="receive",
            from_status="",
            to_status=wf.RECEIVED,
            actor=petition.received_by,
            reason=channel,
        )
        transaction.on_commit(lambda: enqueue_petitioner_notice(received.pk))
        webhook_emit(
            event=webhook_events.PETITION_CREATED,
            agency=agency,
            payload=petition_event_payload(petition),
        )
        audit_log(
            actor=actor,
            action="petitions.receive",
            obj=petition,
            agency=agency,
            changes={
                "after": {
                    "kind": kind,
                    "channel": channel,
                    "count": count,
                    "sealed": petition.is_sealed,
                }
            },
        )
    return petition


def _reseal_as_denunciation(petition: Petition) -> None:
    """A case reclassified as a denunciation: move its plain petitioners into the sealed store."""
    if petition.is_sealed:
        return
    people = [
        PetitionerData(
            p.full_name,
            p.id_number,
            p.phone,
            p.email,
            p.address,
            p.address_unit,
            p.kind,
            p.is_representative,
        )
        for p in petition.petitioners.all()
    ]
    SealedIdentity.objects.create(
        petition=petition, ciphertext=sealing.seal([p.as_json() for p in people])
    )
    petition.petitioners.all().delete()
    petition.attachments.update(is_sealed=True)


def _already_transferred(petition: Petition) -> bool:
    """A denunciation is forwarded only once for the same content (TT 05/2021)."""
    related = [petition.pk, petition.duplicate_of_id, petition.repeat_of_id]
    return Transition.objects.filter(
        petition_id__in=[r for r in related if r], action="transfer"
    ).exists()


def _apply(petition: Petition, action: str, on: dt.date, opts: dict) -> None:
    if action == "classify":
        petition.kind = opts["kind"]
        petition.eligibility = sorted(opts.get("eligibility") or [])
        petition.is_complex = opts.get("is_complex", petition.is_complex)
        petition.is_remote = opts.get("is_remote", petition.is_remote)
        if petition.kind == wf.DENUNCIATION:
            _reseal_as_denunciation(petition)
        clocks.clocks_on_classify(petition)
    elif action == "accept":
        missing = eligibility.missing_items(petition.kind, petition.eligibility)
        if missing:
            raise TransitionError(
                _(
                    "Not eligible for handling yet — not checked: %(items)s. "
                    "Classify again with the checks, or file it."
                )
                % {"items": "; ".join(missing)},
                code="eligibility",
            )
        if petition.kind == wf.DENUNCIATION and petition.is_anonymous:
            raise TransitionError(
                _(
                    "An anonymous denunciation is not handled under the Law on "
                    "Denunciations (Đ25); file it, or inspect it within your "
                    "competence if it names the violator with concrete, "
                    "verifiable evidence."
                ),
                code="anonymous",
            )
        clocks.clocks_on_accept(petition, on)
    elif action == "transfer":
        if petition.kind == wf.DENUNCIATION and _already_transferred(petition):
            raise TransitionError(
                _(
                    "This denunciation was already transferred once; the same "
                    "content is not transferred again."
                )
            )
        clocks.meet(petition, ["process", "accept", "check"], on)
    elif action in ("guide", "file"):
        clocks.meet(petition, ["process", "accept", "check"], on)
    elif action == "extend":
        petition.extensions += 1
        clocks.clocks_on_extend(petition)
    elif action == "resolve":
        clocks.meet(petition, ["process", "accept", "check", "resolve"], on)
    elif action == "second_instance":
        _open_second_instance(petition, opts["target_agency"], on)
    elif action == "split":
        _split(petition, opts["parts"])


def _insert_people(petition: Petition, people) -> None:
    """Plain petitioner rows from PetitionerData or Petitioner objects, in their order."""
    Petitioner.objects.bulk_create(
        [
            Petitioner(
                petition=petition,
                position=i,
                full_name=p.full_name,
                id_number=p.id_number,
                phone=p.phone,
                email=p.email,
                address=p.address,
                address_unit=p.address_unit,
                kind=p.kind,
                is_representative=p.is_representative,
            )
            for i, p in enumerate(people)
        ]
    )


def _copy_people(source: Petition, target: Petition) -> None:
    _insert_people(target, list(source.petitioners.all()))


def _open_second_instance(first: Petition, agency, on: dt.date) -> Petition:
    """A second complaint goes to the next level up as a new case linked to the first."""
    if agency is None:
        raise ValidationError({"target_agency": _("Choose the agency of second instance.")})
    second = Petition.objects.create(
        tracking_code=new_tracking_code(),
        agency=agency,
        unit=first.unit,
        kind=wf.COMPLAINT,
        channel=first.channel,
        subject=first.subject,
        content=first.content,
        received_on=on,
        instance=2,
        previous_instance=first,
        petitioner_count=first.petitioner_count,
        is_mass=first.is_mass,
        is_remote=first.is_remote,
        match_keys=first.match_keys,
    )
    _copy_people(first, second)
    clocks.clocks_on_receipt(second)
    clocks.refresh_due_on(second)
    second.save(update_fields=["due_on"])
    Transition.objects.create(
        petition=second,
        action="receive",
        from_status="",
        to_status=wf.RECEIVED,
        reason="second_instance",
    )
    return second


def _split(petition: Petition, parts: list[dict]) -> None:
    """A petition with several matters becomes linked child cases, one per matter."""
    if len(parts) < 2:
        raise ValidationError({"parts": _("Split into at least two matters.")})
    for part in parts:
        child = Petition.objects.create(
            tracking_code=new_tracking_code(),
            agency=petition.agency,
            unit=petition.unit,
            kind=part["kind"],
            channel=petition.channel,
            status=wf.CLASSIFIED,
            subject=normalize_text(part["subject"]),
            content=petition.content,
            received_on=petition.received_on,
            parent=petition,
            petitioner_count=petition.petitioner_count,
            is_mass=petition.is_mass,
            match_keys=petition.match_keys,
            is_anonymous=petition.is_anonymous,
        )
        if petition.is_sealed or child.kind == wf.DENUNCIATION:
            people = (
                sealing.unseal(petition.sealed_identity.ciphertext)
                if petition.is_sealed
                else [PetitionerData(**_plain(p)).as_json() for p in petition.petitioners.all()]
            )
            SealedIdentity.objects.create(petition=child, ciphertext=sealing.seal(people))
        else:
            _copy_people(petition, child)
        clocks.clocks_on_receipt(child)
        clocks.clocks_on_classify(child)
        clocks.refresh_due_on(child)
        child.save(update_fields=["due_on"])


def _plain(p: Petitioner) -> dict:
    return {
        "full_name": p.full_name,
        "id_number": p.id_number,
        "phone": p.phone,
        "email": p.email,
        "address": p.address,
        "address_unit": p.address_unit,
        "kind": p.kind,
        "is_representative": p.is_representative,
    }


def _refuse_stale(petition: Petition, expected_version: int) -> None:
    if petition.version == expected_version:
        return
    last = petition.transitions.select_related("actor").order_by("-at", "-id").first()
    who = str(last.actor) if last and last.actor else _("another officer")
    raise ConcurrentChangeError(
        _(
            "%(who)s changed this case while you were working on it (it is now “%(status)s”). "
            "Reload the page to see their change."
        )
        % {"who": who, "status": petition.get_status_display()}
    )


def petition_move(
    *,
    actor,
    petition: Petition,
    action: str,
    expected_version: int,
    reason: str = "",
    legal_basis: str = "",
    target_agency=None,
    on: dt.date | None = None,
    **opts,
) -> Petition:
    """Perform one workflow move; the only way a case's status changes."""
    on = on or timezone.localdate()
    reason, legal_basis = normalize_text(reason), normalize_text(legal_basis)
    with transaction.atomic():
        locked = Petition.objects.select_for_update(of=("self",)).get(pk=petition.pk)
        _refuse_stale(locked, expected_version)
        kind = opts.get("kind", locked.kind) if action == "classify" else locked.kind
        try:
            move = wf.check_move(
                action=action,
                state=locked.status,
                kind=kind,
                reason=reason,
                on=on,
                instance=locked.instance,
                extensions=locked.extensions,
            )
        except wf.MoveError as exc:
            raise TransitionError(_move_message(exc), code=exc.code) from exc
        if action == "transfer" and target_agency is None:
            raise ValidationError({"target_agency": _("Choose the competent agency.")})
        before = locked.status
        _apply(locked, action, on, {**opts, "target_agency": target_agency})
        locked.status = move.target or locked.status
        locked.version += 1
        clocks.refresh_due_on(locked)
        locked.save()
        step = Transition.objects.create(
            petition=locked,
            action=action,
            from_status=before,
            to_status=locked.status,
            actor=actor,
            reason=reason,
            legal_basis=legal_basis,
            is_public=move.public,
            target_agency=target_agency,
        )
        if move.public:
            transaction.on_commit(lambda: enqueue_petitioner_notice(step.pk))
        webhook_emit(
            event=webhook_events.PETITION_MOVED,
            agency=locked.agency,
            payload=petition_event_payload(locked, step),
        )
        audit_log(
            actor=actor,
            action=f"petitions.{action}",
            obj=locked,
            agency=locked.agency,
            changes={"before": {"status": before}, "after": {"status": locked.status}},
        )
    return locked


def _move_message(exc: wf.MoveError) -> str:
    return {
        "state": _("This step is not possible at the case's current stage."),
        "kind": _("This step does not apply to this kind of petition."),
        "reason": _("Give the reason (and its legal basis) for this step."),
        "date": _("Partial withdrawal is possible only from 1/7/2026 (Luật 136/2025/QH15)."),
        "limit": _("The legal limit for this step has been reached."),
    }.get(exc.code, _("This step is not allowed."))


def petition_assign(*, actor, petitions, officer) -> int:
    """Assign cases to an officer (bulk); returns how many changed. One audit event."""
    with transaction.atomic():
        ids = [p.pk for p in petitions]
        changed = (
            Petition.objects.filter(pk__in=ids)
            .exclude(assigned_to=officer)
            .update(assigned_to=officer)
        )
        audit_log(
            actor=actor,
            action="petitions.assign",
            changes={"after": {"petitions": ids, "officer": officer.pk}},
        )
    return changed
