"""`manage.py deadline`: the statutory calendar and the legal-rule table, from the shell.

    manage.py deadline add START N --unit working|calendar
    manage.py deadline rule CODE START [--complex] [--remote] [--extensions K]

Made for scripts as much as for people: stdout carries only the answer (the ISO due date first),
and any bad input is one line on stderr with exit status 2 (the shell's usage-error status) and
nothing on stdout, so `due=$(manage.py deadline add …) || exit` is safe.

Language: Django activates no language for a management command (it stopped deactivating
translations in 2.1 and never activates LANGUAGE_CODE); gettext then falls back to a catalogue
built from settings.LANGUAGE_CODE, so from the shell messages are already in Vietnamese. But
call_command() runs in the caller's thread and inherits whatever language a request, a test or
a task activated there, so the command overrides to LANGUAGE_CODE itself. argparse's own
messages ("the following arguments are required") come from Python's catalogue, not Django's.
"""

import datetime as dt
import re

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from danvan.core.deadlines import CALENDAR, WORKING, DeadlineError
from danvan.core.forms import DATE_INPUT_FORMATS
from danvan.core.selectors import UnknownRuleError, due_date, working_calendar

USAGE_ERROR = 2
# The web calculator's limit (DeadlineForm.days): far above any statutory period, and it keeps
# a typo such as 10**9 from walking the calendar one day at a time for minutes.
MAX_DAYS = 3650
WHOLE_NUMBER = re.compile(r"[0-9]+")  # ASCII only: int() would also take "٥"


def usage_error(message: str) -> CommandError:
    return CommandError(message, returncode=USAGE_ERROR)


class OneLineUsageParser(CommandParser):
    """Reports argparse's errors as one line with exit status 2, from the shell or call_command.

    Django's parser prints the whole usage block from the shell, and raises a CommandError with
    status 1 from call_command; scripts need one line and the same status either way.
    """

    def error(self, message):
        message = " ".join(str(message).split())
        with translation.override(settings.LANGUAGE_CODE):
            if self.called_from_command_line:
                self.exit(
                    USAGE_ERROR,
                    _("%(prog)s: error: %(message)s") % {"prog": self.prog, "message": message}
                    + "\n",
                )
            raise usage_error(_("Error: %(message)s") % {"message": message})


def parse_start(text: str) -> dt.date:
    """Return the date written YYYY-MM-DD or dd/mm/yyyy (the formats the web calculator takes)."""
    for fmt in DATE_INPUT_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise usage_error(
        _("START must be a date written YYYY-MM-DD or dd/mm/yyyy, not “%(value)s”.")
        % {"value": text}
    )


def parse_days(text: str) -> int:
    """Return N as an int, refusing anything but a whole number from 1 to MAX_DAYS."""
    if WHOLE_NUMBER.fullmatch(text) and 1 <= int(text) <= MAX_DAYS:
        return int(text)
    raise usage_error(
        _("N must be a whole number from 1 to %(max)d, not “%(value)s”.")
        % {"max": MAX_DAYS, "value": text}
    )


def parse_extensions(text: str) -> int:
    # Only the sign and the digits are checked here; the rule decides how many it allows.
    if WHOLE_NUMBER.fullmatch(text):
        return int(text)
    raise usage_error(
        _("--extensions must be a whole number (0 or more), not “%(value)s”.") % {"value": text}
    )


def out_of_range() -> CommandError:
    return usage_error(_("The due date would fall after 31/12/9999; check START."))


class Command(BaseCommand):
    @property
    def help(self) -> str:
        # A property, not gettext_lazy: argparse's help formatter needs a real str.
        return _(
            "Print the due date of a period that starts on START: N working or calendar days, "
            "or the period of a legal rule (with its citation)."
        )

    # A calculator that scripts call in loops: the system checks would only add start-up time
    # and, as warnings, extra lines on stderr.
    requires_system_checks = []

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        # BaseCommand.create_parser hard-codes CommandParser; switching the class afterwards
        # keeps Django's base options and changes only how usage errors are reported.
        parser.__class__ = OneLineUsageParser
        return parser

    def add_arguments(self, parser):
        actions = parser.add_subparsers(
            dest="action", required=True, metavar="{add,rule}", parser_class=OneLineUsageParser
        )
        start_help = _("start date, YYYY-MM-DD or dd/mm/yyyy; the day itself is not counted")
        add = actions.add_parser("add", help=_("add N working or calendar days to START"))
        add.add_argument("start", metavar="START", help=start_help)
        days_help = _("number of days, 1 to %(max)d") % {"max": MAX_DAYS}
        add.add_argument("n", metavar="N", help=days_help)
        add.add_argument(
            "--unit", required=True, metavar="working|calendar", help=_("working or calendar days")
        )
        rule = actions.add_parser("rule", help=_("apply the legal rule CODE in force on START"))
        rule.add_argument("code", metavar="CODE", help=_("legal rule code"))
        rule.add_argument("start", metavar="START", help=start_help)
        rule.add_argument(
            "--complex", dest="complex_case", action="store_true", help=_("complex case")
        )
        rule.add_argument("--remote", action="store_true", help=_("remote area"))
        rule.add_argument(
            "--extensions", default="0", metavar="K", help=_("number of extensions granted")
        )

    def execute(self, *args, **options):
        with translation.override(settings.LANGUAGE_CODE):
            return super().execute(*args, **options)

    def handle(self, *args, action, **options):
        # Every line is computed before the first is written, so an error leaves stdout empty.
        lines = self.add_days(**options) if action == "add" else self.apply_rule(**options)
        self.stdout.write("\n".join(lines))

    def add_days(self, *, start, n, unit, **options) -> list[str]:
        start_date, days = parse_start(start), parse_days(n)
        if unit not in (WORKING, CALENDAR):
            raise usage_error(
                _("--unit must be “working” or “calendar”, not “%(value)s”.") % {"value": unit}
            )
        calendar = working_calendar()
        add = calendar.add_working_days if unit == WORKING else calendar.add_calendar_days
        try:
            return [add(start_date, days).isoformat()]
        except OverflowError:
            raise out_of_range() from None

    def apply_rule(self, *, code, start, complex_case, remote, extensions, **options) -> list[str]:
        start_date, count = parse_start(start), parse_extensions(extensions)
        try:
            due = due_date(
                code, start_date, complex_case=complex_case, remote=remote, extensions=count
            )
        except (UnknownRuleError, DeadlineError) as exc:
            raise usage_error(str(exc)) from None
        except OverflowError:
            raise out_of_range() from None
        rule = due.rule
        lines = [
            due.date.isoformat(),
            _("%(citation)s; %(days)d %(unit)s")
            % {"citation": due.citation, "days": due.days, "unit": rule.get_unit_display()},
        ]
        if rule.is_unsure:
            # One line however the note was typed in the admin, so the output has a fixed shape.
            lines.append(_("UNSURE: %(note)s") % {"note": " ".join(rule.note.split())})
        return lines
