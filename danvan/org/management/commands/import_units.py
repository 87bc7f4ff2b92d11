"""`manage.py import_units --province 92 [--province 79 …] | --all`.

Language: Django activates no language for a command, and gettext then falls back to
settings.LANGUAGE_CODE ('vi'), so from the shell messages are Vietnamese. call_command() though
runs in the caller's thread and inherits whatever language a request or a test activated, so
handle() overrides to LANGUAGE_CODE itself.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from danvan.org.importers import ImportSummary, UnknownProvinceError, import_units

# Exit status for bad input, as argparse uses for usage errors.
USAGE_ERROR = 2
HELP = gettext_noop(
    "Load Vietnam's administrative units (from 1/7/2025 and the legacy ones before it) from "
    "the vietnam_provinces package. Safe to run again: it only adds or corrects units."
)


class Command(BaseCommand):
    help = HELP

    def create_parser(self, prog_name: str, subcommand: str, **kwargs) -> CommandParser:
        # argparse wraps the description with re, which refuses a lazy string: translate it now.
        self.help = gettext(HELP)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        # Codes are read as text and checked in handle(), so every bad input gets the same
        # one-line, translatable error instead of argparse's English usage block.
        parser.add_argument(
            "--province",
            action="append",
            default=[],
            dest="provinces",
            metavar="CODE",
            help=gettext("Province code from 1/7/2025, e.g. 92 for Cần Thơ; repeatable."),
        )
        parser.add_argument(
            "--all",
            action="store_true",
            dest="whole_country",
            help=gettext("Import the whole country."),
        )

    def handle(self, *args, **options) -> None:
        with translation.override(settings.LANGUAGE_CODE):
            self._import(options)

    def _import(self, options: dict) -> None:
        codes = _province_codes(options["provinces"], whole_country=options["whole_country"])
        try:
            summary = import_units(province_codes=codes, actor=None)
        except UnknownProvinceError as exc:
            message = gettext("Unknown province code: %(codes)s.") % {
                "codes": ", ".join(str(code) for code in exc.codes)
            }
            raise CommandError(message, returncode=USAGE_ERROR) from exc
        if options["verbosity"] > 0:
            self.stdout.write(_summary_line(summary))


def _province_codes(raw: list[str], *, whole_country: bool) -> list[int] | None:
    """Return the codes asked for (None: the whole country); raise CommandError on bad input."""
    if whole_country == bool(raw):
        message = gettext("Give either --province CODE (one or more) or --all.")
        raise CommandError(message, returncode=USAGE_ERROR)
    if whole_country:
        return None
    bad = [value for value in raw if not (value.isascii() and value.strip().isdigit())]
    if bad:
        message = gettext("Province codes are numbers, not: %(values)s.") % {
            "values": ", ".join(bad)
        }
        raise CommandError(message, returncode=USAGE_ERROR)
    return [int(value) for value in raw]


def _summary_line(summary: ImportSummary) -> str:
    units = summary.units
    return gettext(
        "Units from 1/7/2025: %(provinces)d provinces, %(communes)d communes; legacy: "
        "%(old_provinces)d provinces, %(old_districts)d districts, %(old_communes)d communes. "
        "Created %(created)d, updated %(updated)d; successor links added %(added)d, "
        "removed %(removed)d."
    ) % {
        "provinces": units.get("2025.province", 0),
        "communes": units.get("2025.commune", 0),
        "old_provinces": units.get("legacy.province", 0),
        "old_districts": units.get("legacy.district", 0),
        "old_communes": units.get("legacy.commune", 0),
        "created": summary.created,
        "updated": summary.updated,
        "added": summary.links_added,
        "removed": summary.links_removed,
    }
