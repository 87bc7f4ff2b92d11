"""The found case's result, rendered by Python with the markup of portal/track_result.html.

The tracking page renders it for every found case; going through the template engine (i18n tags,
date filters in the current time zone) cost more than finding the case. The template stays the
reference: a test renders both for the same results in both languages and compares them, so
change them together.
"""

from django.utils import timezone
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from danvan.portal.tracking import Tracked


def _step(step: dict) -> tuple:
    at = timezone.localtime(step["at"])  # as the template's date filter shows an aware moment
    agency = format_html(": {}", step["to_agency"]) if step["to_agency"] else ""
    return at.isoformat(), at.strftime("%d/%m/%Y"), step["label"], agency


def render(result: Tracked) -> SafeString:
    # {% blocktranslate %} puts escaped values into the unescaped translation, as here;
    # {% translate %} escapes the translation.
    heading = gettext("Petition %(code)s") % {"code": escape(result.code)}
    deadline = ""
    if result.due_on:
        sentence = gettext("Next deadline: %(date)s (%(citation)s)") % {
            "date": escape(result.due_on.strftime("%d/%m/%Y")),
            "citation": escape(result.citation),
        }
        deadline = f"<p>{sentence}</p>"
    steps = format_html_join(
        "",
        '\n    <li><time datetime="{}">{}</time> — {}{}</li>\n  ',
        (_step(step) for step in result.steps),
    )
    answer = ""
    if result.answer_url:
        answer = format_html(
            '<p><a href="{}">{}</a></p>', result.answer_url, gettext("Read the published answer")
        )
    status = format_html("<p>{}: <strong>{}</strong></p>", gettext("Current status"), result.status)
    steps_heading = format_html("<h3>{}</h3>", gettext("Steps"))
    html = (
        f'<h2 id="result-heading">{heading}</h2>\n  {status}\n  {deadline}\n  {steps_heading}\n'
        f'  <ol class="timeline">{steps}</ol>\n  {answer}\n'
    )
    return mark_safe(html)  # noqa: S308 - every value above is escaped
