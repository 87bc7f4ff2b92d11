"""API v1 (django-ninja): one NinjaAPI, token or session auth, problem+json errors.

Every operation answers only what the pages would show the same user: the same selectors,
permissions and redaction. `/api/v1/kpis` comes from the reports module (`reports/api.py`).
"""

from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthorizationError

from danvan.api import routes_petitions, routes_plans, routes_reception, routes_reference
from danvan.api.auth import session_auth, token_auth
from danvan.api.errors import install_handlers
from danvan.reports import api as reports_api


def staff_only(request) -> None:
    if not request.user.has_perm("core.view_staff_home"):
        raise AuthorizationError(message=_("This API is for staff with a role in an agency."))


class StaffTokenAuth(type(token_auth)):
    def authenticate(self, request, token):
        user = super().authenticate(request, token)
        staff_only(request)
        return user


class StaffSessionAuth(type(session_auth)):
    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user is not None:
            staff_only(request)
        return user


api = NinjaAPI(
    title="danvan API",
    version="1",
    description=(
        "Machine access to danvan under the same scoping, redaction and audit as the pages. "
        "Errors are RFC 9457 problem details; lists use opaque cursors. See docs/api.md."
    ),
    urls_namespace="api-v1",
    auth=[StaffTokenAuth(), StaffSessionAuth()],
    docs=Swagger(),
)
install_handlers(api)

api.add_router("/", routes_reference.router)
api.add_router("/", routes_plans.router)
api.add_router("/", routes_petitions.router)
api.add_router("/", routes_reception.router)
api.add_router("/", reports_api.router)  # GET /kpis
