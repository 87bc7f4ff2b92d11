"""Demo organisation for `manage.py load_demo`: Cần Thơ after the 2025 reform, with legacy
Hậu Giang, a realistic set of agencies and one user per role. Idempotent."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from danvan.core.text import fold_text
from danvan.org.importers import import_units, unit_code
from danvan.org.models import AdministrativeUnit, Agency, Membership
from danvan.org.services import agency_upsert, membership_grant, staff_user_upsert

PROVINCE_CODE = 92
DEMO_PASSWORD = "danvan-demo-2026"  # noqa: S105 - printed on purpose: demo accounts only
K = Agency.Kind
R = Membership.Role

# (code, name, kind, parent code or None); the unit is the city unless given per commune.
CITY_AGENCIES = [
    ("ubnd-tp", "Ủy ban nhân dân thành phố Cần Thơ", K.PEOPLES_COMMITTEE, None),
    ("hdnd-tp", "Hội đồng nhân dân thành phố Cần Thơ", K.PEOPLES_COUNCIL, None),
    ("thanh-uy", "Thành ủy Cần Thơ", K.PARTY_COMMITTEE, None),
    (
        "ban-tgdv",
        "Ban Tuyên giáo và Dân vận Thành ủy Cần Thơ",
        K.PARTY_MASS_MOBILISATION,
        "thanh-uy",
    ),
    ("mttq-tp", "Ủy ban Mặt trận Tổ quốc Việt Nam thành phố Cần Thơ", K.FATHERLAND_FRONT, None),
    ("ldld-tp", "Liên đoàn Lao động thành phố Cần Thơ", K.TRADE_UNION, "mttq-tp"),
    ("hnd-tp", "Hội Nông dân thành phố Cần Thơ", K.FARMERS_UNION, "mttq-tp"),
    ("hlhpn-tp", "Hội Liên hiệp Phụ nữ thành phố Cần Thơ", K.WOMENS_UNION, "mttq-tp"),
    ("thanh-doan", "Thành đoàn Cần Thơ", K.YOUTH_UNION, "mttq-tp"),
    ("hccb-tp", "Hội Cựu chiến binh thành phố Cần Thơ", K.VETERANS_ASSOCIATION, "mttq-tp"),
    ("cong-an-tp", "Công an thành phố Cần Thơ", K.POLICE, None),
    ("toa-an-tp", "Tòa án nhân dân thành phố Cần Thơ", K.COURT, None),
    ("vks-tp", "Viện kiểm sát nhân dân thành phố Cần Thơ", K.PROCURACY, None),
    ("bchqs-tp", "Bộ Chỉ huy Quân sự thành phố Cần Thơ", K.MILITARY, None),
    ("so-noi-vu", "Sở Nội vụ thành phố Cần Thơ", K.DEPARTMENT, "ubnd-tp"),
    ("so-tu-phap", "Sở Tư pháp thành phố Cần Thơ", K.DEPARTMENT, "ubnd-tp"),
    ("so-nnmt", "Sở Nông nghiệp và Môi trường thành phố Cần Thơ", K.DEPARTMENT, "ubnd-tp"),
    ("thanh-tra-tp", "Thanh tra thành phố Cần Thơ", K.INSPECTORATE, "ubnd-tp"),
    ("ban-tcd-tp", "Ban Tiếp công dân thành phố Cần Thơ", K.PUBLIC_SERVICE_UNIT, "ubnd-tp"),
]

# (slug, commune name as in the official list)
DEMO_COMMUNES = [
    ("ninh-kieu", "Phường Ninh Kiều"),
    ("vi-thanh", "Phường Vị Thanh"),
    ("hoa-luu", "Xã Hỏa Lựu"),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    agency_code: str | None
    role: str | None
    title: str = ""


DEMO_USERS = [
    DemoUser("lanhdao.tp", "Nguyễn Văn An", "ubnd-tp", R.LEADER, "Phó Chủ tịch UBND thành phố"),
    DemoUser("chuyenvien.noivu", "Trần Thị Bình", "so-noi-vu", R.OFFICER, "Chuyên viên"),
    DemoUser("vanthu.tcd", "Lê Văn Cường", "ban-tcd-tp", R.CLERK, "Cán bộ tiếp công dân"),
    DemoUser("thanhtra.tp", "Phạm Thị Dung", "thanh-tra-tp", R.INSPECTOR, "Thanh tra viên"),
    DemoUser("mttq.tp", "Hoàng Văn Em", "mttq-tp", R.OFFICER, "Cán bộ Mặt trận"),
    DemoUser("danvan.tu", "Võ Thị Giang", "ban-tgdv", R.VIEWER, "Chuyên viên Ban"),
    DemoUser("lanhdao.vithanh", "Đặng Văn Hùng", "ubnd-vi-thanh", R.LEADER, "Chủ tịch UBND phường"),
    DemoUser("canbo.vithanh", "Bùi Thị Lan", "ubnd-vi-thanh", R.OFFICER, "Công chức"),
    DemoUser("vanthu.hoaluu", "Ngô Văn Minh", "ubnd-hoa-luu", R.CLERK, "Công chức một cửa"),
]


def _commune(province: AdministrativeUnit, name: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(
        parent=province,
        level=AdministrativeUnit.Level.COMMUNE,
        scheme=AdministrativeUnit.Scheme.TWO_TIER,
        search_text__startswith=fold_text(name),
    )


def ensure_units() -> AdministrativeUnit:
    """Import Cần Thơ (with its legacy units) unless it is already there; return the city."""

    province = AdministrativeUnit.objects.filter(
        scheme=AdministrativeUnit.Scheme.TWO_TIER,
        level=AdministrativeUnit.Level.PROVINCE,
        code=unit_code(level="province", number=PROVINCE_CODE),
    ).first()
    if province is None or not province.children.exists():
        import_units(province_codes=[PROVINCE_CODE], actor=None)
        province = AdministrativeUnit.objects.get(
            scheme=AdministrativeUnit.Scheme.TWO_TIER,
            level=AdministrativeUnit.Level.PROVINCE,
            code=unit_code(level="province", number=PROVINCE_CODE),
        )
    return province


def ensure_agencies(city: AdministrativeUnit) -> dict[str, Agency]:
    agencies: dict[str, Agency] = {}
    for code, name, kind, parent in CITY_AGENCIES:
        agencies[code], _ = agency_upsert(
            actor=None,
            code=code,
            name=name,
            kind=kind,
            unit=city,
            parent=agencies.get(parent) if parent else None,
        )
    for slug, commune_name in DEMO_COMMUNES:
        unit = _commune(city, commune_name)
        # "Ủy ban nhân dân phường Vị Thanh": the division word is lower case after the body.
        place = commune_name[0].lower() + commune_name[1:]
        for prefix, label, kind, parent in (
            ("ubnd", "Ủy ban nhân dân", K.PEOPLES_COMMITTEE, "ubnd-tp"),
            ("mttq", "Ủy ban Mặt trận Tổ quốc Việt Nam", K.FATHERLAND_FRONT, "mttq-tp"),
            ("dang-uy", "Đảng ủy", K.PARTY_COMMITTEE, "thanh-uy"),
        ):
            agencies[f"{prefix}-{slug}"], _ = agency_upsert(
                actor=None,
                code=f"{prefix}-{slug}",
                name=f"{label} {place}",
                kind=kind,
                unit=unit,
                parent=agencies[parent],
            )
    return agencies


def ensure_users(agencies: dict[str, Agency]) -> list[tuple[str, str]]:
    """Create the demo accounts; return (username, description) pairs to print."""
    User = get_user_model()
    logins = []
    admin = staff_user_upsert(
        actor=None,
        username="admin",
        full_name="Quản trị hệ thống",
        password=DEMO_PASSWORD,
        is_superuser=True,
        is_staff=True,
    )
    logins.append((admin.username, "superuser"))
    for demo in DEMO_USERS:
        user = staff_user_upsert(
            actor=None, username=demo.username, full_name=demo.full_name, password=DEMO_PASSWORD
        )
        membership_grant(
            actor=None,
            user=user,
            agency=agencies[demo.agency_code],
            role=demo.role,
            title=demo.title,
        )
        logins.append((user.username, f"{demo.role} — {agencies[demo.agency_code].name}"))
    citizen = staff_user_upsert(
        actor=None,
        username="congdan",
        full_name="Trương Thị Nga",
        password=DEMO_PASSWORD,
        kind=User.Kind.CITIZEN,
    )
    logins.append((citizen.username, "citizen (no staff access)"))
    return logins


def load_demo() -> list[tuple[str, str]]:
    """Load the whole demo organisation; return the logins to print."""
    city = ensure_units()
    agencies = ensure_agencies(city)
    return ensure_users(agencies)
