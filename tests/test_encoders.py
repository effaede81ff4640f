"""Encoder names resolve offline, and an offline encoder can be cut to its
first layers without copying its weights."""
import json
from pathlib import Path

import pytest

from attache.encoders import first_layers, make_encoder_name, resolve_encoder
from attache.errors import AttacheError
from attache.package import freeze_config

from conftest import REPO


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("ATTACHE_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_the_offline_encoder_resolves_to_its_installed_folder():
    folder = resolve_encoder("offline:all-MiniLM-L6-v2")
    assert json.loads((Path(folder) / "config.json").read_text())["num_hidden_layers"] == 6


def test_a_cut_offline_encoder_loads_with_its_first_layers_and_the_same_weights(cache):
    from transformers import AutoModel

    whole = AutoModel.from_pretrained(resolve_encoder("offline:all-MiniLM-L6-v2"))
    cut_folder = make_encoder_name("offline:all-MiniLM-L6-v2", layers=4)
    assert cut_folder.startswith(str(cache))
    cut = AutoModel.from_pretrained(cut_folder)
    assert len(cut.encoder.layer) == 4 and cut.config.num_hidden_layers == 4
    kept = cut.state_dict()
    assert all(bool((kept[key] == value).all()) for key, value in whole.state_dict().items() if key in kept)
    assert not any(".layer.4." in key or ".layer.5." in key for key in kept)
    linked = [p for p in Path(cut_folder).iterdir() if p.name != "config.json"]
    assert linked and all(p.is_symlink() for p in linked)


def test_a_cut_is_made_once_and_all_layers_is_no_cut(cache):
    first = resolve_encoder("offline:all-MiniLM-L6-v2", layers=3)
    assert resolve_encoder("offline:all-MiniLM-L6-v2", layers=3) == first
    assert len(list((cache / "encoders").iterdir())) == 1
    assert resolve_encoder("offline:all-MiniLM-L6-v2", layers=6) == resolve_encoder("offline:all-MiniLM-L6-v2")


def test_a_cut_whose_links_dangle_is_made_again(cache, tmp_path):
    source = tmp_path / "source"
    source.mkdir()
    (source / "config.json").write_text('{"num_hidden_layers": 6}')
    (source / "weights.bin").write_bytes(b"w")
    cut = first_layers(source, 2)
    (source / "weights.bin").unlink()
    (source / "weights.bin").write_bytes(b"v")
    assert (first_layers(source, 2) / "weights.bin").read_bytes() == b"v"
    (cut / "weights.bin").unlink()
    (cut / "weights.bin").symlink_to(tmp_path / "gone.bin")
    again = first_layers(source, 2)
    assert again == cut and (again / "weights.bin").read_bytes() == b"v"
    assert json.loads((again / "config.json").read_text())["num_hidden_layers"] == 2


@pytest.mark.parametrize("layers", [0, 7, -1, 2.5, True])
def test_a_cut_outside_the_encoder_is_an_error_naming_its_depth(cache, layers):
    with pytest.raises(AttacheError) as info:
        resolve_encoder("offline:all-MiniLM-L6-v2", layers=layers)
    assert info.value.code == "E082" and "6 layers" in info.value.message


def test_a_hugging_face_name_in_place_of_the_offline_encoder_is_used_whole(cache):
    """One override swaps the encoder: the cut belongs to the offline one."""
    assert make_encoder_name("roberta-base", layers=4) == "roberta-base"
    assert not cache.exists()


def test_a_folder_without_a_depth_cannot_be_cut(tmp_path):
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(AttacheError, match="num_hidden_layers"):
        first_layers(tmp_path, 2)


def test_the_packaged_config_says_the_cut_the_hugging_face_way(tmp_path):
    """The wheel's config names the Hugging Face model and its depth, so that
    it reads (and would initialise) without the workbench."""
    from spacy.util import load_config

    config = tmp_path / "config.cfg"
    config.write_text((REPO / "configs" / "ner_trf.cfg").read_text())
    assert load_config(config, interpolate=False)["components"]["transformer"]["model"]["name"]["layers"] == 4
    changes = freeze_config(config)
    model = load_config(config, interpolate=False)["components"]["transformer"]["model"]
    assert model["name"] == "sentence-transformers/all-MiniLM-L6-v2"
    assert model["transformer_config"] == {"num_hidden_layers": 4}
    assert "components.transformer.model.transformer_config.num_hidden_layers -> 4" in changes
