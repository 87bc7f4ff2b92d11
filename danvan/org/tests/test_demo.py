import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from danvan.core.models import AuditEvent
from danvan.org.demo import DEMO_USERS
from danvan.org.models import AdministrativeUnit, Agency, Membership

pytestmark = pytest.mark.django_db


def test_load_demo_builds_the_org_and_is_idempotent(capsys):
    call_command("load_demo")
    out = capsys.readouterr().out
    counts = (
        Agency.objects.count(),
        get_user_model().objects.count(),
        Membership.objects.count(),
        AdministrativeUnit.objects.count(),
    )
    events = AuditEvent.objects.count()

    call_command("load_demo", verbosity=0)
    assert (
        Agency.objects.count(),
        get_user_model().objects.count(),
        Membership.objects.count(),
        AdministrativeUnit.objects.count(),
    ) == counts
    assert AuditEvent.objects.count() == events  # the second run changed nothing

    for demo in DEMO_USERS:
        assert demo.username in out
        assert Membership.objects.filter(user__username=demo.username, role=demo.role).exists()
    kinds = set(Agency.objects.values_list("kind", flat=True))
    assert kinds >= Agency.SOCIO_POLITICAL
    assert {
        Agency.Kind.POLICE,
        Agency.Kind.COURT,
        Agency.Kind.PROCURACY,
        Agency.Kind.FATHERLAND_FRONT,
        Agency.Kind.PARTY_MASS_MOBILISATION,
    } <= kinds
    assert (
        Agency.objects.filter(kind=Agency.Kind.PEOPLES_COMMITTEE, unit__level="commune").count()
        == 3
    )
    assert Agency.objects.get(code="ubnd-vi-thanh").name == "Ủy ban nhân dân phường Vị Thanh"
    hau_giang = AdministrativeUnit.objects.get(scheme="legacy", level="province", code="93")
    assert hau_giang.successors.filter(code="92", scheme="2025").exists()
    assert get_user_model().objects.get(username="congdan").is_citizen


def test_the_demo_leader_sees_the_commune_below_the_city(client):
    call_command("load_demo", verbosity=0)
    from danvan.org.selectors import visible_agency_ids

    leader = get_user_model().objects.get(username="lanhdao.tp")
    visible = visible_agency_ids(leader)
    assert Agency.objects.get(code="ubnd-vi-thanh").pk in visible
    assert Agency.objects.get(code="cong-an-tp").pk not in visible


def test_load_demo_brings_the_seed_plan_and_a_current_plan_with_mixed_statuses():
    from collections import Counter

    from danvan.plans.demo import SEED_NUMBER
    from danvan.plans.models import Plan
    from danvan.plans.selectors import task_queryset

    call_command("load_demo", verbosity=0)
    seed = Plan.objects.get(number=SEED_NUMBER)
    assert seed.year == 2023 and seed.contents.count() == 7
    assert sorted(seed.legal_bases.values_list("number", flat=True)) == sorted(
        [
            "114-KL/TW",
            "23-QĐ/TW",
            "33/CT-TTg",
            "939 QĐ/TU",
            "85-CTr/BDVTU-BCSĐUBND",
            "128-CTr/BDVTU",
        ]
    )
    assert seed.contents.get(number=4).title.startswith("Thực hiện có hiệu quả công tác tiếp dân")
    admin = get_user_model().objects.get(username="admin")
    statuses = Counter(task_queryset(user=admin).values_list("status", flat=True))
    assert set(statuses) == {"not_started", "in_progress", "done_on_time", "done_late", "overdue"}
    assert Plan.objects.filter(parent__isnull=False, issuing_agency__code="ubnd-vi-thanh").exists()


def test_load_demo_brings_petitions_in_every_state_with_a_sealed_denunciation():
    from danvan.petitions import workflow as wf
    from danvan.petitions.models import Petition

    call_command("load_demo", verbosity=0)
    statuses = set(Petition.objects.values_list("status", flat=True))
    assert {
        wf.RECEIVED,
        wf.CLASSIFIED,
        wf.ACCEPTED,
        wf.VERIFYING,
        wf.RESOLVED,
        wf.CLOSED,
        wf.TRANSFERRED,
        wf.GUIDED,
        wf.FILED,
        wf.WITHDRAWN,
    } <= statuses
    assert Petition.objects.count() >= 200
    assert Petition.objects.filter(sealed_identity__isnull=False, kind="denunciation").exists()
    assert Petition.objects.filter(duplicate_of__isnull=False).exists()
    from django.utils import timezone

    assert Petition.objects.filter(due_on__lt=timezone.localdate()).exists()  # some overdue
    count = Petition.objects.count()
    call_command("load_demo", verbosity=0)
    assert Petition.objects.count() == count


def test_load_demo_brings_portal_news_and_public_answers(client):
    from danvan.portal.models import Article, PublicAnswer

    call_command("load_demo", verbosity=0)
    assert Article.objects.count() == 3
    assert PublicAnswer.objects.exists()
    home = client.get("/portal/").content.decode()
    assert "Xem nhiều nhất" in home and Article.objects.first().title in home
