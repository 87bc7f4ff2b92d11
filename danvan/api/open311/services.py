"""Open311 GeoReport v2 on top of the portal: services are the petition kinds a citizen may
send; a request is a portal petition (routed to the commune's People's Committee), recorded with
the API key (token) of the system that sent it.

Public reads are redacted: a request shows its kind, status, dates, handling agency and commune,
and a subject scrubbed of the sender's identity; never the content, and for a denunciation only
"[Bảo mật]".
"""

import datetime as dt
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.api.models import ApiToken, Open311Request
from danvan.org.models import AdministrativeUnit
from danvan.petitions import workflow as wf
from danvan.petitions.models import SEALED, Petition
from danvan.petitions.notices import _identity_patterns, _people, _scrub
from danvan.petitions.services import PetitionerData
from danvan.portal.services_citizen import KIND_RULES, portal_submit, rule_summaries

SERVICE_CODES = tuple(KIND_RULES)  # complaint, denunciation, recommendation, feedback
DEFAULT_WINDOW = dt.timedelta(days=90)
MAX_RESULTS = 1000


def service_list(*, on: dt.date | None = None) -> list[dict]:
    """The services (petition kinds) with their legal time limits read from the rules."""
    on = on or timezone.localdate()
    services = []
    for code in SERVICE_CODES:
        limits = "; ".join(
            f"{r['title']}: {r['days']} {r['unit']} ({r['citation']})"
            for r in rule_summaries(code, on)
        )
        services.append(
            {
                "service_code": code,
                "service_name": str(Petition.Kind(code).label),
                "description": limits,
                "metadata": False,
                "type": "realtime",
                "keywords": code,
                "group": "petitions",
            }
        )
    return services


@dataclass
class Submission:
    service_code: str
    description: str
    lat: float | None = None
    long: float | None = None
    address_string: str = ""
    address_id: str = ""
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    phone: str = ""
    media_url: str = ""


def _unit(address_id: str) -> AdministrativeUnit | None:
    """The commune (ward, special zone) with official code `address_id`, in force today."""
    if not address_id:
        return None
    unit = (
        AdministrativeUnit.objects.in_force(timezone.localdate())
        .filter(code=address_id.strip(), scheme=AdministrativeUnit.Scheme.TWO_TIER)
        .first()
    )
    if unit is None:
        raise ValidationError({"address_id": _("Unknown address_id (commune code).")})
    return unit


def open311_submit(*, api_token: ApiToken, data: Submission) -> tuple[Open311Request, str]:
    """Create the portal petition of an Open311 request; return its record and the notice."""
    errors = {}
    if data.service_code not in SERVICE_CODES:
        errors["service_code"] = _("Unknown service_code.")
    if not (data.description or "").strip():
        errors["description"] = _("description is required.")
    has_point = data.lat is not None and data.long is not None
    if not (has_point or data.address_string or data.address_id):
        errors["location"] = _("Give lat and long, address_string or address_id.")
    if errors:
        raise ValidationError(errors)
    unit = _unit(data.address_id)
    name = " ".join(part for part in (data.last_name, data.first_name) if part).strip()
    person = (
        PetitionerData(
            full_name=name, phone=data.phone, email=data.email, address=data.address_string
        )
        if name
        else None
    )
    description = data.description.strip()
    subject = description if len(description) <= 120 else description[:117].rsplit(" ", 1)[0] + "…"
    extra = [data.address_string, f"({data.lat}, {data.long})" if has_point else "", data.media_url]
    content = "\n\n".join(part for part in (description, *extra) if part)
    with transaction.atomic():
        petition, receipt = portal_submit(
            kind=data.service_code, unit=unit, subject=subject, content=content, person=person
        )
        record = Open311Request.objects.create(
            petition=petition,
            token=secrets.token_hex(8),
            api_token=api_token,
            service_code=data.service_code,
            lat=data.lat,
            long=data.long,
            address_string=data.address_string[:300],
        )
    notice = _(
        "Received. Tracking code %(code)s, secret %(secret)s: keep them to follow the case on "
        "the portal. Due by %(due)s (%(citation)s)."
    ) % {
        "code": receipt.code,
        "secret": receipt.secret,
        "due": receipt.due_on,
        "citation": receipt.citation,
    }
    return record, notice


def public_requests() -> QuerySet[Petition]:
    """Portal petitions as Open311 publishes them (joined for the redacted fields)."""
    return (
        Petition.objects.filter(channel=Petition.Channel.PORTAL)
        .select_related("agency", "unit", "sealed_identity", "open311")
        .prefetch_related("petitioners")
        .annotate(updated_at=Max("transitions__at"))
    )


def _public_description(petition: Petition) -> str:
    if petition.is_sealed or petition.kind == wf.DENUNCIATION:
        return SEALED
    return _scrub(petition.subject, _identity_patterns(_people(petition)))[0]


def request_as_open311(petition: Petition) -> dict:
    record = getattr(petition, "open311", None)  # RelatedObjectDoesNotExist is an AttributeError
    sealed = petition.is_sealed or petition.kind == wf.DENUNCIATION
    due = petition.due_on
    return {
        "service_request_id": str(petition.pk),
        "status": "open" if petition.is_open else "closed",
        "status_notes": str(petition.get_status_display()),
        "service_name": str(petition.get_kind_display()),
        "service_code": petition.kind,
        "description": _public_description(petition),
        "agency_responsible": str(petition.agency),
        "service_notice": "",
        "requested_datetime": timezone.localtime(petition.created_at).isoformat(),
        "updated_datetime": timezone.localtime(
            petition.updated_at or petition.created_at
        ).isoformat(),
        "expected_datetime": (
            timezone.make_aware(dt.datetime.combine(due, dt.time(17, 0))).isoformat()
            if due and petition.is_open
            else None
        ),
        "address": "" if sealed else (petition.unit.name if petition.unit else ""),
        "address_id": "" if sealed else (petition.unit.code if petition.unit else ""),
        "zipcode": "",
        "lat": None if sealed or record is None else record.lat,
        "long": None if sealed or record is None else record.long,
        "media_url": "",
    }
