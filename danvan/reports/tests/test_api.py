"""GET /api/v1/kpis gives the dashboard's figures for the same user; submitting a report
announces `report.submitted` to webhook subscribers."""

import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder

from danvan.api.tests.conftest import bearer
from danvan.reports import metrics as m
from danvan.reports.selectors import compute_figures
from danvan.reports.services import report_create, report_submit
from danvan.reports.tests.conftest import H1
from danvan.webhooks import events
from danvan.webhooks.models import Delivery
from danvan.webhooks.services import webhook_subscription_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_of_1_july(time_machine):
    time_machine.move_to("2026-07-01 09:00 +07:00", tick=False)


@pytest.mark.parametrize("who", ["city_leader", "commune_officer", "front_leader"])
def test_the_api_gives_the_dashboards_figures_for_each_role(
    client, dataset, token_for, who, as_of_1_july
):
    user = getattr(dataset, who)
    agency = user.memberships.first().agency
    response = client.get("/api/v1/kpis", H1.as_params(), **bearer(token_for(user, agency)))
    assert response.status_code == 200
    page = compute_figures(
        scope=m.Scope.for_user(user), period=H1, today=H1.end.replace(month=7, day=1), cutoff_day=15
    )
    assert response.json() == json.loads(json.dumps(page, cls=DjangoJSONEncoder))
    expected = {"city_leader": 5, "commune_officer": 3, "front_leader": 1}[who]
    assert response.json()["headline"]["received"] == expected


def test_bad_periods_and_foreign_agencies_are_refused(client, dataset, token_for):
    user = dataset.commune_officer
    headers = bearer(token_for(user, dataset.tree.commune_pc))
    bad = client.get("/api/v1/kpis", {"kind": "quarter", "index": 9}, **headers)
    assert bad.status_code == 400 and bad["Content-Type"] == "application/problem+json"
    foreign = client.get("/api/v1/kpis", {"agency": dataset.tree.dept_a.pk}, **headers)
    assert foreign.status_code == 404
    assert client.get("/api/v1/kpis").status_code == 401


def test_submitting_a_report_tells_subscribers(dataset, settings):
    settings.DANVAN_WEBHOOK_ALLOW_PRIVATE = True
    webhook_subscription_create(
        actor=dataset.city_leader,
        agency=dataset.tree.city,
        url="http://127.0.0.1:9/hook",
        events=[events.REPORT_SUBMITTED],
    )
    report = report_create(
        actor=dataset.city_leader,
        agency=dataset.tree.city,
        period=H1,
        number="3/BC-UBND",
        signer_position="CHỦ TỊCH",
        signer_name="Nguyễn Văn An",
    )
    report_submit(actor=dataset.city_leader, report=report, expected_version=1)
    delivery = Delivery.objects.get()
    assert delivery.event == events.REPORT_SUBMITTED
    data = delivery.payload["data"]
    report.refresh_from_db()
    assert data["report_id"] == report.pk and data["number"] == "3/BC-UBND"
    assert data["headline"] == report.figures["headline"]
    assert delivery.payload["agency_id"] == dataset.tree.city.pk
