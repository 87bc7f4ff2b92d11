"""Portal content pages: home, news and announcements, reader feedback, public answers."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from danvan.petitions.models import Petition
from danvan.petitions.selectors import petition_queryset
from danvan.portal import selectors as sel
from danvan.portal import services_content as svc
from danvan.portal.forms_content import (
    AnswerFilterForm,
    ArticleFilterForm,
    FeedbackForm,
    PublishAnswerForm,
    ShareForm,
)
from danvan.portal.models import PublicAnswer
from danvan.portal.rules import moderated_agency_ids

PAGE_SIZE = 10
SHARE_PER_IP = 5  # links sent per client address per hour
SHARE_PER_RECIPIENT = 3  # links sent to one address per day


def home(request):
    context = {
        "answers": sel.public_answers()[: sel.HOME_ANSWERS],
        "articles": sel.published_articles()[: sel.HOME_ARTICLES],
        "most_viewed": sel.most_viewed_articles(),
    }
    return render(request, "portal/home.html", context)


def article_list(request):
    form = ArticleFilterForm(request.GET)
    kind = form.cleaned_data["kind"] if form.is_valid() else ""
    page = Paginator(sel.published_articles(kind=kind), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/article_list.html", {"form": form, "page": page, "kind": kind})


def _article_or_404(slug):
    article = sel.article_by_slug(slug=slug)
    if article is None:
        raise Http404
    return article


def _count_view(request, article) -> None:
    agent = request.headers.get("user-agent", "")
    if request.method != "GET" or svc.is_bot(agent):
        return
    ip = request.META.get("REMOTE_ADDR", "")
    svc.article_view_record(article=article, visitor=svc.visitor_key(ip=ip, user_agent=agent))


def _render_article(request, article, feedback_form, status=200):
    context = {
        "article": article,
        "feedback": sel.approved_feedback(article=article),
        "feedback_form": feedback_form,
        "most_viewed": sel.most_viewed_articles(),
    }
    return render(request, "portal/article_detail.html", context, status=status)


@require_http_methods(["GET", "HEAD"])
def article_detail(request, slug):
    article = _article_or_404(slug)
    _count_view(request, article)
    return _render_article(request, article, FeedbackForm())


@require_POST
def article_feedback(request, slug):
    article = _article_or_404(slug)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        return _render_article(request, article, form, status=400)
    data = form.cleaned_data
    if not data["website"]:  # a filled honeypot gets the same answer, and nothing is stored
        svc.feedback_submit(
            article=article, name=data["name"], email=data["email"], text=data["text"]
        )
    messages.success(request, _("Thank you. Your feedback will appear after moderation."))
    return redirect(f"{article.get_absolute_url()}#feedback")


def _share_refused(request, recipient: str):
    """A 429 response when this address, or mail to this recipient, is over its limit."""
    try:  # core.ratelimit is shared with the citizen pages; without it, no limit applies
        from danvan.core import ratelimit
    except ImportError:
        return None
    per_ip = ratelimit.Limit("portal-share:ip", SHARE_PER_IP, timedelta(hours=1))
    per_to = ratelimit.Limit("portal-share:to", SHARE_PER_RECIPIENT, timedelta(days=1))
    return ratelimit.refuse_if_over(request, per_ip) or ratelimit.refuse_if_over(
        request, per_to, ratelimit.contact_key(recipient)
    )


def article_share(request, slug):
    article = _article_or_404(slug)
    url = request.build_absolute_uri(article.get_absolute_url())
    form = ShareForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if refused := _share_refused(request, form.cleaned_data["recipient"]):
            return refused
        svc.article_share(
            article=article,
            url=url,
            recipient=form.cleaned_data["recipient"],
            sender_name=form.cleaned_data["sender_name"],
        )
        messages.success(request, _("The link has been sent."))
        return redirect(article)
    status = 400 if form.is_bound else 200
    context = {"article": article, "url": url, "form": form}
    return render(request, "portal/share.html", context, status=status)


@login_required
def moderation(request):
    if moderated_agency_ids(request.user) == frozenset():
        raise PermissionDenied
    return render(
        request, "portal/moderation.html", {"queue": sel.moderation_queue(user=request.user)}
    )


@require_POST
@login_required
def moderation_decide(request, pk):
    feedback = get_object_or_404(sel.moderation_queue(user=request.user), pk=pk)
    if request.POST.get("decision") == "approve":
        svc.feedback_approve(actor=request.user, feedback=feedback)
        messages.success(request, _("The feedback is now shown under the article."))
    else:
        svc.feedback_reject(actor=request.user, feedback=feedback)
        messages.success(request, _("The feedback was rejected."))
    return redirect("portal:moderation")


def answer_list(request):
    form = AnswerFilterForm(request.GET, topics=sel.answer_topics(), communes=sel.answer_communes())
    data = form.cleaned_data if form.is_valid() else {}
    qs = sel.public_answers(
        topic=data.get("topic", ""), unit_id=data.get("unit"), query=data.get("q", "")
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/answer_list.html", {"form": form, "page": page})


def answer_detail(request, pk):
    answer = sel.public_answer_by_pk(pk=pk)
    if answer is None:
        raise Http404
    return render(request, "portal/answer_detail.html", {"answer": answer})


def _answerable_case(request, pk) -> Petition:
    qs = petition_queryset(user=request.user).select_related("agency", "unit", "sealed_identity")
    petition = get_object_or_404(qs, pk=pk)
    if not request.user.has_perm("portal.publish_answer", petition):
        raise PermissionDenied
    return petition


@login_required
def answer_publish(request, pk):
    petition = _answerable_case(request, pk)
    existing = PublicAnswer.objects.filter(petition=petition).first()
    if request.method == "POST":
        form = PublishAnswerForm(request.POST)
        if form.is_valid():
            try:
                answer = svc.public_answer_publish(
                    actor=request.user, petition=petition, **form.cleaned_data
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("The answer is published on the portal."))
                return redirect(answer)
    else:
        draft = svc.public_answer_draft(actor=request.user, petition=petition)
        form = PublishAnswerForm(initial=draft.__dict__)
    context = {"petition": petition, "form": form, "existing": existing}
    return render(
        request, "portal/publish_answer.html", context, status=400 if form.errors else 200
    )


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@require_POST
@login_required
def answer_withdraw(request, pk):
    answer = get_object_or_404(PublicAnswer.objects.select_related("petition"), pk=pk)
    if not petition_queryset(user=request.user).filter(pk=answer.petition_id).exists():
        raise Http404
    if not request.user.has_perm("portal.withdraw_answer", answer):
        raise PermissionDenied
    svc.public_answer_withdraw(actor=request.user, answer=answer)
    messages.success(request, _("The answer was withdrawn from the portal."))
    return redirect(answer.petition)
