from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.core.forms import DATE_INPUT_FORMATS, AccessibleErrorsMixin
from danvan.org.models import Agency
from danvan.plans.models import ContentArea, LegalDocument, Plan, Task

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_ERRORS = {"invalid": _("Enter a valid date, e.g. 2026-02-13 or 13/02/2026.")}


def date_field(label, required=True):
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_INPUT_FORMATS,
        widget=DATE_WIDGET,
        error_messages=DATE_ERRORS,
    )


class PlanForm(AccessibleErrorsMixin, forms.Form):
    issuing_agency = forms.ModelChoiceField(
        label=_("Issuing agency"), queryset=Agency.objects.none()
    )
    number = forms.CharField(label=_("Number (e.g. 45/KH-UBND)"), max_length=100, required=False)
    title = forms.CharField(label=_("Title"), max_length=500)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    period_start = date_field(_("Period start"))
    period_end = date_field(_("Period end"))
    issued_on = date_field(_("Date issued"), required=False)
    purpose = forms.CharField(
        label=_("Purpose and requirements"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    legal_bases = forms.ModelMultipleChoiceField(
        label=_("Legal bases"),
        queryset=LegalDocument.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issuing_agency"].queryset = agencies

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period must end after it starts."))
        return data


class ContentForm(AccessibleErrorsMixin, forms.Form):
    number = forms.IntegerField(label=_("Number"), min_value=1, max_value=99)
    title = forms.CharField(label=_("Title"), widget=forms.Textarea(attrs={"rows": 2}))


class TaskForm(AccessibleErrorsMixin, forms.Form):
    content = forms.ModelChoiceField(label=_("Content"), queryset=ContentArea.objects.none())
    code = forms.CharField(label=_("Code"), max_length=32, required=False)
    title = forms.CharField(label=_("Task"), widget=forms.Textarea(attrs={"rows": 2}))
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    expected_output = forms.CharField(label=_("Expected output"), max_length=500, required=False)
    lead_agency = forms.ModelChoiceField(label=_("Lead agency"), queryset=Agency.objects.all())
    coordinating = forms.ModelMultipleChoiceField(
        label=_("Coordinating agencies"),
        queryset=Agency.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    due_on = date_field(_("Deadline"))
    recurrence = forms.ChoiceField(
        label=_("Recurrence"), choices=Task.Recurrence.choices, initial=Task.Recurrence.NONE
    )
    recurrence_day = forms.IntegerField(
        label=_("Day of the month (recurring tasks)"), min_value=1, max_value=31, required=False
    )

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["content"].queryset = plan.contents.order_by("number")
        agencies = Agency.objects.order_by("name")
        self.fields["lead_agency"].queryset = agencies
        self.fields["coordinating"].queryset = agencies


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ProgressForm(AccessibleErrorsMixin, forms.Form):
    agency = forms.ModelChoiceField(label=_("Reporting agency"), queryset=Agency.objects.none())
    text = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 4}))
    percent = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    files = MultipleFileField(
        label=_("Evidence files (PDF, images, office documents)"), required=False
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        if agencies.count() == 1:
            self.fields["agency"].initial = agencies.first()


class ReviewForm(AccessibleErrorsMixin, forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("return", _("Return"))])
    reason = forms.CharField(
        label=_("Reason for return"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ImplementForm(AccessibleErrorsMixin, forms.Form):
    agency = forms.ModelChoiceField(label=_("Implementing agency"), queryset=Agency.objects.none())
    number = forms.CharField(label=_("Number (e.g. 12/KH-UBND)"), max_length=100, required=False)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class PlanTextForm(AccessibleErrorsMixin, forms.Form):
    issuing_agency = forms.ModelChoiceField(
        label=_("Issuing agency"), queryset=Agency.objects.none()
    )
    text = forms.CharField(
        label=_("Plan text"), max_length=200_000, widget=forms.Textarea(attrs={"rows": 14})
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issuing_agency"].queryset = agencies
