"""Gold articles authored as inline markup -> a .spacy corpus, as the
workbench would see them.

Each file is normalised exactly as ``attache ingest`` normalises a raw
article (date header, boilerplate, re-flowed hard wraps), and its spans are
carried onto the normalised text with the ingest offset map. A span that
falls into removed text, or whose edges are not token edges of the training
tokenizer, is an error naming the file and the span: nothing is dropped.

Used for the held-out evaluation set (annotation/heldout-markup/), which is
never converted into training data.
"""
from __future__ import annotations

from pathlib import Path
from typing import Dict, List, Sequence, Tuple

from spacy.tokens import DocBin

from ..errors import AttacheError
from ..ingest.metadata import is_date_header
from ..ingest.normalize import normalize
from ..markup import parse
from ..outputs import atomic_write_bytes
from ..tokenizer import make_nlp

Gold = Tuple[str, List[Tuple[int, int, str]]]  # normalised text, spans on it


def markup_files(folder: Path) -> List[Path]:
    """The article files of a markup folder (README.md excluded), by name."""
    return sorted(p for p in Path(folder).iterdir() if p.suffix in {".txt", ".md"} and p.name != "README.md")


def round_folders(annotation: Path) -> List[Path]:
    """The markup folders of the annotation rounds under ``annotation``:
    gold-markup (round 1), then round2-markup, round3-markup, ... in order."""
    later = [p for p in Path(annotation).glob("round*-markup") if p.name[5:-7].isdigit()]
    return [Path(annotation) / "gold-markup", *sorted(later, key=lambda p: int(p.name[5:-7]))]


def gold_on_ingested_text(path: Path, settings) -> Gold:
    """The normalised text of a markup file and its spans on that text."""
    raw, spans = parse(Path(path).read_text(encoding="utf8"), source=str(path))
    normalized = normalize(raw, settings, markdown=Path(path).suffix == ".md", is_header=is_date_header)
    projected = []
    for span in spans:
        mapped = normalized.textmap.from_source(span.start, span.end)
        if mapped is None:
            raise AttacheError("E074", f"{path}: span {raw[span.start:span.end]!r} ({span.label}) at {span.start}:{span.end} falls into text that ingest removes",
                               "Move the span out of the header/boilerplate line, or fix configs/ingest.yml.")
        projected.append((*mapped, span.label))
    return normalized.text, projected


def markup_corpus(paths: Sequence[Path], out: Path, settings, *, lang: str = "en") -> Dict[str, int]:
    """Write the markup files ``paths`` as one .spacy file (one doc per file,
    ``user_data["source"]`` naming it); return counts per label."""
    nlp = make_nlp(lang)
    docbin = DocBin(attrs=["ORTH", "ENT_IOB", "ENT_TYPE"], store_user_data=True)
    counts: Dict[str, int] = {}
    problems = []
    for path in paths:
        text, spans = gold_on_ingested_text(path, settings)
        doc = nlp.make_doc(text)
        ents = []
        for start, end, label in spans:
            span = doc.char_span(start, end, label=label)
            if span is None:
                tokens = doc.char_span(start, end, alignment_mode="expand")
                problems.append(f"{path}: span {text[start:end]!r} ({label}) at {start}:{end} of the normalised text "
                                f"cuts the tokens {[t.text for t in tokens] if tokens is not None else '?'}")
                continue
            ents.append(span)
            counts[label] = counts.get(label, 0) + 1
        doc.ents = ents
        doc.user_data["source"] = Path(path).name
        docbin.add(doc)
    if problems:
        raise AttacheError("E075", f"{len(problems)} spans do not fall on token edges:\n  " + "\n  ".join(problems),
                           "Fix the span edges in the markup, or reword the text (the tokenizer keeps e.g. 'pre-1971' whole).")
    atomic_write_bytes(Path(out), docbin.to_bytes())
    return counts
