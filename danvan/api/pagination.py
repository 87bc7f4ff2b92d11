"""Cursor pagination: an opaque cursor over a stable key ordering, one query per page.

The cursor encodes the last row's key values; the next page is `key > last` (or `<` for a
descending key), so pages stay stable while rows are added, and cost the same at any depth.
"""

import base64
import binascii
import json
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from ninja.errors import HttpError

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


def encode_cursor(values: list) -> str:
    raw = json.dumps(values, separators=(",", ":"), default=str).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, size: int) -> list:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        values = None
    if not isinstance(values, list) or len(values) != size:
        raise HttpError(400, _("The cursor is not valid; start again without it."))
    return values


def _after(keys: tuple[str, ...], values: list) -> Q:
    """Rows strictly after `values` in the ordering `keys` (each "-field" is descending)."""
    condition = Q()
    for i, key in enumerate(keys):
        field = key.lstrip("-")
        op = "lt" if key.startswith("-") else "gt"
        step = Q(**{f"{field}__{op}": values[i]})
        for prev_key, prev_value in zip(keys[:i], values[:i], strict=True):
            step &= Q(**{prev_key.lstrip("-"): prev_value})
        condition |= step
    return condition


def _check_values(keys: tuple[str, ...], values: list) -> None:
    for key, value in zip(keys, values, strict=True):
        if key.lstrip("-") in ("id", "pk") and not (isinstance(value, int) and 0 <= value < 2**63):
            raise HttpError(400, _("The cursor is not valid; start again without it."))
        if not isinstance(value, (int, str)):
            raise HttpError(400, _("The cursor is not valid; start again without it."))


def paginate(
    qs: QuerySet, *, cursor: str | None, limit: int | None, keys: tuple[str, ...] = ("id",)
) -> dict[str, Any]:
    """Return {"items": [...], "next_cursor": str | None} for one page of `qs` over `keys`.

    The last key must be unique (the primary key), so that the order is total.
    """
    limit = min(max(limit or DEFAULT_LIMIT, 1), MAX_LIMIT)
    qs = qs.order_by(*keys)
    if cursor:
        values = decode_cursor(cursor, len(keys))
        _check_values(keys, values)
        qs = qs.filter(_after(keys, values))
    rows = list(qs[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = None
    if more and rows:
        last = rows[-1]
        next_cursor = encode_cursor([_key_value(last, k.lstrip("-")) for k in keys])
    return {"items": rows, "next_cursor": next_cursor}


def _key_value(row, field: str):
    value = getattr(row, field)
    return value.isoformat() if hasattr(value, "isoformat") else value
