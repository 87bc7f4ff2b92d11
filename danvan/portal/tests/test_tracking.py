"""Tracking lookups: one round trip for a lookup by secret (two by phone digits); the public view
is read only for a matching second factor and shows a move, an answer or a language switch at
once; the page served from its shell is the template's page; the rate limit (database or Redis)
holds for right secrets too."""

import datetime as dt
import re

import pytest
from django import forms
from django.contrib.auth.hashers import make_password
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from danvan.core import prepared, ratelimit
from danvan.core.models import RateLimitBucket
from danvan.core.tests.redis_limiter import limiter, redis_limiter
from danvan.org.models import Membership
from danvan.petitions.models import Petition
from danvan.petitions.services import petition_move
from danvan.petitions.tests.conftest import Desk, eligible
from danvan.portal import track_result, tracking, views_citizen
from danvan.portal.forms_citizen import DirectTextInput, TrackForm
from danvan.portal.models import PublicAnswer
from danvan.portal.services_content import public_answer_publish, public_answer_withdraw
from danvan.portal.tests.test_citizen import form_data, secret_from, submit, track
from danvan.portal.tests.test_content import resolved
from danvan.portal.tracking import Tracked, portal_find

__all__ = ["form_data", "limiter", "redis_limiter"]  # fixtures, used by name


@pytest.fixture(autouse=True)
def portal_settings(settings):
    settings.LANGUAGE_CODE = "vi"
    settings.DANVAN_PROVINCE_CODE = 92
    cache.clear()


@pytest.fixture
def tracked(client, org_tree, form_data):
    """A portal petition's code and secret."""
    return secret_from(client.get(submit(client, form_data)["Location"]))


def result_of(response) -> str:
    return response.content.decode().split('id="track-result"')[1]


def test_it_shows_a_move_at_once_with_the_steps_in_order(client, org_tree, tracked, make_member):
    code, secret = tracked
    before = result_of(track(client, code, secret))
    assert "Tiếp nhận" in before and "Đã thụ lý" not in before
    officer = make_member(org_tree.commune_pc, Membership.Role.OFFICER)
    petition = Petition.objects.get()
    for action, extra in (("classify", {"eligibility": eligible("complaint")}), ("accept", {})):
        petition.refresh_from_db()
        extra = {"kind": "complaint", **extra} if action == "classify" else extra
        petition_move(
            actor=officer,
            petition=petition,
            action=action,
            expected_version=petition.version,
            **extra,
        )
    after = result_of(track(client, code, secret))
    assert "Đã thụ lý" in after and "Đ28, Luật Khiếu nại 02/2011/QH13" in after
    steps = after.split('<ol class="timeline">')[1]
    assert steps.index("Tiếp nhận") < steps.index("Đã thụ lý")


def test_it_shows_and_hides_the_published_answer_at_once(client, org_tree, make_member):
    desk = Desk(org_tree, make_member)
    petition = resolved(desk)
    code = petition.tracking_code
    assert "/portal/answers/" not in result_of(track(client, code, "1222"))  # phone's last 4
    answer = public_answer_publish(
        actor=desk.officer, petition=petition, title="Ngập", question="Ngập.", answer="Đã nạo vét."
    )
    assert answer.get_absolute_url() in result_of(track(client, code, "1222"))
    public_answer_withdraw(actor=desk.officer, answer=answer)
    assert PublicAnswer.objects.get().is_withdrawn
    assert answer.get_absolute_url() not in result_of(track(client, code, "1222"))


def test_it_shows_the_result_in_the_visitors_language(client, tracked):
    code, secret = tracked
    assert "Tình trạng hiện tại" in result_of(track(client, code, secret))
    client.cookies["django_language"] = "en"
    english = result_of(track(client, code, secret))
    assert "Current status" in english and "Tình trạng" not in english


def test_a_lookup_by_secret_takes_one_round_trip(tracked, limiter, django_assert_num_queries):
    code, secret = tracked
    visitor = Client()  # no session: the submitter's session would add its own query
    # The rate-limit counter, the case and (where the secret's hash matches) its deadline and
    # public steps: one statement when the counter is in PostgreSQL; a Redis command first when
    # it is in Redis; a counter statement first on SQLite.
    counter = 1 if limiter == "database" and connection.vendor != "postgresql" else 0
    for _ in range(2):
        with django_assert_num_queries(1 + counter):
            assert "Tiếp nhận" in result_of(track(visitor, code, secret))
    for wrong in ((code, "ABCDEFGH"), ("ZZZZZZZZZZ", secret)):
        with django_assert_num_queries(1 + counter):
            assert "Không tìm thấy đơn" in result_of(track(visitor, *wrong))
    assert RateLimitBucket.objects.filter(key__startswith="track:").exists() == (
        limiter == "database"
    )


def test_the_lookup_reads_the_public_view_only_for_the_right_secret(tracked):
    code, secret = tracked
    case_sql = tracking._sql()[0]
    right = prepared.fetch_all(
        case_sql, tracking._case_params(code, tracking.tracking_hash(code, secret))
    )
    wrong = prepared.fetch_all(
        case_sql, tracking._case_params(code, tracking.tracking_hash(code, "ABCDEFGH"))
    )
    view = slice(tracking.CASE_COLUMNS, None)
    assert [row[view] for row in wrong] == [(None,) * 8]  # one row: the case, and no view
    assert all(row[view][4] for row in right)  # every public step's action
    assert [row[: tracking.CASE_COLUMNS] for row in wrong] == [
        row[: tracking.CASE_COLUMNS] for row in right[:1]
    ]
    assert portal_find(code=code, factor="ABCDEFGH") is None
    assert portal_find(code=code, factor=secret).view_rows


def test_a_lookup_by_phone_digits_or_an_older_hash_reads_the_view_in_a_second_query(
    client, org_tree, make_member, tracked, django_assert_num_queries
):
    code, secret = tracked
    petition = Petition.objects.get(tracking_code=code)
    Petition.objects.filter(pk=petition.pk).update(
        tracking_secret_hash=make_password(secret.upper())  # as stored before the keyed hash
    )
    with django_assert_num_queries(1):
        found = portal_find(code=code, factor=secret)
    assert found.view_rows is None
    with django_assert_num_queries(1):
        assert "Tiếp nhận" in views_citizen._public_view_html(found)
    desk = Desk(org_tree, make_member)
    by_phone = resolved(desk)
    found = portal_find(code=by_phone.tracking_code, factor="1222")  # the phone's last 4
    assert found.case.pk == by_phone.pk and found.view_rows is None
    assert views_citizen._public_view_html(found).count("<li>") >= 3  # received … resolved
    assert portal_find(code=by_phone.tracking_code, factor="1223") is None


def test_the_rate_limit_refuses_the_right_secret_too_and_shows_nothing(client, tracked, limiter):
    code, secret = tracked
    for _ in range(ratelimit.TRACK_PER_IP.count - 1):
        assert track(client, code, "ABCDEFGH", ip="192.0.2.7").status_code == 200
    assert "Tiếp nhận" in result_of(track(client, code, secret, ip="192.0.2.7"))  # the 30th
    refused = track(client, code, secret, ip="192.0.2.7")
    assert refused.status_code == 429 and "Tiếp nhận" not in refused.content.decode()
    assert "Quá nhiều yêu cầu" in refused.content.decode()
    assert 0 < int(refused["Retry-After"]) <= 600
    assert track(client, code, secret, ip="192.0.2.8").status_code == 200  # another client


def test_every_post_counts_once_valid_or_not(client, tracked, limiter):
    code, secret = tracked
    for i in range(ratelimit.TRACK_PER_IP.count):
        data = {"code": "", "factor": ""} if i % 2 else {"code": code, "factor": "ABCDEFGH"}
        assert (
            client.post(reverse("portal:track"), data, REMOTE_ADDR="192.0.2.9").status_code == 200
        )
    assert client.post(reverse("portal:track"), {}, REMOTE_ADDR="192.0.2.9").status_code == 429
    assert track(client, code, secret, ip="192.0.2.9").status_code == 429
    assert client.get(reverse("portal:track"), REMOTE_ADDR="192.0.2.9").status_code == 200


CSRF_VALUE = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+"')


def template_page(path: str, data: dict, language: str) -> str:
    """The track page as the template renders it for a POST of `data` to `path`."""
    form = TrackForm(data)
    assert form.is_valid()
    case = portal_find(code=form.cleaned_data["code"], factor=form.cleaned_data["factor"])
    with translation.override(language):
        found = views_citizen._public_view_html(case) if case else ""
        request = RequestFactory().post(path, data)
        context = {"form": form, "searched": True, "found": found}
        return render_to_string("portal/track.html", context, request=request)


def test_the_page_from_its_shell_is_the_templates_page(client, tracked):
    code, secret = tracked
    path = reverse("portal:track") + "?next=/a&b=<c>"
    odd = "<b>\"&amp;'x"
    for rounds, language in enumerate(("vi", "en", "vi")):
        client.cookies["django_language"] = language
        for data in (
            {"code": code, "factor": secret},
            {"code": code.lower(), "factor": f" {secret} "},
            {"code": code, "factor": "ABCDEFGH"},
            {"code": odd, "factor": odd},
        ):
            served = client.post(path, data, REMOTE_ADDR="192.0.2.20")
            assert served.status_code == 200
            assert not served.templates or rounds < 2  # built once, then from the shell
            page = served.content.decode()
            assert page.count("csrfmiddlewaretoken") == 2
            assert CSRF_VALUE.sub(r"\1", page) == CSRF_VALUE.sub(
                r"\1", template_page(path, data, language)
            )


def test_the_token_on_a_page_from_its_shell_passes_the_csrf_check(tracked):
    code, secret = tracked
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(reverse("portal:track")).content.decode()
    token = CSRF_VALUE.search(page).group(0).split('value="')[1][:-1]
    for _ in range(2):
        answer = visitor.post(
            reverse("portal:track"), {"csrfmiddlewaretoken": token, "code": code, "factor": secret}
        )
        assert answer.status_code == 200 and "Tiếp nhận" in result_of(answer)
        token = CSRF_VALUE.search(answer.content.decode()).group(0).split('value="')[1][:-1]
    assert (
        visitor.post(reverse("portal:track"), {"code": code, "factor": secret}).status_code == 403
    )


def test_a_pending_message_is_shown_and_used_up(client, tracked):
    code, secret = tracked
    storage = CookieStorage(RequestFactory().get("/"))
    client.cookies["messages"] = storage._encode([Message(constants.INFO, "Xin chào bạn")])
    page = track(client, code, secret).content.decode()
    assert '<article role="status">Xin chào bạn</article>' in page and "Tiếp nhận" in page
    assert "Xin chào bạn" not in track(client, code, secret).content.decode()


@pytest.mark.parametrize(
    ("value", "attrs"),
    [
        ("AB12", {}),
        ("", {}),
        (None, {}),
        ('"><script>x</script>', {"aria-invalid": "true", "aria-describedby": "id_code_errors"}),
        ("x", {"required": True, "disabled": False, "autocomplete": "off"}),
    ],
)
def test_the_direct_text_input_renders_like_djangos_template(value, attrs):
    ours = DirectTextInput(attrs={"autocapitalize": "characters"})
    djangos = forms.TextInput(attrs={"autocapitalize": "characters"})
    assert ours.render("code", value, attrs) == djangos.render("code", value, attrs)


def test_the_track_form_renders_its_errors_tied_to_the_inputs():
    form = TrackForm({"code": "", "factor": "x" * 21})
    assert not form.is_valid()
    html = str(form["code"]) + str(form["factor"])
    assert 'aria-invalid="true" aria-describedby="id_code_errors"' in html
    assert 'aria-describedby="id_factor_errors"' in html and 'value="xxxxxxxx' in html


def test_the_page_without_a_lookup_has_no_result(client, org_tree):
    page = client.get(reverse("portal:track")).content.decode()
    assert 'id="track-result"' not in page and 'name="factor"' in page


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_result_renders_like_its_template(language):
    moment = dt.datetime(2026, 3, 31, 18, 30, 5, 123456, tzinfo=dt.UTC)  # 1/4 in Hà Nội
    results = [
        Tracked(code="ABCD234567", status="Tiếp nhận", steps=[]),
        Tracked(
            code="<b>\"x&'",
            status=Petition.Status.ACCEPTED.label,
            steps=[
                {"at": moment, "label": "Tiếp nhận", "to_agency": ""},
                {"at": moment + dt.timedelta(days=40), "label": "<i>", "to_agency": 'UB "A" & B'},
            ],
            due_on=dt.date(2026, 5, 4),
            citation="Đ28, Luật <Khiếu nại>",
            answer_url='/portal/answers/7/?a=1&b="2"',
        ),
    ]
    with translation.override(language):
        for result in results:
            expected = render_to_string("portal/track_result.html", {"result": result})
            assert track_result.render(result) == expected


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL prepared statements")
def test_lookups_are_prepared_statements_where_the_deployment_allows_them(
    client, tracked, monkeypatch
):
    code, secret = tracked
    connection.ensure_connection()
    monkeypatch.setattr(connection.connection, "prepare_threshold", 5)  # OPTIONS, once connected
    for _ in range(2):
        assert "Tiếp nhận" in result_of(track(client, code, secret, ip="192.0.2.30"))
        assert "Không tìm thấy đơn" in result_of(track(client, code, "ABCDEFGH", ip="192.0.2.30"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        statements = [row[0] for row in cursor.fetchall()]
    assert any("tracking_code" in s and "ratelimitbucket" in s for s in statements)
    assert any("LegalRule" in s or "legalrule" in s for s in statements)  # the public view
    settings_limit = ratelimit.TRACK_PER_IP.count
    for _ in range(settings_limit - 4):
        track(client, code, secret, ip="192.0.2.30")
    assert track(client, code, secret, ip="192.0.2.30").status_code == 429
