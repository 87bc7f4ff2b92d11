"""Petitions: the inbox's selector and redaction, the intake and workflow services.

Sealed denouncer identities: lists and details show only "[Bảo mật]"; the identity endpoint
answers only the case's handling officer and the agency's leaders, each read audited (403 and
an audited refusal otherwise), exactly like the reveal page, and only to a signed-in browser:
a token (a string that can leak from a script or a CI log) never reveals a denouncer.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import AuthorizationError

from danvan.api import schemas as s
from danvan.api.auth import require_token_agency
from danvan.api.pagination import paginate
from danvan.org.models import AdministrativeUnit, Agency, Membership
from danvan.org.selectors import agencies_where_user_works
from danvan.petitions import sealing, services
from danvan.petitions import workflow as wf
from danvan.petitions.models import Petition
from danvan.petitions.selectors import (
    InboxFilters,
    inbox,
    petition_queryset,
    petitioner_label,
)

router = Router(tags=["petitions"])
PetitionPage = s.page_of(s.PetitionOut, "PetitionPage")
INTAKE_ROLES = (Membership.Role.LEADER, Membership.Role.OFFICER, Membership.Role.CLERK)


def _out(petition: Petition) -> dict:
    return {
        "id": petition.pk,
        "tracking_code": petition.tracking_code,
        "agency_id": petition.agency_id,
        "unit_id": petition.unit_id,
        "kind": petition.kind,
        "channel": petition.channel,
        "status": petition.status,
        "instance": petition.instance,
        "subject": petition.subject,
        "received_on": petition.received_on,
        "due_on": petition.due_on,
        "is_anonymous": petition.is_anonymous,
        "is_sealed": petition.is_sealed,
        "petitioner": petitioner_label(petition),
        "petitioner_count": petition.petitioner_count,
        "assigned_to_id": petition.assigned_to_id,
        "version": petition.version,
    }


def _detail(request, petition: Petition) -> dict:
    can_move = request.user.has_perm("petitions.move_petition", petition)
    return {
        **_out(petition),
        "content": petition.content,
        "is_mass": petition.is_mass,
        "is_complex": petition.is_complex,
        "is_remote": petition.is_remote,
        "deadlines": [
            {
                "kind": d.kind,
                "due_on": d.due_on,
                "start_on": d.start_on,
                "days": d.days,
                "met_on": d.met_on,
                "citation": d.rule.citation,
            }
            for d in petition.deadlines.select_related("rule").order_by("due_on")
        ],
        "allowed_actions": wf.allowed_actions(state=petition.status, kind=petition.kind)
        if can_move
        else [],
    }


def case_get(request, petition_id: int) -> Petition:
    """The case if the caller may see it (the pages' selector), else 404."""
    try:
        return (
            petition_queryset(user=request.user)
            .select_related("agency", "sealed_identity", "assigned_to")
            .prefetch_related("petitioners")
            .get(pk=petition_id)
        )
    except Petition.DoesNotExist:
        raise Http404 from None


@router.get("/petitions", response=PetitionPage, summary="Cases you may see (inbox filters)")
def petitions(request, filters: Query[s.PetitionFilters]):
    qs = inbox(
        user=request.user,
        filters=InboxFilters(
            kind=filters.kind or "",
            status=filters.status or "",
            channel=filters.channel or "",
            unit=filters.unit,
            date_from=filters.received_from,
            date_to=filters.received_to,
            overdue=filters.overdue,
            query=filters.q or "",
            mine=filters.mine,
        ),
    )
    page = paginate(qs, cursor=filters.cursor, limit=filters.limit, keys=("-id",))
    return {**page, "items": [_out(p) for p in page["items"]]}


@router.get("/petitions/{petition_id}", response=s.PetitionDetailOut)
def petition(request, petition_id: s.Id):
    return _detail(request, case_get(request, petition_id))


@router.post("/petitions", response={201: s.PetitionDetailOut}, summary="Record a petition")
def petition_create(request, data: s.PetitionIn):
    if not request.user.has_perm("petitions.receive_petition"):
        raise PermissionDenied
    agency = agencies_where_user_works(request.user, INTAKE_ROLES).filter(pk=data.agency_id).first()
    if agency is None:
        raise ValidationError({"agency_id": _("Choose an agency where you take petitions.")})
    require_token_agency(request, agency.pk)
    unit = AdministrativeUnit.objects.filter(pk=data.unit_id).first() if data.unit_id else None
    if data.unit_id and unit is None:
        raise ValidationError({"unit_id": _("Unknown administrative unit.")})
    errors = {}
    if data.channel not in Petition.Channel.values:
        errors["channel"] = _("Unknown channel.")
    elif data.channel == Petition.Channel.PORTAL:
        # "portal" means a citizen sent it themselves (and Open311 publishes such cases).
        errors["channel"] = _("The portal channel is only for petitions citizens send online.")
    if data.kind not in Petition.Kind.values:
        errors["kind"] = _("Unknown kind.")
    if errors:
        raise ValidationError(errors)
    created = services.petition_receive(
        actor=request.user,
        agency=agency,
        channel=data.channel,
        subject=data.subject,
        content=data.content,
        received_on=data.received_on,
        petitioners=[services.PetitionerData(**p.dict()) for p in data.petitioners],
        kind=data.kind,
        unit=unit,
        is_anonymous=data.is_anonymous,
        petitioner_count=data.petitioner_count,
        forwarded_by=data.forwarded_by,
    )
    return Status(201, _detail(request, case_get(request, created.pk)))


@router.post("/petitions/{petition_id}/moves", response=s.PetitionDetailOut)
def petition_move(request, petition_id: s.Id, data: s.MoveIn):
    """One workflow step; `version` must be the case's current version (409 otherwise)."""
    case = case_get(request, petition_id)
    if not request.user.has_perm("petitions.move_petition", case):
        raise PermissionDenied
    # Even the case's own officer: a token acts only in its agency's subtree.
    require_token_agency(request, case.agency_id)
    if data.action not in wf.MOVES or data.action == "split":
        raise ValidationError({"action": _("Unknown or unsupported step.")})
    # Any agency, as on the page: a case is transferred to the competent one, in scope or not.
    target = (
        Agency.objects.filter(pk=data.target_agency_id).first() if data.target_agency_id else None
    )
    if data.target_agency_id and target is None:
        raise ValidationError({"target_agency_id": _("Unknown agency.")})
    opts = {}
    if data.action == "classify":
        if data.kind not in Petition.Kind.values or data.kind == wf.UNCLASSIFIED:
            raise ValidationError({"kind": _("Choose the kind of petition.")})
        opts = {
            "kind": data.kind,
            "is_complex": bool(data.is_complex),
            "is_remote": bool(data.is_remote),
            "eligibility": data.eligibility or [],
        }
    services.petition_move(
        actor=request.user,
        petition=case,
        action=data.action,
        expected_version=data.version,
        reason=data.reason,
        legal_basis=data.legal_basis,
        target_agency=target,
        **opts,
    )
    return _detail(request, case_get(request, petition_id))


@router.get("/petitions/{petition_id}/transitions", response=list[s.TransitionOut])
def petition_transitions(request, petition_id: s.Id):
    return list(case_get(request, petition_id).transitions.all())


@router.get("/petitions/{petition_id}/attachments", response=list[s.AttachmentOut])
def petition_attachments(request, petition_id: s.Id):
    """Attachments the pages show: a denunciation's (sealed) files are not listed."""
    return list(case_get(request, petition_id).attachments.filter(is_sealed=False))


@router.get("/petitions/{petition_id}/attachments/{attachment_id}", response={200: None})
def petition_attachment_download(request, petition_id: s.Id, attachment_id: s.Id):
    found = (
        case_get(request, petition_id).attachments.filter(pk=attachment_id, is_sealed=False).first()
    )
    if found is None:
        raise Http404
    return FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=found.original_name,
        content_type=found.content_type,
    )


@router.get(
    "/petitions/{petition_id}/identity",
    response=list[s.IdentityOut],
    summary="The sealed denouncer identity (cleared users, signed-in browser only; audited)",
)
def petition_identity(request, petition_id: s.Id, response: HttpResponse):
    response["Cache-Control"] = "no-store"  # no proxy or browser cache keeps a denouncer
    if getattr(request, "api_token", None) is not None:
        raise AuthorizationError(message=_("Sign in with a browser to reveal a sealed identity."))
    case = case_get(request, petition_id)
    if not case.is_sealed:
        raise Http404
    people = sealing.reveal_identity(user=request.user, petition=case)  # 403 + audit if not
    return [{k: p.get(k) or "" for k in s.IdentityOut.model_fields} for p in people]
