"""Checks shared by the reception services."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.org.models import Agency
from danvan.reception.models import ReceptionSession


def not_in_future(errors: dict, field: str, day: dt.date) -> None:
    if day > timezone.localdate():
        errors[field] = _("The date cannot be in the future.")


def check_session(errors: dict, session: ReceptionSession | None, agency: Agency, day) -> None:
    if session is None:
        return
    if session.agency_id != agency.pk or session.date != day:
        errors["session"] = _("Choose a session of this agency on the same date.")
    elif session.status == ReceptionSession.Status.CANCELLED:
        errors["session"] = _("This session was cancelled.")
