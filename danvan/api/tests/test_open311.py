"""Open311 GeoReport v2: the spec's examples, round-trip in JSON and XML, redaction."""

import datetime as dt
import json
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from danvan.api.models import Open311Request
from danvan.petitions.models import SEALED, Petition

pytestmark = pytest.mark.django_db
BASE = "/open311/v2"
NAME = "Nguyễn Thị Phản Ánh"


@pytest.fixture
def api_key(desk, token_for):
    return token_for(desk.clerk, desk.agency)


def _post(client, fmt, api_key, desk, **extra):
    data = {
        "api_key": api_key,
        "service_code": "feedback",
        "address_id": desk.tree.commune.code,
        "lat": "9.7845",
        "long": "105.4701",
        "address_string": "Ấp 3, phường Vị Thanh",
        "first_name": "Thị Phản Ánh",
        "last_name": "Nguyễn",
        "phone": "0912345678",
        "email": "dan@example.com",
        "description": "Ổ gà lớn trước trường tiểu học, nguy hiểm cho học sinh.",
    }
    data.update(extra)
    return client.post(f"{BASE}/requests.{fmt}", data)


def _xml(response):
    return ElementTree.fromstring(response.content)  # noqa: S314 - our own answer


def test_discovery_and_services_in_json_and_xml(client):
    discovery = client.get(f"{BASE}/discovery.json").json()
    assert discovery["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert _xml(client.get(f"{BASE}/discovery.xml")).tag == "discovery"
    services = client.get(f"{BASE}/services.json").json()
    codes = {s["service_code"] for s in services}
    assert codes == {"complaint", "denunciation", "recommendation", "feedback"}
    assert all(s["metadata"] is False and s["type"] == "realtime" for s in services)
    root = _xml(client.get(f"{BASE}/services.xml"))
    assert root.tag == "services"
    assert {e.findtext("service_code") for e in root.findall("service")} == codes


def test_json_round_trip_post_then_get_by_token_and_by_id(client, desk, api_key):
    response = _post(client, "json", api_key, desk)
    assert response.status_code == 201, response.content
    [created] = response.json()
    petition = Petition.objects.get(pk=created["service_request_id"])
    assert petition.channel == "portal" and petition.agency == desk.agency
    assert petition.petitioners.get().full_name == NAME
    assert petition.tracking_code in created["service_notice"]
    [by_token] = client.get(f"{BASE}/tokens/{created['token']}.json").json()
    assert by_token == {
        "service_request_id": created["service_request_id"],
        "token": created["token"],
    }
    [request] = client.get(f"{BASE}/requests/{created['service_request_id']}.json").json()
    assert request["service_code"] == "feedback" and request["status"] == "open"
    assert request["lat"] is None and request["long"] is None  # a point is an address
    assert request["address_id"] == desk.tree.commune.code
    assert request["description"] == request["service_name"]
    assert request["agency_responsible"] == str(desk.agency)
    body = json.dumps(request, ensure_ascii=False)
    assert NAME not in body and "0912345678" not in body and "Ấp 3" not in body


def test_xml_round_trip_post_then_get_by_token_and_by_id(client, desk, api_key):
    response = _post(client, "xml", api_key, desk, service_code="recommendation")
    assert response.status_code == 201 and response["Content-Type"].startswith("text/xml")
    root = _xml(response)
    assert root.tag == "service_requests"
    request_id = root.find("request").findtext("service_request_id")
    token = root.find("request").findtext("token")
    token_root = _xml(client.get(f"{BASE}/tokens/{token}.xml"))
    assert token_root.find("request").findtext("service_request_id") == request_id
    detail = _xml(client.get(f"{BASE}/requests/{request_id}.xml")).find("request")
    assert detail.findtext("service_code") == "recommendation"
    assert detail.findtext("status") == "open"
    listing = _xml(client.get(f"{BASE}/requests.xml"))
    assert request_id in [r.findtext("service_request_id") for r in listing.findall("request")]


def test_a_denunciation_is_sealed_in_public_reads(client, desk, api_key):
    [created] = _post(client, "json", api_key, desk, service_code="denunciation").json()
    [request] = client.get(f"{BASE}/requests/{created['service_request_id']}.json").json()
    assert request["description"] == SEALED and request["lat"] is None
    assert request["agency_responsible"] == "" and request["address_id"] == ""
    assert NAME not in client.get(f"{BASE}/requests.json").content.decode()


def test_the_date_filters_and_the_default_window(client, desk, api_key):
    [created] = _post(client, "json", api_key, desk).json()
    Petition.objects.filter(pk=created["service_request_id"]).update(
        created_at=timezone.now() - dt.timedelta(days=100)
    )
    [recent] = _post(client, "json", api_key, desk).json()
    ids = lambda url: [r["service_request_id"] for r in client.get(url).json()]  # noqa: E731
    assert ids(f"{BASE}/requests.json") == [recent["service_request_id"]]
    old_day = (timezone.now() - dt.timedelta(days=101)).strftime("%Y-%m-%dT%H:%M:%SZ")
    until = (timezone.now() - dt.timedelta(days=99)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert ids(f"{BASE}/requests.json?start_date={old_day}&end_date={until}") == [
        created["service_request_id"]
    ]
    assert ids(f"{BASE}/requests.json?service_request_id={created['service_request_id']}") == [
        created["service_request_id"]
    ]
    assert ids(f"{BASE}/requests.json?status=closed") == []
    assert client.get(f"{BASE}/requests.json?start_date=yesterday").status_code == 400


def test_it_refuses_bad_keys_and_bad_requests_with_open311_errors(client, desk, api_key, token_for):
    response = _post(client, "json", "dv_wrong", desk)
    assert response.status_code == 403 and response.json()[0]["code"] == 403
    read_only = token_for(desk.clerk, desk.agency, access="read")
    assert _post(client, "xml", read_only, desk).status_code == 403
    response = _post(client, "json", api_key, desk, service_code="nope")
    assert response.status_code == 400 and "service_code" in response.json()[0]["description"]
    response = _post(
        client, "json", api_key, desk, address_id="", address_string="", lat="", long=""
    )
    assert response.status_code == 400
    assert _xml(_post(client, "xml", api_key, desk, description="")).tag == "errors"
    assert not Open311Request.objects.exists()
    assert client.get(f"{BASE}/requests/999999.json").status_code == 404
    assert client.get(f"{BASE}/tokens/nope.xml").status_code == 404


LEAKY = (
    "Ông Lê Văn Hàng Xóm, CCCD 079201001234, điện thoại 0987654321, lấn chiếm lối đi chung "
    "của xóm từ tháng 3."
)


@pytest.mark.parametrize("kind", ["feedback", "complaint", "recommendation", "denunciation"])
def test_it_never_publishes_what_the_sender_wrote(client, desk, api_key, kind):
    [created] = _post(client, "json", api_key, desk, service_code=kind, description=LEAKY).json()
    request_id = created["service_request_id"]
    bodies = [client.get(f"{BASE}/requests.{fmt}").content.decode() for fmt in ("json", "xml")] + [
        client.get(f"{BASE}/requests/{request_id}.{fmt}").content.decode()
        for fmt in ("json", "xml")
    ]
    assert request_id in bodies[0] and request_id in bodies[1]
    for body in bodies:
        for secret in ("079201001234", "0987654321", "Hàng Xóm", "lấn chiếm", "9.7845", "105.47"):
            assert secret not in body, (secret, body)


def test_it_publishes_only_cases_citizens_sent(client, desk, api_key):
    """An official's intake is not public, even if recorded (before the fix) as "portal"."""
    staff_case = desk.receive(channel="reception")
    Petition.objects.filter(pk=staff_case.pk).update(channel="portal")  # legacy rows
    [created] = _post(client, "json", api_key, desk).json()
    ids = [r["service_request_id"] for r in client.get(f"{BASE}/requests.json").json()]
    assert ids == [created["service_request_id"]]
    assert client.get(f"{BASE}/requests/{staff_case.pk}.json").status_code == 404


def test_it_answers_400_not_500_to_an_impossible_date(client):
    for value in ("2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "9999-12-31T23:59:59-12:00"):
        response = client.get(f"{BASE}/requests.json?start_date={value}")
        assert response.status_code in (200, 400), value
    response = client.get(f"{BASE}/requests.xml?start_date=2026-02-30T00:00:00Z")
    assert response.status_code == 400 and _xml(response).tag == "errors"


def test_it_caps_the_id_list(client):
    ids = ",".join(str(n) for n in range(1, 52))
    assert client.get(f"{BASE}/requests.json?service_request_id={ids}").status_code == 400
    ids = ",".join(str(n) for n in range(1, 51))
    assert client.get(f"{BASE}/requests.json?service_request_id={ids}").status_code == 200


def test_it_rate_limits_token_lookups(client, settings):
    from danvan.api.open311 import views

    limit = views.TOKEN_READS_PER_IP.count
    statuses = [client.get(f"{BASE}/tokens/guess{n}.json").status_code for n in range(limit + 1)]
    assert statuses[:limit] == [404] * limit and statuses[-1] == 429


def test_it_sends_the_tracking_secret_uncached(client, desk, api_key):
    response = _post(client, "json", api_key, desk)
    assert response.status_code == 201 and response["Cache-Control"] == "no-store"


def test_it_audits_the_token_owner_and_checks_their_rights(client, desk, api_key, token_for):
    from danvan.core.models import AuditEvent

    [created] = _post(client, "json", api_key, desk).json()
    event = AuditEvent.objects.get(action="api.open311_submit")
    assert event.actor == desk.clerk and event.changes["api_token"] > 0
    assert str(event.object_id) == created["service_request_id"]
    # A token of another agency tree may not file cases with this commune's committee.
    outsider = token_for(desk.outsider, desk.tree.front)
    response = _post(client, "json", outsider, desk)
    assert response.status_code == 403
    # Nor a viewer of this very committee: viewers do not take petitions.
    viewer = token_for(desk.viewer, desk.agency)
    assert _post(client, "xml", viewer, desk).status_code == 403
    assert Open311Request.objects.count() == 1
