"""Every registered function is declared as an entry point and resolves by name."""
import tomllib

import pytest

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


_RESOLVE = """
import sys, spacy
from spacy.util import registry
group, name = sys.argv[1], sys.argv[2]
assert not any(m.startswith("attache") for m in sys.modules)
if group == "spacy_factories":
    component = spacy.blank("en").add_pipe(name)
    print(type(component).__module__)
else:
    func = getattr(registry, group[len("spacy_"):]).get(name)
    print(func.__module__ + ":" + func.__name__)
"""


@pytest.mark.parametrize("group, name, target", _ENTRY_POINTS)
def test_entry_points_resolve_in_a_fresh_interpreter(group, name, target):
    """Each name resolves through the package metadata alone, as plain
    `python -m spacy train` would resolve it: no attache import beforehand."""
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", _RESOLVE, group, name], capture_output=True, text=True, cwd="/")
    assert out.returncode == 0, out.stderr
    module = target.split(":")[0]
    assert out.stdout.strip() in (target, module)


def test_entry_points_names_are_namespaced_and_versioned():
    """Registered functions are 'attache.<name>.v<N>'; component factories,
    which spaCy names without versions, are 'attache_<name>'."""
    for group, name, _ in _ENTRY_POINTS:
        if group == "spacy_factories":
            assert name.startswith("attache_")
        else:
            assert name.startswith("attache.") and name.rsplit(".", 1)[-1].startswith("v")
