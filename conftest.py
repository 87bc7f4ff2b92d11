"""Project-wide pytest fixtures: users with roles, a small org tree, browser launch settings."""

import os
import shutil

import pytest

os.environ.setdefault("DANVAN_TESTING", "1")
# pytest-django's live_server runs in a thread next to Playwright's event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Use Debian's Chromium; Playwright must never download a browser here."""
    if not CHROMIUM:
        pytest.skip("Debian chromium is not installed (CI installs it: apt-get install chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


class OrgTree:
    """city PC → (dept A, dept B, commune PC); the Front is a separate root."""

    def __init__(self):
        from danvan.org.models import AdministrativeUnit, Agency
        from danvan.org.tests.factories import AgencyFactory, UnitFactory

        self.province = UnitFactory(
            level=AdministrativeUnit.Level.PROVINCE, code="92", name="Thành phố Cần Thơ"
        )
        self.commune = UnitFactory(parent=self.province, name="Phường Vị Thanh")
        self.city = AgencyFactory(
            code="ubnd-tp",
            name="UBND thành phố",
            kind=Agency.Kind.PEOPLES_COMMITTEE,
            unit=self.province,
        )
        self.dept_a = AgencyFactory(
            code="so-a", name="Sở Nội vụ", parent=self.city, unit=self.province
        )
        self.dept_b = AgencyFactory(
            code="so-b", name="Sở Tư pháp", parent=self.city, unit=self.province
        )
        self.commune_pc = AgencyFactory(
            code="ubnd-xa",
            name="UBND phường Vị Thanh",
            kind=Agency.Kind.PEOPLES_COMMITTEE,
            parent=self.city,
            unit=self.commune,
        )
        self.front = AgencyFactory(
            code="mttq",
            name="Ủy ban MTTQ thành phố",
            kind=Agency.Kind.FATHERLAND_FRONT,
            unit=self.province,
        )

    @property
    def all(self):
        return [self.city, self.dept_a, self.dept_b, self.commune_pc, self.front]


@pytest.fixture
def org_tree(db):
    return OrgTree()


@pytest.fixture
def make_member(db):
    """make_member(agency, role) → a user holding that one membership."""
    from danvan.org.tests.factories import MembershipFactory

    def make(agency, role):
        return MembershipFactory(agency=agency, role=role).user

    return make


@pytest.fixture(autouse=True)
def _seeded_legal_rules(request):
    """Keep the migration-seeded legal rules in every database test.

    Transactional tests (`django_db(transaction=True)`) flush the tables afterwards, data
    migrations' rows included; the next test would find no rules at all.
    """
    marker = request.node.get_closest_marker("django_db")
    uses_db = marker is not None or {"db", "transactional_db"} & set(request.fixturenames)
    if not uses_db:
        return
    transactional = bool(marker and marker.kwargs.get("transaction"))
    request.getfixturevalue("transactional_db" if transactional else "db")
    from danvan.core.models import LegalRule
    from danvan.core.services import legal_rules_seed

    if not LegalRule.objects.exists():
        legal_rules_seed()


def race(func, n: int = 2, timeout: float = 120):
    """Run `func()` in `n` threads released at the same instant; return (results, errors).

    Each thread closes its own database connection; errors are collected, never swallowed.
    Use with `django_db(transaction=True)` so the threads see each other's commits.
    """
    import threading

    from django.db import connection

    start = threading.Barrier(n)
    results, errors = [], []

    def run():
        try:
            start.wait(timeout=10)
            results.append(func())
        except BaseException as exc:  # reported to the caller
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results, errors
