"""Writes of the portal's content: counted views, reader feedback, sharing, public answers.

Redaction reuses the scrubber of `petitions.notices` (`_people`, `_identity_patterns`,
`_scrub`, private there): one implementation decides what a petitioner's identity looks like
in free text — names and addresses folded, ID numbers and phones however written — so the
notices, the verification copy and the public answers all remove the same things.
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django_tasks import task

from danvan.core.audit import audit_log
from danvan.core.text import normalize_text
from danvan.petitions.models import Petition
from danvan.petitions.notices import _identity_patterns, _people, _scrub
from danvan.portal.models import Article, ArticleView, PublicAnswer, ReaderFeedback
from danvan.portal.rules import ANSWERABLE_STATES
from danvan.portal.selectors import latest_resolution

# Crawlers, link previews and scripted clients do not count as readers.
BOT_UA = re.compile(
    r"bot|crawl|spider|slurp|preview|facebookexternalhit|embedly|curl|wget|python-requests"
    r"|python-urllib|httpx|aiohttp|go-http-client|java/|libwww|okhttp|headless|lighthouse",
    re.IGNORECASE,
)
VISITOR_SALT = "danvan.portal.article_view"


# -- views ------------------------------------------------------------------------------------


def is_bot(user_agent: str) -> bool:
    """True for an empty User-Agent or one that names a bot, crawler or script."""
    return not user_agent.strip() or bool(BOT_UA.search(user_agent))


def visitor_key(*, ip: str, user_agent: str) -> str:
    """A salted hash of address and browser: counts visitors without storing either."""
    return salted_hmac(VISITOR_SALT, f"{ip}|{user_agent}", algorithm="sha256").hexdigest()


def article_view_record(*, article: Article, visitor: str, day: dt.date | None = None) -> bool:
    """Count one view of `article` by `visitor` on `day`; False if already counted that day."""
    day = day or timezone.localdate()
    try:
        with transaction.atomic():
            _, created = ArticleView.objects.get_or_create(
                article=article, visitor=visitor, day=day
            )
            if created:
                Article.objects.filter(pk=article.pk).update(view_count=F("view_count") + 1)
    except IntegrityError:  # the same visitor's parallel request won the insert
        return False
    return created


# -- feedback ---------------------------------------------------------------------------------


def feedback_submit(*, article: Article, name: str, email: str, text: str) -> ReaderFeedback:
    """Queue a reader's feedback for moderation; nothing is shown before approval."""
    with transaction.atomic():
        feedback = ReaderFeedback.objects.create(
            article=article,
            name=normalize_text(name),
            email=normalize_text(email),
            text=normalize_text(text),
        )
        audit_log(actor=None, action="portal.feedback_submit", obj=feedback, agency=article.agency)
    return feedback


def _feedback_decide(*, actor, feedback: ReaderFeedback, status: str) -> ReaderFeedback:
    with transaction.atomic():
        locked = ReaderFeedback.objects.select_for_update().get(pk=feedback.pk)
        before = locked.status
        locked.status = status
        locked.moderated_by = actor
        locked.moderated_at = timezone.now()
        locked.save(update_fields=["status", "moderated_by", "moderated_at"])
        audit_log(
            actor=actor,
            action=f"portal.feedback_{'approve' if status == 'approved' else 'reject'}",
            obj=locked,
            agency=feedback.article.agency,
            changes={"before": {"status": before}, "after": {"status": status}},
        )
    return locked


def feedback_approve(*, actor, feedback: ReaderFeedback) -> ReaderFeedback:
    """Show `feedback` under its article; audited."""
    return _feedback_decide(actor=actor, feedback=feedback, status=ReaderFeedback.Status.APPROVED)


def feedback_reject(*, actor, feedback: ReaderFeedback) -> ReaderFeedback:
    """Keep `feedback` hidden for good; audited."""
    return _feedback_decide(actor=actor, feedback=feedback, status=ReaderFeedback.Status.REJECTED)


# -- sharing ----------------------------------------------------------------------------------


@task()
def send_article_link(*, recipient: str, title: str, url: str, sender_name: str = "") -> int:
    """Send one e-mail with an article's link (run by the worker); returns mails sent."""
    who = sender_name or _("Someone")
    body = _("%(who)s shares this article from the citizen portal with you:\n\n%(title)s\n%(url)s")
    return send_mail(
        subject=title[:150],
        message=body % {"who": who, "title": title, "url": url},
        from_email=None,
        recipient_list=[recipient],
    )


def article_share(*, article: Article, url: str, recipient: str, sender_name: str = "") -> None:
    """Send `article`'s link to `recipient` through the worker, once the request commits."""
    args = {
        "recipient": normalize_text(recipient),
        "title": article.title,
        "url": url,
        "sender_name": normalize_text(sender_name)[:100],
    }
    transaction.on_commit(lambda: send_article_link.enqueue(**args))


# -- public answers ---------------------------------------------------------------------------


@dataclass
class AnswerDraft:
    title: str
    question: str
    answer: str
    topic: str


def _patterns(petition: Petition) -> list:
    return _identity_patterns(_people(petition))


def identity_leaks(*, petition: Petition, text: str) -> int:
    """How many pieces of a petitioner's identity (name, ID, phone, e-mail, address) `text` has."""
    _, count = _scrub(text, _patterns(petition))
    return count


def public_answer_draft(*, actor, petition: Petition) -> AnswerDraft:
    """The answer as pre-filled for the officer, identities already removed."""
    patterns = _patterns(petition)
    step = latest_resolution(petition=petition)
    answer = step.reason if step else ""
    if step and step.legal_basis:
        answer = f"{answer}\n\n{_('Legal basis')}: {step.legal_basis}".strip()
    if petition.is_sealed:  # the sealed identity was decrypted (in memory) to scrub it
        audit_log(
            actor=actor,
            action="portal.answer_draft",
            obj=petition,
            agency=petition.agency,
            sensitive_read=True,
        )
    return AnswerDraft(
        title=_scrub(petition.subject, patterns)[0],
        question=_scrub(petition.content, patterns)[0],
        answer=_scrub(answer, patterns)[0],
        topic=petition.get_kind_display(),
    )


def _refuse_leaks(petition: Petition, texts: dict[str, str]) -> None:
    patterns = _patterns(petition)
    message = _("Remove the petitioner's name, ID number, phone, e-mail and address.")
    errors = {name: message for name, text in texts.items() if _scrub(text, patterns)[1]}
    if errors:
        raise ValidationError(errors)


def public_answer_publish(
    *, actor, petition: Petition, title: str, question: str, answer: str, topic: str = ""
) -> PublicAnswer:
    """Publish (or republish) the redacted answer to `petition`; refuses any identity left."""
    texts = {
        "title": normalize_text(title),
        "question": normalize_text(question),
        "answer": normalize_text(answer),
    }
    _refuse_leaks(petition, texts)
    with transaction.atomic():
        locked = Petition.objects.select_for_update(of=("self",)).get(pk=petition.pk)
        if locked.status not in ANSWERABLE_STATES:
            raise ValidationError(_("Only a resolved or closed case's answer can be published."))
        published, created = PublicAnswer.objects.update_or_create(
            petition=locked,
            defaults={
                **texts,
                "topic": normalize_text(topic)[:100],
                "unit": locked.unit,
                "agency": locked.agency,
                "published_by": actor,
                "published_at": timezone.now(),
                "is_withdrawn": False,
            },
        )
        audit_log(
            actor=actor,
            action="portal.answer_publish",
            obj=published,
            agency=locked.agency,
            changes={"after": {"petition": locked.pk, "republished": not created}},
            sensitive_read=locked.is_sealed,
        )
    return published


def public_answer_withdraw(*, actor, answer: PublicAnswer) -> PublicAnswer:
    """Take a public answer off the portal; audited."""
    with transaction.atomic():
        locked = PublicAnswer.objects.select_for_update().get(pk=answer.pk)
        locked.is_withdrawn = True
        locked.save(update_fields=["is_withdrawn"])
        audit_log(actor=actor, action="portal.answer_withdraw", obj=locked, agency=locked.agency)
    return locked
