"""Every registered function is declared as an entry point and resolves by name."""
import tomllib

import pytest
from spacy.util import registry

from conftest import REPO

_PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())
_ENTRY_POINTS = [
    (group, name, target)
    for group, entries in _PYPROJECT["project"]["entry-points"].items()
    if group.startswith("spacy_")
    for name, target in entries.items()
]


def test_entry_points_are_declared():
    assert _ENTRY_POINTS


@pytest.mark.parametrize("group, name, target", _ENTRY_POINTS)
def test_entry_points_resolve_through_spacy_registry(group, name, target):
    table = getattr(registry, group[len("spacy_"):])
    func = table.get(name)
    module, attr = target.split(":")
    assert func.__module__ == module and func.__name__ == attr


def test_entry_points_names_are_namespaced_and_versioned():
    for _, name, _ in _ENTRY_POINTS:
        assert name.startswith("attache.") and name.rsplit(".", 1)[-1].startswith("v")
