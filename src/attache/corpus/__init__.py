"""`attache corpus`: Label Studio exports -> train/dev/test corpora, with
alignment as a checked contract: every span is accepted or quarantined with
a reason, and the report accounts for all of them."""
from __future__ import annotations

import json
import shutil
import tempfile
from array import array
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Sequence

import numpy
from spacy.tokens import Doc, DocBin
from spacy.vocab import Vocab

from ..errors import AttacheError
from ..outputs import staged_outputs
from ..tokenizer import conversion_nlp, make_nlp
from .agreement import Agreement
from .align import ATTRS, IOB_B
from .docbin import DocBinWriter, docbin_attrs
from .policy import POLICIES
from .seen import SeenKeys
from .splits import SPLITS, SplitItems, assign_splits
from .spool import Spool
from .worker import Converted, NotJoined, Segment, Settings, auto_workers, convert_tasks
from .writers import JsonArrayFile, TokenRows

__all__ = ["convert", "ConvertResult", "POLICIES"]


@dataclass
class ConvertResult:
    """Where the converted corpus was written, and its report. Documents are
    read back from the files on demand (``docs``, ``iter_docs``), so a result
    costs no memory. With ``convert(..., out_dir=None)`` the files live in a
    temp folder that lasts as long as this object."""

    out_dir: Path
    report: dict
    vocab: Vocab
    _keep: Optional[tempfile.TemporaryDirectory] = field(default=None, repr=False)

    def records(self, split: str) -> List[dict]:
        """Per document of ``split``, in file order: task key, task id, export, chosen annotation."""
        found = []
        with (self.out_dir / "reports" / "documents.jsonl").open(encoding="utf8") as handle:
            for line in handle:
                record = json.loads(line)
                if record.pop("split") == split:
                    record.pop("position")
                    found.append(record)
        return found

    def iter_docs(self, split: str) -> Iterator[Doc]:
        docbin = DocBin().from_disk(self.out_dir / f"{split}.spacy")
        for doc, record in zip(docbin.get_docs(self.vocab), self.records(split)):
            doc.user_data.update(record)
            yield doc

    @property
    def docs(self) -> Dict[str, List[Doc]]:
        return {split: list(self.iter_docs(split)) for split in SPLITS}

    @property
    def outcomes(self) -> List[dict]:
        """Every span that is not "exact" (reports/spans.jsonl)."""
        with (self.out_dir / "reports" / "spans.jsonl").open(encoding="utf8") as handle:
            return [json.loads(line) for line in handle]

    @property
    def review_tasks(self) -> List[dict]:
        return json.loads((self.out_dir / "reports" / "review-tasks.json").read_text(encoding="utf8"))


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
    workers: Optional[int] = None,
) -> ConvertResult:
    """Convert Label Studio exports into split corpora and a report.

    One streaming pass over the exports converts each task (in ``workers``
    processes; by default one per CPU for large exports) and spools it to
    disk; once every task is known the splits are drawn and the spool is
    written out to ``train/dev/test.spacy`` (always) and, by ``formats``, to
    ``hf/`` and ``conll/``. Everything is written into a temp folder that
    replaces the outputs in ``out_dir`` only if the whole conversion worked.
    """
    exports = expand_exports(exports)
    if policy not in POLICIES:
        raise AttacheError("E068", f"Unknown policy {policy!r}", f"Use one of: {', '.join(POLICIES)}.")
    if not exports:
        raise AttacheError("E069", "No export files given", "Pass Label Studio JSON exports, e.g. annotation/exports/*.json.")
    for path in exports:
        if not Path(path).exists():
            raise AttacheError("E069", f"Export not found: {path}", "Pass the JSON files written by `attache studio pull` or exported from Label Studio.")
    settings = Settings(lang, tuple(labels), policy, snap, from_name, tuple(sorted((aliases or {}).items())), seed)
    workers = auto_workers(exports) if workers is None else workers
    nlp = conversion_nlp(lang)  # its strings: those of the corpus' tokens (workers send theirs)
    keep = tempfile.TemporaryDirectory(prefix="attache-corpus-") if out_dir is None else None
    target = Path(keep.name) if keep is not None else Path(out_dir)
    options = dict(dev=dev, test=test, seed=seed, newest_test=newest_test, snap=snap)

    def attempt(workers: int) -> dict:
        with staged_outputs(target) as tmp:
            work = Path(tempfile.mkdtemp(prefix=".work-", dir=tmp))
            try:
                return _Conversion(nlp, list(labels), policy, tmp).run(convert_tasks(exports, settings, workers, work), exports, options, formats, work)
            finally:
                shutil.rmtree(work, ignore_errors=True)

    try:
        try:
            report = attempt(workers)
        except NotJoined:  # a worker failed (or its byte range did not join): one process names the error
            report = attempt(1)
    except BaseException:
        if keep is not None:
            keep.cleanup()
        raise
    return ConvertResult(target, report, make_nlp(lang).vocab, keep)


class _Conversion:
    """One conversion: bookkeeping over the converted tasks, then the split files.

    Per document it keeps a few numbers in arrays (tokens, record size,
    group key, date, skip flag, key hash: 29 bytes): memory hardly
    grows with the corpus."""

    def __init__(self, nlp, labels: List[str], policy: str, out: Path) -> None:
        self.nlp, self.labels, self.policy, self.out = nlp, labels, policy, out
        self.label_of = {nlp.vocab.strings.add(label): label for label in labels}
        self.counts: Counter = Counter()
        self.statuses: Counter = Counter()
        self.quarantined: List[dict] = []
        self.quarantined_tasks: List[str] = []
        self.agreement = Agreement(labels)
        self.items = SplitItems()
        self.skip = array("b")  # per spooled document: 1 if it is not written (seen in an earlier export)
        self._seen = SeenKeys()

    def run(self, converted: Iterator, exports, options, formats, work: Path) -> dict:
        reports = self.out / "reports"
        reports.mkdir()
        spool = Spool(work, len(ATTRS))
        try:
            with (reports / "spans.jsonl").open("w", encoding="utf8") as spans, \
                    JsonArrayFile(reports / "disagreements.json") as disagreements, \
                    JsonArrayFile(reports / "review-tasks.json") as review:
                for task in converted:
                    if isinstance(task, Segment):
                        spool.adopt(task.paths)
                    else:
                        self._add(task, spool, spans, disagreements, review)
            codes = assign_splits(self.items, dev=options["dev"], test=options["test"], newest_test=options["newest_test"],
                                  skip=numpy.frombuffer(self.skip, dtype="int8") if len(self.skip) else None)
            label_counts, documents = self._write_splits(spool, codes, formats)
        finally:
            spool.close()
        report = _report(self.counts, documents, label_counts, self.statuses, self.quarantined, self.agreement, self.labels,
                         self.policy, self.quarantined_tasks, exports, options)
        (reports / "corpus.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf8")
        (reports / "summary.md").write_text(summary(report, self.labels), encoding="utf8")
        return report

    def _add(self, task: Converted, spool: Spool, spans, disagreements, review) -> None:
        counts = self.counts
        counts["tasks"] += 1
        counts["cancelled_annotations"] += task.cancelled
        counts["drafts"] += task.drafts
        for string in task.strings:
            self.nlp.vocab.strings.add(string)
        if not task.annotated:
            counts["tasks_without_submitted_annotation"] += 1
            return
        if task.columns is None:  # spooled by a worker (adopted segment)
            spool.describe(task.n_tokens, task.record_size)
        else:
            spool.add(task.columns, task.spaces, task.record, task.n_tokens)
        self.items.add(task.group_key, task.date)
        if not self._seen.add(task.key):
            counts["tasks_seen_in_an_earlier_export"] += 1
            self.skip.append(1)
            return
        self.skip.append(0)
        if task.text_changed:
            self.quarantined_tasks.append(task.where)
        self.statuses.update(task.statuses)
        for entry in task.outcomes:
            spans.write(json.dumps(entry, ensure_ascii=False) + "\n")
            if entry["status"] == "quarantined":
                self.quarantined.append(entry)
        if task.agreement is not None:
            self.agreement.merge(task.agreement)
        for item, review_item in task.disagreements:
            disagreements.add_json(item)
            review.add_json(review_item)

    def _write_splits(self, spool: Spool, codes: numpy.ndarray, formats):
        """Write the spooled documents to their splits, a chunk of the spool at a time."""
        strings = self.nlp.vocab.strings
        attrs = docbin_attrs(ATTRS)
        counts = spool.token_counts()
        kept = codes >= 0
        totals = numpy.bincount(codes[kept], weights=counts[kept], minlength=len(SPLITS)).astype("int64").tolist()
        writers = {split: DocBinWriter(self.out / f"{split}.spacy", attrs, spool.folder, n_tokens=totals[c]) for c, split in enumerate(SPLITS)}
        try:
            extra = TokenRows(self.out, spool.folder, strings, self.label_of, formats)
            label_counts = {split: Counter() for split in SPLITS}
            documents = [0] * len(SPLITS)
            with (self.out / "reports" / "documents.jsonl").open("w", encoding="utf8") as listing:
                for first, columns, spaces, records in spool.chunks():
                    doc_codes = codes[first : first + len(records)]
                    sizes = counts[first : first + len(records)]
                    token_codes = numpy.repeat(doc_codes, sizes)
                    for c, split in enumerate(SPLITS):
                        docs = doc_codes == c
                        if not docs.any():
                            continue
                        rows = token_codes == c
                        part = columns[rows]
                        writers[split].add_run(part, spaces[rows].tobytes(), sizes[docs].tolist())
                        hashes, found = numpy.unique(part[part[:, 1] == IOB_B, 2], return_counts=True)
                        label_counts[split].update({self.label_of[h]: n for h, n in zip(hashes.tolist(), found.tolist())})
                    lines, offset = [], 0
                    for code, record, n in zip(doc_codes.tolist(), records, sizes.tolist()):
                        if code >= 0:
                            split = SPLITS[code]
                            lines.append(f'{{"split": "{split}", "position": {documents[code]}, {record.decode("utf8")[1:]}\n')
                            documents[code] += 1
                            if extra.active:
                                extra.add(split, columns[offset : offset + n], record)
                        offset += n
                    listing.write("".join(lines))
            for writer in writers.values():
                writer.close(strings, self.labels)
            extra.close()
        finally:
            for writer in writers.values():
                writer.discard()
        return label_counts, dict(zip(SPLITS, documents))


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


def _report(counts, documents, label_counts, status, quarantined, agreement, labels, policy, quarantined_tasks, exports, options) -> dict:
    per_split = {}
    for split in SPLITS:
        found = label_counts[split]
        per_split[split] = {"documents": documents[split], "entities": sum(found.values()), "labels": {l: found.get(l, 0) for l in labels}}
    return {
        "exports": [str(p) for p in exports],
        "policy": policy,
        "options": options,
        "counts": dict(counts),
        "spans": {"input": sum(status.values()), **{k: status.get(k, 0) for k in ("exact", "trimmed", "snapped", "quarantined")}},
        "quarantined_tasks": quarantined_tasks,
        "quarantined": quarantined,
        "splits": per_split,
        "agreement": agreement.report(),
    }


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
