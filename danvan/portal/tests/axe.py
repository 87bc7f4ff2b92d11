"""axe-core in the page: the accessibility checker the portal's browser tests run.

axe-core comes from the npm registry at test time (never vendored): `var/axe/axe.min.js` is
used if present, else fetched once with `npm pack axe-core@4`. Without npm the test skips.
"""

import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

import pytest
from django.conf import settings

SERIOUS = ("serious", "critical")


def axe_script() -> Path:
    """Path of axe.min.js, fetched from the npm registry into var/axe/ if missing."""
    target = Path(settings.BASE_DIR) / "var" / "axe" / "axe.min.js"
    if target.exists():
        return target
    npm = shutil.which("npm")
    if not npm:
        pytest.skip("axe-core is not in var/axe/ and npm is not installed to fetch it")
    with tempfile.TemporaryDirectory() as tmp:
        try:
            subprocess.run(  # noqa: S603 - fixed arguments, npm found on PATH
                [npm, "pack", "axe-core@4", "--pack-destination", tmp],
                check=True,
                capture_output=True,
                timeout=120,
                cwd=tmp,
            )
        except (subprocess.SubprocessError, OSError) as exc:
            pytest.skip(f"could not fetch axe-core with npm: {exc}")
        archive = next(Path(tmp).glob("axe-core-*.tgz"))
        with tarfile.open(archive) as tar:
            member = tar.extractfile("package/axe.min.js")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(member.read())
    return target


def run_axe(page) -> list[dict]:
    """Violations of impact serious or critical on the current page (WCAG 2.x A/AA rules)."""
    page.add_script_tag(path=str(axe_script()))
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                             "best-practice"]}})"""
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
        if v.get("impact") in SERIOUS
    ]
