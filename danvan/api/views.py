"""Staff pages for personal API tokens: create (shown once), list, revoke; and Redoc."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from ninja import Redoc

from danvan.api.api import api
from danvan.api.forms import TokenForm
from danvan.api.models import ApiToken
from danvan.api.services import api_token_create, api_token_revoke, token_agencies
from danvan.core.decorators import permission_required


@permission_required("core.view_staff_home")
def token_list_view(request):
    form = TokenForm(request.POST or None, agencies=token_agencies(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            token, raw = api_token_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            response = render(request, "api/token_created.html", {"token": token, "raw": raw})
            response["Cache-Control"] = "no-store"
            return response
    tokens = ApiToken.objects.filter(user=request.user).select_related("agency")
    return render(request, "api/tokens.html", {"form": form, "tokens": tokens})


@require_POST
@permission_required("core.view_staff_home")
def token_revoke_view(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("Token revoked."))
    return redirect("api:tokens")


def redoc_view(request):
    """Redoc from the vendored copy in django-ninja's static files (no CDN)."""
    return Redoc().render_page(request, api)
