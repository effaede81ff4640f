"""Corpus conversion speed: attache.corpus.convert vs label-studio-sdk's converter.

Generates a synthetic Label Studio JSON export of N tasks (sentences with
their gold spans sampled from annotation/exports, some emoji and NBSP, 1-2
annotations and a prediction per task), then converts it in the same run
with (a) ``attache.corpus.convert`` (.spacy only with its default worker
processes, .spacy only in one process, and all default formats)
and (b) ``label_studio_sdk.converter.Converter`` to CONLL2003. Each converter
runs in its own subprocess: time of the conversion, RSS after imports and
peak RSS (VmHWM).

    .venv/bin/python bench/convert_bench.py                 # full: 100,000 tasks
    .venv/bin/python bench/convert_bench.py --tasks 2000    # seconds
    .venv/bin/python bench/convert_bench.py --tasks 200000 --only attache-spacy   # memory, no SDK
"""
from __future__ import annotations

import argparse
import json
import random
import re
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import List, Tuple
from _common import machine, md_table  # noqa: E402  (bench/ is on sys.path when run as a script)

EMOJI = ("🇰🇿", "🤝", "📸", "🌍", "🔴", "✅")
NBSP = "\u00a0"
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“‘(])|(?<=[.!?][\"”’)])\s+(?=[A-Z\"“‘(])|\n\n+")
CONVERTERS = {"attache (.spacy)": "attache-spacy", "attache (.spacy, 1 process)": "attache-spacy-1",
              "attache (spacy+hf+conll)": "attache-all", "label-studio-sdk (CONLL2003)": "sdk-conll"}
Sentence = Tuple[str, List[Tuple[int, int, str]]]


def sentence_pool(exports: Path) -> List[Sentence]:
    """Sentences of the real gold export with the spans wholly inside them."""
    from attache.lsjson import iter_export

    pool: List[Sentence] = []
    paths = sorted(p for p in exports.glob("*.json") if not p.name.endswith(".meta.json")) if exports.is_dir() else [exports]
    for path in paths:
        for _, task in iter_export(path):
            annotation = next((a for a in task.get("annotations", []) if not a.get("was_cancelled")), None)
            if annotation is None:
                continue
            text = task["data"]["text"]
            spans = [(r["value"]["start"], r["value"]["end"], r["value"]["labels"][0]) for r in annotation["result"]]
            bounds = [0] + [x for m in SENTENCE_END.finditer(text) for x in (m.start(), m.end())] + [len(text)]
            for start, end in zip(bounds[::2], bounds[1::2]):
                inside = [(s - start, e - start, l) for s, e, l in spans if start <= s and e <= end]
                crossing = any(s < end and e > start and not (start <= s and e <= end) for s, e, _ in spans)
                if inside and not crossing and end - start > 20:
                    pool.append((text[start:end], inside))
    if not pool:
        raise SystemExit(f"no annotated sentences found in {exports}")
    return pool


WORD = re.compile(r"[A-Za-z]{4,}")


def fresh_words(rng: random.Random, text: str, inside: List[Tuple[int, int, str]], share: float) -> str:
    """``text`` with about ``share`` of its words outside the spans replaced by
    made-up words of the same length and case (offsets hold): the export's
    vocabulary keeps growing, as real news does, instead of repeating the
    pool's few thousand sentences."""
    out, last = [], 0
    for m in WORD.finditer(text):
        if rng.random() >= share or any(s < m.end() and m.start() < e for s, e, _ in inside):
            continue
        word = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in m.group())
        out += [text[last:m.start()], word.capitalize() if m.group()[0].isupper() else word]
        last = m.end()
    return "".join(out) + text[last:] if out else text


def make_task(rng: random.Random, pool: List[Sentence], number: int, args) -> dict:
    parts, spans, length = [], [], 0
    for i in range(rng.randint(args.min_sentences, args.max_sentences)):
        if i:
            sep = rng.choice((" ", " ", " ", "\n\n", NBSP)) if rng.random() > 0.1 else f" {rng.choice(EMOJI)} "
            parts.append(sep)
            length += len(sep)
        text, inside = rng.choice(pool)
        if args.fresh_words:
            text = fresh_words(rng, text, inside, args.fresh_words)
        spans += [(s + length, e + length, l) for s, e, l in inside]
        parts.append(text)
        length += len(text)
    text = "".join(parts)
    if rng.random() < 0.3:  # an NBSP inside the text, outside any span (same length: offsets hold)
        covered = bytearray(len(text))
        for s, e, _ in spans:
            covered[s:e] = b"\x01" * (e - s)
        free = [i for i, c in enumerate(text) if c == " " and not covered[i]]
        if free:
            i = rng.choice(free)
            text = text[:i] + NBSP + text[i + 1:]

    def result(s, e, label):
        return {"id": f"{rng.getrandbits(40):010x}", "from_name": "label", "to_name": "text", "type": "labels",
                "value": {"start": s, "end": e, "text": text[s:e], "labels": [label]}}

    when = f"2026-{1 + number % 12:02d}-{1 + number % 28:02d}T10:00:{number % 60:02d}.000000Z"
    annotations = [{"id": 2 * number, "completed_by": 1, "was_cancelled": False, "ground_truth": False, "created_at": when,
                    "updated_at": when, "lead_time": round(rng.uniform(5, 300), 1), "result": [result(*s) for s in spans]}]
    if rng.random() < 0.3:  # a second annotator who missed or relabelled a few spans
        second = [(s, e, rng.choice(("ORG", "GOV_ORG")) if l in ("ORG", "GOV_ORG") and rng.random() < 0.2 else l) for s, e, l in spans if rng.random() > 0.1]
        annotations.append({**annotations[0], "id": 2 * number + 1, "completed_by": 2, "result": [result(*s) for s in second]})
    predictions = [{"id": number, "model_version": "preannotator-bench", "score": 0.8,
                    "result": [{**result(*s), "score": 0.9} for s in spans if rng.random() > 0.2]}] if args.predictions else []
    return {"id": number, "data": {"text": text, "task_key": f"bench-{number:07d}"}, "annotations": annotations,
            "predictions": predictions, "drafts": [], "meta": {}, "created_at": when, "updated_at": when, "project": 1}


def generate(path: Path, args) -> None:
    rng = random.Random(args.seed)
    pool = sentence_pool(args.exports)
    with path.open("w", encoding="utf8") as handle:
        handle.write("[")
        for number in range(1, args.tasks + 1):
            handle.write(("," if number > 1 else "") + "\n" + json.dumps(make_task(rng, pool, number, args), ensure_ascii=False))
        handle.write("\n]\n")


def distinct_chunks(export: Path) -> int:
    """Distinct whitespace-separated chunks of the task texts (what spaCy's tokenizer caches)."""
    from attache.lsjson import iter_export

    chunks = set()
    for _, task in iter_export(export):
        chunks.update(task["data"]["text"].split())
    return len(chunks)


def rss_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def worker(kind: str, export: Path, out: Path) -> None:
    """Run one converter in this (sub)process; print one JSON line. Setup
    (imports, and attache's blank pipeline, which loads spaCy's entry points)
    is timed apart from the conversion."""
    setup_began = time.perf_counter()
    from attache.labels import load_scheme

    if kind.startswith("attache"):
        from attache.corpus import convert
        from attache.tokenizer import conversion_nlp, make_nlp
        conversion_nlp("en"), make_nlp("en")  # cached: convert() reuses them
    else:
        from label_studio_sdk.converter import Converter
        from attache.studio.labeling import labeling_config
    after_imports = rss_kb("VmRSS")
    setup = time.perf_counter() - setup_began
    began = time.perf_counter()
    if kind.startswith("attache"):
        formats = ("spacy", "hf", "conll") if kind == "attache-all" else ("spacy",)
        result = convert([export], out, load_scheme().names, formats=formats, workers=1 if kind == "attache-spacy-1" else None)
        docs = sum(split["documents"] for split in result.report["splits"].values())
    else:
        converter = Converter(config=labeling_config(load_scheme()), project_dir=str(out), download_resources=False)
        converter.convert(str(export), str(out), "CONLL2003", is_dir=False)
        docs = (out / "result.conll").read_text(encoding="utf8").count("\n\n")
    seconds = time.perf_counter() - began
    import resource

    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux: the largest worker process
    print(json.dumps({"seconds": seconds, "setup": setup, "after_imports_kb": after_imports, "peak_kb": rss_kb("VmHWM"), "worker_peak_kb": children, "docs": docs}))


def run_worker(kind: str, export: Path, tmp: Path) -> dict:
    out = Path(tempfile.mkdtemp(prefix=kind + "-", dir=tmp))
    command = [sys.executable, __file__, "--worker", kind, "--export", str(export), "--out", str(out / "out")]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{kind} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, default=100_000, help="tasks in the synthetic export")
    parser.add_argument("--min-sentences", type=int, default=1)
    parser.add_argument("--max-sentences", type=int, default=5)
    parser.add_argument("--fresh-words", type=float, default=0.0, metavar="SHARE",
                        help="replace this share of the words outside spans by made-up ones (e.g. 0.05: a vocabulary that keeps growing)")
    parser.add_argument("--no-predictions", dest="predictions", action="store_false", help="leave predictions out of the tasks")
    parser.add_argument("--exports", type=Path, default=Path("annotation/exports"), help="real export(s) to sample sentences from")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=1, help="runs per converter (best time, highest peak reported)")
    parser.add_argument("--tmp", type=Path, default=None, help="folder for the export and outputs (default: system temp)")
    parser.add_argument("--only", choices=sorted(CONVERTERS.values()), nargs="+", default=None,
                        help="run only these converters (e.g. --only attache-spacy, for the memory of a large export without the SDK)")
    parser.add_argument("--worker", choices=sorted(CONVERTERS.values()), help=argparse.SUPPRESS)
    parser.add_argument("--export", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return worker(args.worker, args.export, args.out)

    print("# Corpus conversion benchmark\n")
    print(f"command: `{shlex.join([sys.executable, *sys.argv])}`  ")
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory(prefix="attache-convert-bench-", dir=args.tmp) as tmp:
        export = Path(tmp) / "export.json"
        began = time.perf_counter()
        generate(export, args)
        print(f"synthetic export: {args.tasks:,} tasks, {export.stat().st_size / 2**20:,.1f} MiB, {distinct_chunks(export):,} distinct "
              f"whitespace-separated chunks, generated in {time.perf_counter() - began:.1f}s\n")
        results = {}
        for name, kind in CONVERTERS.items():
            if args.only and kind not in args.only:
                continue
            runs = [run_worker(kind, export, Path(tmp)) for _ in range(args.repeat)]
            results[name] = {**min(runs, key=lambda r: r["seconds"]), "peak_kb": max(r["peak_kb"] for r in runs),
                             "worker_peak_kb": max(r.get("worker_peak_kb", 0) for r in runs)}
    sdk = results.get("label-studio-sdk (CONLL2003)")
    rows = []
    for name, r in results.items():
        rows.append((name, f"{r['setup']:.1f}", f"{r['seconds']:.2f}", f"{args.tasks / r['seconds']:,.0f}", f"{sdk['seconds'] / r['seconds']:.2f}x" if sdk else "-",
                     f"{r['after_imports_kb'] / 1024:,.0f}", f"{r['peak_kb'] / 1024:,.0f}", f"{(r['peak_kb'] - r['after_imports_kb']) / 1024:,.0f}",
                     f"{r['worker_peak_kb'] / 1024:,.0f}" if r.get("worker_peak_kb") else "-", r["docs"]))
    print(md_table(("converter", "setup s", "convert s", "tasks/s", "speed vs SDK", "RSS after setup MiB", "peak RSS MiB", "peak - setup MiB", "worker peak RSS MiB", "docs out"), rows))
    if sdk is None or "attache (.spacy)" not in results:
        return
    ratio = sdk["seconds"] / results["attache (.spacy)"]["seconds"]
    print(f"\nattache (.spacy) / SDK speed: {ratio:.2f}x (target >= 3x: {'met' if ratio >= 3 else 'NOT met'}); "
          "'docs out': attache keeps one annotation per task, the SDK writes one CoNLL document per annotation.")
    print("'setup s' (imports, pipeline) is not in tasks/s. Flat memory: compare 'peak - setup' and 'worker peak RSS' (largest worker process, "
          "shared pages included) across --tasks sizes: they should not grow with the number of tasks.")


if __name__ == "__main__":
    main()
