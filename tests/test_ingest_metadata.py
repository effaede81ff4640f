import pytest

from attache.ingest.metadata import extract_meta, parse_date_header, parse_dateline


@pytest.mark.parametrize(
    "paragraph, place, date, agency",
    [
        ("ASTANA, Kazakhstan, October 2. Deputy Minister Vassilenko met", "ASTANA", "October 2", None),
        ("GENEVA (Trend News Agency) - The talks", "GENEVA", None, "Trend News Agency"),
        ("NAIROBI, March 3 (Reuters) – Kenya and", "NAIROBI", "March 3", "Reuters"),
        ("Tashkent, 12 May 2023 (UzA) -- Uzbek", "Tashkent", "12 May 2023", "UzA"),
        ("WASHINGTON — The United States", "WASHINGTON", None, None),
    ],
)
def test_metadata_dateline_is_parsed(paragraph, place, date, agency):
    found = parse_dateline(paragraph)
    assert (found["place"], found["date"], found["agency"]) == (place, date, agency)


@pytest.mark.parametrize(
    "paragraph",
    ["U.S. officials said on Monday.", "President Tokayev said, that", "Kazakhstan, Finland sign deal. Then", "The minister (MFA) - said"],
)
def test_metadata_sentences_are_not_datelines(paragraph):
    assert parse_dateline(paragraph) is None


@pytest.mark.parametrize("line, expected", [("date 2024-04-11", "2024-04-11"), ("Date: 2023-01-31", "2023-01-31"), ("date 2024-02-30", None)])
def test_metadata_date_header(line, expected):
    assert parse_date_header(line) == expected


def test_metadata_full_article():
    text = "Kazakhstan, Finland discuss trade\n\nASTANA, Kazakhstan, 2 October 2024 (Kazinform) - The talks."
    meta = extract_meta(text, [], [])
    assert meta.title == "Kazakhstan, Finland discuss trade"
    assert meta.date == "2024-10-02"
    assert meta.agency == "Kazinform"


def test_metadata_agency_from_copyright_footer():
    meta = extract_meta("The ministers met.", [], ["© 2024 Trend News Agency. All rights reserved."])
    assert meta.agency == "Trend News Agency"
