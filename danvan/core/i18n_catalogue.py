"""Gettext catalogue tools that need no system gettext (xgettext/msgfmt): pure Python + polib.

`extract_messages` finds every translatable string in the project's Python files (via `ast`) and
templates (`{% translate %}`, `{% blocktranslate %}`), with the msgid Django will look up.
`sync_catalogue` adds new ids to a .po file; `compile_catalogue` writes the .mo next to it.
"""

import ast
import re
from collections.abc import Iterable
from pathlib import Path

import polib

GETTEXT_FUNCS = {
    "_",
    "_lazy",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "pgettext",
    "pgettext_lazy",
}
TRANSLATE_TAG = re.compile(r"""{%\s*(?:translate|trans)\s+(?P<q>["'])(?P<msg>.*?)(?P=q)""")
BLOCK_TAG = re.compile(
    r"{%\s*blocktrans(?:late)?(?P<args>[^%]*)%}(?P<body>.*?){%\s*endblocktrans(?:late)?\s*%}",
    re.S,
)
BLOCK_VAR = re.compile(r"{{\s*(\w+)\s*}}")
# _("…") inside template tag arguments, e.g. {% include "x.html" with heading=_("Overdue") %}
UNDERSCORE_ARG = re.compile(r"""\b_\((?P<q>["'])(?P<msg>.*?)(?P=q)\)""")


def _python_messages(path: Path) -> Iterable[str]:
    # ngettext plurals in Python code are not extracted: use them only with a literal msgid
    # added to the catalogue by hand (none so far).
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if name not in GETTEXT_FUNCS or not node.args:
            continue
        index = 1 if name.startswith("pgettext") else 0
        if len(node.args) > index:
            arg = node.args[index]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                yield arg.value


PLURAL_TAG = re.compile(r"{%\s*plural\s*%}")


def _template_messages(path: Path) -> Iterable[tuple[str, str | None]]:
    text = path.read_text(encoding="utf-8")
    for match in TRANSLATE_TAG.finditer(text):
        yield match.group("msg"), None
    for match in UNDERSCORE_ARG.finditer(text):
        yield match.group("msg"), None
    for match in BLOCK_TAG.finditer(text):
        body = match.group("body")
        if "trimmed" in match.group("args"):
            body = " ".join(line.strip() for line in body.splitlines()).strip()
        parts = [BLOCK_VAR.sub(lambda m: f"%({m.group(1)})s", p) for p in PLURAL_TAG.split(body)]
        yield parts[0], (parts[1] if len(parts) > 1 else None)


def extract_entries(roots: Iterable[Path]) -> dict[str, str | None]:
    """Return {msgid: msgid_plural or None} for every translatable string (migrations excluded)."""
    found: dict[str, str | None] = {}
    for root in roots:
        for path in sorted(root.rglob("*.py")):
            if "migrations" not in path.parts:
                for msgid in _python_messages(path):
                    found.setdefault(msgid, None)
        for path in sorted(root.rglob("*.html")):
            for msgid, plural in _template_messages(path):
                if plural or msgid not in found:
                    found[msgid] = plural
    return {k: v for k, v in found.items() if k}


def extract_messages(roots: Iterable[Path]) -> list[str]:
    """Return the sorted, unique msgids found under `roots`."""
    return sorted(extract_entries(roots))


def sync_catalogue(po_path: Path, entries: dict[str, str | None]) -> tuple[int, int]:
    """Add missing entries to the .po (empty msgstr) and mark vanished ones obsolete."""
    msgids = sorted(entries)
    po = polib.pofile(str(po_path)) if po_path.exists() else polib.POFile()
    if not po_path.exists():
        po.metadata = {
            "Content-Type": "text/plain; charset=UTF-8",
            "Content-Transfer-Encoding": "8bit",
            "Language": po_path.parent.parent.name,
            "Plural-Forms": "nplurals=1; plural=0;",
        }
    wanted = set(msgids)
    existing = {entry.msgid for entry in po if not entry.obsolete}
    added = 0
    for msgid in msgids:
        if msgid not in existing:
            plural = entries[msgid]
            if plural:
                po.append(polib.POEntry(msgid=msgid, msgid_plural=plural, msgstr_plural={0: ""}))
            else:
                po.append(polib.POEntry(msgid=msgid, msgstr=""))
            added += 1
    obsoleted = 0
    for entry in po:
        if not entry.obsolete and entry.msgid not in wanted:
            entry.obsolete = True
            obsoleted += 1
    po_path.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(po_path))
    return added, obsoleted


def missing_translations(po_path: Path, msgids: list[str]) -> list[str]:
    """Return the msgids with no (or a fuzzy) translation in the .po file."""
    po = polib.pofile(str(po_path))
    translated = {
        e.msgid
        for e in po
        if (e.msgstr or (e.msgid_plural and all(e.msgstr_plural.values())))
        and not e.obsolete
        and "fuzzy" not in e.flags
    }
    return [m for m in msgids if m not in translated]


def compile_catalogue(po_path: Path) -> Path:
    """Write the .mo next to `po_path` and return its path."""
    mo_path = po_path.with_suffix(".mo")
    polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
    return mo_path
