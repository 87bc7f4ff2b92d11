"""Forms of the reception pages. Field names match the service arguments, so a service's
field errors land next to the right input."""

import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danvan.core.forms import DATE_INPUT_FORMATS, AccessibleErrorsMixin
from danvan.org.models import Agency, Membership
from danvan.reception import groups, quota
from danvan.reception.models import (
    VISIT_KINDS,
    ReceptionRefusal,
    ReceptionSession,
    ReceptionVisit,
    Role,
)

RECENT_SESSION_DAYS = 120  # the session pickers offer the sessions of the last four months
MAX_RANGE_DAYS = 400  # a year and a bit: enough for a yearly report, bounded for weekly rows


def date_field(label, required=True, **kwargs):
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a valid date, e.g. 2026-02-13 or 13/02/2026.")},
        **kwargs,
    )


def text_area(rows: int = 3):
    return forms.Textarea(attrs={"rows": rows})


class PeriodForm(AccessibleErrorsMixin, forms.Form):
    """The date range of a list (GET). Invalid or missing input falls back to the default."""

    start = date_field(_("From"), required=False)
    end = date_field(_("To"), required=False)

    def range(self, default_start: dt.date, default_end: dt.date) -> tuple[dt.date, dt.date]:
        if not self.is_bound:
            self.initial = {"start": default_start, "end": default_end}
        if not self.is_valid():
            return default_start, default_end
        start = self.cleaned_data.get("start") or default_start
        end = self.cleaned_data.get("end") or default_end
        if end < start:
            self.add_error("end", _("The end date must not be before the start date."))
            return default_start, default_end
        if (end - start).days > MAX_RANGE_DAYS:
            self.add_error(
                "end", _("Choose a range of at most %(n)d days.") % {"n": MAX_RANGE_DAYS}
            )
            return default_start, default_end
        return start, end


class SessionForm(AccessibleErrorsMixin, forms.Form):
    leader = forms.ModelChoiceField(
        label=_("Receiving leader"), queryset=get_user_model().objects.none()
    )
    role = forms.ChoiceField(label=_("In the role of"), required=False)
    date = date_field(_("Date"))
    place = forms.CharField(label=_("Place"), max_length=300)
    mode = forms.ChoiceField(
        label=_("Mode"),
        choices=ReceptionSession.Mode.choices,
        initial=ReceptionSession.Mode.IN_PERSON,
        widget=forms.RadioSelect,
        help_text=_("Online reception only from 1/7/2026 (Luật 136/2025/QH15)."),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=ReceptionSession.Kind.choices,
        initial=ReceptionSession.Kind.REGULAR,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), required=False, widget=text_area(2))

    def __init__(self, *args, agency: Agency, **kwargs):
        super().__init__(*args, **kwargs)
        leaders = Membership.objects.in_force(timezone.localdate()).filter(
            agency=agency, role=Membership.Role.LEADER
        )
        self.fields["leader"].queryset = (
            get_user_model().objects.filter(pk__in=leaders.values("user")).order_by("full_name")
        )
        role = quota.role_for_agency(agency.kind, agency.unit.level)
        choices = [("", _("Other leader (no statutory minimum recorded)"))]
        if role:
            choices.insert(0, (role, Role(role).label))
        self.fields["role"].choices = choices
        self.fields["role"].initial = role


class RepresentativesField(forms.CharField):
    """One name per line → a list of names."""

    widget = forms.Textarea(attrs={"rows": 3})

    def to_python(self, value):
        text = super().to_python(value)
        return [line.strip() for line in text.splitlines() if line.strip()]


class VisitForm(AccessibleErrorsMixin, forms.Form):
    visited_on = date_field(_("Date"), initial=timezone.localdate)
    session = forms.ModelChoiceField(
        label=_("Reception session"), queryset=ReceptionSession.objects.none(), required=False
    )
    citizen_name = forms.CharField(label=_("Full name"), max_length=200)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    id_number = forms.CharField(
        label=_("Citizen ID / passport number"), max_length=20, required=False
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=VISIT_KINDS,
        help_text=_(
            "For a denunciation the log shows “[Bảo mật]” instead of the visitor's identity; "
            "the identity is kept only, sealed, with the petition opened on acceptance."
        ),
    )
    content = forms.CharField(label=_("Content"), widget=text_area(4))
    subject = forms.CharField(
        label=_("Short subject (for the petition)"), max_length=300, required=False
    )
    people_count = forms.IntegerField(label=_("Number of people"), min_value=1, initial=1)
    representatives = RepresentativesField(
        label=_("Representatives (one name per line)"),
        required=False,
        help_text=_(
            "5–10 people: 1–2 representatives; more than 10: up to 5; they must be members of "
            "the group, appointed in writing."
        ),
    )
    handled_by = forms.CharField(
        label=_("Agency that already handled it"), max_length=300, required=False
    )
    action = forms.ChoiceField(
        label=_("Action"), choices=ReceptionVisit.Action.choices, widget=forms.RadioSelect
    )
    forwarded_to = forms.CharField(label=_("Forwarded to"), max_length=300, required=False)
    result = forms.CharField(label=_("Result tracking"), required=False, widget=text_area(2))
    notes = forms.CharField(label=_("Notes"), required=False, widget=text_area(2))

    def __init__(self, *args, agency: Agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = _open_sessions(agency)
        reps = self.fields["representatives"]
        reps.help_text = f"{reps.help_text} ({groups.CITATION}; {groups.NOTE})"

    def _section(self, names: tuple[str, ...]):
        return [self[name] for name in names]

    @property
    def visitor_fields(self):
        return self._section(("visited_on", "session", "citizen_name", "address", "id_number"))

    @property
    def group_fields(self):
        return self._section(("people_count", "representatives"))

    @property
    def case_fields(self):
        names = ("kind", "content", "subject", "handled_by", "action", "forwarded_to", "result")
        return self._section((*names, "notes"))


class RefusalForm(AccessibleErrorsMixin, forms.Form):
    refused_on = date_field(_("Date"), initial=timezone.localdate)
    session = forms.ModelChoiceField(
        label=_("Reception session"), queryset=ReceptionSession.objects.none(), required=False
    )
    person = forms.CharField(label=_("Person (name or description)"), max_length=200)
    ground = forms.ChoiceField(
        label=_("Legal ground (Luật Tiếp công dân Đ9)"),
        choices=ReceptionRefusal.Ground.choices,
        widget=forms.RadioSelect,
    )
    explanation = forms.CharField(
        label=_("Explanation"),
        widget=text_area(3),
        help_text=_("Explain the reason and report it (Thông tư 04/2021/TT-TTCP Đ4)."),
    )
    written_notice = forms.BooleanField(
        label=_("Written refusal notice issued by the head (required for a settled case)"),
        required=False,
    )

    def __init__(self, *args, agency: Agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = _open_sessions(agency)


def _open_sessions(agency: Agency):
    return (
        ReceptionSession.objects.filter(agency=agency)
        .exclude(status=ReceptionSession.Status.CANCELLED)
        .filter(date__gte=timezone.localdate() - dt.timedelta(days=RECENT_SESSION_DAYS))
        .select_related("leader")
        .order_by("-date")
    )
