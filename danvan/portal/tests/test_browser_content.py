"""axe-core on every public content page of the portal, in real Chromium at 360×740."""

import pytest
from django.core.management import call_command

from danvan.portal.models import Article, PublicAnswer
from danvan.portal.tests.axe import run_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_every_public_content_page_has_no_serious_accessibility_violation(
    live_server, page, tmp_path
):
    call_command("load_demo", verbosity=0)
    article = Article.objects.order_by("id").first()
    answer = PublicAnswer.objects.order_by("id").first()
    pages = {
        "home": "/portal/",
        "news": "/portal/news/",
        "article": article.get_absolute_url(),
        "share": f"{article.get_absolute_url()}share/",
        "answers": "/portal/answers/",
        "answers search": "/portal/answers/?q=duong",
        "answer": answer.get_absolute_url(),
    }
    page.set_viewport_size({"width": 360, "height": 740})
    found = {}
    for name, path in pages.items():
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, name
        violations = run_axe(page)
        if violations:
            page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)
            found[name] = violations
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, name
    assert not found, found
