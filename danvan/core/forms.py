from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.core.models import LegalRule

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class AccessibleErrorsMixin:
    """Ties each field's error list to its input (aria-invalid + aria-describedby, WCAG 3.3.1).

    Templates render errors as `<ul id="{{ field.auto_id }}_errors">` right after the input.
    """

    def add_error(self, field, error):
        super().add_error(field, error)
        for name in list(self.errors):
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"{self[name].auto_id}_errors"


class DeadlineForm(AccessibleErrorsMixin, forms.Form):
    """Either N days in a unit, or a legal rule with the case's features."""

    MODE_DAYS = "days"
    MODE_RULE = "rule"

    mode = forms.ChoiceField(
        label=_("Calculate by"),
        choices=[(MODE_RULE, _("By legal rule")), (MODE_DAYS, _("By number of days"))],
        initial=MODE_RULE,
        widget=forms.RadioSelect,
    )
    start = forms.DateField(
        label=_("Start date (the day itself is not counted)"),
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a valid date, e.g. 2026-02-13 or 13/02/2026.")},
    )
    rule_code = forms.ChoiceField(label=_("Legal rule"), required=False)
    complex_case = forms.BooleanField(label=_("Complex case"), required=False)
    remote = forms.BooleanField(label=_("Remote area"), required=False)
    extensions = forms.IntegerField(label=_("Extensions"), required=False, min_value=0, initial=0)
    days = forms.IntegerField(
        label=_("Number of days"),
        required=False,
        min_value=1,
        max_value=3650,
        error_messages={"min_value": _("The number of days must be at least 1.")},
    )
    unit = forms.ChoiceField(label=_("Unit"), choices=LegalRule.Unit.choices, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        codes = LegalRule.objects.order_by("code").values_list("code", "title").distinct()
        seen: dict[str, str] = {}
        for code, title in codes:
            seen.setdefault(code, title)
        self.fields["rule_code"].choices = [("", "—")] + [
            (code, f"{code} — {title}") for code, title in seen.items()
        ]

    def clean(self):
        data = super().clean()
        if data.get("mode") == self.MODE_RULE:
            if not data.get("rule_code"):
                self.add_error("rule_code", _("Choose a legal rule."))
        elif data.get("mode") == self.MODE_DAYS:
            if not data.get("days"):
                self.add_error("days", _("Enter the number of days."))
            if not data.get("unit"):
                self.add_error("unit", _("Choose working or calendar days."))
        return data


def errors_by_field(exc) -> dict:
    """{field or None: messages} for any ValidationError a service raises."""
    return exc.error_dict if hasattr(exc, "error_dict") else {None: exc.error_list}


def add_service_errors(form, exc, *, rename=None) -> None:
    """Show a service's ValidationError on the form: on its field when the form has it."""
    for key, messages in errors_by_field(exc).items():
        name = rename(key) if (rename and key) else key
        form.add_error(name if name in form.fields else None, messages)
