"""The import of administrative units from the vietnam_provinces package (command and function)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import translation

from danvan.core.models import AuditEvent
from danvan.org.importers import import_units
from danvan.org.models import LEGACY_END, TWO_TIER_START, AdministrativeUnit

pytestmark = pytest.mark.django_db

S, L = AdministrativeUnit.Scheme, AdministrativeUnit.Level
NEW, OLD = S.TWO_TIER, S.LEGACY


def _unit(scheme: str, level: str, code: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(scheme=scheme, level=level, code=code)


def _can_tho_communes():
    return AdministrativeUnit.objects.filter(scheme=NEW, level=L.COMMUNE, parent__code="92")


def _run(*args: str) -> str:
    out = []

    class Stdout:
        def write(self, text: str) -> None:
            out.append(text)

    call_command("import_units", *args, stdout=Stdout())
    return "".join(out)


def test_it_imports_can_tho_with_its_103_communes():
    output = _run("--province", "92")

    province = _unit(NEW, L.PROVINCE, "92")
    communes = AdministrativeUnit.objects.filter(scheme=NEW, level=L.COMMUNE)
    assert communes.count() == 103
    assert set(communes.values_list("parent", flat=True)) == {province.pk}
    # Nghị quyết 1668/NQ-UBTVQH15: 31 wards and 72 communes.
    assert communes.filter(division_type="phường").count() == 31
    assert communes.filter(division_type="xã").count() == 72
    assert (province.valid_from, province.valid_to) == (TWO_TIER_START, None)
    assert province.name == "Thành phố Cần Thơ"
    assert output.count("\n") == 1
    assert "103" in output


def test_it_keeps_hau_giang_as_a_legacy_province_merged_into_can_tho():
    import_units(province_codes=[92])

    hau_giang = _unit(OLD, L.PROVINCE, "93")
    new_can_tho = _unit(NEW, L.PROVINCE, "92")
    assert hau_giang.valid_to == LEGACY_END
    assert hau_giang.valid_from is None
    assert new_can_tho in hau_giang.successors.all()
    for legacy_code in ("92", "93", "94"):  # Cần Thơ, Hậu Giang, Sóc Trăng
        assert list(_unit(OLD, L.PROVINCE, legacy_code).successors.all()) == [new_can_tho]


def test_it_links_the_vi_thanh_district_to_new_can_tho_communes():
    import_units(province_codes=[92])

    district = AdministrativeUnit.objects.get(
        scheme=OLD, level=L.DISTRICT, parent__code="93", name__contains="Vị Thanh"
    )
    successors = set(district.successors.all())
    assert successors
    assert successors <= set(_can_tho_communes())
    assert _unit(NEW, L.COMMUNE, "31321") in successors  # Phường Vị Thanh
    legacy_communes = district.children.all()
    assert legacy_communes.exists()
    assert set(legacy_communes.values_list("level", "valid_to")) == {(L.COMMUNE, LEGACY_END)}


def test_it_changes_nothing_and_audits_once_more_when_run_twice():
    import_units(province_codes=[92])
    units = AdministrativeUnit.objects.count()
    links = AdministrativeUnit.successors.through.objects.count()

    summary = import_units(province_codes=[92])

    assert (summary.created, summary.updated) == (0, 0)
    assert (summary.links_added, summary.links_removed) == (0, 0)
    assert AdministrativeUnit.objects.count() == units == 1 + 103 + 3 + 28 + 263
    assert AdministrativeUnit.successors.through.objects.count() == links
    events = AuditEvent.objects.filter(action="org.units_import")
    assert events.count() == 2
    assert AuditEvent.objects.count() == 2
    assert events.last().changes["units"]["2025.commune"] == 103


def test_it_restores_changed_names_parents_and_links():
    import_units(province_codes=[92])
    ward = _unit(NEW, L.COMMUNE, "31321")
    other_province = _unit(OLD, L.PROVINCE, "93")
    AdministrativeUnit.objects.filter(pk=ward.pk).update(name="Tên sai", parent=other_province)
    ward.predecessors.add(other_province)  # a link the package does not have

    summary = import_units(province_codes=[92])

    ward.refresh_from_db()
    assert ward.name == "Phường Vị Thanh"
    assert ward.parent == _unit(NEW, L.PROVINCE, "92")
    assert ward.search_text == "phuong vi thanh 31321"
    assert (summary.created, summary.updated, summary.links_removed) == (0, 1, 1)
    assert other_province not in ward.predecessors.all()


@pytest.mark.parametrize(
    "args",
    [
        ("--province", "99"),
        ("--province", "92", "--province", "1000"),
        ("--province", "abc"),
        (),
        ("--all", "--province", "92"),
    ],
)
def test_it_refuses_bad_input_with_exit_code_2_and_writes_nothing(args):
    with pytest.raises(CommandError) as error:
        _run(*args)

    assert error.value.returncode == 2
    assert "\n" not in str(error.value)
    assert not AdministrativeUnit.objects.exists()
    assert not AuditEvent.objects.exists()


def test_it_prints_a_one_line_error_and_exits_2_from_the_shell(tmp_path):
    env = {**os.environ, "DANVAN_VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/x"}
    result = subprocess.run(
        [sys.executable, "manage.py", "import_units", "--province", "99"],
        cwd=Path(settings.BASE_DIR),
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert "99" in result.stderr


def test_it_finds_the_vi_thanh_ward_by_folded_search():
    import_units(province_codes=[92])

    found = AdministrativeUnit.objects.filter(search_text__contains="vi thanh")

    assert found.filter(scheme=NEW, level=L.COMMUNE, name="Phường Vị Thanh").exists()


def test_it_links_an_island_district_without_communes_to_its_special_zone():
    import_units(province_codes=[31])  # Hải Phòng

    district = AdministrativeUnit.objects.get(scheme=OLD, level=L.DISTRICT, name__endswith="Vĩ")
    assert not district.children.exists()
    assert [u.name for u in district.successors.all()] == ["Đặc khu Bạch Long Vĩ"]


def test_it_imports_the_whole_country():
    summary = import_units(province_codes=None)

    new_units = AdministrativeUnit.objects.filter(scheme=NEW)
    assert new_units.filter(level=L.PROVINCE).count() == 34
    assert new_units.filter(level=L.COMMUNE).count() == 3321
    assert summary.units == {
        "2025.commune": 3321,
        "2025.province": 34,
        "legacy.commune": 10051,
        "legacy.district": 696,
        "legacy.province": 63,
    }
    assert not new_units.filter(level=L.COMMUNE, parent__isnull=True).exists()
    # Official codes keep their leading zeros: Hà Nội 01, Quận Ba Đình 001, Phường Phúc Xá 00001.
    assert _unit(NEW, L.PROVINCE, "01").name == "Thành phố Hà Nội"
    assert _unit(OLD, L.DISTRICT, "001").name == "Quận Ba Đình"
    assert _unit(OLD, L.COMMUNE, "00001").name == "Phường Phúc Xá"
    # Tiền Giang went into Đồng Tháp only, although the package's province table also says Tây Ninh.
    tien_giang = _unit(OLD, L.PROVINCE, "82")
    assert [u.code for u in tien_giang.successors.all()] == ["82"]


def test_it_speaks_the_site_language_even_when_the_caller_activated_another(monkeypatch):
    from danvan.org.management.commands import import_units as command

    monkeypatch.setattr(command, "gettext", lambda message: translation.get_language())

    with translation.override("en"), pytest.raises(CommandError) as error:
        _run("--province", "99")

    assert str(error.value) == settings.LANGUAGE_CODE == "vi"
