import base64

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from danvan.core.models import AuditEvent
from danvan.org.models import Membership
from danvan.portal.models import Article

pytestmark = pytest.mark.django_db
# A real 1×1 PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


def _post(client, agency, **extra):
    data = {
        "agency": agency.pk,
        "kind": "announcement",
        "title": "Lịch tiếp công dân tháng 12",
        "summary": "",
        "body": "Đoạn một.\n\nĐoạn hai.",
        "image_alt": "",
        "publish": "on",
    }
    data.update(extra)
    return client.post(reverse("portal:article_manage_new"), data)


def test_an_officer_publishes_an_announcement_with_an_image(client, org_tree, make_member):
    client.force_login(make_member(org_tree.commune_pc, Membership.Role.OFFICER))
    image = SimpleUploadedFile("anh.png", PNG, content_type="image/png")
    response = _post(client, org_tree.commune_pc, image=image, image_alt="Trụ sở UBND phường")
    article = Article.objects.get()
    assert response.status_code == 302
    assert article.slug == "lich-tiep-cong-dan-thang-12" and article.is_published
    assert AuditEvent.objects.filter(action="portal.article_create").count() == 1
    client.logout()
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Đoạn hai" in page and reverse("portal:article_image", args=[article.slug]) in page
    assert (
        b"".join(client.get(reverse("portal:article_image", args=[article.slug])).streaming_content)
        == PNG
    )


@pytest.mark.parametrize(
    ("name", "content", "alt", "field"),
    [
        ("anh.png", PNG, "", "image_alt"),
        ("anh.png", b"MZ not an image", "Ảnh", "image"),
    ],
)
def test_bad_images_are_refused_and_nothing_saved(
    client, org_tree, make_member, name, content, alt, field
):
    client.force_login(make_member(org_tree.commune_pc, Membership.Role.OFFICER))
    response = _post(
        client,
        org_tree.commune_pc,
        image_alt=alt,
        image=SimpleUploadedFile(name, content, content_type="image/png"),
    )
    assert response.status_code == 200
    assert f'id="id_{field}_errors"' in response.content.decode()
    assert not Article.objects.exists()


def test_only_the_agencys_leaders_and_officers_write_its_articles(client, org_tree, make_member):
    client.force_login(make_member(org_tree.commune_pc, Membership.Role.VIEWER))
    assert client.get(reverse("portal:article_manage_new")).status_code == 403
    client.force_login(make_member(org_tree.front, Membership.Role.OFFICER))
    response = _post(client, org_tree.commune_pc)  # not one of their agencies
    assert response.status_code == 200 and not Article.objects.exists()


def test_a_draft_is_not_public(client, org_tree, make_member):
    client.force_login(make_member(org_tree.commune_pc, Membership.Role.OFFICER))
    _post(client, org_tree.commune_pc, publish="")
    client.logout()
    assert client.get(Article.objects.get().get_absolute_url()).status_code == 404
