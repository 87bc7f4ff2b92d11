import pytest

from danvan.api.models import ApiToken
from danvan.api.services import api_token_create
from danvan.petitions.tests.conftest import Desk


@pytest.fixture
def desk(org_tree, make_member):
    return Desk(org_tree, make_member)


def bearer(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def token_for(db):
    """token_for(user, agency, access="write") → raw token."""

    def make(user, agency, access=ApiToken.Access.WRITE, days=30):
        _token, raw = api_token_create(
            actor=user, agency=agency, name="test", access=access, days=days
        )
        return raw

    return make
