"""Pages rendered once per language with markers where their per-request parts go, then served by
joining strings: for the one public page that is posted to at will (tracking), where rendering
the portal's template around a result cost more than finding the result.

A shell is the template rendered through Django's own engine with marker values in place of the
request's parts (the CSRF token, the path, the submitted values, the result), so its markup is the
template's; filling a slot escapes the value as the template would (tests compare the two).
Shells are kept per process, per template and variant, language and script prefix; a change of
settings (tests) drops them, and with DEBUG on they are not kept (template edits show at once).
"""

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.signals import setting_changed
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils import translation

# Random per process, so no template text can contain a marker by chance. Short: a marker also
# stands in for a submitted form value, which the form's max_length must accept.
_NONCE = secrets.token_hex(4)
_MARKER = re.compile(rf"@@([a-z_]+)-{_NONCE}@@")
_SHELLS: dict[tuple, "Shell"] = {}


def marker(slot: str) -> str:
    """The text that stands for `slot` in the context a shell is rendered with (escape-proof)."""
    return f"@@{slot}-{_NONCE}@@"


@dataclass(frozen=True)
class Shell:
    """Literal markup and slot names, alternating: literal, slot, literal, …, literal."""

    pieces: tuple[str, ...]

    @classmethod
    def of(cls, html: str) -> "Shell":
        return cls(tuple(_MARKER.split(html)))

    @property
    def slots(self) -> frozenset[str]:
        return frozenset(self.pieces[1::2])

    def fill(self, values: dict[str, str]) -> str:
        """The page with each slot replaced by its (already escaped) value."""
        pieces = list(self.pieces)
        pieces[1::2] = [values[slot] for slot in self.pieces[1::2]]
        return "".join(pieces)


class PathMarker:
    """Stands for the request in a shell's context: its path is a slot."""

    @staticmethod
    def get_full_path() -> str:
        return marker("path")


def shell(template_name: str, variant: str, context: Callable[[], dict]) -> Shell:
    """The shell of `template_name` rendered with `context()` (markers in place of the request's
    parts), kept per variant, active language and script prefix. `context` is only called when
    the shell is built; `variant` must name everything in it that is not a marker."""
    key = (template_name, variant, translation.get_language(), get_script_prefix())
    found = _SHELLS.get(key)
    if found is None:
        found = Shell.of(
            render_to_string(template_name, {"request": PathMarker(), "messages": (), **context()})
        )
        if not settings.DEBUG:
            _SHELLS[key] = found
    return found


def _forget(**_kwargs) -> None:
    _SHELLS.clear()


setting_changed.connect(_forget, dispatch_uid="danvan.portal.page_shell")
