from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from danvan.api.models import ApiToken


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("Which system will use it, e.g. “iHanoi connector”."),
    )
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=None)
    access = forms.ChoiceField(label=_("Access"), choices=ApiToken.Access.choices)
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["days"].initial = settings.DANVAN_API_TOKEN_DAYS
        self.fields["days"].max_value = settings.DANVAN_API_TOKEN_MAX_DAYS
