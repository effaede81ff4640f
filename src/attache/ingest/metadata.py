"""Metadata that scraped news carries in its text: date header, dateline, agency, title."""
from __future__ import annotations

import re
from dataclasses import dataclass, asdict
from datetime import date
from typing import Iterable, Optional

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
_MONTH_NUMBER = {
    name.lower(): number
    for number, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
         ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
         ("october", "oct"), ("november", "nov"), ("december", "dec")],
        start=1,
    )
    for name in names
}

DATE_HEADER = re.compile(r"(?:date|published|publication date)\s*:?\s*(\d{4}-\d{2}-\d{2})", re.IGNORECASE)

_DAY_MONTH = rf"(?:(?:{_MONTHS})\.? \d{{1,2}}(?:, \d{{4}})?|\d{{1,2}} (?:{_MONTHS})(?: \d{{4}})?)"
# "ASTANA, Kazakhstan, October 2. ..." / "NAIROBI, March 3 (Reuters) - ..." /
# "GENEVA (Trend News Agency) - ..." / "Tashkent, 12 May 2023 (UzA) -- ..."
DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Za-z'’.\- ]{1,40}?)"
    r"(?:, (?P<country>[A-Z][A-Za-z'’.\- ]{1,40}?))?"
    rf"(?:,? (?P<date>{_DAY_MONTH}))?"
    r"(?: ?\((?P<agency>[^()\n]{2,60})\))?"
    r"\s*(?P<sep>[-–—]{1,2}|\.)\s"
)
COPYRIGHT = re.compile(r"(?:©|\(c\)|copyright)\s*(?:(?P<year>\d{4})\s*)?(?P<holder>[^.|]+?)(?:\.|\s+all rights|$)", re.IGNORECASE)


@dataclass
class ArticleMeta:
    date: Optional[str] = None  # YYYY-MM-DD, when the text gives it whole
    dateline_place: Optional[str] = None
    dateline_date: Optional[str] = None  # as written, e.g. "October 2"
    agency: Optional[str] = None
    title: Optional[str] = None

    def to_dict(self) -> dict:
        return asdict(self)


def is_date_header(line: str) -> bool:
    return DATE_HEADER.fullmatch(line.strip()) is not None


def parse_date_header(line: str) -> Optional[str]:
    match = DATE_HEADER.fullmatch(line.strip())
    if not match:
        return None
    try:
        return date.fromisoformat(match.group(1)).isoformat()
    except ValueError:
        return None


def parse_dateline(paragraph: str) -> Optional[dict]:
    """The dateline at the start of a paragraph, if there is one.

    A dateline needs a place in capitals ("ASTANA"), or a place followed by a
    date or an agency in parentheses, so that ordinary sentences do not match.
    """
    match = DATELINE.match(paragraph)
    if not match:
        return None
    place = match.group("place").strip()
    shouting = place.isupper() and len(place) > 2
    if not (shouting or match.group("date") or match.group("agency")):
        return None
    if match.group("sep") == "." and not (match.group("date") or match.group("country")):
        return None  # "U.S. officials said" is a sentence, not a dateline
    if not shouting and " " in place and not match.group("country") and not match.group("date"):
        # "Foreign Minister (MFA) -" is not a dateline; demand a short place.
        return None
    fields = ("place", "country", "date", "agency")
    return {key: (match.group(key).strip() if match.group(key) else None) for key in fields}


def full_date(text: str) -> Optional[str]:
    """A dateline date with a year, as ISO; None when the year is missing."""
    match = re.fullmatch(rf"(?P<m>{_MONTHS})\.? (?P<d>\d{{1,2}}), (?P<y>\d{{4}})|(?P<d2>\d{{1,2}}) (?P<m2>{_MONTHS}) (?P<y2>\d{{4}})", text)
    if not match:
        return None
    month = _MONTH_NUMBER[(match.group("m") or match.group("m2")).lower()]
    day = int(match.group("d") or match.group("d2"))
    year = int(match.group("y") or match.group("y2"))
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def extract_meta(text: str, header_lines: Iterable[str], removed_lines: Iterable[str]) -> ArticleMeta:
    meta = ArticleMeta()
    for line in header_lines:
        meta.date = meta.date or parse_date_header(line)
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    if len(paragraphs) >= 2 and "\n" not in paragraphs[0] and len(paragraphs[0]) <= 200 and not paragraphs[0].rstrip().endswith((".", "!", "?")) and not parse_dateline(paragraphs[0]):
        meta.title = paragraphs[0].strip()
    for paragraph in paragraphs[:3]:
        dateline = parse_dateline(paragraph)
        if dateline:
            meta.dateline_place = dateline["place"]
            meta.dateline_date = dateline["date"]
            meta.agency = dateline["agency"]
            if meta.date is None and dateline["date"]:
                meta.date = full_date(dateline["date"])
            break
    if meta.agency is None:
        for line in removed_lines:
            match = COPYRIGHT.match(line)
            if match and match.group("holder").strip():
                meta.agency = match.group("holder").strip()
                break
    return meta
