import pytest

from attache.ingest.metadata import is_date_header
from attache.ingest.normalize import normalize

WRAPPED = (
    "Deputy Minister Vassilenko met the Ambassador of the Republic of\n"
    "Finland to Kazakhstan on Tuesday to discuss the Agreement on\n"
    "Strategic Partnership and Cooperation signed in Astana last year.\n"
    "Both sides praised the growth of trade between the two nations,\n"
    "which reached 208.2 million US dollars.\n"
    "\n"
    "The parties also discussed the OSCE Chairpersonship of Finland.\n"
)


def test_normalize_crlf_becomes_lf(ingest_settings):
    out = normalize("Astana talks\r\n\r\nThe ministers met.\r\nThey agreed.", ingest_settings)
    assert out.text == "Astana talks\n\nThe ministers met.\nThey agreed."


def test_normalize_reflows_hard_wrapped_paragraphs(ingest_settings):
    out = normalize(WRAPPED, ingest_settings)
    first, second = out.text.split("\n\n")
    # breaks inside a sentence become spaces; the one after "last year." stays
    assert first.split("\n") == [
        "Deputy Minister Vassilenko met the Ambassador of the Republic of Finland to Kazakhstan on Tuesday to discuss the Agreement on Strategic Partnership and Cooperation signed in Astana last year.",
        "Both sides praised the growth of trade between the two nations, which reached 208.2 million US dollars.",
    ]
    assert "Republic of Finland to Kazakhstan" in first
    assert "Agreement on Strategic Partnership" in first
    assert second == "The parties also discussed the OSCE Chairpersonship of Finland."
    assert out.wrap_width == 65


def test_normalize_keeps_list_lines_apart(ingest_settings):
    text = (
        "They are:\n"
        "(a) Her Excellency Farhana Rahman, High Commissioner of the People's Republic of Bangladesh;\n"
        "(b) His Excellency Rodrigo Salinas Vega, Ambassador of the United Mexican States;\n"
        "(c) His Excellency Eduardo Pangilinan, Ambassador of the Republic of the Philippines;\n"
        "(d) Her Excellency Anna Whitcombe, High Commissioner of New Zealand."
    )
    assert normalize(text, ingest_settings).text == text


def test_normalize_keeps_short_lines_of_unwrapped_text(ingest_settings):
    text = "Kazakhstan and Finland sign roadmap\nASTANA, Kazakhstan, October 2. The ministers met on Monday and talked for a long time about many things.\n"
    assert normalize(text, ingest_settings).text == text.rstrip("\n")


@pytest.mark.parametrize(
    "line",
    [
        "Photo: Akorda press service",
        "(Photo: Kazinform)",
        "© 2024 Kazinform. All rights reserved.",
        "Copyright 2023 Trend News Agency",
        "Back to top button",
        "Share this article",
        "Follow us on Telegram",
        "Read more: Kazakhstan, Finland discuss trade",
        "Home / World / Politics",
        "Tags: diplomacy, OSCE",
        "[Back to top](#)",
        "*By Staff Reporter*",
    ],
)
def test_normalize_removes_boilerplate_lines(ingest_settings, line):
    out = normalize(f"The ministers met.\n{line}\nThey agreed.", ingest_settings)
    assert line not in out.text
    assert out.removed_lines == [line]


@pytest.mark.parametrize("line", ["The photo exhibition opened in Astana.", "Copyright law was discussed by the Mazhilis."])
def test_normalize_keeps_sentences_that_mention_boilerplate_words(ingest_settings, line):
    assert normalize(line, ingest_settings).text == line


def test_normalize_keeps_typographic_quotes_nbsp_and_emoji(ingest_settings):
    text = "“We agree,” said the Minister – 100\u00a0million 👩\u200d💻."
    assert normalize(text, ingest_settings).text == text


def test_normalize_strips_markdown_heading_and_date_header(ingest_settings):
    out = normalize("date 2024-04-11\n# Astana hosts talks\n\nBody text.", ingest_settings, markdown=True, is_header=is_date_header)
    assert out.text == "Astana hosts talks\n\nBody text."
    assert out.header_lines == ["date 2024-04-11"]


@pytest.mark.parametrize("source", [WRAPPED, WRAPPED.replace("\n", "\r\n"), "Photo: X\n" + WRAPPED, "  " + WRAPPED])
def test_normalize_offset_map_carries_spans_from_source(ingest_settings, source):
    out = normalize(source, ingest_settings)
    for phrase in ["Vassilenko", "Republic of\r\nFinland", "Republic of\nFinland", "208.2 million US dollars", "OSCE"]:
        start = source.find(phrase)
        if start < 0:
            continue
        mapped = out.textmap.from_source(start, start + len(phrase))
        assert mapped is not None
        assert out.text[mapped[0]:mapped[1]].replace("\n", " ") == phrase.replace("\r\n", " ").replace("\n", " ") or "\r\n" in phrase
        assert out.textmap.to_source(*mapped) == (start, start + len(phrase))


def test_normalize_span_in_removed_line_does_not_map(ingest_settings):
    source = "Photo: Akorda press service\nThe ministers met."
    out = normalize(source, ingest_settings)
    assert out.textmap.from_source(7, 13) is None
