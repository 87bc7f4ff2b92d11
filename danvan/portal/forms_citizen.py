"""Forms of the citizen's journey: send a petition, follow it by code."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from danvan.core.files import check_upload
from danvan.core.forms import AccessibleErrorsMixin
from danvan.petitions import workflow as wf
from danvan.petitions.forms import commune_choices
from danvan.petitions.services import PetitionerData, clean_phone
from danvan.plans.forms import MultipleFileField

MAX_FILES = 3
MAX_FILE_BYTES = 10 * 1024 * 1024
KIND_CHOICES = [
    (wf.COMPLAINT, _("Complaint")),
    (wf.DENUNCIATION, _("Denunciation")),
    (wf.RECOMMENDATION, _("Recommendation")),
    (wf.FEEDBACK, _("Feedback")),
]
CONSENT_TEXT = _(
    "I agree that the agency handling my petition processes the personal data I give here "
    "(name, phone, e-mail, address, and what the petition and its files say) only to receive, "
    "handle and answer this petition and to tell me of its progress, under the Personal Data "
    "Protection Law 91/2025/QH15. I may withdraw this consent or ask to see or correct my data."
)


class KindRadioSelect(forms.RadioSelect):
    """Each option is described by its plain-language help (`help_<kind>` in the template)."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        described = [f"help_{value}", option["attrs"].get("aria-describedby", "")]
        option["attrs"]["aria-describedby"] = " ".join(d for d in described if d)
        return option


class SubmitForm(AccessibleErrorsMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("What are you sending?"), choices=KIND_CHOICES, widget=KindRadioSelect
    )
    unit = forms.ModelChoiceField(
        label=_("Commune or ward concerned"),
        queryset=commune_choices(),
        empty_label=_("— choose —"),
    )
    subject = forms.CharField(label=_("Subject"), max_length=300)
    content = forms.CharField(
        label=_("What happened, and what you ask for"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    files = MultipleFileField(
        label=_("Attachments (up to 3 files, 10 MB each: PDF, images, office documents)"),
        required=False,
    )
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("E-mail"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    address = forms.CharField(
        label=_("Address"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    consent = forms.BooleanField(label=CONSENT_TEXT, required=False)
    # Honeypot: hidden from people and assistive technology; only bots fill it in.
    website = forms.CharField(
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = commune_choices()

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data.get("phone", ""))

    def clean_files(self) -> list:
        files = [f for f in self.cleaned_data.get("files") or [] if f]
        if len(files) > MAX_FILES:
            raise ValidationError(_("Attach at most %(n)d files.") % {"n": MAX_FILES})
        for upload in files:
            check_upload(upload, max_bytes=MAX_FILE_BYTES)
        return files

    def clean(self):
        data = super().clean()
        contact = [data.get(k) for k in ("phone", "email", "address")]
        has_personal = bool(data.get("full_name")) or any(contact)
        if any(contact) and not data.get("full_name"):
            self.add_error(
                "full_name",
                _("Enter your name, or leave all contact fields empty to send anonymously."),
            )
        if data.get("kind") == wf.COMPLAINT and not data.get("full_name"):
            self.add_error("full_name", _("A complaint must give the complainant's name."))
        if has_personal and not data.get("consent"):
            self.add_error(
                "consent",
                _("Tick the box to agree to the processing of your personal data, or remove it."),
            )
        return data

    def person(self) -> PetitionerData | None:
        data = self.cleaned_data
        if not data.get("full_name"):
            return None
        return PetitionerData(
            full_name=data["full_name"],
            phone=data.get("phone", ""),
            email=data.get("email", ""),
            address=data.get("address", ""),
        )

    def contacts(self) -> list[str]:
        return [v for v in (self.cleaned_data.get("phone"), self.cleaned_data.get("email")) if v]


class DirectTextInput(forms.TextInput):
    """A TextInput rendered by Python, with the same markup as Django's widget template.

    The tracking form is on the one page the public can post to at will; going through the form
    renderer's templates (input.html, attrs.html) cost more than the rest of the form."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        shown = "" if widget["value"] is None else format_html(' value="{}"', widget["value"])
        # As attrs.html: in order, True as a bare name, False left out.
        attributes = format_html_join(
            "",
            "{}{}",
            (
                (format_html(" {}", key), "" if val is True else format_html('="{}"', val))
                for key, val in widget["attrs"].items()
                if val is not False
            ),
        )
        return format_html(
            '<input type="{}" name="{}"{}{}>', widget["type"], name, shown, attributes
        )


class TrackForm(AccessibleErrorsMixin, forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=20,
        widget=DirectTextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    factor = forms.CharField(
        label=_("Secret from your receipt, or the last 4 digits of your phone"),
        max_length=20,
        widget=DirectTextInput(attrs={"autocomplete": "off"}),
    )

    def clean_code(self) -> str:
        return re.sub(r"[\s\-]", "", self.cleaned_data["code"]).upper()

    def clean_factor(self) -> str:
        return re.sub(r"[\s\-]", "", self.cleaned_data["factor"])
