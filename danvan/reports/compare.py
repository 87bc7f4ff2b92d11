"""What changed between a submitted report's frozen figures and the live ones. Pure Python."""

from dataclasses import dataclass

SKIP = {"period", "previous_period", "as_of", "previous", "id", "unit_id", "agency_id", "number"}
NAME_KEYS = ("name", "agency", "title", "unit")


@dataclass(frozen=True)
class Change:
    path: str
    frozen: float | int | None
    live: float | int | None

    @property
    def delta(self):
        if self.frozen is None or self.live is None:
            return None
        return round(self.live - self.frozen, 1)


def _key(entry: dict, position: int) -> str:
    for name in NAME_KEYS:
        if entry.get(name):
            extra = f" {entry['role']}" if "role" in entry else ""
            extra += f" {entry['kind']}" if name == "unit" and "kind" in entry else ""
            return f"{entry[name]}{extra}"
    return f"#{position + 1}"


def flatten(data, prefix: str = "") -> dict[str, float | int]:
    """Every number in `data`, keyed by a readable path ("petitions › by_kind › complaint")."""
    out: dict[str, float | int] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            if key in SKIP:
                continue
            out |= flatten(value, f"{prefix} › {key}" if prefix else str(key))
    elif isinstance(data, list):
        for position, entry in enumerate(data):
            label = _key(entry, position) if isinstance(entry, dict) else f"#{position + 1}"
            out |= flatten(entry, f"{prefix} › {label}")
    elif isinstance(data, (int, float)) and not isinstance(data, bool):
        out[prefix] = data
    return out


def compare(frozen: dict, live: dict) -> list[Change]:
    """The numbers that differ, in the frozen figures' order, then the ones only live has."""
    a, b = flatten(frozen), flatten(live)
    keys = list(a) + [k for k in b if k not in a]
    return [Change(k, a.get(k), b.get(k)) for k in keys if a.get(k) != b.get(k)]
