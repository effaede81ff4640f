"""Produce the shipped annotation round: real Label Studio exports of the gold.

Runs a real Label Studio server (from .venv-studio) in a temp folder and does
what an annotation round does, through the API:

1. ingest corpus/raw and pre-annotate it with the current pre-annotator;
2. `attache studio push` the tasks (with predictions) into a new project;
3. annotator 1 submits the gold annotations of every article (authored in
   annotation/gold-markup/, carried onto the ingested text);
4. annotator 2 independently annotates ~20% of the articles
   (annotation/second-annotator/, written blind) and skips a few others;
5. on double-annotated tasks annotator 1's annotation is marked ground truth
   (the adjudicated version);
6. `attache studio pull` writes the snapshot under annotation/exports/.

    .venv/bin/python scripts/make_gold_exports.py [OUT_DIR]

Rounds 2 to 5 (``--round 2`` ...) are the annotation rounds of the
articles written later (annotation/round2-markup/ to round5-markup/): each
pushed into a project of its own, gold by annotator 1, no second
annotation; their snapshots are added next to round 1's.

    .venv/bin/python scripts/make_gold_exports.py --round N [OUT_DIR]   # N = 2, 3, 4 or 5
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from attache.ingest import ingest, load_ingest_settings  # noqa: E402
from attache.corpus.markup import gold_on_ingested_text as gold_of, markup_files  # noqa: E402
from attache.labels import load_scheme  # noqa: E402
from attache.markup import parse  # noqa: E402
from attache.preannotate import build_preannotator, preannotate  # noqa: E402
from attache.preannotate.tasks import doc_to_results  # noqa: E402
from attache.studio.connection import StudioSettings, connect  # noqa: E402
from attache.studio.pull import pull  # noqa: E402
from attache.studio.push import push  # noqa: E402
from attache.studio.server import LocalServer, ServerSpec  # noqa: E402

ROUNDS = {  # round -> (project, markup folder, second annotator folder or None, tasks skipped by annotator 2)
    1: ("attache diplomatic NER", "gold-markup", "second-annotator", 4),
    2: ("attache diplomatic NER round 2", "round2-markup", None, 0),
    3: ("attache diplomatic NER round 3", "round3-markup", None, 0),
    4: ("attache diplomatic NER round 4", "round4-markup", None, 0),
    5: ("attache diplomatic NER round 5", "round5-markup", None, 0),
}
SEED = 20241129


def gold_on_ingested_text(settings, folder: str) -> dict:
    """text -> gold spans (start, end, label) on the ingested (normalised) text."""
    return dict(gold_of(path, settings) for path in markup_files(REPO / "annotation" / folder))


def second_annotator(folder) -> dict:
    """article id -> spans of the blind second annotation."""
    found = {}
    for path in sorted((REPO / "annotation" / folder).glob("*.txt")) if folder else []:
        text, spans = parse(path.read_text(encoding="utf8"), source=str(path))
        found[path.stem] = (text, [(s.start, s.end, s.label) for s in spans])
    return found


def results(text: str, spans) -> list:
    out = doc_to_results(text, [(s, e, label, "gold") for s, e, label in spans])
    for r in out:
        r.pop("score"), r.pop("origin")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", nargs="?", type=Path, default=REPO / "annotation" / "exports")
    parser.add_argument("--round", type=int, choices=sorted(ROUNDS), default=1)
    args = parser.parse_args()
    project, markup, second_folder, n_skipped = ROUNDS[args.round]
    rng = random.Random(SEED + args.round - 1)
    settings = load_ingest_settings(REPO / "configs" / "ingest.yml")
    scheme = load_scheme(REPO / "configs" / "labels.yml")
    work = Path(tempfile.mkdtemp(prefix="attache-round-"))
    gold = gold_on_ingested_text(settings, markup)
    articles = [a for a in ingest(REPO / "corpus" / "raw", None, settings).articles if a["text"] in gold]
    assert len(articles) == len(gold), f"{len(gold) - len(articles)} markup files have no raw article: run scripts/sample_raw.py"
    second = second_annotator(second_folder)
    tasks = preannotate(articles, build_preannotator(REPO / "configs" / "preannotator.cfg", patterns=REPO / "configs" / "patterns"))
    server = LocalServer(ServerSpec(state_dir=work / "studio", port=18080, venv=REPO / ".venv-studio")).start()
    try:
        studio = StudioSettings(url=server.spec.url, api_key=(server.spec.state_dir / "api_key").read_text().strip())
        pushed = push(tasks, studio, project, scheme, guidelines=REPO / "annotation" / "GUIDELINES.md")
        client = connect(studio)
        ann1 = client.users.create(username="annotator1", email="annotator1@attache.local", first_name="Aigerim", last_name="S.", password=rng.randbytes(12).hex())
        ann2 = client.users.create(username="annotator2", email="annotator2@attache.local", first_name="Joonas", last_name="K.", password=rng.randbytes(12).hex())
        server_tasks = {t.data["task_key"]: t for t in client.tasks.list(project=pushed.project.id, fields="task_only", page_size=500)}
        others = [key for key in sorted(server_tasks) if key not in second]
        skipped = set(rng.sample(others, n_skipped))
        counts = {"gold": 0, "second": 0, "skipped": 0}
        for key in sorted(server_tasks):
            task = server_tasks[key]
            text = task.data["text"]
            double = key in second
            client.annotations.create(id=task.id, result=results(text, gold[text]), completed_by=ann1.id,
                                      lead_time=round(rng.uniform(90, 900), 1), ground_truth=double)
            counts["gold"] += 1
            if double:
                second_text, spans = second[key]
                assert second_text == text, key
                client.annotations.create(id=task.id, result=results(text, spans), completed_by=ann2.id, lead_time=round(rng.uniform(120, 1200), 1))
                counts["second"] += 1
            elif key in skipped:
                client.annotations.create(id=task.id, result=[], was_cancelled=True, completed_by=ann2.id, lead_time=round(rng.uniform(5, 40), 1))
                counts["skipped"] += 1
        snapshot = pull(studio, project, args.out)
    finally:
        server.stop()
    print(f"{counts} -> {snapshot.path} ({snapshot.tasks} tasks, {snapshot.annotations} annotations, {snapshot.cancelled} skipped)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
