from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danvan.core.forms import DATE_INPUT_FORMATS, AccessibleErrorsMixin
from danvan.org.models import AdministrativeUnit, Agency
from danvan.org.selectors import agencies_of_province
from danvan.petitions.eligibility import all_items
from danvan.petitions.models import Petition, Petitioner
from danvan.petitions.services import clean_id_number, clean_phone
from danvan.plans.forms import MultipleFileField

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def commune_choices():
    return AdministrativeUnit.objects.filter(
        scheme=AdministrativeUnit.Scheme.TWO_TIER,
        level=AdministrativeUnit.Level.COMMUNE,
        parent__code=f"{settings.DANVAN_PROVINCE_CODE:02d}",
    ).order_by("name")


class IntakeForm(AccessibleErrorsMixin, forms.Form):
    agency = forms.ModelChoiceField(label=_("Handling agency"), queryset=Agency.objects.none())
    # Not "portal": that channel means a citizen sent it online, and such cases are public
    # (redacted) on Open311; an official's intake is never published.
    channel = forms.ChoiceField(
        label=_("Received through"),
        choices=[c for c in Petition.Channel.choices if c[0] != Petition.Channel.PORTAL],
    )
    kind = forms.ChoiceField(
        label=_("Kind (by content, not by title)"),
        choices=Petition.Kind.choices,
        initial=Petition.Kind.UNCLASSIFIED,
    )
    received_on = forms.DateField(
        label=_("Date received"),
        input_formats=DATE_INPUT_FORMATS,
        widget=DATE_WIDGET,
        initial=timezone.localdate,
    )
    unit = forms.ModelChoiceField(
        label=_("Commune concerned"), queryset=AdministrativeUnit.objects.none(), required=False
    )
    subject = forms.CharField(label=_("Subject"), max_length=300)
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 6}))
    is_anonymous = forms.BooleanField(label=_("Anonymous (no petitioner given)"), required=False)
    petitioner_count = forms.IntegerField(
        label=_("Number of people"), min_value=1, max_value=10000, initial=1
    )
    forwarded_by = forms.CharField(
        label=_("Forwarded by (agency, deputy, Front)"), max_length=300, required=False
    )
    assisted_intake = forms.BooleanField(
        label=_("Written down by the clerk for the citizen"), required=False
    )
    files = MultipleFileField(label=_("Attachments"), required=False)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["unit"].queryset = commune_choices()


class PetitionerForm(AccessibleErrorsMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Person or organisation"),
        choices=Petitioner.Kind.choices,
        initial=Petitioner.Kind.PERSON,
        required=False,
    )
    full_name = forms.CharField(label=_("Full name"), max_length=200, required=False)
    id_number = forms.CharField(
        label=_("Citizen ID / passport number"), max_length=20, required=False
    )
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    address_unit = forms.ModelChoiceField(
        label=_("Commune of residence"), required=False, queryset=AdministrativeUnit.objects.none()
    )
    address = forms.CharField(
        label=_("Address (house, street, hamlet)"), max_length=300, required=False
    )
    is_representative = forms.BooleanField(label=_("Representative"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["address_unit"].queryset = commune_choices()

    def clean_kind(self):
        return self.cleaned_data["kind"] or Petitioner.Kind.PERSON

    def clean_id_number(self):
        return clean_id_number(self.cleaned_data["id_number"])

    def clean_phone(self):
        return clean_phone(self.cleaned_data["phone"])


PetitionerFormSet = forms.formset_factory(PetitionerForm, extra=1, max_num=20)


class MoveForm(AccessibleErrorsMixin, forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[c for c in Petition.Kind.choices if c[0] != "unclassified"],
    )
    is_complex = forms.BooleanField(label=_("Complex case"), required=False)
    is_remote = forms.BooleanField(label=_("Remote area"), required=False)
    eligibility = forms.MultipleChoiceField(
        label=_("Eligibility (Thông tư 05/2021/TT-TTCP Đ6)"),
        required=False,
        choices=all_items,
        widget=forms.CheckboxSelectMultiple,
    )
    target_agency = forms.ModelChoiceField(
        label=_("To agency"), queryset=Agency.objects.all(), required=False
    )
    reason = forms.CharField(
        label=_("Reason / decision"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=300, required=False)

    def __init__(self, *args, near=None, **kwargs):
        """`near`: the handling agency; the page offers the agencies of its province (thousands
        nationally would make the page slow to build and to use). Any agency still validates."""
        super().__init__(*args, **kwargs)
        if near is not None:
            self.fields["target_agency"].queryset = agencies_of_province(near)


class InboxFilterForm(forms.Form):
    q = forms.CharField(label=_("Search (with or without diacritics)"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds")), *list(Petition.Kind.choices)],
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *list(Petition.Status.choices)],
    )
    channel = forms.ChoiceField(
        label=_("Channel"),
        required=False,
        choices=[("", _("All channels")), *list(Petition.Channel.choices)],
    )
    unit = forms.ModelChoiceField(
        label=_("Commune"), required=False, queryset=AdministrativeUnit.objects.none()
    )
    date_from = forms.DateField(
        label=_("Received from"),
        required=False,
        widget=DATE_WIDGET,
        input_formats=DATE_INPUT_FORMATS,
    )
    date_to = forms.DateField(
        label=_("Received to"), required=False, widget=DATE_WIDGET, input_formats=DATE_INPUT_FORMATS
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    due_soon = forms.BooleanField(label=_("Due within 3 days"), required=False)
    mine = forms.BooleanField(label=_("Assigned to me"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = commune_choices()
