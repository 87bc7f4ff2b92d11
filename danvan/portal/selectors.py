"""Reads for the portal's content pages: articles, feedback, public answers."""

from django.db.models import QuerySet
from django.utils import timezone

from danvan.core.text import fold_text
from danvan.org.models import AdministrativeUnit
from danvan.petitions.models import Petition, Transition
from danvan.portal.models import Article, PublicAnswer, ReaderFeedback
from danvan.portal.rules import moderated_agency_ids

HOME_ANSWERS = 5
HOME_ARTICLES = 5


def published_articles(*, kind: str = "") -> QuerySet[Article]:
    """Articles already published (newest first), optionally of one kind."""
    qs = Article.objects.filter(published_at__lte=timezone.now()).select_related("agency")
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def most_viewed_articles(*, limit: int = HOME_ARTICLES) -> list[Article]:
    """ "Xem nhiều nhất": published articles by counted views, then newest."""
    return list(published_articles().order_by("-view_count", "-published_at", "-id")[:limit])


def article_by_slug(*, slug: str) -> Article | None:
    return published_articles().filter(slug=slug).first()


def approved_feedback(*, article: Article) -> QuerySet[ReaderFeedback]:
    return article.feedback.filter(status=ReaderFeedback.Status.APPROVED).order_by("created_at")


def moderation_queue(*, user) -> QuerySet[ReaderFeedback]:
    """Pending feedback on articles of the agencies `user` moderates, oldest first."""
    qs = ReaderFeedback.objects.filter(status=ReaderFeedback.Status.PENDING)
    ids = moderated_agency_ids(user)
    if ids is not None:
        qs = qs.filter(article__agency_id__in=ids)
    return qs.select_related("article", "article__agency").order_by("created_at", "id")


def public_answers(*, topic: str = "", unit_id: int | None = None, query: str = ""):
    """Published, not withdrawn answers; search is diacritic-insensitive (folded shadow)."""
    qs = PublicAnswer.objects.filter(is_withdrawn=False, published_at__lte=timezone.now())
    if topic:
        qs = qs.filter(topic=topic)
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    for word in fold_text(query).split():
        qs = qs.filter(search_text__contains=word)
    return qs.select_related("agency", "unit").order_by("-published_at", "-id")


def answer_topics() -> list[str]:
    """The topics of public answers, for the filter."""
    qs = public_answers().exclude(topic="").order_by("topic").values_list("topic", flat=True)
    return list(qs.distinct())


def answer_communes() -> QuerySet[AdministrativeUnit]:
    """The communes that public answers are about, for the filter."""
    ids = public_answers().filter(unit__isnull=False).values("unit_id")
    return AdministrativeUnit.objects.filter(pk__in=ids).order_by("name")


def public_answer_by_pk(*, pk: int) -> PublicAnswer | None:
    return public_answers().filter(pk=pk).first()


def latest_resolution(*, petition: Petition) -> Transition | None:
    """The case's latest "resolve" step: its reason and legal basis seed the answer."""
    return petition.transitions.filter(action="resolve").order_by("-at", "-id").first()
