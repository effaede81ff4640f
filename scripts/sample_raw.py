"""Write corpus/raw/ from the authored gold markup (annotation/gold-markup/
and the later rounds, annotation/round*-markup/).

The raw articles are the markup with the spans stripped, byte for byte.
Run once after editing the markup; tests/test_sample_corpus.py checks that
the two agree.

    python scripts/sample_raw.py
"""
from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from attache.corpus.markup import markup_files, round_folders  # noqa: E402
from attache.markup import parse  # noqa: E402

MARKUP_DIRS = round_folders(REPO / "annotation")
RAW_DIR = REPO / "corpus" / "raw"


def main() -> int:
    RAW_DIR.mkdir(parents=True, exist_ok=True)
    written = 0
    for path in (p for folder in MARKUP_DIRS for p in markup_files(folder)):
        text, _ = parse(path.read_text(encoding="utf8"), source=str(path))
        target = RAW_DIR / path.name
        if not target.exists() or target.read_text(encoding="utf8") != text:
            target.write_text(text, encoding="utf8")
            written += 1
    print(f"{written} raw articles written to {RAW_DIR.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
