"""Open311 GeoReport v2 on top of the portal: services are the petition kinds a citizen may
send; a request is a portal petition (routed to the commune's People's Committee), recorded with
the API key (token) of the system that sent it.

Public reads are redacted: a request shows its kind, status, dates, handling agency and commune,
and as its description only the name of its kind. Nothing the sender wrote is published: a
scrubber removes the sender's own name and contact, not an ID number or a third party named in
the text, so the subject and content are never read here. No coordinates either (a point is an
address). A denunciation shows neither its commune nor the committee handling it (the Law on
Denunciations protects the denouncer, and a commune is small enough to point at them).

Only cases a citizen sent (the portal or Open311: channel "portal" with no receiving official
and a tracking secret) are public; a case an official recorded is not, whatever its channel.
"""

import datetime as dt
import secrets
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.api.models import ApiToken, Open311Request
from danvan.core.audit import audit_log
from danvan.org.models import AdministrativeUnit
from danvan.org.selectors import agencies_where_user_works, agency_descendant_ids
from danvan.petitions import workflow as wf
from danvan.petitions.models import SEALED, Petition
from danvan.petitions.services import PetitionerData
from danvan.portal.services_citizen import (
    KIND_RULES,
    handling_agency,
    portal_submit,
    rule_summaries,
)

SERVICE_CODES = tuple(KIND_RULES)  # complaint, denunciation, recommendation, feedback
DEFAULT_WINDOW = dt.timedelta(days=90)
MAX_RESULTS = 1000
MAX_IDS = 50  # service_request_id=1,2,… per call: enough for a client, not for enumeration


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
    """Create the portal petition of an Open311 request; return its record and the notice.

    The token's owner answers for the request like for any write: they must be allowed to
    record petitions, the handling committee must be in the token's agency subtree, and the
    submission is audited with them as the actor (the portal's own record has no actor).
    """
    from danvan.api.routes_petitions import INTAKE_ROLES

    user = api_token.user
    if not (user.has_perm("core.view_staff_home") and user.has_perm("petitions.receive_petition")):
        raise PermissionDenied
    # As POST /petitions: an intake role in the token's agency (not only a token of it).
    if not agencies_where_user_works(user, INTAKE_ROLES).filter(pk=api_token.agency_id).exists():
        raise PermissionDenied
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
    if handling_agency(unit, timezone.localdate()).pk not in agency_descendant_ids(
        {api_token.agency_id}
    ):
        raise PermissionDenied
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
        audit_log(
            actor=user,
            action="api.open311_submit",
            obj=petition,
            agency=petition.agency,
            changes={"api_token": api_token.pk, "service_code": data.service_code},
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
    """Cases citizens sent (portal or Open311) as Open311 publishes them.

    portal_submit is the only writer of a portal case with no receiving official and a tracking
    secret; an official's intake sets `received_by`, so it stays private whatever its channel.
    """
    return (
        Petition.objects.filter(channel=Petition.Channel.PORTAL, received_by__isnull=True)
        .exclude(tracking_secret_hash="")
        .select_related("agency", "unit")
        .annotate(updated_at=Max("transitions__at"))
    )


def request_as_open311(petition: Petition) -> dict:
    # A denunciation hides where it comes from: no commune, no committee (see the docstring).
    sealed = petition.is_sealed or petition.kind == wf.DENUNCIATION
    due = petition.due_on
    name = str(petition.get_kind_display())
    return {
        "service_request_id": str(petition.pk),
        "status": "open" if petition.is_open else "closed",
        "status_notes": str(petition.get_status_display()),
        "service_name": name,
        "service_code": petition.kind,
        # A fixed text per kind: what the sender wrote may name anyone (see the docstring).
        "description": SEALED if sealed else name,
        "agency_responsible": "" if sealed else str(petition.agency),
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
        "lat": None,
        "long": None,
        "media_url": "",
    }
