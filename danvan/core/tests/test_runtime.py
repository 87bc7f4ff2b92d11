"""A web worker freezes its start-up objects out of the garbage collector's way."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

PROBE = (
    "import gc, sys; import config.wsgi; "
    "sys.stdout.write(f'{gc.get_freeze_count()} {\"danvan.reports.views\" in sys.modules}')"
)


def _probe(**env) -> list[str]:
    done = subprocess.run(  # noqa: S603 - fixed interpreter and probe
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout.split()


def test_the_wsgi_entry_point_loads_the_views_and_freezes_them():
    frozen, views_loaded = _probe()
    assert int(frozen) > 10_000
    assert views_loaded == "True"


def test_it_can_be_switched_off():
    frozen, _views = _probe(DANVAN_GC_FREEZE="0")
    assert frozen == "0"
