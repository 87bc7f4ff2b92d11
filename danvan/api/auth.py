"""API authentication: personal tokens (Bearer) and the browser's session, one rate limit each."""

import datetime as dt

from django.conf import settings
from ninja.errors import AuthenticationError, AuthorizationError, Throttled
from ninja.security import HttpBearer, SessionAuth

from danvan.api.errors import activate_api_language
from danvan.api.services import token_lookup
from danvan.core import ratelimit

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
WINDOW = dt.timedelta(minutes=1)
# Wrong tokens per client address: a client with a typo retries a few times, a guesser more.
BAD_TOKENS_PER_IP = ratelimit.Limit("api:badtoken:ip", 20, dt.timedelta(minutes=10))


def _throttle(key: str) -> None:
    limit = settings.DANVAN_API_RATE_PER_MINUTE
    if not ratelimit.hit(key=f"api:{key}", limit=limit, window=WINDOW):
        raise Throttled(wait=ratelimit.seconds_left(WINDOW))


def bad_token_allowed(request) -> bool:
    """Count one wrong token from this client; False once it has sent too many."""
    return ratelimit.check(BAD_TOKENS_PER_IP, ratelimit.client_key(request))


class TokenAuth(HttpBearer):
    """`Authorization: Bearer dv_…`: acts as the token's owner; read tokens may only read."""

    def authenticate(self, request, token):
        activate_api_language(request)
        found = token_lookup(token)
        if found is None:
            if not bad_token_allowed(request):
                raise Throttled(wait=ratelimit.seconds_left(BAD_TOKENS_PER_IP.window))
            # A token was sent but is wrong, expired or revoked: do not fall back to a session.
            raise AuthenticationError()
        # Per token and per owner: making more tokens does not buy a higher rate.
        _throttle(f"token:{found.pk}")
        _throttle(f"user:{found.user_id}")
        if request.method not in SAFE_METHODS and not found.can_write:
            from django.utils.translation import gettext as _

            raise AuthorizationError(message=_("This token may only read."))
        request.user = found.user
        request.api_token = found
        return found.user


class BrowserSessionAuth(SessionAuth):
    """The signed-in browser (CSRF-checked for writes), for the pages' own scripts and Swagger."""

    def authenticate(self, request, key):
        activate_api_language(request)
        user = super().authenticate(request, key)
        if user is not None:
            _throttle(f"user:{user.pk}")
        request.api_token = None
        return user


token_auth = TokenAuth()
session_auth = BrowserSessionAuth()


def require_token_agency(request, agency_id: int | None) -> None:
    """A token writes only for its own agency and those below it (a session is not bound)."""
    from django.core.exceptions import PermissionDenied

    from danvan.org.selectors import agency_descendant_ids

    token = getattr(request, "api_token", None)
    if token is None:
        return
    if agency_id not in agency_descendant_ids({token.agency_id}):
        raise PermissionDenied
