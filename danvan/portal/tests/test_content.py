"""Portal content: view counting, most viewed, feedback moderation, sharing, public answers."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from danvan.core.models import AuditEvent
from danvan.org.models import Membership
from danvan.petitions.services import PetitionerData
from danvan.petitions.tests.conftest import SECRET_ID, SECRET_NAME, SECRET_PHONE, Desk
from danvan.portal.models import Article, PublicAnswer, ReaderFeedback
from danvan.portal.services_content import public_answer_publish

R = Membership.Role
BROWSER = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/126 Mobile Safari/537.36"


@pytest.fixture
def desk(org_tree, make_member):
    return Desk(org_tree, make_member)


def make_article(agency, *, title="Thông báo lịch tiếp công dân", views=0, **extra):
    slug = extra.pop("slug", f"bai-{Article.objects.count() + 1}")
    return Article.objects.create(
        agency=agency,
        title=title,
        slug=slug,
        body=extra.pop("body", "Đoạn một.\n\nĐoạn hai."),
        published_at=extra.pop("published_at", timezone.now() - dt.timedelta(hours=1)),
        view_count=views,
        **extra,
    )


def read(client, article, *, ip="10.0.0.1", ua=BROWSER, method="get"):
    response = getattr(client, method)(
        article.get_absolute_url(), REMOTE_ADDR=ip, HTTP_USER_AGENT=ua
    )
    assert response.status_code == 200
    article.refresh_from_db()
    return article.view_count


# -- views ------------------------------------------------------------------------------------


def test_it_counts_a_visitor_once_a_day_and_never_bots_or_head(client, org_tree):
    article = make_article(org_tree.city, published_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC))
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        assert read(client, article) == 1
        assert read(client, article) == 1
        assert read(client, article, ip="10.0.0.2") == 2
        assert read(client, article, ua="Mozilla/5.0 (compatible; Googlebot/2.1)") == 2
        assert read(client, article, ua="python-requests/2.32") == 2
        assert read(client, article, ip="10.0.0.3", method="head") == 2
    with time_machine.travel(dt.datetime(2026, 3, 3, 9, 0, tzinfo=dt.UTC), tick=False):
        assert read(client, article) == 3
    assert article.views.count() == 3


def test_it_lists_the_most_viewed_articles_first_on_the_home_page(client, org_tree):
    make_article(org_tree.city, title="Ít người xem", views=3)
    make_article(org_tree.city, title="Nhiều người xem", views=50)
    make_article(org_tree.city, title="Chưa đăng", views=999, published_at=None)
    page = client.get("/portal/").content.decode()
    most = page[page.index('id="most-viewed"') :]
    assert most.index("Nhiều người xem") < most.index("Ít người xem")
    assert "Chưa đăng" not in page


def test_it_filters_news_by_kind(client, org_tree):
    make_article(org_tree.city, title="Tin tức A")
    make_article(org_tree.city, title="Thông báo B", kind=Article.Kind.ANNOUNCEMENT)
    page = client.get("/portal/news/", {"kind": "announcement"}).content.decode()
    assert "Thông báo B" in page and "Tin tức A" not in page


# -- escaping and feedback --------------------------------------------------------------------

SCRIPT = "<script>alert('x')</script>"


def test_it_escapes_script_in_the_article_and_the_feedback(client, org_tree, make_member):
    article = make_article(org_tree.city, title=f"Tiêu đề {SCRIPT}", body=f"Nội dung {SCRIPT}")
    ReaderFeedback.objects.create(
        article=article, name=SCRIPT, text=SCRIPT, status=ReaderFeedback.Status.APPROVED
    )
    page = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    client.force_login(make_member(org_tree.city, R.OFFICER))
    ReaderFeedback.objects.create(article=article, name="A", text=SCRIPT)
    assert "<script>alert" not in client.get("/portal/moderation/").content.decode()


def test_it_hides_feedback_until_a_member_approves_it_and_audits_that(
    client, org_tree, make_member
):
    article = make_article(org_tree.city)
    url = f"{article.get_absolute_url()}feedback/"
    response = client.post(url, {"name": "Chị Lan", "text": "Cảm ơn thông tin hữu ích"})
    assert response.status_code == 302
    feedback = ReaderFeedback.objects.get()
    assert feedback.status == ReaderFeedback.Status.PENDING
    assert "Cảm ơn thông tin" not in client.get(article.get_absolute_url()).content.decode()
    leader = make_member(org_tree.city, R.LEADER)
    client.force_login(leader)
    assert "Cảm ơn thông tin" in client.get("/portal/moderation/").content.decode()
    client.post(f"/portal/moderation/{feedback.pk}/", {"decision": "approve"})
    client.logout()
    assert "Cảm ơn thông tin" in client.get(article.get_absolute_url()).content.decode()
    event = AuditEvent.objects.get(action="portal.feedback_approve")
    assert event.actor == leader and event.object_id == str(feedback.pk)


def test_it_refuses_moderation_by_someone_outside_the_agency(client, org_tree, make_member):
    article = make_article(org_tree.city)
    feedback = ReaderFeedback.objects.create(article=article, name="A", text="B")
    client.force_login(make_member(org_tree.front, R.LEADER))
    response = client.post(f"/portal/moderation/{feedback.pk}/", {"decision": "approve"})
    assert response.status_code == 404
    client.force_login(make_member(org_tree.city, R.VIEWER))
    assert client.get("/portal/moderation/").status_code == 403
    feedback.refresh_from_db()
    assert feedback.status == ReaderFeedback.Status.PENDING
    assert not AuditEvent.objects.filter(action__startswith="portal.feedback_approve").exists()


def test_it_stores_nothing_when_the_honeypot_is_filled(client, org_tree):
    article = make_article(org_tree.city)
    data = {"name": "Bot", "text": "Mua ngay", "website": "http://spam.example"}
    response = client.post(f"{article.get_absolute_url()}feedback/", data)
    assert response.status_code == 302
    assert not ReaderFeedback.objects.exists()


# -- sharing ----------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_it_shares_an_article_by_one_mail_through_the_worker(client, settings, org_tree):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    article = make_article(org_tree.city, title="Lịch tiếp dân tháng 3")
    data = {"recipient": "ban@example.com", "sender_name": "Minh"}
    response = client.post(f"{article.get_absolute_url()}share/", data)
    assert response.status_code == 302
    assert mail.outbox == []  # not sent inside the request: the worker sends it
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["ban@example.com"] and sent.subject == "Lịch tiếp dân tháng 3"
    assert f"http://testserver{article.get_absolute_url()}" in sent.body


def test_it_refuses_a_bad_email_with_a_vietnamese_field_error(client, org_tree):
    article = make_article(org_tree.city)
    response = client.post(f"{article.get_absolute_url()}share/", {"recipient": "khong-phai"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_recipient_errors"' in page and "Nhập địa chỉ email" in page
    assert 'aria-describedby="id_recipient_errors"' in page


def test_it_limits_sharing_per_address(client, org_tree):
    pytest.importorskip("danvan.core.ratelimit")
    article = make_article(org_tree.city)
    url = f"{article.get_absolute_url()}share/"
    codes = [client.post(url, {"recipient": f"ban{i}@example.com"}).status_code for i in range(6)]
    assert codes == [302] * 5 + [429]


# -- public answers ---------------------------------------------------------------------------

PLANTED = (
    "Tôi là Lê Thị Hoa, CCCD 079 200 300 400, điện thoại 0903.111.222, nhà ở số 5 đường Trần Phú. "
    "Con đường trước nhà bị ngập mỗi khi mưa."
)


def resolved(desk, *, petition=None, kind="complaint", **extra):
    people = [
        PetitionerData(
            full_name="Lê Thị Hoa",
            id_number="079200300400",
            phone="0903111222",
            email="hoa.le@example.com",
            address="số 5 đường Trần Phú",
        )
    ]
    if petition is None:
        petition = desk.receive(
            kind=kind, people=people, subject="Ngập đường Trần Phú", content=PLANTED, **extra
        )
    desk.move(petition, "classify", kind=kind)
    desk.move(petition, "accept")
    desk.move(
        petition,
        "resolve",
        reason="Đã nạo vét cống thoát nước đường Trần Phú.",
        legal_basis="Luật Khiếu nại 2011 Đ31",
    )
    petition.refresh_from_db()
    return petition


def publish_page(client, desk, petition):
    client.force_login(desk.officer)
    return client.get(f"/portal/cases/{petition.pk}/publish-answer/")


def test_it_prefills_the_question_without_the_petitioners_identity(client, desk):
    petition = resolved(desk)
    response = publish_page(client, desk, petition)
    assert response.status_code == 200
    question = response.context["form"].initial["question"]
    assert "Con đường trước nhà bị ngập" in question
    for secret in ("Lê Thị Hoa", "079 200 300 400", "0903.111.222", "Trần Phú"):
        assert secret not in question
    answer = response.context["form"].initial["answer"]
    assert "nạo vét cống" in answer and "Luật Khiếu nại 2011 Đ31" in answer


def test_it_never_shows_a_sealed_denouncers_identity(client, desk):
    petition = desk.receive(
        kind="denunciation",
        people=[PetitionerData(full_name=SECRET_NAME, id_number=SECRET_ID, phone=SECRET_PHONE)],
        content=f"Tôi là {SECRET_NAME}, số {SECRET_ID}, gọi {SECRET_PHONE}. Cán bộ X nhận tiền.",
    )
    assert petition.is_sealed
    petition = resolved(desk, petition=petition, kind="denunciation")
    page = publish_page(client, desk, petition).content.decode()
    assert "Cán bộ X nhận tiền" in page
    for secret in (SECRET_NAME, SECRET_ID, SECRET_PHONE):
        assert secret not in page


def test_it_refuses_a_name_typed_back_in_by_the_officer(client, desk):
    petition = resolved(desk)
    client.force_login(desk.officer)
    data = {
        "title": "Ngập đường",
        "topic": "Hạ tầng",
        "answer": "Đã nạo vét.",
        "question": "Bà LÊ THỊ HOA (0903 111 222) phản ánh ngập.",
    }
    response = client.post(f"/portal/cases/{petition.pk}/publish-answer/", data)
    assert response.status_code == 400
    assert response.context["form"].errors["question"]
    assert 'aria-describedby="id_question_errors"' in response.content.decode()
    assert not PublicAnswer.objects.exists()


def test_it_publishes_an_answer_found_without_diacritics_until_withdrawn(client, desk):
    petition = resolved(desk)
    client.force_login(desk.officer)
    data = {
        "title": "Ngập nước trên đường",
        "topic": "Hạ tầng",
        "question": "Con đường bị ngập khi mưa.",
        "answer": "Đã nạo vét cống.",
    }
    response = client.post(f"/portal/cases/{petition.pk}/publish-answer/", data)
    answer = PublicAnswer.objects.get()
    assert response.status_code == 302 and response.url == answer.get_absolute_url()
    assert AuditEvent.objects.filter(action="portal.answer_publish", actor=desk.officer).exists()
    client.logout()
    assert "Ngập nước trên đường" in client.get("/portal/answers/").content.decode()
    found = client.get("/portal/answers/", {"q": "duong ngap"}).content.decode()
    assert "Ngập nước trên đường" in found
    assert "Ngập nước" not in client.get("/portal/answers/", {"q": "cau"}).content.decode()
    client.force_login(desk.officer)
    client.post(f"/portal/answers/{answer.pk}/withdraw/")
    client.logout()
    assert "Ngập nước trên đường" not in client.get("/portal/answers/").content.decode()
    assert client.get(answer.get_absolute_url()).status_code == 404


def test_it_lets_only_handlers_publish_and_only_resolved_cases(client, desk):
    open_case = desk.receive(kind="complaint")
    client.force_login(desk.officer)
    assert client.get(f"/portal/cases/{open_case.pk}/publish-answer/").status_code == 403
    petition = resolved(desk)
    client.force_login(desk.outsider)
    assert client.get(f"/portal/cases/{petition.pk}/publish-answer/").status_code == 404
    client.force_login(desk.viewer)
    assert client.get(f"/portal/cases/{petition.pk}/publish-answer/").status_code == 403


def test_it_links_the_case_page_to_publishing(client, desk):
    petition = resolved(desk)
    client.force_login(desk.officer)
    page = client.get(petition.get_absolute_url()).content.decode()
    assert f"/portal/cases/{petition.pk}/publish-answer/" in page


def _publish_many(desk, count):
    base = resolved(desk)
    for i in range(count):
        petition = base if i == 0 else resolved(desk)
        public_answer_publish(
            actor=desk.officer,
            petition=petition,
            title=f"Câu hỏi {i}",
            question="Hỏi",
            answer="Đáp",
            topic=f"Chủ đề {i % 3}",
        )


def _list_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/portal/answers/", {"topic": "", "q": ""}).status_code == 200
    return len(ctx.captured_queries)


def test_it_lists_answers_in_the_same_number_of_queries_for_3_and_40(client, desk):
    _publish_many(desk, 3)
    few = _list_queries(client)
    _publish_many(desk, 37)
    assert _list_queries(client) == few


def test_it_saves_articles_from_the_admin_through_the_audited_service(client, org_tree):
    from danvan.org.tests.factories import UserFactory

    admin_user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    data = {
        "kind": "news", "title": "Tin mới", "slug": "tin-moi", "body": "Nội dung",
        "agency": org_tree.city.pk, "published_at_0": "2026-01-05", "published_at_1": "08:00:00",
    }  # fmt: skip
    response = client.post("/admin/portal/article/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get(slug="tin-moi")
    assert article.created_by == admin_user
    assert AuditEvent.objects.filter(action="portal.article.create", actor=admin_user).exists()
