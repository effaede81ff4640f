"""`attache corpus`: Label Studio exports -> train/dev/test corpora, with
alignment as a checked contract: every span is accepted or quarantined with
a reason, and the report accounts for all of them."""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Sequence

from spacy.tokens import Doc, DocBin

from ..errors import AttacheError
from ..hashing import text_sha256
from ..outputs import staged_outputs
from ..tokenizer import make_nlp
from .agreement import Agreement
from .align import align, check_text, set_entities
from .policy import POLICIES, choose
from .splits import SPLITS, assign_splits
from .tasks import read_tasks
from .writers import write_conll, write_docbins, write_hf

__all__ = ["convert", "ConvertResult", "POLICIES"]


@dataclass
class ConvertResult:
    """The converted corpus, held as compact DocBins (not Doc objects, which
    would make memory grow fast with the corpus), and the report."""

    out_dir: Optional[Path]
    docbins: Dict[str, DocBin]
    records: Dict[str, List[dict]]  # per split, per doc: task key, task id, chosen annotation
    vocab: object
    report: dict
    outcomes: List[dict] = field(default_factory=list)  # every span that is not "exact"
    review_tasks: List[dict] = field(default_factory=list)

    def iter_docs(self, split: str) -> Iterator[Doc]:
        for doc, record in zip(self.docbins[split].get_docs(self.vocab), self.records[split]):
            doc.user_data.update(record)
            yield doc

    @property
    def docs(self) -> Dict[str, List[Doc]]:
        return {split: list(self.iter_docs(split)) for split in self.docbins}


def convert(
    exports: Sequence[Path],
    out_dir: Optional[Path],
    labels: Sequence[str],
    *,
    lang: str = "en",
    policy: str = "ground_truth_then_latest",
    dev: float = 0.15,
    test: float = 0.15,
    seed: int = 0,
    newest_test: bool = False,
    snap: bool = False,
    aliases: Optional[Dict[str, str]] = None,
    from_name: str = "label",
    formats: Sequence[str] = ("spacy", "hf", "conll"),
) -> ConvertResult:
    """Convert Label Studio exports into split corpora and a report.

    Two streaming passes over the exports: the first picks the annotation
    of each task and the splits, the second builds the Docs. Outputs go to a
    temp folder that replaces ``out_dir`` only if everything succeeded.
    """
    exports = expand_exports(exports)
    if policy not in POLICIES:
        raise AttacheError("E068", f"Unknown policy {policy!r}", f"Use one of: {', '.join(POLICIES)}.")
    if not exports:
        raise AttacheError("E069", "No export files given", "Pass Label Studio JSON exports, e.g. annotation/exports/*.json.")
    nlp = make_nlp(lang)
    counts: Counter = Counter()
    items, seen = [], {}
    for task in _tasks(exports, from_name, aliases, labels):
        counts["tasks"] += 1
        counts["cancelled_annotations"] += task.cancelled
        counts["drafts"] += task.drafts
        if not task.annotations:
            counts["tasks_without_submitted_annotation"] += 1
            continue
        if task.key in seen:
            counts["tasks_seen_in_an_earlier_export"] += 1
            continue
        seen[task.key] = task.file
        items.append((task.key, task.group, task.date))
    assignment = assign_splits(items, dev=dev, test=test, seed=seed, newest_test=newest_test)
    # only what NER training reads: a quarter of DocBin's default attributes
    docbins = {name: DocBin(attrs=["ORTH", "ENT_IOB", "ENT_TYPE", "ENT_KB_ID", "ENT_ID"], store_user_data=False) for name in SPLITS}
    records: Dict[str, List[dict]] = {name: [] for name in SPLITS}
    label_counts = {name: Counter() for name in SPLITS}
    statuses: Counter = Counter()
    outcomes: List[dict] = []
    agreement = Agreement(labels)
    texts: Dict[str, str] = {}
    quarantined_tasks = []
    done = set()
    for task in _tasks(exports, from_name, aliases, labels):
        if task.key not in assignment or task.key in done or seen.get(task.key) != task.file:
            continue
        done.add(task.key)
        doc = nlp.make_doc(task.text)
        results, chosen = choose(task.annotations, policy)
        quarantine = []
        if task.text_sha256 and text_sha256(task.text) != task.text_sha256:
            quarantine = [(r, "the task text no longer matches the text hash pushed with it") for r in results]
            results = []
            quarantined_tasks.append(task.where)
        else:
            for r in list(results):
                problem = check_text(task.text, r)
                if problem:
                    quarantine.append((r, problem))
                    results.remove(r)
        ents, missing, span_outcomes = align(doc, task.id, results, snap=snap, quarantine=quarantine)
        set_entities(doc, ents, missing)
        split = assignment[task.key]
        docbins[split].add(doc)
        records[split].append({"task_key": task.key, "task_id": task.id, "export": Path(task.file).name, **{f"chosen_{k}": v for k, v in chosen.items()}})
        label_counts[split].update(ent.label_ for ent in ents)
        for outcome in span_outcomes:
            statuses[outcome.status] += 1
            if outcome.status != "exact":
                record = outcome.to_dict()
                record["file"] = task.file
                outcomes.append(record)
        if agreement.add(task, doc):
            texts[task.key] = task.text  # kept only for the review tasks
    report = _report(counts, records, label_counts, statuses, outcomes, agreement, labels, policy, quarantined_tasks, exports, dict(dev=dev, test=test, seed=seed, newest_test=newest_test, snap=snap))
    result = ConvertResult(out_dir, docbins, records, nlp.vocab, report, outcomes, agreement.review_tasks(texts))
    if out_dir is not None:
        _write(result, Path(out_dir), labels, formats, agreement)
    return result


def expand_exports(paths: Sequence[Path]) -> List[Path]:
    """Export files; a folder stands for its *.json files (snapshot sidecars
    *.meta.json excluded), oldest first by name (snapshot names are dated)."""
    found: List[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(sorted(p for p in path.glob("*.json") if not p.name.endswith(".meta.json")))
        else:
            found.append(path)
    return found


def _tasks(exports, from_name, aliases, labels):
    for path in exports:
        if not Path(path).exists():
            raise AttacheError("E069", f"Export not found: {path}", "Pass the JSON files written by `attache studio pull` or exported from Label Studio.")
        yield from read_tasks(Path(path), from_name=from_name, aliases=aliases, labels=list(labels))


def _report(counts, records, label_counts, status, outcomes, agreement, labels, policy, quarantined_tasks, exports, options) -> dict:
    per_split = {}
    for split in SPLITS:
        found = label_counts[split]
        per_split[split] = {"documents": len(records[split]), "entities": sum(found.values()), "labels": {l: found.get(l, 0) for l in labels}}
    return {
        "exports": [str(p) for p in exports],
        "policy": policy,
        "options": options,
        "counts": dict(counts),
        "spans": {"input": sum(status.values()), **{k: status.get(k, 0) for k in ("exact", "trimmed", "snapped", "quarantined")}},
        "quarantined_tasks": quarantined_tasks,
        "quarantined": [o for o in outcomes if o["status"] == "quarantined"],
        "splits": per_split,
        "agreement": agreement.report(),
    }


def _write(result: ConvertResult, out_dir: Path, labels, formats, agreement: Agreement) -> None:
    with staged_outputs(out_dir) as tmp:
        if "spacy" in formats:
            write_docbins(result.docbins, tmp)
        if "hf" in formats:
            write_hf({split: result.iter_docs(split) for split in SPLITS}, labels, tmp / "hf")
        if "conll" in formats:
            write_conll({split: result.iter_docs(split) for split in SPLITS}, tmp / "conll")
        reports = tmp / "reports"
        reports.mkdir()
        (reports / "corpus.json").write_text(json.dumps(result.report, indent=2, ensure_ascii=False) + "\n", encoding="utf8")
        (reports / "spans.jsonl").write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in result.outcomes if o["status"] != "exact"), encoding="utf8")
        with (reports / "documents.jsonl").open("w", encoding="utf8") as handle:
            for split, records in result.records.items():
                for position, record in enumerate(records):
                    handle.write(json.dumps({"split": split, "position": position, **record}, ensure_ascii=False, default=str) + "\n")
        (reports / "disagreements.json").write_text(json.dumps(agreement.disagreements, ensure_ascii=False) + "\n", encoding="utf8")
        (reports / "review-tasks.json").write_text(json.dumps(result.review_tasks, ensure_ascii=False) + "\n", encoding="utf8")
        (reports / "summary.md").write_text(summary(result.report, labels), encoding="utf8")


def summary(report: dict, labels: Sequence[str]) -> str:
    """A readable summary of the conversion report (Markdown)."""
    spans = report["spans"]
    lines = [
        "# Corpus summary", "",
        f"Policy: {report['policy']} · tasks read: {report['counts'].get('tasks', 0)} · "
        f"skipped (no submitted annotation): {report['counts'].get('tasks_without_submitted_annotation', 0)} · "
        f"cancelled annotations: {report['counts'].get('cancelled_annotations', 0)}", "",
        f"Spans: {spans['input']} in = {spans['exact']} exact + {spans['trimmed']} trimmed + {spans['snapped']} snapped + {spans['quarantined']} quarantined", "",
        "| label | " + " | ".join(SPLITS) + " | total |", "|---|" + "---:|" * (len(SPLITS) + 1),
    ]
    for label in labels:
        row = [report["splits"][s]["labels"][label] for s in SPLITS]
        lines.append(f"| {label} | " + " | ".join(map(str, row)) + f" | {sum(row)} |")
    docs = [report["splits"][s]["documents"] for s in SPLITS]
    lines.append("| *documents* | " + " | ".join(map(str, docs)) + f" | {sum(docs)} |")
    agreement = report["agreement"]
    if agreement["tasks"]:
        lines += ["", f"Agreement on {agreement['tasks']} doubly annotated tasks: span F1 exact {agreement['span_f1_exact']['micro_f']:.3f}, "
                  f"overlap {agreement['span_f1_overlap']['micro_f']:.3f}, token Cohen's kappa {agreement['token_cohen_kappa']:.3f}; "
                  f"{agreement['disagreements']} tasks with disagreements (reports/review-tasks.json)."]
    return "\n".join(lines) + "\n"
