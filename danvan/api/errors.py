"""One error format for the API: RFC 9457 problem details (application/problem+json).

Titles are translated; the language follows Accept-Language (Vietnamese unless English is
preferred), like the rest of the API's messages (see `activate_api_language`).
"""

import json

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from danvan.core.errors import ConcurrentChangeError, TransitionError

PROBLEM_TYPE = "https://danvan.invalid/problems/"
CONTENT_TYPE = "application/problem+json"


def api_language(request) -> str:
    """'en' when the client's Accept-Language prefers English over Vietnamese, else 'vi'."""
    header = request.headers.get("Accept-Language", "")
    ranked = []
    for index, part in enumerate(header.split(",")):
        lang, _sep, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        ranked.append((-quality, index, lang.strip().lower()[:2]))
    for _q, _i, lang in sorted(ranked):
        if lang in ("vi", "en"):
            return lang
    return settings.LANGUAGE_CODE


def activate_api_language(request) -> None:
    language = api_language(request)
    translation.activate(language)
    request.LANGUAGE_CODE = language


def problem(
    request, status: int, code: str, title: str, detail: str = "", errors: list | None = None
) -> HttpResponse:
    body = {"type": PROBLEM_TYPE + code, "title": title, "status": status, "detail": detail}
    if errors:
        body["errors"] = errors
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=CONTENT_TYPE
    )
    response["Content-Language"] = translation.get_language() or settings.LANGUAGE_CODE
    return response


def _django_errors(exc: DjangoValidationError) -> list[dict]:
    if hasattr(exc, "error_dict"):
        return [
            {"field": field if field != "__all__" else "", "message": message}
            for field, errs in exc.message_dict.items()
            for message in errs
        ]
    return [{"field": "", "message": m} for m in exc.messages]


def _field_message(error: dict) -> str:
    """pydantic's English message as a translated one, by error type (limits kept)."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind in ("string_too_long", "too_long"):
        return _("At most %(n)s characters or items.") % {"n": ctx.get("max_length", "?")}
    if kind in ("string_too_short", "too_short"):
        return _("At least %(n)s characters or items.") % {"n": ctx.get("min_length", "?")}
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("Enter a whole number.")
    if kind.startswith(("date_", "datetime_")):
        return _("Enter a date as YYYY-MM-DD.")
    if kind in ("greater_than_equal", "greater_than"):
        bound = ctx.get("ge", ctx.get("gt", "?"))
        return _("Enter a value of at least %(n)s.") % {"n": bound}
    if kind in ("less_than_equal", "less_than"):
        bound = ctx.get("le", ctx.get("lt", "?"))
        return _("Enter a value of at most %(n)s.") % {"n": bound}
    if kind in ("literal_error", "enum"):
        return _("Choose one of: %(choices)s.") % {"choices": ctx.get("expected", "")}
    if kind in ("bool_parsing", "bool_type"):
        return _("Enter true or false.")
    # value_error (our own validators) and anything else: pydantic's text is English only.
    return _("Invalid value.")


def _ninja_errors(exc: NinjaValidationError) -> list[dict]:
    out = []
    for error in exc.errors:
        loc = [str(part) for part in error.get("loc", ())]
        # ("body", "<param>", field…) / ("query", field) / ("path", field): keep the field part
        loc = loc[2:] if loc[:1] == ["body"] else loc[1:]
        out.append({"field": ".".join(loc), "message": _field_message(error)})
    return out


def install_handlers(api) -> None:
    """Register the problem+json handlers on a NinjaAPI instance."""

    def handle(exc_class):
        def register(func):
            def handler(request, exc):
                activate_api_language(request)
                return func(request, exc)

            api.add_exception_handler(exc_class, handler)
            return func

        return register

    @handle(NinjaValidationError)
    def invalid_input(request, exc):
        # A malformed query string or path is a bad request (400); a body that parses but
        # does not validate is unprocessable (422).
        in_body = any(tuple(e.get("loc", ()))[:1] == ("body",) for e in exc.errors)
        return problem(
            request,
            422 if in_body else 400,
            "invalid-input",
            _("Invalid input"),
            _("Some fields are not valid."),
            _ninja_errors(exc),
        )

    @handle(AuthenticationError)
    def unauthenticated(request, exc):
        response = problem(
            request,
            401,
            "unauthenticated",
            _("Authentication required"),
            _("Send a valid, unexpired API token as 'Authorization: Bearer …', or sign in."),
        )
        response["WWW-Authenticate"] = 'Bearer realm="danvan"'
        return response

    @handle(AuthorizationError)
    def forbidden(request, exc):
        return problem(request, 403, "forbidden", _("Not allowed"), str(exc))

    @handle(Throttled)
    def throttled(request, exc):
        response = problem(
            request,
            429,
            "rate-limited",
            _("Too many requests"),
            _("This token has made too many requests; try again later."),
        )
        if getattr(exc, "wait", None):
            response["Retry-After"] = str(int(exc.wait))
        return response

    @handle(HttpError)
    def http_error(request, exc):
        return problem(request, exc.status_code, f"http-{exc.status_code}", str(exc), str(exc))

    @handle(Http404)
    def not_found(request, exc):
        return problem(
            request,
            404,
            "not-found",
            _("Not found"),
            _("It does not exist or is not one you may see."),
        )

    @handle(ObjectDoesNotExist)
    def does_not_exist(request, exc):
        return not_found(request, exc)

    @handle(PermissionDenied)
    def permission_denied(request, exc):
        return problem(
            request, 403, "forbidden", _("Not allowed"), _("You may not do this to this record.")
        )

    @handle(ConcurrentChangeError)
    def conflict(request, exc):
        return problem(
            request, 409, "conflict", _("Changed by someone else"), " ".join(exc.messages)
        )

    @handle(TransitionError)
    def transition(request, exc):
        return problem(request, 409, "transition", _("Step not allowed"), " ".join(exc.messages))

    @handle(DjangoValidationError)
    def django_invalid(request, exc):
        return problem(
            request,
            422,
            "invalid-input",
            _("Invalid input"),
            " ".join(exc.messages),
            _django_errors(exc),
        )
