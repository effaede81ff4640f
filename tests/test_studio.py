"""Against a real Label Studio server (started by the session fixture)."""
import json
import os
import socket

import pytest
from typer.testing import CliRunner

from attache.cli import app
from attache.errors import AttacheError
from attache.lsjson import iter_export
from attache.studio.connection import StudioSettings, connect
from attache.studio.labeling import config_labels
from attache.studio.pull import pull
from attache.studio.push import push, server_index

from studio_helpers import ARTICLES, gold_results, make_tasks

pytestmark = [pytest.mark.slow, pytest.mark.studio]
PROJECT = "attache tests"
runner = CliRunner()


def test_studio_push_creates_project_ready_for_annotators(studio_env, scheme, repo):
    result = push(make_tasks(3), StudioSettings.from_env(), PROJECT, scheme, guidelines=repo / "annotation" / "GUIDELINES.md")
    assert sorted(result.created) == ["art0000", "art0001", "art0002"]
    client = connect(StudioSettings.from_env())
    project = client.projects.get(result.project.id)
    assert config_labels(project.label_config) == scheme.names
    assert 'hotkey="i"' in project.label_config and "hint=" in project.label_config
    assert project.model_version == "test-pre-1"  # or Label Studio hides the predictions
    assert "Guideline version" in project.expert_instruction and project.show_instruction


def test_studio_push_twice_creates_nothing_and_reports_changed_text(studio_env, scheme):
    settings = StudioSettings.from_env()
    title = "attache idempotence"
    first = push(make_tasks(5), settings, title, scheme, batch_size=2)
    assert len(first.created) == 5 and first.batches == 3
    again = make_tasks(6)
    again[1]["data"]["text"] += " Edited."
    again[1]["data"]["text_sha256"] = __import__("hashlib").sha256(again[1]["data"]["text"].encode()).hexdigest()
    second = push(again, settings, title, scheme, batch_size=2)
    assert second.created == ["art0005"]
    assert second.changed == ["art0001"]
    assert len(second.skipped) == 4
    index = server_index(connect(settings), settings, first.project.id)
    assert sorted(index) == [f"art{i:04d}" for i in range(6)]
    assert all(len(v) == 1 for v in index.values())


def test_studio_review_tasks_are_tagged_in_the_same_project(studio_env, scheme):
    settings = StudioSettings.from_env()
    title = "attache review"
    push(make_tasks(2), settings, title, scheme)
    review = push(make_tasks(1), settings, title, scheme, review_tag="disagreement")
    assert review.created == ["review:disagreement:art0000"]
    client = connect(settings)
    tasks = list(client.tasks.list(project=review.project.id, fields="task_only"))
    tagged = [t.data for t in tasks if t.data.get("review")]
    assert [t["review"] for t in tagged] == ["disagreement"]


def test_studio_changed_labels_are_refused_with_names(studio_env, scheme):
    settings = StudioSettings.from_env()
    push(make_tasks(1), settings, "attache labels", scheme)
    smaller = scheme.model_copy(update={"labels": scheme.labels[:-1]})
    with pytest.raises(AttacheError) as err:
        push(make_tasks(1), settings, "attache labels", smaller)
    assert err.value.code == "E045" and "MONEY" in str(err.value)


def test_studio_roundtrip_annotate_skip_second_annotator_pull(studio_env, scheme, tmp_path):
    settings = StudioSettings.from_env()
    title = "attache roundtrip"
    pushed = push(make_tasks(4), settings, title, scheme)
    client = connect(settings)
    second = client.users.create(username="annotator2", email="annotator2@example.org", password="a-long-password-2")
    tasks = sorted(client.tasks.list(project=pushed.project.id, fields="task_only"), key=lambda t: t.data["task_key"])
    for i, task in enumerate(tasks[:3]):
        suffix = f" (item {i})"
        client.annotations.create(id=task.id, result=gold_results(ARTICLES[i], suffix), lead_time=30.0)
    # a second annotator disagrees on one span of the first task, and skips the second
    disagreeing = gold_results(ARTICLES[0], " (item 0)")[:-1]
    client.annotations.create(id=tasks[0].id, result=disagreeing, completed_by=second.id)
    client.annotations.create(id=tasks[1].id, result=[], was_cancelled=True, completed_by=second.id)

    snapshot = pull(settings, title, tmp_path / "exports")
    assert (snapshot.tasks, snapshot.annotations, snapshot.cancelled, snapshot.predictions, snapshot.annotators) == (4, 4, 1, 4, 2)
    meta = json.loads(snapshot.meta_path.read_text())
    assert meta["snapshot_id"] == snapshot.snapshot_id and meta["label_config_hash"] == snapshot.label_config_hash
    exported = [task for _, task in iter_export(snapshot.path)]
    for task in exported:
        text = task["data"]["text"]
        for prediction in task["predictions"]:
            assert prediction["model_version"] == "test-pre-1"  # full objects, not ids
            for r in prediction["result"]:
                assert text[r["value"]["start"]:r["value"]["end"]] == r["value"]["text"]
                assert r["origin"] == "rules:test"
        for annotation in task["annotations"]:
            for r in annotation["result"]:
                assert text[r["value"]["start"]:r["value"]["end"]] == r["value"]["text"]
    emoji_task = next(t for t in exported if "🇧🇷" in t["data"]["text"])
    money = next(r for a in emoji_task["annotations"] for r in a["result"] if r["value"]["labels"] == ["MONEY"])
    assert money["value"]["text"] == "$37 billion"
    # the snapshot round-trips into the workbench's corpus
    from attache.corpus import convert

    corpus = convert([snapshot.path], tmp_path / "corpus", scheme.names, dev=0, test=0)
    assert corpus.report["counts"]["tasks_without_submitted_annotation"] == 1
    assert corpus.report["agreement"]["tasks"] == 1 and corpus.report["agreement"]["disagreements"] == 1
    assert corpus.report["spans"]["quarantined"] == 0
    docs = {doc.user_data["task_key"]: doc for doc in corpus.docs["train"]}
    assert [(e.text, e.label_) for e in docs["art0001"].ents] == [("Brazil", "GPE"), ("ASEAN", "INTL_ORG"), ("$37 billion", "MONEY"), ("last year", "DATE"), ("Itamaraty", "GOV_ORG")]
    # a second pull is a new file; the first is never overwritten
    again = pull(settings, title, tmp_path / "exports")
    assert again.path != snapshot.path and snapshot.path.exists()


def test_studio_cli_never_shows_the_key(studio_env, tmp_path):
    tasks = tmp_path / "tasks.json"
    tasks.write_text(json.dumps(make_tasks(2)))
    pushed = runner.invoke(app, ["studio", "push", str(tasks), "--project", "attache cli"])
    pulled = runner.invoke(app, ["studio", "pull", "--project", "attache cli", "--out-dir", str(tmp_path)])
    assert pushed.exit_code == 0 and pulled.exit_code == 0, pushed.output + pulled.output
    assert studio_env not in pushed.output + pulled.output
    for path in tmp_path.iterdir():
        assert studio_env not in path.read_text(errors="ignore")
    assert "--api-key" not in runner.invoke(app, ["studio", "push", "--help"]).output


@pytest.mark.parametrize(
    "env, code",
    [({"LABEL_STUDIO_API_KEY": "not-the-key"}, "E052"), ({"LABEL_STUDIO_URL": "http://127.0.0.1:9"}, "E051"), ({"LABEL_STUDIO_API_KEY": ""}, "E050")],
)
def test_studio_clear_errors_for_wrong_key_server_down_missing_key(studio_env, monkeypatch, env, code):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    result = runner.invoke(app, ["studio", "pull", "--project", PROJECT])
    assert result.exit_code == 1
    assert f"[{code}]" in result.output and "Traceback" not in result.output
    assert "not-the-key" not in result.output


def test_studio_pull_of_missing_project_names_it(studio_env, tmp_path):
    with pytest.raises(AttacheError, match="E056.*no such project"):
        pull(StudioSettings.from_env(), "no such project", tmp_path)


def test_studio_server_listens_on_loopback_only(studio):
    port = studio.spec.port
    listening = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if os.path.exists(table):
            for line in open(table).read().splitlines()[1:]:
                local, state = line.split()[1], line.split()[3]
                if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:
                    listening.append(local.rsplit(":", 1)[0])
    assert listening and all(address == "0100007F" for address in listening), listening
    outside = [a for a in socket.gethostbyname_ex(socket.gethostname())[2] if not a.startswith("127.")]
    for address in outside:
        with pytest.raises(OSError):
            socket.create_connection((address, port), timeout=2)


def test_studio_signup_without_invite_link_is_refused(studio):
    import httpx

    with httpx.Client(base_url=studio.spec.url, follow_redirects=True) as web:
        web.get("/user/signup/")
        token = web.cookies.get("csrftoken", "")
        web.post("/user/signup/", data={"email": "intruder@example.org", "password": "intruder-pass-1", "csrfmiddlewaretoken": token},
                 headers={"Referer": f"{studio.spec.url}/user/signup/"})
    key = (studio.spec.state_dir / "api_key").read_text().strip()
    client = connect(StudioSettings(url=studio.spec.url, api_key=key))
    assert "intruder@example.org" not in [u.email for u in client.users.list()]


def test_studio_server_keeps_the_key_out_of_its_log(studio):
    key = (studio.spec.state_dir / "api_key").read_text().strip()
    assert key not in studio.log_path.read_text(errors="ignore")
    assert oct(studio.spec.state_dir.stat().st_mode)[-3:] == "700"


def test_studio_push_survives_a_server_crash_mid_push(tmp_path_factory, scheme, monkeypatch):
    """Kill the server between batches of a multi-batch push, restart it on
    the same data dir, push again: every article exists exactly once."""
    from conftest import studio_spec
    from attache.studio.connection import StudioUnreachable
    from attache.studio.server import LocalServer

    server = LocalServer(studio_spec(tmp_path_factory.mktemp("crash"))).start()
    try:
        settings = StudioSettings(url=server.spec.url, api_key=(server.spec.state_dir / "api_key").read_text().strip())
        tasks = make_tasks(12)

        def crash_after_second_batch(done, total):
            if done == 4:
                server.stop(kill=True)

        with pytest.raises(StudioUnreachable):
            push(tasks, settings, "attache crash", scheme, batch_size=2, max_reconnects=1, on_batch=crash_after_second_batch)
        server.start()
        result = push(tasks, settings, "attache crash", scheme, batch_size=2)
        assert len(result.skipped) == 4 and len(result.created) == 8
        index = server_index(connect(settings), settings, result.project.id)
        assert sorted(index) == sorted(t["data"]["task_key"] for t in tasks)
        assert all(len(copies) == 1 for copies in index.values())
        assert result.duplicates_on_server == {}
    finally:
        server.stop()


def test_studio_personal_access_token_works_like_a_legacy_token(studio_env, monkeypatch, tmp_path, scheme):
    """A personal access token (a JWT refresh token the SDK exchanges) is
    accepted from LABEL_STUDIO_API_KEY, and never shown."""
    settings = StudioSettings.from_env()
    push(make_tasks(1), settings, "attache pat", scheme)
    token = connect(settings).tokens.create().token
    assert token.count(".") == 2  # a JWT, not the legacy token
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", token)
    result = runner.invoke(app, ["studio", "pull", "--project", "attache pat", "--out-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert token not in result.output and "1 tasks" in result.output
