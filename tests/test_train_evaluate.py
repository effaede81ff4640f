import html.parser
import json

import pytest
import spacy

from attache.evaluate.report import write_report
from attache.evaluate.run import evaluate, read_gold
from attache.evaluate.scores import score_spans
from attache.training import train

from conftest import REPO

pytestmark = pytest.mark.slow


def test_train_smoke_config_produces_a_loadable_promoted_pipeline(smoke_model):
    assert smoke_model.promoted is not None and smoke_model.promoted.name == "model-best"
    nlp = spacy.load(smoke_model.promoted)
    assert "ner" in nlp.pipe_names
    run = json.loads((smoke_model.run_dir / "run.json").read_text())
    assert run["status"] == "promoted" and run["dev_scores"]["ents_f"] == smoke_model.scores["ents_f"]
    curve = (smoke_model.run_dir / "training-log.jsonl").read_text().splitlines()
    assert [json.loads(line)["step"] for line in curve][:2] == [0, 40]


def test_train_learns_the_tiny_corpus(smoke_model):
    assert smoke_model.scores["ents_f"] > 0.8


def test_train_same_seed_gives_the_same_scores(tmp_path, tiny_corpus):
    runs = [train(REPO / "configs" / "ner_smoke.cfg", tmp_path / name, train_path=tiny_corpus[0], dev_path=tiny_corpus[1],
                  overrides={"training.max_steps": 20, "training.eval_frequency": 10}) for name in ("a", "b")]
    assert runs[0].scores == runs[1].scores
    curves = [(r.run_dir / "training-log.jsonl").read_text().splitlines() for r in runs]
    assert [json.loads(l)["losses"] for l in curves[0]] == [json.loads(l)["losses"] for l in curves[1]]


def test_train_is_not_promoted_below_the_threshold(tmp_path, tiny_corpus):
    result = train(REPO / "configs" / "ner_smoke.cfg", tmp_path, train_path=tiny_corpus[0], dev_path=tiny_corpus[1],
                   overrides={"training.max_steps": 2, "training.eval_frequency": 1}, min_score=0.99)
    assert result.promoted is None and "below --min-score" in result.reason
    assert not (tmp_path / "model-best").exists()
    assert json.loads((result.run_dir / "run.json").read_text())["status"] == "not promoted"


def test_train_stopped_by_sigterm_says_so_and_promotes_nothing(tmp_path, tiny_corpus):
    """`attache parallel` stops a training with SIGTERM when the command
    beside it fails: the run's record says "stopped", not "running"."""
    import os
    import signal
    import subprocess
    import sys
    import time

    out = tmp_path / "training"
    command = [sys.executable, "-m", "attache", "train", str(REPO / "configs" / "ner_smoke.cfg"), "--output", str(out),
               "--train", str(tiny_corpus[0]), "--dev", str(tiny_corpus[1]), "--run-name", "long",
               "--training.max_steps", "100000", "--training.eval_frequency", "5"]
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    curve = out / "runs" / "long" / "training-log.jsonl"
    deadline = time.monotonic() + 120
    while not (curve.exists() and curve.read_text().count("\n") >= 2) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert process.poll() is None, process.communicate()
    os.kill(process.pid, signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 128 + signal.SIGTERM, err
    assert "stopped by SIGTERM" in err and "Traceback" not in err
    run = json.loads((out / "runs" / "long" / "run.json").read_text())
    assert run["status"] == "stopped" and run["error"] == "Stopped: stopped by SIGTERM"
    assert not (out / "model-best").exists()


# --- scores on hand-built cases ----------------------------------------------

GOLD = [[(0, 6, "GPE"), (11, 17, "GPE"), (25, 31, "DATE")], [(0, 4, "ORG"), (10, 20, "PERSON")]]
PRED = [[(0, 6, "GPE"), (11, 17, "LOC"), (21, 31, "DATE")], [(0, 4, "ORG"), (30, 35, "MONEY")]]


def test_scores_hand_built_case_has_known_answers():
    scores = score_spans(GOLD, PRED, ["GPE", "LOC", "DATE", "ORG", "PERSON", "MONEY"])
    assert (scores.micro.tp, scores.micro.fp, scores.micro.fn) == (2, 3, 3)
    assert scores.micro.f1 == pytest.approx(0.4)
    assert scores.per_label["GPE"].precision == 1.0 and scores.per_label["GPE"].recall == 0.5
    assert dict(scores.errors) == {"label": 1, "boundary": 1, "missed": 1, "spurious": 1}
    assert scores.confusion["GPE"]["LOC"] == 1


def test_scores_agree_with_seqeval(tiny_corpus, smoke_model):
    from seqeval.metrics import f1_score, precision_score, recall_score

    nlp = spacy.load(smoke_model.promoted)
    docs = read_gold(tiny_corpus[1], nlp)
    main, _ = evaluate(nlp, docs, ["PERSON", "ROLE", "GPE", "LOC", "NORP", "INTL_ORG", "GOV_ORG", "ORG", "AGREEMENT", "EVENT", "DATE", "MONEY"])

    def tags(doc, spans):
        out = ["O"] * len(doc)
        for s, e, label in spans:
            span = doc.char_span(s, e)
            out[span.start] = f"B-{label}"
            for i in range(span.start + 1, span.end):
                out[i] = f"I-{label}"
        return out

    y_true = [tags(doc, [(e.start_char, e.end_char, e.label_) for e in doc.ents]) for doc in docs]
    y_pred = [tags(doc, pred) for doc, pred in zip(docs, main.predictions)]
    assert main.scores.micro.f1 == pytest.approx(f1_score(y_true, y_pred), abs=1e-9)
    assert main.scores.micro.precision == pytest.approx(precision_score(y_true, y_pred), abs=1e-9)
    assert main.scores.micro.recall == pytest.approx(recall_score(y_true, y_pred), abs=1e-9)


class _Checker(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.images, self.marks = [], 0, 0

    def handle_starttag(self, tag, attrs):
        if tag == "img" and dict(attrs)["src"].startswith("data:image/png;base64,"):
            self.images += 1
        if tag == "mark":
            self.marks += 1
        if tag not in ("img", "br", "meta", "hr", "input", "link"):
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack.pop() == tag, f"unbalanced </{tag}>"


def test_evaluate_writes_json_plots_and_an_html_report_that_parses(tmp_path, tiny_corpus, smoke_model, scheme):
    from attache.preannotate import build_preannotator

    nlp = spacy.load(smoke_model.promoted)
    docs = read_gold(tiny_corpus[1], nlp)
    main, pre = evaluate(nlp, docs, scheme.names, preannotator=build_preannotator(REPO / "configs" / "preannotator.cfg"))
    paths = write_report(tmp_path, main, pre, docs, {l.name: l.color for l in scheme.labels},
                         training_log=smoke_model.run_dir / "training-log.jsonl", max_error_docs=5)
    numbers = json.loads(paths["json"].read_text())
    assert numbers["model"]["micro"]["f"] == round(main.scores.micro.f1, 4)
    assert numbers["gain_micro_f"] == round(main.scores.micro.f1 - pre.scores.micro.f1, 4)
    assert paths["confusion"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and paths["training-curve"].exists()
    checker = _Checker()
    checker.feed(paths["html"].read_text())
    assert checker.images == 2 and checker.stack == []
    assert "http://" not in paths["html"].read_text() and "https://" not in paths["html"].read_text()


@pytest.mark.parametrize("name", ["ner_trf.cfg", "ner_trf_plain.cfg", "ner_trf_features.cfg"])
def test_the_learning_rate_schedule_lasts_as_long_as_training(name):
    """A warmup_linear schedule that ends before training does leaves the
    last steps at a learning rate of zero: time spent, nothing learned."""
    from spacy.util import load_config

    training = load_config(REPO / "configs" / name, interpolate=False)["training"]
    schedule = training["optimizer"]["learn_rate"]
    assert schedule["@schedules"] == "warmup_linear.v1"
    assert training["max_epochs"] == 0 and schedule["total_steps"] == training["max_steps"] > 0


@pytest.mark.parametrize("name", ["ner_trf.cfg", "ner_trf_plain.cfg", "ner_trf_features.cfg", "ner_cnn.cfg", "ner_smoke.cfg"])
def test_no_training_document_is_dropped_for_its_length(name):
    """With ``discard_oversize = true`` spaCy's padded batcher silently drops
    every document longer than the batch size from training: a long article
    would never be learned from. Oversized documents get a batch of their own."""
    from spacy.util import load_config

    batcher = load_config(REPO / "configs" / name, interpolate=False)["training"]["batcher"]
    assert batcher.get("discard_oversize") is False
