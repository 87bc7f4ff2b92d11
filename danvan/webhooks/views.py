"""Staff pages for webhooks: an agency leader's subscriptions and their delivery log."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from danvan.core.decorators import permission_required
from danvan.org.models import Membership
from danvan.org.selectors import agencies_where_user_works
from danvan.webhooks.forms import SubscriptionForm
from danvan.webhooks.models import Delivery, Subscription
from danvan.webhooks.services import (
    webhook_subscription_create,
    webhook_subscription_deactivate,
)


def _led(user):
    return agencies_where_user_works(user, (Membership.Role.LEADER,))


def _subscriptions(user):
    return Subscription.objects.filter(agency__in=_led(user)).select_related("agency")


@permission_required("core.view_staff_home")
def subscription_list_view(request):
    form = SubscriptionForm(request.POST or None, agencies=_led(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            subscription, secret = webhook_subscription_create(
                actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            response = render(
                request,
                "webhooks/created.html",
                {"subscription": subscription, "secret": secret},
            )
            response["Cache-Control"] = "no-store"
            return response
    deliveries = (
        Delivery.objects.filter(subscription__in=_subscriptions(request.user))
        .select_related("subscription")
        .order_by("-created_at", "-id")[:100]
    )
    return render(
        request,
        "webhooks/subscriptions.html",
        {"form": form, "subscriptions": _subscriptions(request.user), "deliveries": deliveries},
    )


@require_POST
@permission_required("core.view_staff_home")
def subscription_deactivate_view(request, pk):
    subscription = get_object_or_404(_subscriptions(request.user), pk=pk)
    webhook_subscription_deactivate(actor=request.user, subscription=subscription)
    messages.success(request, _("Subscription stopped."))
    return redirect("webhooks:subscriptions")
