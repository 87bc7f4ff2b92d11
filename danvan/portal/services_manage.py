"""Staff writes to news and announcements. One transaction and one audit event each."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from danvan.core.audit import audit_log, diff_snapshots, model_snapshot
from danvan.core.files import check_upload
from danvan.core.text import fold_text, normalize_text
from danvan.portal.models import Article

FIELDS = ("kind", "title", "slug", "summary", "body", "image_alt", "agency", "published_at")
IMAGE_TYPES = {"image/png", "image/jpeg"}


def unique_slug(title: str, *, exclude_pk=None) -> str:
    """A URL slug from the Vietnamese title (folded: "Đường" → "duong"), made unique."""
    base = slugify(fold_text(title))[:180] or "bai-viet"
    slug, n = base, 2
    while Article.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def article_save(
    *,
    actor,
    article: Article | None,
    agency,
    kind: str,
    title: str,
    summary: str,
    body: str,
    image_alt: str = "",
    image=None,
    publish: bool = False,
    published_at: dt.datetime | None = None,
) -> Article:
    """Create or edit an article; an image needs a description (WCAG 1.1.1)."""
    if image is not None:
        try:
            check_upload(image, max_bytes=5 * 1024 * 1024, allowed=IMAGE_TYPES)
        except ValidationError as exc:
            raise ValidationError({"image": exc.messages}) from exc
        if not normalize_text(image_alt):
            raise ValidationError(
                {"image_alt": _("Describe the image for people who cannot see it.")}
            )
    with transaction.atomic():
        is_new = article is None
        if not is_new:
            article = Article.objects.select_for_update().get(pk=article.pk)
        before = {} if is_new else model_snapshot(article, FIELDS)
        article = article or Article(created_by=actor)
        article.agency, article.kind = agency, kind
        article.title, article.summary = normalize_text(title), normalize_text(summary)
        article.body, article.image_alt = normalize_text(body), normalize_text(image_alt)
        article.slug = article.slug or unique_slug(article.title)
        article.author_name = article.author_name or str(actor)
        if image is not None:
            article.image = image
        if publish and not article.published_at:
            article.published_at = published_at or timezone.now()
        elif not publish:
            article.published_at = None
        article.full_clean()
        article.save()
        audit_log(
            actor=actor,
            action="portal.article_create" if is_new else "portal.article_update",
            obj=article,
            agency=agency,
            changes=diff_snapshots(before, model_snapshot(article, FIELDS)),
        )
    return article
