"""Schemathesis against API v1's own OpenAPI document, in-process (WSGI): no 5xx, ever.

Bounded: a fixed number of generated cases per operation (valid and invalid input), with a
derandomised Hypothesis so CI runs the same cases every time (~1 minute on 2 cores).
"""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis import GenerationMode

from danvan.api.models import ApiToken
from danvan.petitions.tests.conftest import eligible

pytestmark = pytest.mark.django_db
EXAMPLES_PER_OPERATION = 20


@pytest.fixture
def wsgi_app():
    """The real WSGI app, minus the connection closing at request end (as Django's test
    client does), so that requests see the test's transaction."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def data(desk, token_for):
    desk.receive()
    petition = desk.denunciation()
    desk.move(petition, "classify", kind="denunciation", eligibility=eligible("denunciation"))
    return token_for(desk.leader, desk.agency, access=ApiToken.Access.WRITE)


def test_it_finds_no_server_error_anywhere_in_the_api(data, wsgi_app, settings):
    settings.DANVAN_API_RATE_PER_MINUTE = 10**9
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)
    headers = {"Authorization": f"Bearer {data}"}
    failures, calls = [], []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @hypothesis_settings(
                max_examples=EXAMPLES_PER_OPERATION,
                deadline=None,
                derandomize=True,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(generation_mode=mode))
            def run(case):
                response = case.call(headers=headers)
                calls.append(response.status_code)
                if response.status_code >= 500:
                    failures.append(f"{case.method} {case.formatted_path} → {response.status_code}")

            run()
    assert len(calls) >= 200
    # The token really was accepted: most answers are not 401/403.
    assert sum(code not in (401, 403) for code in calls) > len(calls) * 0.8
    print(f"schemathesis: {len(operations)} operations, {len(calls)} calls", sorted(set(calls)))
    assert not failures, "\n".join(sorted(set(failures)))
