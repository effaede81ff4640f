"""The packaged model installs and runs in a fresh venv without the workbench."""
import json
import subprocess
import venv

import pytest
import spacy

from attache.package import SHIPPED_CODE, freeze_config, package, shipped_code, workbench_functions

from conftest import REPO

pytestmark = pytest.mark.slow

SENTENCE = "Kazakh Foreign Minister Murat Nurtleu met OSCE officials in Vienna on Monday."
NBSP = SENTENCE.replace(" ", "\u00a0")  # as text from a web page may come: read as if the spaces were plain
EXPECTED = [["Kazakh", "NORP"], ["Foreign Minister", "ROLE"], ["Murat Nurtleu", "PERSON"], ["OSCE", "INTL_ORG"], ["Vienna", "GPE"], ["Monday", "DATE"]]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory, smoke_vote_with_rules, scheme):
    """What the demo ships: two NERs, their vote and the rules."""
    out = tmp_path_factory.mktemp("packages")
    return package(smoke_vote_with_rules, out, scheme, name="diplomatic_ner", version="0.0.1",
                   guidelines=REPO / "annotation" / "GUIDELINES.md")


def test_package_meta_carries_labels_provenance_and_a_model_card(wheel, scheme):
    meta = wheel.meta
    assert meta["name"] == "diplomatic_ner" and meta["version"] == "0.0.1"
    assert set(meta["labels"]["ner"]) == set(scheme.names)
    assert meta["attache"]["label_scheme"]["labels"] == scheme.names
    first_line = (REPO / "annotation" / "GUIDELINES.md").read_text(encoding="utf8").splitlines()[0]
    assert first_line.startswith(f"Guideline version: {meta['attache']['guideline_version']} ")
    assert len(meta["attache"]["training_config_sha256"]) == 16
    assert not any("attache" in r for r in meta["requirements"])
    card = (wheel.package_dir / "README.md").read_text()
    assert "## Limitations" in card and 'spacy.load("en_diplomatic_ner")' in card
    assert "holds 2 NER components" in card and "`ner_2`" in card
    assert "and the line breaks of hard-wrapped lines, as single spaces" in card
    for label in scheme.names:
        assert f"| {label} |" in card


def test_package_frozen_config_names_no_workbench_function(tmp_path):
    config = tmp_path / "config.cfg"
    config.write_text((REPO / "configs" / "ner_trf.cfg").read_text())
    changes = freeze_config(config)
    text = config.read_text()
    assert "attache" not in text
    assert 'name = "sentence-transformers/all-MiniLM-L6-v2"' in text
    assert len(changes) == 3  # the encoder, its depth, the tokenizer callback


def test_package_frozen_features_config_keeps_only_code_the_wheel_carries(tmp_path):
    """The features experiment names a layer and two components of the
    workbench: all are shipped as code; its pattern and word-list
    initialisers are dropped (the pipeline saved what they loaded)."""
    from spacy.util import load_config

    config = tmp_path / "config.cfg"
    config.write_text((REPO / "configs" / "ner_trf_features.cfg").read_text())
    changes = freeze_config(config)
    assert "initialize.components.rule_spans -> removed (saved with the pipeline)" in changes
    assert "initialize.components.base_collect -> removed (saved with the pipeline)" in changes
    assert set(workbench_functions(load_config(config, interpolate=False))) == {"attache.SpanFeatures.v1", "attache_collect_ents", "attache_span_ruler"} <= set(SHIPPED_CODE)
    assert [p.name for p in shipped_code(config)] == ["components.py", "ruler.py", "span_features.py"]


def test_package_wheel_runs_offline_in_a_fresh_venv(tmp_path, wheel, smoke_vote_with_rules):
    """A venv with only spacy, spacy-transformers and torch (CPU): install the
    wheel (two NERs, their vote and the rules merged after, the vote and
    merge steps shipped as code), load it by name, tag a sentence, offline."""
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    pip = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    subprocess.run(pip + ["torch==2.13.0"], check=True)
    subprocess.run(pip + [f"spacy=={spacy.__version__}", "spacy-transformers>=1.4,<1.5", "transformers>=4.41,<4.53.3", "huggingface-hub<1.0"], check=True)
    subprocess.run(pip + ["--no-deps", str(wheel.wheel)], check=True)
    script = (
        "import json, spacy, sys\n"
        "assert not any(m.startswith('attache') for m in sys.modules)\n"
        f"nlp = spacy.load('en_diplomatic_ner')\n"
        "import importlib.util; assert importlib.util.find_spec('attache') is None\n"
        f"print(json.dumps([[e.text, e.label_] for e in nlp({SENTENCE!r}).ents]))\n"
        f"print(json.dumps([[e.text, e.label_] for e in nlp({NBSP!r}).ents]))\n"
    )
    env = {"PATH": f"{env_dir / 'bin'}:/usr/bin:/bin", "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "HOME": str(tmp_path)}
    out = subprocess.run([str(python), "-c", script], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    found, nbsp = (json.loads(line) for line in out.stdout.strip().splitlines()[-2:])
    assert found == EXPECTED
    assert nbsp == [[text.replace(" ", "\u00a0"), label] for text, label in EXPECTED]
    in_process = [[e.text, e.label_] for e in spacy.load(smoke_vote_with_rules)(SENTENCE).ents]
    assert found == in_process
