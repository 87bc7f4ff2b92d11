"""Org selectors beyond scoping (see test_scoping.py)."""


def test_agencies_of_province_lists_the_province_and_its_communes_only(org_tree):
    from danvan.org.models import AdministrativeUnit
    from danvan.org.selectors import agencies_of_province
    from danvan.org.tests.factories import AgencyFactory, UnitFactory

    other = UnitFactory(level=AdministrativeUnit.Level.PROVINCE, code="93", name="Tỉnh khác")
    elsewhere = AgencyFactory(unit=UnitFactory(parent=other))
    near = set(agencies_of_province(org_tree.commune_pc))
    assert {org_tree.city, org_tree.dept_a, org_tree.commune_pc, org_tree.front} <= near
    assert elsewhere not in near
    assert set(agencies_of_province(org_tree.city)) == near
