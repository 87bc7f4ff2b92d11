import pytest

from danvan.petitions.tests.conftest import Desk


@pytest.fixture
def desk(org_tree, make_member):
    return Desk(org_tree, make_member)
