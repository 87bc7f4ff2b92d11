import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from danvan.api.models import ApiToken
from danvan.api.services import api_token_create, api_token_revoke, token_digest
from danvan.api.tests.conftest import bearer
from danvan.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_it_stores_only_a_digest_and_audits_creation(desk):
    token, raw = api_token_create(
        actor=desk.officer, agency=desk.agency, name="iHanoi", access="read", days=10
    )
    assert raw.startswith("dv_") and raw not in str(token.__dict__)
    assert token.digest == token_digest(raw)
    assert AuditEvent.objects.filter(action="api.token_create", object_id=str(token.pk)).exists()


def test_it_refuses_binding_a_token_to_an_agency_where_the_user_does_not_work(desk):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        api_token_create(actor=desk.officer, agency=desk.tree.front, name="x", days=10)


def test_it_answers_401_problem_json_without_or_with_a_bad_token(client):
    response = client.get("/api/v1/petitions")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 401 and body["type"].endswith("unauthenticated")
    assert client.get("/api/v1/petitions", **bearer("dv_nope")).status_code == 401


def test_it_rejects_an_expired_token(client, desk, token_for):
    raw = token_for(desk.officer, desk.agency, days=1)
    assert client.get("/api/v1/petitions", **bearer(raw)).status_code == 200
    with time_machine.travel(timezone.now() + dt.timedelta(days=2)):
        assert client.get("/api/v1/petitions", **bearer(raw)).status_code == 401


def test_it_rejects_a_revoked_token_at_once(client, desk, token_for):
    raw = token_for(desk.officer, desk.agency)
    assert client.get("/api/v1/petitions", **bearer(raw)).status_code == 200
    api_token_revoke(actor=desk.officer, token=ApiToken.objects.get())
    assert client.get("/api/v1/petitions", **bearer(raw)).status_code == 401
    assert AuditEvent.objects.filter(action="api.token_revoke").count() == 1


def test_a_read_token_cannot_write(client, desk, token_for):
    raw = token_for(desk.clerk, desk.agency, access="read")
    response = client.post(
        "/api/v1/petitions", data={}, content_type="application/json", **bearer(raw)
    )
    assert response.status_code == 403
    assert response.json()["type"].endswith("forbidden")


def test_it_rate_limits_per_token(client, desk, token_for, settings):
    settings.DANVAN_API_RATE_PER_MINUTE = 2
    raw = token_for(desk.officer, desk.agency)
    codes = [client.get("/api/v1/petitions", **bearer(raw)).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    other = token_for(desk.leader, desk.agency)
    assert client.get("/api/v1/petitions", **bearer(other)).status_code == 200


def test_it_rate_limits_per_user_however_many_tokens_they_make(client, desk, token_for, settings):
    settings.DANVAN_API_RATE_PER_MINUTE = 2
    tokens = [token_for(desk.officer, desk.agency) for _ in range(3)]
    codes = [client.get("/api/v1/petitions", **bearer(raw)).status_code for raw in tokens]
    assert codes == [200, 200, 429]


def test_it_throttles_wrong_tokens_per_client_address(client):
    from danvan.api.auth import BAD_TOKENS_PER_IP

    codes = [
        client.get("/api/v1/petitions", **bearer(f"dv_guess{n}")).status_code
        for n in range(BAD_TOKENS_PER_IP.count + 1)
    ]
    assert codes[:-1] == [401] * BAD_TOKENS_PER_IP.count and codes[-1] == 429
    other = client.get("/api/v1/petitions", **bearer("dv_x"), REMOTE_ADDR="192.0.2.9")
    assert other.status_code == 401


def test_it_translates_field_errors(client, desk, token_for):
    raw = token_for(desk.clerk, desk.agency)
    body = {"agency_id": 0, "channel": "x" * 30, "received_on": "2026-02-30", "content": "x"}
    answers = {}
    for language in ("vi", "en"):
        response = client.post(
            "/api/v1/petitions",
            body,
            content_type="application/json",
            HTTP_ACCEPT_LANGUAGE=language,
            **bearer(raw),
        )
        assert response.status_code == 422
        answers[language] = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert answers["en"] == {
        "agency_id": "Enter a value of at least 1.",
        "channel": "At most 24 characters or items.",
        "subject": "This field is required.",
        "received_on": "Enter a date as YYYY-MM-DD.",
    }
    assert answers["vi"]["subject"] == "Trường này là bắt buộc."
    assert answers["vi"]["channel"] == "Tối đa 24 ký tự hoặc mục."
    assert all(answers["vi"][f] != answers["en"][f] for f in answers["en"])


def test_errors_follow_accept_language(client):
    vi = client.get("/api/v1/petitions").json()["title"]
    en = client.get("/api/v1/petitions", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").json()["title"]
    assert en == "Authentication required"
    assert vi != en


def test_a_user_without_a_role_gets_403_not_data(client, django_user_model):
    user = django_user_model.objects.create_user("lonely", password="pw-Secret-123")
    client.force_login(user)
    assert client.get("/api/v1/petitions").status_code == 403


def test_the_token_page_shows_the_token_once(client, desk):
    client.force_login(desk.officer)
    response = client.post(
        "/api/tokens/",
        {"name": "Hệ thống 1022", "agency": desk.agency.pk, "access": "read", "days": 30},
    )
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    raw = response.context["raw"]
    assert raw.startswith("dv_")
    listing = client.get("/api/tokens/").content.decode()
    assert "Hệ thống 1022" in listing and raw not in listing
    token = ApiToken.objects.get()
    client.post(f"/api/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_swagger_and_redoc_are_served_without_a_cdn(client):
    for url in ("/api/v1/docs", "/api/v1/redoc"):
        body = client.get(url).content.decode()
        assert "cdn" not in body.lower(), url
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.1")


def test_a_token_writes_only_for_its_own_agency_subtree(client, desk, make_member, token_for):
    from danvan.org.models import Membership

    clerk = make_member(desk.tree.dept_a, Membership.Role.CLERK)
    Membership.objects.create(user=clerk, agency=desk.agency, role=Membership.Role.CLERK)
    raw = token_for(clerk, desk.tree.dept_a)
    data = {
        "agency_id": desk.agency.pk,
        "channel": "post",
        "subject": "Thư",
        "content": "Nội dung",
        "received_on": "2026-02-10",
        "is_anonymous": True,
    }
    response = client.post(
        "/api/v1/petitions", data, content_type="application/json", **bearer(raw)
    )
    assert response.status_code == 403
    client.force_login(clerk)  # the browser session is not bound to one agency
    assert (
        client.post("/api/v1/petitions", data, content_type="application/json").status_code == 201
    )


def test_the_command_prints_a_token_once(desk, capsys):
    from django.core.management import call_command

    call_command("api_token", desk.officer.username, desk.agency.code, "--write", "--days", "5")
    raw = capsys.readouterr().out.strip()
    assert raw.startswith("dv_") and ApiToken.objects.get().can_write


def test_session_writes_need_the_csrf_token(desk):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(desk.clerk)
    assert browser.get("/api/v1/petitions").status_code == 200
    response = browser.post("/api/v1/petitions", {}, content_type="application/json")
    assert response.status_code == 403


def test_it_shows_a_tokens_owner_agency_access_and_expiry_read_only_in_the_admin(rf, desk):
    from django.contrib import admin

    from danvan.api.admin import ApiTokenAdmin

    fields = ApiTokenAdmin(ApiToken, admin.site).get_readonly_fields(rf.get("/"))
    assert {"user", "agency", "access", "expires_at"} <= set(fields)
