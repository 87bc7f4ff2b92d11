"""`manage.py deadline`: its answers, and how it refuses bad input (one line, exit status 2)."""

import datetime as dt
import io
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import translation

from danvan.core.management.commands import deadline as deadline_command
from danvan.core.models import CalendarOverride

pytestmark = pytest.mark.django_db


def deadline(*args: str) -> list[str]:
    out = io.StringIO()
    call_command("deadline", *args, stdout=out)
    return out.getvalue().splitlines()


def refused(*args: str) -> CommandError:
    """Run the command expecting a refusal; check it wrote nothing and return the error."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("deadline", *args, stdout=out, stderr=err)
    assert (out.getvalue(), err.getvalue()) == ("", "")
    return caught.value


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["add", "2026-02-13", "5", "--unit", "working"], "2026-02-27"),  # across Tết
        (["add", "13/02/2026", "5", "--unit", "working"], "2026-02-27"),  # dd/mm/yyyy
        (["add", "2026-03-04", "10", "--unit", "calendar"], "2026-03-16"),  # Sat 14 → Mon 16
        (["add", "2026-08-28", "1", "--unit", "working"], "2026-09-03"),  # National Day
    ],
)
def test_it_prints_only_the_iso_due_date_when_adding_days(args, expected):
    assert deadline(*args) == [expected]


def test_it_counts_the_calendar_overrides_in_the_database():
    CalendarOverride.objects.create(
        date=dt.date(2026, 2, 23), kind=CalendarOverride.Kind.DAY_OFF, name="Extra Tết day"
    )
    assert deadline("add", "2026-02-13", "1", "--unit", "working") == ["2026-02-24"]


def test_it_prints_the_due_date_citation_unit_and_doubt_of_a_rule():
    date, citation, doubt = deadline("rule", "complaint.resolve.first", "2026-03-02")
    assert date == "2026-04-01"  # 30 calendar days
    assert citation.startswith("Đ28, Luật Khiếu nại 02/2011/QH13")
    assert "30" in citation
    assert doubt.startswith("CHƯA CHẮC CHẮN: Điều luật ghi “ngày”")  # vi by default


def test_it_prints_no_doubt_line_for_a_rule_that_is_not_unsure():
    date, citation = deadline("rule", "denunciation.forward", "2026-02-13")
    assert date == "2026-02-27"  # 5 working days across Tết
    assert citation.startswith("Đ24, Luật Tố cáo 25/2018/QH14")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        # Đ37, remote and complex: 70 days from 2/3/2026 is Mon 11/5.
        (["complaint.resolve.second", "2026-03-02", "--complex", "--remote"], "2026-05-11"),
        # Đ30 with two extensions: 90 days from 2/3/2026 is Sun 31/5 → Mon 1/6.
        (["denunciation.resolve", "02/03/2026", "--extensions", "2"], "2026-06-01"),
    ],
)
def test_it_applies_the_case_features_to_the_rule(args, expected):
    assert deadline("rule", *args)[0] == expected


BAD_INPUT = {
    "unknown rule code": ["rule", "no.such.rule", "2026-02-13"],
    "rule not yet in force": ["rule", "denunciation.resolve", "2018-12-31"],
    "impossible date": ["add", "2026-02-30", "5", "--unit", "working"],
    "date in another format": ["add", "13-02-2026", "5", "--unit", "working"],
    "zero days": ["add", "2026-02-13", "0", "--unit", "working"],
    "negative days": ["add", "2026-02-13", "-3", "--unit", "working"],
    "fractional days": ["add", "2026-02-13", "1.5", "--unit", "working"],
    "days in words": ["add", "2026-02-13", "five", "--unit", "working"],
    "absurdly many days": ["add", "2026-02-13", "1000000000", "--unit", "working"],
    "bad unit": ["add", "2026-02-13", "5", "--unit", "weeks"],
    "missing unit": ["add", "2026-02-13", "5"],
    "too many extensions": ["rule", "denunciation.resolve", "2026-02-13", "--extensions", "3"],
    "extensions on a rule with none": [
        "rule", "complaint.resolve.first", "2026-02-13", "--extensions", "1",
    ],
    "negative extensions": ["rule", "denunciation.resolve", "2026-02-13", "--extensions", "-1"],
    "beyond the last date": ["add", "9999-12-30", "5", "--unit", "calendar"],
    "unknown sub-command": ["frobnicate"],
    "no sub-command": [],
    "extra argument": ["add", "2026-02-13", "5", "--unit", "working", "extra"],
}  # fmt: skip


@pytest.mark.parametrize("args", BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_it_refuses_bad_input_with_one_line_and_status_2(args):
    error = refused(*args)
    assert error.returncode == 2
    assert str(error).strip()
    assert "\n" not in str(error)


def test_it_speaks_the_default_language_whatever_the_caller_activated(monkeypatch):
    # No Vietnamese translations of these messages exist yet, so record the active language.
    def tagged(message):
        return f"[{translation.get_language()}] {message}"

    monkeypatch.setattr(deadline_command, "_", tagged)
    with translation.override("en"):
        from_handle = refused("add", "2026-02-30", "5", "--unit", "working")
        from_parser = refused("add", "2026-02-13", "5")
        citation = deadline("rule", "denunciation.forward", "2026-02-13")[1]
    for text in (str(from_handle), str(from_parser), citation):
        assert text.startswith(f"[{settings.LANGUAGE_CODE}] ")
    assert settings.LANGUAGE_CODE == "vi"


# Through a real `manage.py` process: the exit status and stderr a shell script sees.


@pytest.fixture(scope="module")
def shell_env(tmp_path_factory):
    """Environment for a manage.py process with its own migrated SQLite database."""
    env = {
        **os.environ,
        "DANVAN_VAR_DIR": str(tmp_path_factory.mktemp("var")),
        "DANVAN_TESTING": "1",
    }
    # Never let the child touch the server named in DATABASE_URL (it is not the test database).
    env.pop("DATABASE_URL", None)
    manage("migrate", "--no-input", "-v0", env=env).check_returncode()
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    command = [sys.executable, str(settings.BASE_DIR / "manage.py"), *args]
    return subprocess.run(  # noqa: S603 - fixed interpreter and script, arguments from the test
        command, env=env, cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=120
    )


def test_it_answers_a_shell_script_on_stdout_with_status_0(shell_env):
    added = manage("deadline", "add", "2026-02-13", "5", "--unit", "working", env=shell_env)
    rule = manage("deadline", "rule", "complaint.resolve.first", "2026-03-02", env=shell_env)
    assert (added.returncode, added.stdout, added.stderr) == (0, "2026-02-27\n", "")
    assert rule.returncode == 0
    assert rule.stdout.splitlines()[0] == "2026-04-01"
    assert "Đ28, Luật Khiếu nại 02/2011/QH13" in rule.stdout


# One refusal from the command itself and one from each level of the argument parser.
@pytest.mark.parametrize("case", ["unknown rule code", "missing unit", "no sub-command"])
def test_it_exits_2_with_one_line_on_stderr_in_a_shell(shell_env, case):
    result = manage("deadline", *BAD_INPUT[case], env=shell_env)
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1, result.stderr
