"""Read a pasted plan text into a draft (title, date, numbered contents, legal bases) for review.

Pure Python, no ORM. A person corrects the draft before saving, so what could not be read goes to
``warnings`` rather than being guessed. Input first gets NFC; CRLF/CR/other line breaks → LF;
non-breaking and other spaces → one space; curly quotes → straight; zero-width characters dropped.

Contents: inline "(1) …; (2) …", else one per line "1. …", "1) …", "I. …". An inline marker counts
only at a line start or after ":;.," or "và", and only as the next expected number, so a "(6)"
inside item (3) stays text. A gap (1, 2, 4) raises PlanTextError: item 4 would be swallowed by
item 2 and the draft would look right but be wrong.

Legal bases: every "<Type> [name] [số] <number>[,] [ngày <d/m/yyyy>] [của <issuer>]" in the text,
up to ";", ". ", a line end, or ", <Type>" / "và <Type>". Types are doc_types names, longest first,
any case; without "số" the number must contain "/". The issuer stops before " ngày" and " về "
(the document's subject). No date → None; an unreadable date → None and a warning.
Number normalisation: dashes → "-"; no spaces around "-" or "/" ("85-CTr/BDVTU- BCSĐUBND" →
"85-CTr/BDVTU-BCSĐUBND"); other space runs → one space, so "939 QĐ/TU" keeps its single space:
that is how the document is cited.
"""

import bisect
import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from danvan.core.text import normalize_text
from danvan.plans.doc_types import VIETNAMESE_NAMES

MAX_CHARS = 200_000


@dataclass(frozen=True)
class ParsedCitation:
    """A cited document: `doc_type` is a doc_types key ("other" if unknown)."""

    doc_type: str
    number: str
    issued_on: datetime.date | None
    issuer: str
    raw: str


@dataclass(frozen=True)
class ParsedContent:
    """A numbered content area; `title` has no "(n)" marker and no trailing ";"/"."."""

    number: int
    title: str


@dataclass(frozen=True)
class ParsedPlan:
    """The draft read from a pasted text, for a person to review before saving."""

    title: str | None
    year: int | None
    issued_on: datetime.date | None
    purpose: str
    contents: list[ParsedContent]
    legal_bases: list[ParsedCitation]
    warnings: list[str]


class PlanTextError(ValueError):
    """The text cannot be read as a plan; the message tells the user what to fix."""


_LINE_BREAKS = re.compile(r"\r\n?|[\x0b\x0c\x85\u2028\u2029]")
_CHAR_MAP = str.maketrans(dict.fromkeys("“”„", '"') | dict.fromkeys("‘’", "'"))
_CHAR_MAP |= dict.fromkeys(map(ord, "\u200b\u2060\ufeff"))  # zero-width: delete
_SPACES = re.compile(r"[^\S\n]+")

# Names citations are written with that doc_types has no key for; they map to "other".
_OTHER_NAMES = ("Đề án", "Quy chế", "Báo cáo", "Tờ trình", "Công điện", "Thông tri", "Văn bản")
_TYPE_KEYS = {name.casefold(): key for key, name in VIETNAMESE_NAMES if key != "other"}
_TYPE_KEYS |= {name.casefold(): "other" for name in _OTHER_NAMES}
_TYPE_NAMES = [name for key, name in VIETNAMESE_NAMES if key != "other"] + list(_OTHER_NAMES)
_TYPES = "|".join(re.escape(name) for name in sorted(_TYPE_NAMES, key=len, reverse=True))
# Capitalised type names (case-sensitive) mark where the next citation starts.
_NEXT_TYPE = rf"(?-i:{_TYPES})"
_DASHES = r"\-\u2010-\u2015"
_NUMBER = rf"[0-9]\w*(?: ?[{_DASHES}/] ?\w+)*(?: [^\W\d_]\w*(?: ?[{_DASHES}/] ?\w+)+)?"
_CITATION = re.compile(
    rf"\b(?P<type>{_TYPES})"
    # A law's name sits between type and "số" ("Luật Tố cáo số …"); it never holds another type.
    rf"(?:(?:(?: (?!{_NEXT_TYPE}\b)[^\s;:.()]+){{0,10}}?) số:?|(?= [0-9][^;,\n]{{0,30}}?/))"
    rf" (?P<number>{_NUMBER})"
    rf"(?P<tail>[^;\n]*?)(?= ?;|\.(?: |\n|\Z)|\n|\Z|(?:,| và) {_NEXT_TYPE} )",
    re.IGNORECASE,
)
_DATE = r"(?P<d>[0-9]{1,2}) ?(?:[/.-]|tháng) ?(?P<m>[0-9]{1,2}) ?(?:[/.-]|năm) ?(?P<y>[0-9]{4})"
_DATE_LINE = re.compile(rf"(?:(?:thứ [^\s,]+|chủ nhật) ?,? ?)?(?:ngày )?{_DATE}\b", re.IGNORECASE)
_DAY = re.compile(rf"\bngày\b ?(?:{_DATE})?", re.IGNORECASE)
_ISSUER = re.compile(r"\bcủa (?P<issuer>.+?)(?:,? ngày\b|$)", re.IGNORECASE)
_INLINE_MARKER = re.compile(r"(?:^|(?<=[:;.,])|(?<=\bvà)) ?\(([0-9]{1,3})\)", re.MULTILINE)
_LINE_MARKER = re.compile(r"^(?:([0-9]{1,2})|([IVX]{1,6}))([.)]) +(\S.*)$", re.MULTILINE)
_DECLARED = re.compile(r"\b([0-9]{1,3}) (?:nội dung|nhiệm vụ)\b", re.IGNORECASE)
_PURPOSE = re.compile(r"^(?:(?:[0-9]{1,2}|[IVX]{1,6}|[a-z])[.)] )?(mục đích\b.*)", re.IGNORECASE)
_PURPOSE_HEADING = re.compile(r"mục đích(?:,? (?:và )?yêu cầu)?:?", re.IGNORECASE)
_YEAR = re.compile(r"\bnăm ([0-9]{4})\b", re.IGNORECASE)


def parse_plan_text(text: str) -> ParsedPlan:
    """Return a draft plan read from pasted text; raise PlanTextError when it cannot be read."""
    if len(text or "") > MAX_CHARS:
        raise PlanTextError(
            _("The text is too long (%(length)s characters; at most %(limit)s).")
            % {"length": len(text), "limit": MAX_CHARS}
        )
    clean = _clean(text or "")
    if not clean:
        raise PlanTextError(_("The text is empty."))
    lines = [line for line in clean.split("\n") if line]
    issued_on, title, warnings = _header(lines)
    contents, content_warnings = _contents(clean)
    legal_bases, citation_warnings = _citations(clean)
    warnings += content_warnings + citation_warnings
    if not legal_bases:
        warnings.append(_("No legal bases were found; add them by hand."))
    year_match = _YEAR.search(title or "")
    year = int(year_match[1]) if year_match else (issued_on.year if issued_on else None)
    return ParsedPlan(
        title=title,
        year=year,
        issued_on=issued_on,
        purpose=_purpose(lines),
        contents=contents,
        legal_bases=legal_bases,
        warnings=warnings,
    )


def _clean(text: str) -> str:
    """Return NFC text with LF line ends, single plain spaces, straight quotes, no blank edges."""
    text = _LINE_BREAKS.sub("\n", normalize_text(text)).translate(_CHAR_MAP)
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n")).strip()


def _to_date(match: re.Match | None) -> datetime.date | None:
    """Return the date a `_DATE` match spells, or None if there is none or it does not exist."""
    if match is None or match["y"] is None:
        return None
    try:
        return datetime.date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:  # 31/2/2023, month 13, year 0000
        return None


def _header(lines: list[str]) -> tuple[datetime.date | None, str | None, list[str]]:
    """Return the leading date line's date, the title and warnings, from the first lines."""
    issued_on, candidates, warnings = None, [], []
    for line in lines[:3]:  # the date and title come first in every source we have seen
        date_match = _DATE_LINE.match(line) if len(line) <= 60 else None
        if date_match:
            issued_on = issued_on or _to_date(date_match)
            if issued_on is None:
                warnings.append(_('Could not read the date "%(date)s".') % {"date": line})
        elif len(line) <= 250 and not line.endswith((".", ";", ":")) and not _is_item(line):
            candidates.append(line)  # a title is short, not a sentence and not a list item
    preferred = [line for line in candidates if line.casefold().startswith("kế hoạch")]
    title = (preferred or candidates or [None])[0]
    return issued_on, title, warnings


def _is_item(line: str) -> bool:
    """Return whether a line holds a list marker ("(1)" inside, or "1." / "I." in front)."""
    return bool(_INLINE_MARKER.search(line) or _LINE_MARKER.match(line))


def _purpose(lines: list[str]) -> str:
    """Return the line starting "Mục đích" (or the first line after bare headings), else ''."""
    after_heading = False
    for line in lines:
        match = _PURPOSE.match(line)
        if match and _PURPOSE_HEADING.fullmatch(match[1]):
            after_heading = True  # "I. MỤC ĐÍCH, YÊU CẦU" / "1. Mục đích": the text follows
        elif match:
            return match[1]
        elif after_heading:
            return line
    return ""


def _item_title(raw: str) -> str:
    """Return an item's text on one line, without trailing ";", "," or "."."""
    return re.sub(r"[ ;,.]+$", "", " ".join(raw.split()))


def _contents(text: str) -> tuple[list[ParsedContent], list[str]]:
    """Return the numbered contents and warnings; raise PlanTextError if there is no list."""
    found = _inline_contents(text) or _line_contents(text)
    if found is None:
        raise PlanTextError(
            _(
                'No numbered contents were found: write them as "(1) …; (2) …" or one per line '
                'as "1. …".'
            )
        )
    return found


def _gap_error(previous: int, following: int) -> PlanTextError:
    """Return the error for numbering that skips from `previous` to `following`."""
    return PlanTextError(
        _("The contents jump from (%(previous)s) to (%(next)s); number them without gaps.")
        % {"previous": previous, "next": following}
    )


def _inline_contents(text: str) -> tuple[list[ParsedContent], list[str]] | None:
    """Return "(1) …; (2) …" items and warnings, or None if there is no such list."""
    markers = [(m.start(), m.end(), int(m[1])) for m in _INLINE_MARKER.finditer(text)]
    by_number: dict[int, list[int]] = {}
    for index, (_start, _end, number) in enumerate(markers):
        by_number.setdefault(number, []).append(index)
    for first in by_number.get(1, []):
        chain = [first]
        # Look only for the next expected number, so other "(n)" inside an item stay text.
        while following := by_number.get(len(chain) + 1):
            position = bisect.bisect_right(following, chain[-1])
            if position == len(following):
                break
            chain.append(following[position])
        if len(chain) >= 2:
            return _inline_items(text, markers, chain)
    return None


def _inline_items(
    text: str, markers: list[tuple[int, int, int]], chain: list[int]
) -> tuple[list[ParsedContent], list[str]]:
    """Return the chained items (the last one ends at its line end) and warnings."""
    last_end = markers[chain[-1]][1]
    line_end = text.find("\n", last_end)
    line_end = len(text) if line_end == -1 else line_end
    for start, _end, number in markers[chain[-1] + 1 :]:
        if start < line_end and number > len(chain) + 1:
            raise _gap_error(len(chain), number)
    ends = [markers[index][0] for index in chain[1:]] + [line_end]
    contents = [
        ParsedContent(number=n, title=_item_title(text[markers[index][1] : end]))
        for n, (index, end) in enumerate(zip(chain, ends, strict=True), start=1)
    ]
    first_start = markers[chain[0]][0]
    intro = text[text.rfind("\n", 0, first_start) + 1 : first_start]
    declared = [int(count) for count in _DECLARED.findall(intro)]
    if declared and declared[-1] != len(contents):
        message = _("The text announces %(declared)s contents but %(found)s were found.")
        return contents, [message % {"declared": declared[-1], "found": len(contents)}]
    return contents, []


def _roman(numeral: str) -> int:
    """Return the value of a Roman numeral made of I, V and X ("IV" → 4)."""
    values = [{"I": 1, "V": 5, "X": 10}[char] for char in numeral]
    return sum(-v if v < nxt else v for v, nxt in zip(values, [*values[1:], 0], strict=True))


def _line_contents(text: str) -> tuple[list[ParsedContent], list[str]] | None:
    """Return one-per-line "1. …" / "1) …" / "I. …" items, or None if there are fewer than two."""
    items: list[ParsedContent] = []
    style = None
    for match in _LINE_MARKER.finditer(text):
        number = int(match[1]) if match[1] else _roman(match[2])
        # "I." headings and "1." sub-items are separate lists; follow the first one that starts.
        kind = (match[1] is None, match[3])
        if (style is None and number != 1) or (style is not None and kind != style):
            continue
        style = kind
        if number == len(items) + 1:
            items.append(ParsedContent(number=number, title=_item_title(match[4])))
        elif number > len(items) + 1:
            raise _gap_error(len(items), number)
        else:
            break  # a new list restarts at 1: the first one is over
    return (items, []) if len(items) >= 2 else None


def _citations(text: str) -> tuple[list[ParsedCitation], list[str]]:
    """Return each cited document once, in order of appearance, and date warnings."""
    citations: dict[tuple[str, str], ParsedCitation] = {}
    warnings: list[str] = []
    for match in _CITATION.finditer(text):
        citation, date_unreadable = _citation(match)
        key = (citation.doc_type, citation.number)
        if key in citations:
            continue
        citations[key] = citation
        if date_unreadable:
            warnings.append(
                _('Could not read the date of "%(citation)s"; enter it by hand.')
                % {"citation": citation.raw}
            )
    return list(citations.values()), warnings


def _citation(match: re.Match) -> tuple[ParsedCitation, bool]:
    """Return the citation a `_CITATION` match describes, and whether its date was unreadable."""
    head = match["tail"].split(" về ")[0]  # what follows " về " is the document's subject
    day = _DAY.search(head)
    issuer = _ISSUER.search(head)
    citation = ParsedCitation(
        doc_type=_TYPE_KEYS.get(" ".join(match["type"].casefold().split()), "other"),
        number=_normalize_number(match["number"]),
        issued_on=_to_date(day),
        issuer=issuer["issuer"].strip(" ,.:") if issuer else "",
        raw=match[0].strip(" ,"),
    )
    return citation, day is not None and citation.issued_on is None


def _normalize_number(number: str) -> str:
    """Return a document number with "-" for dashes and no spaces around "-" or "/"."""
    number = re.sub(rf"[{_DASHES}]", "-", number)
    return " ".join(re.sub(r" *([-/]) *", r"\1", number).split())
