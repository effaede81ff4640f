from __future__ import annotations

from pathlib import Path

import pytest

from attache.ingest.settings import load_ingest_settings
from attache.labels import load_scheme

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def scheme():
    return load_scheme(REPO / "configs" / "labels.yml")


@pytest.fixture(scope="session")
def ingest_settings():
    return load_ingest_settings(REPO / "configs" / "ingest.yml")


# --- a real Label Studio server, started once per test session ------------

import socket  # noqa: E402

from attache.studio.server import LocalServer, ServerSpec  # noqa: E402

STUDIO_VENV = REPO / ".venv-studio"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def studio_spec(state_dir: Path) -> ServerSpec:
    if not (STUDIO_VENV / "bin" / "label-studio").exists():
        pytest.skip("Label Studio is not installed: `make studio-install` (the README's test command does it)")
    return ServerSpec(state_dir=state_dir, port=free_port(), venv=STUDIO_VENV)


@pytest.fixture(scope="session")
def studio(tmp_path_factory):
    """A running Label Studio server on a free loopback port, with a temp data dir."""
    spec = studio_spec(tmp_path_factory.mktemp("studio"))
    server = LocalServer(spec).start()
    yield server
    server.stop()


@pytest.fixture
def studio_env(studio, monkeypatch):
    """LABEL_STUDIO_URL / LABEL_STUDIO_API_KEY pointing at the test server."""
    key = (studio.spec.state_dir / "api_key").read_text().strip()
    monkeypatch.setenv("LABEL_STUDIO_URL", studio.spec.url)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", key)
    return key


# --- a tiny corpus and a smoke-trained model, built once per session -------

SENTENCES = [
    "[[Kazakh|NORP]] [[Foreign Minister|ROLE]] [[Murat Nurtleu|PERSON]] met [[OSCE|INTL_ORG]] officials in [[Vienna|GPE]] on [[Monday|DATE]].",
    "[[Brazil|GPE]] and [[ASEAN|INTL_ORG]] trade reached [[$37 billion|MONEY]] [[last year|DATE]], the [[Itamaraty|GOV_ORG]] said.",
    "The [[Helsinki Final Act|AGREEMENT]] was signed in [[1975|DATE]] in [[Finland|GPE]].",
    "[[Reuters|ORG]] reported that the [[UN Security Council|INTL_ORG]] met in [[New York|GPE]] on [[Tuesday|DATE]].",
    "[[President|ROLE]] [[Kassym-Jomart Tokayev|PERSON]] opened the [[Astana International Forum|EVENT]] in [[Astana|GPE]].",
    "The [[Ministry of Foreign Affairs|GOV_ORG]] of [[Kazakhstan|GPE]] hosted talks on [[Central Asia|LOC]].",
    "[[Finnish|NORP]] [[Ambassador|ROLE]] [[Elina Valtonen|PERSON]] visited [[Tashkent|GPE]] in [[June 2024|DATE]].",
    "[[Uzbekistan|GPE]] signed the [[Paris Agreement|AGREEMENT]] and pledged [[$2 billion|MONEY]] to the [[World Bank|INTL_ORG]].",
    "The [[SCO Summit|EVENT]] in [[Astana|GPE]] ended on [[Thursday|DATE]] with a declaration.",
    "[[Xinhua|ORG]] said [[Chinese|NORP]] [[President|ROLE]] [[Xi Jinping|PERSON]] would visit [[Kazakhstan|GPE]].",
]


def make_docbin(sentences, path: Path, repeat: int = 1) -> Path:
    from spacy.tokens import DocBin

    from attache.markup import parse
    from attache.tokenizer import make_nlp

    nlp = make_nlp()
    docs = []
    for _ in range(repeat):
        for marked in sentences:
            text, spans = parse(marked)
            doc = nlp.make_doc(text)
            doc.ents = [doc.char_span(s.start, s.end, label=s.label) for s in spans]
            docs.append(doc)
    DocBin(docs=docs).to_disk(path)
    return path


@pytest.fixture(scope="session")
def tiny_corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tiny")
    return make_docbin(SENTENCES, folder / "train.spacy", repeat=3), make_docbin(SENTENCES, folder / "dev.spacy")


@pytest.fixture(scope="session")
def smoke_model(tmp_path_factory, tiny_corpus):
    """The smoke config trained on the tiny corpus until it knows it."""
    from attache.training import train

    out = tmp_path_factory.mktemp("training")
    result = train(REPO / "configs" / "ner_smoke.cfg", out, train_path=tiny_corpus[0], dev_path=tiny_corpus[1],
                   overrides={"training.max_steps": 400, "training.eval_frequency": 40, "training.optimizer.learn_rate": 0.005}, run_name="smoke")
    return result


@pytest.fixture(scope="session")
def smoke_model_with_rules(tmp_path_factory, smoke_model):
    """The smoke model with the gazetteer rules merged with its NER (what `weasel run add-rules` ships)."""
    from attache.training.rules import add_rules

    out = tmp_path_factory.mktemp("rules") / "model-rules"
    add_rules(smoke_model.promoted, out)
    return out


@pytest.fixture(scope="session")
def second_smoke_model(tmp_path_factory, tiny_corpus):
    """The smoke config trained again with another seed and fewer steps: a
    second NER that mostly agrees with the first."""
    from attache.training import train

    out = tmp_path_factory.mktemp("training-2")
    return train(REPO / "configs" / "ner_smoke.cfg", out, train_path=tiny_corpus[0], dev_path=tiny_corpus[1], run_name="smoke-2",
                 overrides={"training.max_steps": 200, "training.eval_frequency": 40, "training.optimizer.learn_rate": 0.005, "system.seed": 1})


@pytest.fixture(scope="session")
def smoke_vote_with_rules(tmp_path_factory, smoke_model, second_smoke_model):
    """Both smoke models in one pipeline, their vote, the rules merged after
    (what `weasel run vote add-rules` ships)."""
    from attache.training.ensemble import assemble_vote
    from attache.training.rules import add_rules

    out = tmp_path_factory.mktemp("vote")
    assemble_vote([smoke_model.promoted, second_smoke_model.promoted], out / "model-vote")
    add_rules(out / "model-vote", out / "model-rules")
    return out / "model-rules"


# --- ner_trf_features.cfg's pieces on the smoke model, trained for real ----

def features_smoke_config(path):
    """ner_smoke.cfg with the feature components and layer of
    ner_trf_features.cfg (their sections copied as they are)."""
    from spacy.util import load_config

    smoke, features = load_config(REPO / "configs" / "ner_smoke.cfg"), load_config(REPO / "configs" / "ner_trf_features.cfg", interpolate=False)
    extra = [name for name in features["nlp"]["pipeline"] if name not in ("transformer", "ner")]
    smoke["paths"]["base_model"] = features["paths"]["base_model"]
    smoke["nlp"]["pipeline"] = extra + smoke["nlp"]["pipeline"]
    for name in extra:
        smoke["components"][name] = features["components"][name]
    smoke["components"]["ner"]["model"]["tok2vec"] = {
        "@layers": "concatenate.v1",
        "*": {"listener": smoke["components"]["ner"]["model"]["tok2vec"], "spans": features["components"]["ner"]["model"]["tok2vec"]["*"]["spans"]}}
    for key in ("frozen_components", "annotating_components"):
        smoke["training"][key] = features["training"][key]
    smoke["training"]["score_weights"] = features["training"]["score_weights"]
    smoke["initialize"]["components"] = features["initialize"]["components"]
    smoke.to_disk(path)
    return path


@pytest.fixture(scope="session")
def features_model(tmp_path_factory, tiny_corpus):
    """ner_smoke.cfg with the rules' and the base model's span groups as NER features."""
    from attache.training import train

    out = tmp_path_factory.mktemp("features")
    config = features_smoke_config(out / "config.cfg")
    return train(config, out, train_path=tiny_corpus[0], dev_path=tiny_corpus[1], run_name="features",
                 overrides={"training.max_steps": 200, "training.eval_frequency": 40, "training.optimizer.learn_rate": 0.005}).promoted
