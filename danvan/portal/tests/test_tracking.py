"""Tracking lookups: a fixed, small number of queries; the cached public view of a case never
outlives a move, an answer or a language switch; the rate limit holds for right secrets too."""

import pytest
from django import forms
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from danvan.core import ratelimit
from danvan.org.models import Membership
from danvan.petitions.models import Petition
from danvan.petitions.services import petition_move
from danvan.petitions.tests.conftest import Desk, eligible
from danvan.portal.forms_citizen import DirectTextInput, TrackForm
from danvan.portal.models import PublicAnswer
from danvan.portal.services_content import public_answer_publish, public_answer_withdraw
from danvan.portal.tests.test_citizen import form_data, secret_from, submit, track
from danvan.portal.tests.test_content import resolved

__all__ = ["form_data"]  # a fixture, used by name


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


def test_it_shows_a_move_at_once_although_the_result_is_cached(
    client, org_tree, tracked, make_member
):
    code, secret = tracked
    before = result_of(track(client, code, secret))
    assert "Tiếp nhận" in before and "Đã thụ lý" not in before
    assert "Tiếp nhận" in result_of(track(client, code, secret))  # now from the cache
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


def test_it_shows_and_hides_the_published_answer_although_the_result_is_cached(
    client, org_tree, make_member
):
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


def test_it_caches_the_result_per_language(client, tracked):
    code, secret = tracked
    assert "Tình trạng hiện tại" in result_of(track(client, code, secret))
    client.cookies["django_language"] = "en"
    english = result_of(track(client, code, secret))
    assert "Current status" in english and "Tình trạng" not in english


def test_a_lookup_takes_three_queries_then_two_from_the_cache(tracked, django_assert_num_queries):
    code, secret = tracked
    visitor = Client()  # no session: the submitter's session would add its own query
    # The rate-limit counter, the case, then (for a found case) its deadline and public steps.
    with django_assert_num_queries(3):
        assert "Tiếp nhận" in result_of(track(visitor, code, secret))
    with django_assert_num_queries(2):
        assert "Tiếp nhận" in result_of(track(visitor, code, secret))
    for wrong in ((code, "ABCDEFGH"), ("ZZZZZZZZZZ", secret)):
        with django_assert_num_queries(2):
            assert "Không tìm thấy đơn" in result_of(track(visitor, *wrong))


def test_the_rate_limit_refuses_the_right_secret_too_and_shows_nothing(client, tracked):
    code, secret = tracked
    for _ in range(ratelimit.TRACK_PER_IP.count - 1):
        assert track(client, code, "ABCDEFGH", ip="192.0.2.7").status_code == 200
    assert "Tiếp nhận" in result_of(track(client, code, secret, ip="192.0.2.7"))  # the 30th
    refused = track(client, code, secret, ip="192.0.2.7")
    assert refused.status_code == 429 and "Tiếp nhận" not in refused.content.decode()
    assert track(client, code, secret, ip="192.0.2.8").status_code == 200  # another client


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
