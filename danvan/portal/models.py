"""The public portal: news and announcements, reader feedback, published answers."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danvan.core.models import SearchableMixin


class Article(SearchableMixin, models.Model):
    """A news item or announcement. The body is plain text (paragraphs), never raw HTML."""

    class Kind(models.TextChoices):
        NEWS = "news", _("News")
        ANNOUNCEMENT = "announcement", _("Announcement")

    SEARCH_FIELDS = ("title", "summary", "body")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind, default=Kind.NEWS)
    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    body = models.TextField(_("body"))
    image = models.FileField(_("image"), upload_to="portal/%Y/", blank=True)
    image_alt = models.CharField(_("image description"), max_length=300, blank=True)
    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        related_name="articles",
    )
    author_name = models.CharField(_("author"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    view_count = models.PositiveIntegerField(_("views"), default=0)

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("portal:article_detail", args=[self.slug])

    @property
    def is_published(self) -> bool:
        return self.published_at is not None and self.published_at <= timezone.now()


class ArticleView(models.Model):
    """One counted view: a visitor (salted hash of IP and browser) counts once a day."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="views")
    visitor = models.CharField(max_length=64)
    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "visitor", "day"], name="articleview_once")
        ]

    def __str__(self) -> str:
        return f"{self.article_id} {self.day}"


class ReaderFeedback(models.Model):
    """A reader's comment on an article ("Phản hồi"), shown only after moderation."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting moderation")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="feedback")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    text = models.TextField(_("feedback"))
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.PENDING)
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)

    class Meta:
        verbose_name = _("reader feedback")
        verbose_name_plural = _("reader feedback")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name}: {self.text[:40]}"


class PublicAnswer(SearchableMixin, models.Model):
    """A redacted question and the agency's answer, published for everyone to read."""

    SEARCH_FIELDS = ("title", "question", "answer")

    petition = models.OneToOneField(
        "petitions.Petition", on_delete=models.PROTECT, related_name="public_answer"
    )
    title = models.CharField(_("title"), max_length=300)
    question = models.TextField(_("question (redacted)"))
    answer = models.TextField(_("answer"))
    topic = models.CharField(_("topic"), max_length=100, blank=True, db_index=True)
    unit = models.ForeignKey(
        "org.AdministrativeUnit",
        verbose_name=_("commune"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("answered by"), on_delete=models.PROTECT, related_name="+"
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("published"), default=timezone.now, db_index=True)
    is_withdrawn = models.BooleanField(_("withdrawn"), default=False)

    class Meta:
        verbose_name = _("public answer")
        verbose_name_plural = _("public answers")
        ordering = ["-published_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("portal:answer_detail", args=[self.pk])
