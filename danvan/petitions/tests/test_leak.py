"""A planted denouncer's identity appears nowhere except the reveal page of cleared users.

Walks every URL of the site (admin included) as every role, opens office files (DOCX/XLSX are
ZIPs: their XML is scanned), and scans notifications and the audit trail.
"""

import io
import re
import zipfile

import pytest
from django.contrib.admindocs.views import extract_views_from_urlpatterns, simplify_regex
from django.core.management import call_command
from django.urls import get_resolver, reverse

from danvan.core.models import AuditEvent, Notification
from danvan.org.tests.factories import UserFactory
from danvan.petitions.services import petition_assign
from danvan.petitions.tests.conftest import SECRET_ID, SECRET_NAME, SECRET_PHONE

PLACEHOLDER = re.compile(r"<(?:\w+:)?(\w+)>")
SECRETS = (SECRET_NAME, SECRET_ID, SECRET_PHONE)


def _paths(values):
    paths = set()
    for _view, regex, _ns, _name in extract_views_from_urlpatterns(get_resolver().url_patterns):
        path = simplify_regex(regex).replace("<url>", "no-such-page/")
        paths.add(PLACEHOLDER.sub(lambda m: values.get(m.group(1), values["pk"]), path))
    return sorted(paths)


def _text(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return " ".join(
                archive.read(n).decode("utf-8", "replace")
                for n in archive.namelist()
                if n.endswith(".xml")
            )
    return body.decode("utf-8", "replace")


@pytest.mark.django_db(transaction=True)
def test_the_denouncer_is_seen_only_by_cleared_users_on_the_reveal_page(client, desk):
    sealed = desk.denunciation()
    desk.move(sealed, "classify", kind="denunciation")
    desk.move(sealed, "accept")
    petition_assign(actor=desk.leader, petitions=[sealed], officer=desk.officer)
    call_command("tick", verbosity=0)
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    reveal = reverse("petitions:reveal_identity", args=[sealed.pk])
    api_reveal = f"/api/v1/petitions/{sealed.pk}/identity"  # the API's audited reveal
    values = {
        "pk": str(sealed.pk),
        "object_id": str(sealed.pk),
        "id": str(sealed.pk),
        "app_label": "petitions",
        "notice": "acceptance",
        "update_pk": "1",
    }
    users = {
        "clerk": desk.clerk,
        "assigned officer": desk.officer,
        "other officer": desk.officer2,
        "leader": desk.leader,
        "viewer": desk.viewer,
        "city leader": desk.city_leader,
        "outsider": desk.outsider,
        "superuser": UserFactory(username="root", is_superuser=True, is_staff=True),
    }
    cleared = {"assigned officer", "leader"}
    leaks, seen = [], 0
    for label, user in users.items():
        client.force_login(user)
        for path in _paths(values):
            text = _text(client.get(path))
            if any(s in text for s in SECRETS):
                if path in (reveal, api_reveal) and label in cleared:
                    seen += 1
                else:
                    leaks.append(f"{label}: {path}")
    assert not leaks, "identity leaked:\n" + "\n".join(leaks)
    assert seen == 2 * len(cleared)  # the scan really finds the name where it may be
    stored = [n.title + n.body for n in Notification.objects.all()]
    stored += [str(e.changes) + e.object_repr for e in AuditEvent.objects.all()]
    assert not [s for s in stored if any(x in s for x in SECRETS)]
