"""Write the converted corpus for spaCy (.spacy), HF datasets and CoNLL-2003."""
from __future__ import annotations

from pathlib import Path
from typing import Dict, Iterable, List, Sequence

from spacy.tokens import Doc, DocBin


def bio_tags(doc: Doc) -> List[str]:
    """BIO tags of the doc's entities (missing tokens become O)."""
    tags = []
    for token in doc:
        if token.ent_iob_ in ("", "O") or not token.ent_type_:
            tags.append("O")
        else:
            tags.append(f"{token.ent_iob_}-{token.ent_type_}")
    return tags


def bio_names(labels: Sequence[str]) -> List[str]:
    return ["O"] + [f"{prefix}-{label}" for label in labels for prefix in ("B", "I")]


def write_docbins(docbins: Dict[str, DocBin], out_dir: Path) -> Dict[str, Path]:
    """The DocBins hold no user_data: packing it per doc costs more than the
    rest of DocBin.add; reports/documents.jsonl says which task each doc is."""
    paths = {}
    for split, docbin in docbins.items():
        paths[split] = out_dir / f"{split}.spacy"
        docbin.to_disk(paths[split])
    return paths


def write_conll(docs: Dict[str, Iterable[Doc]], out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    for split, items in docs.items():
        with (out_dir / f"{split}.conll").open("w", encoding="utf8") as handle:
            handle.write("-DOCSTART- -X- -X- O\n\n")
            for doc in items:
                for token, tag in zip(doc, bio_tags(doc)):
                    if token.is_space:
                        continue
                    handle.write(f"{token.text} -X- _ {tag}\n")
                handle.write("\n")


def write_hf(docs: Dict[str, Iterable[Doc]], labels: Sequence[str], out_dir: Path) -> None:
    import datasets

    datasets.disable_progress_bars()
    names = bio_names(labels)
    features = datasets.Features({
        "id": datasets.Value("string"),
        "tokens": datasets.Sequence(datasets.Value("string")),
        "ner_tags": datasets.Sequence(datasets.ClassLabel(names=names)),
    })
    splits = {}
    for split, items in docs.items():
        rows = {"id": [], "tokens": [], "ner_tags": []}
        for doc in items:
            keep = [i for i, t in enumerate(doc) if not t.is_space]
            tags = bio_tags(doc)
            rows["id"].append(doc.user_data.get("task_key", ""))
            rows["tokens"].append([doc[i].text for i in keep])
            rows["ner_tags"].append([names.index(tags[i]) for i in keep])
        if rows["id"]:  # datasets cannot store an empty split; the report shows it as 0
            splits[split] = datasets.Dataset.from_dict(rows, features=features)
    datasets.DatasetDict(splits).save_to_disk(str(out_dir))
