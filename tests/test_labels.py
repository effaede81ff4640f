import re

import pytest

from attache.errors import AttacheError
from attache.labels import load_scheme

SHARED_SCHEME = "label-scheme.md"


def test_labels_scheme_loads_twelve_labels(scheme):
    assert len(scheme.names) == 12
    assert "INTL_ORG" in scheme and "FOO" not in scheme


def test_labels_agree_with_shared_scheme(scheme, repo):
    shared = repo.parent / "shared" / SHARED_SCHEME
    if not shared.exists():
        pytest.skip(f"{shared} is not beside this checkout")
    table = re.findall(r"^\| ([A-Z_]+) \|", shared.read_text(encoding="utf8"), flags=re.M)
    assert table == scheme.names


@pytest.mark.parametrize(
    "mutation, message",
    [
        (lambda d: d["labels"][0].update(shortcut="x"), "[labels -> 0 -> shortcut] Extra inputs are not permitted"),
        (lambda d: d["labels"][1].update(hotkey=d["labels"][0]["hotkey"]), "two labels share the hotkey"),
        (lambda d: d["labels"][0].update(color="red"), "[labels -> 0 -> color]"),
        (lambda d: d.pop("version"), "[version] Field required"),
    ],
)
def test_labels_invalid_scheme_is_a_coded_error_with_location(tmp_path, repo, mutation, message):
    import yaml

    data = yaml.safe_load((repo / "configs" / "labels.yml").read_text())
    mutation(data)
    path = tmp_path / "labels.yml"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(AttacheError) as err:
        load_scheme(path)
    assert err.value.code == "E003"
    assert message in str(err.value)
    assert str(path) in str(err.value)


def test_labels_missing_file_says_what_to_do(tmp_path):
    with pytest.raises(AttacheError, match="E001"):
        load_scheme(tmp_path / "nope.yml")
