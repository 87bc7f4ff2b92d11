"""Stream the rows of one XLSX worksheet as plain values, in constant memory.

openpyxl's read-only mode builds an element tree and a cell object for every cell, which made it
most of the import's time. This reader drives expat directly (C parser, one Python call per
element) and yields `(row number, values)` with the values openpyxl gives with `data_only=True`:
text (shared or inline, phonetic runs left out), int or float, bool, error text such as "#N/A",
and datetimes for numbers in a date style. Formulas give their cached value.

The shared-strings table is held in memory (as every reader does); the sheet itself is read in
chunks, so a file's length costs no memory.
"""

import posixpath
import re
import zipfile
from collections.abc import Iterator
from xml.etree import ElementTree as ET
from xml.parsers import expat

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import (
    CALENDAR_MAC_1904,
    CALENDAR_WINDOWS_1900,
    from_excel,
    from_ISO8601,
)

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
STRICT_MAIN = "http://purl.oclc.org/ooxml/spreadsheetml/main"
CHUNK = 64 * 1024
_CELL_REF = re.compile(r"([A-Z]+)(\d+)$")


def _refuse_dtd(*_args) -> None:
    # An XLSX part never declares a DTD; refusing one rules out entity expansion attacks.
    raise ValueError("a document type declaration in an XLSX part")


def _part(archive: zipfile.ZipFile, path: str):
    """A small part (workbook, relationships, styles) as an element tree."""
    data = archive.read(path)
    # Checked by the XML parser itself (whatever the part's encoding), before the tree is built.
    _expat_parser().Parse(data, True)
    return ET.fromstring(data)  # noqa: S314 — no DTD, checked above


def _expat_parser():
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.buffer_text = True
    parser.buffer_size = CHUNK
    return parser


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _sheet_paths(archive: zipfile.ZipFile) -> tuple[dict[str, str], str | None, str | None, bool]:
    """Return ({sheet name: part path} in workbook order, shared strings, styles, 1904 dates)."""
    workbook = _part(archive, "xl/workbook.xml")
    rels = _part(archive, "xl/_rels/workbook.xml.rels")
    targets, shared, styles = {}, None, None
    for rel in rels:
        target = rel.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        path = posixpath.normpath(path)
        kind = rel.get("Type", "").rsplit("/", 1)[-1]
        if kind == "sharedStrings":
            shared = path
        elif kind == "styles":
            styles = path
        targets[rel.get("Id")] = path
    sheets, date1904 = {}, False
    for element in workbook.iter():
        name = _local(element.tag)
        if name == "workbookPr":
            date1904 = element.get("date1904", "").lower() in ("1", "true")
        elif name == "sheet":
            rel_id = {_local(k): v for k, v in element.attrib.items()}.get("id")
            sheets[element.get("name")] = targets[rel_id]
    return sheets, shared, styles, date1904


def _shared_strings(archive: zipfile.ZipFile, path: str | None) -> list[str]:
    """The shared-strings table: each <si>'s plain and rich-run text, phonetic runs left out."""
    if path is None or path not in archive.NameToInfo:
        return []
    strings: list[str] = []
    parts: list[str] = []
    state = {"text": None, "phonetic": False}
    names = {f"{ns} {tag}": tag for ns in (MAIN, STRICT_MAIN) for tag in ("si", "t", "rPh")}

    def start(name, _attrs):
        tag = names.get(name)
        if tag == "t" and not state["phonetic"]:
            state["text"] = []
        elif tag == "rPh":
            state["phonetic"] = True
        elif tag == "si":
            parts.clear()

    def text(data):
        if state["text"] is not None:
            state["text"].append(data)

    def end(name):
        tag = names.get(name)
        if tag == "t" and state["text"] is not None:
            parts.append("".join(state["text"]))
            state["text"] = None
        elif tag == "rPh":
            state["phonetic"] = False
        elif tag == "si":
            strings.append("".join(parts).replace("x005F_", ""))

    parser = _expat_parser()
    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.CharacterDataHandler = text
    with archive.open(path) as source:
        parser.ParseFile(source)
    return strings


def _date_styles(archive: zipfile.ZipFile, path: str | None) -> tuple[set[int], set[int]]:
    """Return the style indexes whose number format shows a date, and those showing a duration."""
    if path is None or path not in archive.NameToInfo:
        return set(), set()
    root = _part(archive, path)
    custom = {}
    dates, durations = set(), set()
    for element in root:
        if _local(element.tag) == "numFmts":
            custom = {int(f.get("numFmtId")): f.get("formatCode", "") for f in element}
    for element in root:
        if _local(element.tag) != "cellXfs":
            continue
        for index, xf in enumerate(element):
            number = int(xf.get("numFmtId", 0))
            code = custom.get(number) or BUILTIN_FORMATS.get(number, "")
            if is_date_format(code):
                dates.add(index)
                if is_timedelta_format(code):
                    durations.add(index)
    return dates, durations


class SheetReader:
    """Iterates one worksheet of an open archive; see the module docstring."""

    def __init__(self, archive: zipfile.ZipFile, *, prefer: str):
        sheets, shared, styles, date1904 = _sheet_paths(archive)
        if not sheets:
            raise IndexError("no worksheet")
        self.path = sheets.get(prefer) or next(iter(sheets.values()))
        self.archive = archive
        self.strings = _shared_strings(archive, shared)
        self.dates, self.durations = _date_styles(archive, styles)
        self.epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
        self.columns: dict[str, int] = {}

    def rows(self) -> Iterator[tuple[int, tuple]]:
        """Yield (Excel row number, values) for each row the sheet holds, in order."""
        done: list[tuple[int, tuple]] = []
        parser, idle = self._parser(done)
        with self.archive.open(self.path) as source:
            while chunk := source.read(CHUNK):
                parser.Parse(chunk, False)
                idle()
                yield from done
                done.clear()
            parser.Parse(b"", True)
        yield from done

    def _parser(self, done: list):
        """An expat parser whose handlers append finished rows to `done`, and a function to call
        between chunks (it drops text read outside a value, so memory stays flat).

        Lean on purpose, since it runs for every element of the sheet: character data goes
        straight into a list (a C call, no Python frame), the handlers keep their state in local
        variables, and a cell's style is looked at only for numbers."""
        parser = _expat_parser()
        text: list[str] = []
        parser.CharacterDataHandler = text.append
        tags = {f"{ns} {tag}": tag for ns in (MAIN, STRICT_MAIN) for tag in _TAGS}
        strings, columns, number_style = self.strings, self.columns, self._number_style
        row = 0
        values: list = []
        ref = kind = style = None
        parts: list[str] = []
        collecting = in_is = had_is = in_phonetic = False

        def start(name, attrs):
            nonlocal row, values, ref, kind, style, parts, collecting, in_is, had_is, in_phonetic
            tag = tags.get(name)
            if tag == "c":
                ref = attrs.get("r")
                kind = attrs.get("t", "n")
                style = attrs.get("s")
                parts = []
                had_is = False
            elif tag == "v" or (tag == "t" and in_is and not in_phonetic):
                text.clear()
                collecting = True
            elif tag == "row":
                number = attrs.get("r")
                row = int(number) if number else row + 1
                values = []
            elif tag == "is":
                in_is = had_is = True
            elif tag == "rPh":
                in_phonetic = True

        def end(name):
            nonlocal collecting, in_is, in_phonetic
            tag = tags.get(name)
            if tag == "c":
                if kind == "s":
                    value = strings[int(parts[0])] if parts and parts[0] else None
                elif kind == "inlineStr":
                    value = "".join(parts) if had_is else None
                elif kind == "n":
                    value = number_style(parts[0], style) if parts and parts[0] else None
                else:
                    value = _other_value(kind, parts[0]) if parts and parts[0] else None
                present = len(values)
                if not ref:
                    column = present
                elif (column := columns.get(ref.rstrip("0123456789"))) is None:
                    column = self._column(ref)
                if column == present:
                    values.append(value)
                elif column > present:
                    values.extend([None] * (column - present))
                    values.append(value)
                else:
                    values[column] = value
            elif tag == "v" or tag == "t":
                if collecting:
                    parts.append("".join(text))
                    collecting = False
            elif tag == "row":
                done.append((row, tuple(values)))
            elif tag == "is":
                in_is = False
            elif tag == "rPh":
                in_phonetic = False

        def idle():
            if not collecting:
                text.clear()

        parser.StartElementHandler = start
        parser.EndElementHandler = end
        return parser, idle

    def _column(self, ref: str) -> int:
        letters = ref.rstrip("0123456789")
        index = self.columns.get(letters)
        if index is None:
            if not _CELL_REF.match(ref):
                raise ValueError(f"bad cell reference {ref!r}")
            index = 0
            for letter in letters:
                index = index * 26 + ord(letter) - 64
            index = self.columns[letters] = index - 1
        return index

    def _number_style(self, value: str, style: str | None):
        """A number cell's value: a datetime (or timedelta) if its style shows a date."""
        number = float(value) if "." in value or "E" in value or "e" in value else int(value)
        index = int(style) if style else 0
        if index in self.dates:
            return from_excel(number, self.epoch, timedelta=index in self.durations)
        return number


def _other_value(kind: str, value: str):
    if kind == "b":
        return bool(int(value))
    if kind == "d":
        return from_ISO8601(value)
    return value  # "str" (a formula's text) and "e" (an error such as #N/A)


_TAGS = ("row", "c", "v", "is", "t", "rPh")


def read_rows(archive: zipfile.ZipFile, *, prefer: str) -> Iterator[tuple[int, tuple]]:
    """Yield (row number, values) of the sheet named `prefer`, else of the first sheet."""
    return SheetReader(archive, prefer=prefer).rows()
