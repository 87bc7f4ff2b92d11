"""Load Vietnam's administrative units into `AdministrativeUnit` from `vietnam_provinces`.

Two schemes live side by side (DOMAIN.md §I): the 34 provinces and 3,321 communes in force from
1/7/2025, and the 63 provinces, 696 districts and 10,051 communes that ended on 30/6/2025. Legacy
units point at the new units they went into (`successors`) so records dated before the reform
still resolve to a current unit.

The whole country is ~14,000 units and ~14,000 links, so every write is a bulk statement inside
one transaction: one query per row would take minutes against a remote PostgreSQL.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

import vietnam_provinces as vp
from django.db import transaction
from vietnam_provinces import legacy as vp_legacy

from danvan.core.audit import audit_log
from danvan.core.text import fold_text, normalize_text
from danvan.org.models import LEGACY_END, TWO_TIER_START, AdministrativeUnit

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

Scheme = AdministrativeUnit.Scheme
Level = AdministrativeUnit.Level
Key = tuple[str, str, str]  # (scheme, level, code): the model's natural key
Link = tuple[Key, Key]  # (legacy unit, a new unit it went into)

# Statistics-office codes are fixed-width ("01" Hà Nội, "001" Ba Đình, "00001" Phúc Xá) and the
# package names its enums that way (P_01, D_001, W_00001), but stores plain ints: pad them back.
CODE_WIDTH = {Level.PROVINCE: 2, Level.DISTRICT: 3, Level.COMMUNE: 5}
VALIDITY = {Scheme.TWO_TIER: (TWO_TIER_START, None), Scheme.LEGACY: (None, LEGACY_END)}
KEY_FIELDS = ("scheme", "level", "code")
COMPARED_FIELDS = ("name", "division_type", "parent_id", "valid_from", "valid_to", "search_text")
UPDATE_FIELDS = ["name", "division_type", "parent", "valid_from", "valid_to", "search_text"]
BATCH_SIZE = 500


class UnknownProvinceError(ValueError):
    """Province codes the package does not know (in `codes`); raised before anything is written."""

    def __init__(self, codes: list[int]):
        super().__init__(f"unknown province codes: {codes}")
        self.codes = codes


@dataclass(frozen=True)
class UnitRecord:
    key: Key
    name: str
    division_type: str
    parent: Key | None


@dataclass
class Source:
    """What the package says about the selected provinces, ready to write."""

    records: list[UnitRecord] = field(default_factory=list)
    links: set[Link] = field(default_factory=set)
    # New units whose predecessors this import decides; links into other provinces are left alone.
    targets: set[Key] = field(default_factory=set)


@dataclass
class ImportSummary:
    province_codes: list[int] | None
    package_version: str
    units: dict[str, int]  # "2025.province" → units of that scheme and level in the selection
    links: int
    created: int = 0
    updated: int = 0
    links_added: int = 0
    links_removed: int = 0

    def as_changes(self) -> dict[str, Any]:
        """Return the summary as a JSON-safe dict for the audit event."""
        return asdict(self)


def unit_code(*, level: str, number: int) -> str:
    """Return the official, zero-padded code string stored in `AdministrativeUnit.code`."""
    return f"{number:0{CODE_WIDTH[level]}d}"


def import_units(
    *, province_codes: list[int] | None, actor: AbstractBaseUser | None = None
) -> ImportSummary:
    """Create or update the units of `province_codes` (None: the whole country); return counts.

    A new province comes with its communes and with the legacy provinces that went into it (their
    districts and communes too), plus the successor links. Idempotent: a second run adds nothing.
    """
    source = read_source(province_codes=province_codes)
    with transaction.atomic():
        ids, created, updated = _write_units(source.records)
        links_added, links_removed = _write_links(source, ids)
        summary = ImportSummary(
            province_codes=sorted(set(province_codes)) if province_codes is not None else None,
            package_version=vp.__version__,
            units=dict(sorted(Counter(f"{r.key[0]}.{r.key[1]}" for r in source.records).items())),
            links=len(source.links),
            created=created,
            updated=updated,
            links_added=links_added,
            links_removed=links_removed,
        )
        audit_log(actor=actor, action="org.units_import", changes=summary.as_changes())
    return summary


# --- reading the package (no database) -------------------------------------------------------


def read_source(*, province_codes: list[int] | None) -> Source:
    """Return the units and links for `province_codes` (None: all); raise UnknownProvinceError."""
    provinces = _new_provinces(province_codes)
    selected = {int(p.code) for p in provinces}
    wards = [w for w in vp.Ward.iter_all() if int(w.province_code) in selected]
    pairs = [(old, new) for new in wards for old in new.get_legacy_sources()]
    if province_codes is None:
        legacy_codes = {int(p.code) for p in vp_legacy.Province.iter_all()}
    else:
        # The commune table, not Province.get_legacy_sources(): the province table was derived
        # from a commune row with a wrong province (27691, Long An filed under Tiền Giang), so it
        # wrongly lists Tiền Giang among Tây Ninh's sources.
        legacy_codes = {int(old.province_code) for old, _ in pairs}
    source = Source()
    _add_new_units(source, provinces, wards)
    _add_legacy_units(source, legacy_codes)
    _add_links(source, pairs)
    _add_island_links(source, wards)
    return source


def _new_provinces(codes: list[int] | None) -> list[vp.Province]:
    known = {int(p.code): p for p in vp.Province.iter_all()}
    if codes is None:
        return list(known.values())
    unknown = sorted(set(codes) - known.keys())
    if unknown:
        raise UnknownProvinceError(unknown)
    return [known[code] for code in sorted(set(codes))]


def _key(scheme: str, level: str, number: int) -> Key:
    return (scheme, level, unit_code(level=level, number=int(number)))


def _record(scheme: str, level: str, unit: Any, parent: Key | None) -> UnitRecord:
    return UnitRecord(_key(scheme, level, unit.code), unit.name, unit.division_type.value, parent)


def _add_new_units(source: Source, provinces: list[vp.Province], wards: list[vp.Ward]) -> None:
    new = Scheme.TWO_TIER
    for province in provinces:
        source.records.append(_record(new, Level.PROVINCE, province, None))
    for ward in wards:
        parent = _key(new, Level.PROVINCE, ward.province_code)
        source.records.append(_record(new, Level.COMMUNE, ward, parent))
    source.targets.update(record.key for record in source.records)


def _add_legacy_units(source: Source, province_codes: set[int]) -> None:
    old = Scheme.LEGACY
    for province in vp_legacy.Province.iter_all():
        if int(province.code) in province_codes:
            source.records.append(_record(old, Level.PROVINCE, province, None))
    district_codes: set[int] = set()
    for district in vp_legacy.District.iter_all():
        if int(district.province_code) in province_codes:
            district_codes.add(int(district.code))
            parent = _key(old, Level.PROVINCE, district.province_code)
            source.records.append(_record(old, Level.DISTRICT, district, parent))
    for ward in vp_legacy.Ward.iter_all():
        if int(ward.district_code) in district_codes:
            parent = _key(old, Level.DISTRICT, ward.district_code)
            source.records.append(_record(old, Level.COMMUNE, ward, parent))


def _add_links(source: Source, pairs: list[tuple[vp_legacy.Ward, vp.Ward]]) -> None:
    """Link each legacy commune, its district and its province to where the commune went."""
    old, new = Scheme.LEGACY, Scheme.TWO_TIER
    for old_ward, new_ward in pairs:
        target = _key(new, Level.COMMUNE, new_ward.code)
        source.links.add((_key(old, Level.COMMUNE, old_ward.code), target))
        source.links.add((_key(old, Level.DISTRICT, old_ward.district_code), target))
        new_province = _key(new, Level.PROVINCE, new_ward.province_code)
        source.links.add((_key(old, Level.PROVINCE, old_ward.province_code), new_province))


def _add_island_links(source: Source, wards: list[vp.Ward]) -> None:
    """Link each legacy district without communes to the special zone of the same name.

    Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn and Côn Đảo had no commune level, so the package's
    commune table cannot say where they went; each became the đặc khu of the same name.
    """
    zones = {
        (
            _key(Scheme.TWO_TIER, Level.PROVINCE, w.province_code),
            _bare_name(w.name, w.division_type),
        ): _key(Scheme.TWO_TIER, Level.COMMUNE, w.code)
        for w in wards
        if w.division_type == vp.VietNamDivisionType.DAC_KHU
    }
    successors: defaultdict[Key, set[Key]] = defaultdict(set)
    for legacy_unit, new_unit in source.links:
        successors[legacy_unit].add(new_unit)
    with_communes = {
        r.parent for r in source.records if r.key[:2] == (Scheme.LEGACY, Level.COMMUNE)
    }
    for record in source.records:
        if record.key[:2] != (Scheme.LEGACY, Level.DISTRICT) or record.key in with_communes:
            continue
        name = _bare_name(record.name, record.division_type)
        for new_province in successors[record.parent] if record.parent else ():
            if (zone := zones.get((new_province, name))) is not None:
                source.links.add((record.key, zone))


def _bare_name(name: str, division_type: str) -> str:
    """Return the folded name without its type: 'Huyện Côn Đảo', 'Đặc khu Côn Đảo' → 'con dao'."""
    return fold_text(name).removeprefix(fold_text(division_type) + " ")


# --- writing (bulk, inside the caller's transaction) -----------------------------------------


def _write_units(records: list[UnitRecord]) -> tuple[dict[Key, int], int, int]:
    """Insert or update `records`; return ({key: pk} for every unit, created, updated)."""
    existing = {_db_key(unit): unit for unit in AdministrativeUnit.objects.all()}
    ids = {key: unit.pk for key, unit in existing.items()}
    created = updated = 0
    # Parents first, so each level's parent_id is known before its rows are written.
    for level in (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE):
        new, changed = _diff_level([r for r in records if r.key[1] == level], existing, ids)
        AdministrativeUnit.objects.bulk_create(new, batch_size=BATCH_SIZE)
        AdministrativeUnit.objects.bulk_update(changed, UPDATE_FIELDS, batch_size=BATCH_SIZE)
        if new:
            # One query per level rather than relying on INSERT … RETURNING on every backend.
            rows = AdministrativeUnit.objects.filter(level=level)
            ids.update({(s, lv, c): pk for pk, s, lv, c in rows.values_list("pk", *KEY_FIELDS)})
        created += len(new)
        updated += len(changed)
    return ids, created, updated


def _db_key(unit: AdministrativeUnit) -> Key:
    return (unit.scheme, unit.level, unit.code)


def _diff_level(
    records: list[UnitRecord], existing: dict[Key, AdministrativeUnit], ids: dict[Key, int]
) -> tuple[list[AdministrativeUnit], list[AdministrativeUnit]]:
    """Return (units to insert, existing units whose values changed) for one level."""
    new: list[AdministrativeUnit] = []
    changed: list[AdministrativeUnit] = []
    for record in records:
        unit = existing.get(record.key)
        if unit is None:
            scheme, level, code = record.key
            unit = AdministrativeUnit(scheme=scheme, level=level, code=code)
            _fill(unit, record, ids)
            new.append(unit)
            continue
        before = tuple(getattr(unit, name) for name in COMPARED_FIELDS)
        _fill(unit, record, ids)
        if tuple(getattr(unit, name) for name in COMPARED_FIELDS) != before:
            changed.append(unit)
    return new, changed


def _fill(unit: AdministrativeUnit, record: UnitRecord, ids: dict[Key, int]) -> None:
    unit.name = normalize_text(record.name)
    unit.division_type = record.division_type
    unit.parent_id = ids[record.parent] if record.parent else None
    unit.valid_from, unit.valid_to = VALIDITY[record.key[0]]
    # Bulk writes bypass save(), which is what normally keeps the folded search column current.
    unit.refresh_search_text()


def _write_links(source: Source, ids: dict[Key, int]) -> tuple[int, int]:
    """Make the links into `source.targets` exactly `source.links`; return (added, removed)."""
    through = AdministrativeUnit.successors.through
    wanted = {(ids[old], ids[new]) for old, new in source.links}
    targets = {ids[key] for key in source.targets}
    existing = {
        (from_id, to_id): pk
        for pk, from_id, to_id in through.objects.values_list(
            "pk", "from_administrativeunit_id", "to_administrativeunit_id"
        )
        if to_id in targets
    }
    missing = sorted(wanted - existing.keys())
    stale = sorted(pk for pair, pk in existing.items() if pair not in wanted)
    through.objects.bulk_create(
        [through(from_administrativeunit_id=f, to_administrativeunit_id=t) for f, t in missing],
        batch_size=BATCH_SIZE,
    )
    for start in range(0, len(stale), BATCH_SIZE):
        through.objects.filter(pk__in=stale[start : start + BATCH_SIZE]).delete()
    return len(missing), len(stale)
