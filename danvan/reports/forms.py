"""Forms of the reports pages: the period selector and the report's fields."""

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danvan.core.forms import DATE_INPUT_FORMATS, AccessibleErrorsMixin
from danvan.org.models import Agency
from danvan.plans.models import Plan
from danvan.reports import periods
from danvan.reports.models import Report

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeriodForm(AccessibleErrorsMixin, forms.Form):
    """Which period (numbered or custom) and which agency the figures cover."""

    kind = forms.ChoiceField(label=_("Period"), choices=Report.PeriodKind.choices, required=False)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    index = forms.IntegerField(
        label=_("Number"),
        min_value=1,
        max_value=12,
        required=False,
        help_text=_("Month 1–12, quarter 1–4, half 1–2."),
    )
    start = forms.DateField(
        label=_("From"), required=False, input_formats=DATE_INPUT_FORMATS, widget=DATE_WIDGET
    )
    end = forms.DateField(
        label=_("To"), required=False, input_formats=DATE_INPUT_FORMATS, widget=DATE_WIDGET
    )
    agency = forms.ModelChoiceField(
        label=_("Agency (and those below it)"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=_("All agencies I can see"),
    )

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if agencies is not None:
            self.fields["agency"].queryset = agencies

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        params = {
            "kind": data.get("kind") or "",
            "year": data.get("year") or "",
            "index": data.get("index") or "",
            "start": data["start"].isoformat() if data.get("start") else "",
            "end": data["end"].isoformat() if data.get("end") else "",
        }
        if params["kind"] == periods.CUSTOM and not (params["start"] and params["end"]):
            self.add_error("start", _("Give both dates of a custom range."))
            return data
        try:
            data["period"] = periods.parse(
                params, today=timezone.localdate(), cutoff_day=settings.DANVAN_REPORT_CUTOFF_DAY
            )
        except periods.PeriodError:
            field = "end" if params["kind"] == periods.CUSTOM else "index"
            self.add_error(field, _("This period does not exist. Check the number and dates."))
        return data


class ReportCreateForm(PeriodForm):
    """A new report: the issuing agency, the period and the plan its sections follow."""

    plan = forms.ModelChoiceField(
        label=_("Plan reported on"),
        queryset=Plan.objects.none(),
        required=False,
        empty_label=_("No plan (figures only)"),
    )
    number = forms.CharField(label=_("Number"), max_length=100, initial="…/BC-UBND")
    signer_position = forms.CharField(label=_("Signer's position"), max_length=200)
    signer_name = forms.CharField(label=_("Signer's name"), max_length=200, required=False)

    def __init__(self, *args, plans=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].required = True
        self.fields["agency"].label = _("Issuing agency")
        self.fields["agency"].empty_label = None
        if plans is not None:
            self.fields["plan"].queryset = plans

    def clean(self):
        data = super().clean()
        plan, agency = data.get("plan"), data.get("agency")
        if plan and agency and plan.issuing_agency_id != agency.pk:
            self.add_error("plan", _("Choose a plan issued by the reporting agency."))
        return data


class ReportEditForm(AccessibleErrorsMixin, forms.Form):
    number = forms.CharField(label=_("Number"), max_length=100)
    subject = forms.CharField(label=_("Subject"), max_length=500)
    recipients = forms.CharField(
        label=_("Recipients (one per line)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    signing_prefixes = forms.CharField(
        label=_("Signing prefixes (one per line)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("e.g. TM. ỦY BAN NHÂN DÂN, then KT. CHỦ TỊCH"),
    )
    signer_position = forms.CharField(label=_("Signer's position"), max_length=200)
    signer_name = forms.CharField(label=_("Signer's name"), max_length=200, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, narrative_labels: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.narrative_keys = list(narrative_labels)
        for key, label in narrative_labels.items():
            self.fields[f"narrative_{key}"] = forms.CharField(
                label=label, widget=forms.Textarea(attrs={"rows": 5}), required=False
            )

    def service_fields(self) -> dict:
        data = self.cleaned_data
        fields = {
            name: data[name]
            for name in (
                "number",
                "subject",
                "recipients",
                "signing_prefixes",
                "signer_position",
                "signer_name",
            )
        }
        fields["narratives"] = {key: data[f"narrative_{key}"] for key in self.narrative_keys}
        return fields
