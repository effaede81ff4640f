"""Large exports are converted by worker processes reading byte ranges; the
result must be the one the serial reading gives, file for file."""
import json

import pytest

from attache.corpus import convert, worker
from attache.errors import AttacheError
from attache.lsjson import END, RangeReader, iter_export

from conftest import REPO
from corpus_helpers import task

SNAPSHOT = next(p for p in sorted((REPO / "annotation" / "exports").glob("*.json")) if not p.name.endswith(".meta.json"))


def read_in_ranges(path, parts):
    """Tasks read range by range, with the joins checked as the converter checks them."""
    size = path.stat().st_size
    bounds = [size * k // parts for k in range(parts + 1)]
    tasks, expected = [], None
    for k in range(parts):
        reader = RangeReader(path, bounds[k], bounds[k + 1])
        tasks += list(reader)
        expected = worker.join(k, {"first": reader.first, "next": reader.next}, expected, bounds, path)
    worker.join(parts, None, expected, bounds, path)
    return tasks


def tricky_export(tmp_path, indent):
    """Texts full of '{', ', {', JSON-looking quotes, emoji and accents."""
    tasks = []
    for i in range(120):
        text = ('{"id": 5, "data": {"text": "x"}}, {"a": [1]} ' if i % 3 == 0 else "") + "Ärger 🇰🇿 , {" * (i % 5) + f" task {i}"
        tasks.append({"id": i, "data": {"text": text}, "annotations": [{"id": i, "result": []}], "predictions": [{"result": []}]})
    path = tmp_path / f"tricky-{indent}.json"
    path.write_text(json.dumps(tasks, ensure_ascii=indent is not None, indent=indent), encoding="utf8")
    return path


@pytest.mark.parametrize("indent", [None, 2])
@pytest.mark.parametrize("parts", [2, 3, 7, 40])
@pytest.mark.parametrize("chunk", [61, 1 << 20])
def test_byte_ranges_read_every_task_once_in_order(tmp_path, monkeypatch, indent, parts, chunk):
    import attache.lsjson as lsjson

    monkeypatch.setattr(lsjson, "_CHUNK", chunk)  # tiny buffers: tasks cut at every possible place
    path = tricky_export(tmp_path, indent)
    assert read_in_ranges(path, parts) == [t for _, t in iter_export(path)]


def test_ranges_that_do_not_join_are_refused(tmp_path):
    path = tricky_export(tmp_path, None)
    size = path.stat().st_size
    bounds = [0, size // 2, size]
    first = RangeReader(path, 0, size // 2)
    list(first)
    with pytest.raises(worker.NotJoined):  # the second range claims to start one task late
        worker.join(1, {"first": first.next + 1, "next": END}, first.next, bounds, path)
    with pytest.raises(worker.NotJoined):  # the array never closed
        worker.join(2, None, first.next, bounds, path)


def test_an_empty_export_reads_as_no_tasks(tmp_path):
    path = tmp_path / "empty.json"
    path.write_text("[ ]")
    reader = RangeReader(path, 0, path.stat().st_size)
    assert list(reader) == [] and reader.next == END


def outputs(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file() and "hf" not in p.parts}


def spy_on_ranges(monkeypatch):
    """Record whether the workers' reading was used to the end (True) or
    gave way to the serial reading (False)."""
    used = []
    real = worker._convert_in_ranges

    def spy(*args):
        try:
            yield from real(*args)
        except worker.NotJoined:
            used.append(False)
            raise
        used.append(True)

    monkeypatch.setattr(worker, "_convert_in_ranges", spy)
    monkeypatch.setattr(worker, "PARALLEL_BYTES", 0)  # the exports here are small: force the pool
    return used


def test_workers_write_exactly_what_one_process_writes(tmp_path, monkeypatch, scheme):
    used = spy_on_ranges(monkeypatch)
    one = convert([SNAPSHOT], tmp_path / "one", scheme.names, workers=1)
    three = convert([SNAPSHOT], tmp_path / "three", scheme.names, workers=3)
    assert used == [True]
    assert one.report == three.report
    assert outputs(tmp_path / "one") == outputs(tmp_path / "three")
    assert sum(s["documents"] for s in three.report["splits"].values()) == 161


def test_an_error_found_by_a_worker_is_the_serial_error_naming_the_task(tmp_path, monkeypatch, scheme):
    used = spy_on_ranges(monkeypatch)
    tasks = [task(f"[[Astana|GPE]] talks, part {i}.") for i in range(40)]
    tasks[33]["annotations"][0]["result"][0]["value"]["labels"] = ["CITY"]
    path = tmp_path / "export.json"
    path.write_text(json.dumps(tasks))
    with pytest.raises(AttacheError) as serial:
        convert([path], tmp_path / "a", scheme.names, workers=1)
    with pytest.raises(AttacheError) as parallel:
        convert([path], tmp_path / "b", scheme.names, workers=2)
    assert used == [False]  # the worker's failure sent the export to the serial pass
    assert str(parallel.value) == str(serial.value) and f"task {tasks[33]['id']}" in str(parallel.value)
    assert not (tmp_path / "b" / "train.spacy").exists()  # nothing half-written


def test_a_truncated_export_fails_the_same_way_with_workers(tmp_path, monkeypatch, scheme):
    monkeypatch.setattr(worker, "PARALLEL_BYTES", 0)
    text = json.dumps([task(f"[[Astana|GPE]] talks, part {i}.") for i in range(30)])
    path = tmp_path / "export.json"
    path.write_text(text[: len(text) * 2 // 3])
    with pytest.raises(AttacheError) as parallel:
        convert([path], tmp_path / "b", scheme.names, workers=2)
    assert parallel.value.code == "E060" and "truncated" in str(parallel.value)


def test_exports_read_in_one_process_and_by_workers_mix_and_later_copies_are_skipped(tmp_path, monkeypatch, scheme):
    """A small export is read in the main process, a large one by workers,
    the small one again: the documents keep their order across the three,
    and tasks seen in an earlier export are counted and left out."""
    used = spy_on_ranges(monkeypatch)
    small = [task(f"[[Baku|GPE]] hosts [[COP29|EVENT]], note {i}.", key=f"small-{i}") for i in range(12)]
    large = [task(f"[[Astana|GPE]] talks, part {i}, with [[Kazakhstan|GPE]].", key=f"large-{i}", group=f"g{i % 7}") for i in range(80)]
    large[10:10] = [task(f"[[Baku|GPE]] hosts [[COP29|EVENT]], note {i}.", key=f"small-{i}") for i in range(4)]  # copies of small tasks
    paths = [tmp_path / "small.json", tmp_path / "large.json"]
    paths[0].write_text(json.dumps(small))
    paths[1].write_text(json.dumps(large))
    monkeypatch.setattr(worker, "PARALLEL_BYTES", paths[0].stat().st_size + 1)
    exports = [paths[0], paths[1], paths[0]]
    one = convert(exports, tmp_path / "one", scheme.names, workers=1, dev=0.2, test=0.2)
    mixed = convert(exports, tmp_path / "mixed", scheme.names, workers=2, dev=0.2, test=0.2)
    assert used == [True]
    assert one.report == mixed.report and outputs(tmp_path / "one") == outputs(tmp_path / "mixed")
    assert mixed.report["counts"]["tasks_seen_in_an_earlier_export"] == 4 + 12
    keys = [r["task_key"] for split in ("train", "dev", "test") for r in mixed.records(split)]
    assert sorted(keys) == sorted([t["data"]["task_key"] for t in small] + [f"large-{i}" for i in range(80)])
