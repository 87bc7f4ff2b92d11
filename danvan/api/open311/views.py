"""Open311 GeoReport v2 endpoints: /open311/v2/<resource>.<json|xml>."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods
from ninja.errors import Throttled

from danvan.api.auth import _throttle, bad_token_allowed
from danvan.api.errors import activate_api_language
from danvan.api.models import Open311Request
from danvan.api.open311 import services
from danvan.api.open311.render import error, respond
from danvan.api.services import token_lookup
from danvan.core import ratelimit

CHANGESET = "2026-11-27T00:00:00+07:00"
# Public reads per client address: looser than the portal's tracking, which guards secrets.
READS_PER_IP = ratelimit.Limit("open311:ip", 300, dt.timedelta(minutes=10))
# Tokens are short (64 bits) and answer "which case": guessed ones must stay rare.
TOKEN_READS_PER_IP = ratelimit.Limit("open311:token:ip", 60, dt.timedelta(minutes=10))


def _absolute(request, name: str) -> str:
    return request.build_absolute_uri(reverse(name, kwargs={"fmt": "json"})).rsplit("/", 1)[0]


@require_GET
def discovery(request, fmt):
    activate_api_language(request)
    data = {
        "changeset": CHANGESET,
        "contact": _("The People's Committee receiving petitions; see the portal."),
        "key_service": _("API keys are personal API tokens created by officials at /api/tokens/."),
        "endpoints": [
            {
                "specification": "http://wiki.open311.org/GeoReport_v2",
                "url": _absolute(request, "open311:services") + "/",
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["application/json", "text/xml"],
            }
        ],
    }
    return respond(fmt, "discovery", data)


@require_GET
def service_list(request, fmt):
    activate_api_language(request)
    return respond(fmt, "services", services.service_list())


def _float(value: str, name: str, low: float, high: float) -> float | None:
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except ValueError:
        raise ValidationError({name: _("Not a number.")}) from None
    if not low <= number <= high:
        raise ValidationError({name: _("Out of range.")})
    return number


def _submission(post) -> services.Submission:
    def text(name: str, limit: int = 300) -> str:
        value = (post.get(name) or "").strip()
        if "\x00" in value or len(value) > limit:
            raise ValidationError({name: _("Too long or not text.")})
        return value

    return services.Submission(
        service_code=text("service_code", 32),
        description=text("description", 4000),
        lat=_float(post.get("lat"), "lat", -90, 90),
        long=_float(post.get("long"), "long", -180, 180),
        address_string=text("address_string"),
        address_id=text("address_id", 16),
        first_name=text("first_name", 100),
        last_name=text("last_name", 100),
        email=text("email", 254),
        phone=text("phone", 20),
        media_url=text("media_url", 500),
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def requests_view(request, fmt):
    activate_api_language(request)
    if request.method == "POST":
        return _create(request, fmt)
    return _list(request, fmt)


def _create(request, fmt):
    token = token_lookup(request.POST.get("api_key", ""))
    if token is None and not bad_token_allowed(request):
        return error(fmt, 429, _("Too many requests; try again later."))
    if token is None or not token.can_write:
        return error(fmt, 403, _("api_key is missing, invalid, expired or read-only."))
    try:
        _throttle(f"token:{token.pk}")
        _throttle(f"user:{token.user_id}")
        record, notice = services.open311_submit(api_token=token, data=_submission(request.POST))
    except Throttled:
        return error(fmt, 429, _("Too many requests; try again later."))
    except PermissionDenied:
        return error(fmt, 403, _("The owner of this api_key may not record petitions there."))
    except ValidationError as exc:
        return error(fmt, 400, " ".join(exc.messages))
    answer = {
        "service_request_id": str(record.petition_id),
        "token": record.token,
        "service_notice": notice,
        "account_id": None,
    }
    response = respond(fmt, "requests", [answer], status=201)
    # The notice holds the tracking secret: no cache (proxy or browser) may keep it.
    response["Cache-Control"] = "no-store"
    return response


def _when(value: str, name: str) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = parse_datetime(value.replace(" ", "+")) if "\x00" not in value else None
        if parsed is not None and not timezone.is_aware(parsed):
            parsed = timezone.make_aware(parsed)
        # The database stores UTC: a date near year 1 or 9999 may not convert (OverflowError).
        if parsed is not None and not 1900 <= parsed.astimezone(dt.UTC).year <= 2999:
            parsed = None
    except (ValueError, OverflowError):  # well formed but impossible, e.g. 2026-02-30
        parsed = None
    if parsed is None:
        raise ValidationError({name: _("Use a W3C date and time, e.g. 2026-01-31T00:00:00Z.")})
    return parsed


def _list(request, fmt):
    if not ratelimit.check(READS_PER_IP, ratelimit.client_key(request)):
        return error(fmt, 429, _("Too many requests; try again later."))
    qs = services.public_requests()
    ids = [i for i in request.GET.get("service_request_id", "").split(",") if i.strip()]
    try:
        if len(ids) > services.MAX_IDS:
            raise ValidationError(
                {"service_request_id": _("Ask for at most %(n)d ids.") % {"n": services.MAX_IDS}}
            )
        if ids:
            numbers = [int(i) for i in ids if i.strip().isdigit() and len(i.strip()) < 19]
            qs = qs.filter(pk__in=numbers)
        else:
            start = _when(request.GET.get("start_date", ""), "start_date")
            end = _when(request.GET.get("end_date", ""), "end_date")
            if start is None and end is None:
                start = timezone.now() - services.DEFAULT_WINDOW
            if start:
                qs = qs.filter(created_at__gte=start)
            if end:
                qs = qs.filter(created_at__lte=end)
    except ValidationError as exc:
        return error(fmt, 400, " ".join(exc.messages))
    codes = [c for c in request.GET.get("service_code", "").split(",") if c]
    if codes:
        qs = qs.filter(kind__in=codes)
    status = request.GET.get("status", "")
    if status:
        from danvan.petitions import workflow as wf

        wanted = set(status.split(","))
        if wanted == {"open"}:
            qs = qs.filter(status__in=wf.OPEN_STATES)
        elif wanted == {"closed"}:
            qs = qs.exclude(status__in=wf.OPEN_STATES)
    rows = qs.order_by("-created_at", "-id")[: services.MAX_RESULTS]
    return respond(fmt, "requests", [services.request_as_open311(p) for p in rows])


@require_GET
def request_detail(request, fmt, request_id):
    activate_api_language(request)
    if not ratelimit.check(READS_PER_IP, ratelimit.client_key(request)):
        return error(fmt, 429, _("Too many requests; try again later."))
    petition = services.public_requests().filter(pk=request_id).first()
    if petition is None:
        return error(fmt, 404, _("No such service request."))
    return respond(fmt, "requests", [services.request_as_open311(petition)])


@require_GET
def token_detail(request, fmt, token):
    activate_api_language(request)
    if not ratelimit.check(TOKEN_READS_PER_IP, ratelimit.client_key(request)):
        return error(fmt, 429, _("Too many requests; try again later."))
    record = Open311Request.objects.filter(token=token[:32]).first()
    if record is None:
        return error(fmt, 404, _("No such token."))
    answer = {"service_request_id": str(record.petition_id), "token": record.token}
    return respond(fmt, "requests", [answer])
