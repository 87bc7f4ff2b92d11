"""Forms of the portal's content pages; every error is tied to its field (WCAG 3.3.1)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.core.forms import AccessibleErrorsMixin
from danvan.portal.models import Article


class ArticleFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Show"), required=False, choices=[("", _("All")), *Article.Kind.choices]
    )


class ShareForm(AccessibleErrorsMixin, forms.Form):
    recipient = forms.EmailField(
        label=_("Your friend's e-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    sender_name = forms.CharField(
        label=_("Your name (optional)"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )


class FeedbackForm(AccessibleErrorsMixin, forms.Form):
    name = forms.CharField(
        label=_("Your name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label=_("E-mail (optional, not published)"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    text = forms.CharField(label=_("Your feedback"), max_length=3000, widget=forms.Textarea)
    # Honeypot: hidden from people (CSS and aria-hidden); bots fill every field.
    website = forms.CharField(required=False, label=_("Leave this field empty"))


class AnswerFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    unit = forms.TypedChoiceField(label=_("Commune"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, topics=(), communes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", _("All"))] + [(t, t) for t in topics]
        self.fields["unit"].choices = [("", _("All"))] + [(u.pk, u.name) for u in communes]


class PublishAnswerForm(AccessibleErrorsMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    topic = forms.CharField(label=_("Topic"), max_length=100, required=False)
    question = forms.CharField(
        label=_("Question (without the petitioner's identity)"), widget=forms.Textarea
    )
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea)
