"""Staff pages to write news and announcements (leaders and officers of the agency)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from danvan.core.decorators import permission_required
from danvan.core.forms import AccessibleErrorsMixin, add_service_errors
from danvan.org.models import Agency
from danvan.org.selectors import agencies_where_user_works
from danvan.portal.models import Article
from danvan.portal.services_manage import article_save


class ArticleForm(AccessibleErrorsMixin, forms.Form):
    agency = forms.ModelChoiceField(label=_("Published by"), queryset=Agency.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=Article.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    summary = forms.CharField(label=_("Summary"), max_length=500, required=False)
    body = forms.CharField(
        label=_("Text (blank line between paragraphs)"), widget=forms.Textarea(attrs={"rows": 12})
    )
    image = forms.FileField(label=_("Image (PNG or JPEG, at most 5 MB)"), required=False)
    image_alt = forms.CharField(label=_("Image description"), max_length=300, required=False)
    publish = forms.BooleanField(label=_("Published on the portal"), required=False)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


def _editable(request):
    agencies = agencies_where_user_works(request.user)
    return agencies, Article.objects.filter(agency__in=agencies).select_related("agency")


@permission_required("core.view_staff_home")
def article_manage_list(request):
    _agencies, articles = _editable(request)
    return render(request, "portal/manage_list.html", {"articles": articles.order_by("-id")})


@permission_required("core.view_staff_home")
def article_manage_edit(request, pk=None):
    agencies, articles = _editable(request)
    if not agencies.exists():
        raise PermissionDenied
    article = get_object_or_404(articles, pk=pk) if pk else None
    initial = (
        {
            f: getattr(article, f)
            for f in ("agency", "kind", "title", "summary", "body", "image_alt")
        }
        | {"publish": article.is_published}
        if article
        else {}
    )
    form = ArticleForm(
        request.POST or None, request.FILES or None, initial=initial, agencies=agencies
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = article_save(actor=request.user, article=article, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The article was saved."))
            return redirect("portal:article_manage_edit", pk=saved.pk)
    return render(request, "portal/manage_edit.html", {"form": form, "article": article})


def article_image(request, slug):
    """The image of a published article (media files are never served directly)."""
    article = get_object_or_404(Article, slug=slug)
    if not article.is_published or not article.image:
        raise Http404
    return FileResponse(article.image.open("rb"))
