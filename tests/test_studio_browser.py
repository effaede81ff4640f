"""In a real browser: pushed predictions show up as highlighted, labelled
spans in Label Studio's labeling UI, with the generated labeling config.

Headless Debian Chromium (/usr/bin/chromium, `make browser-install`) driven by
Playwright for Python; Playwright's own browser download is not used.
"""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from attache.studio.connection import StudioSettings, connect
from attache.studio.push import push

from studio_helpers import make_tasks

pytestmark = [pytest.mark.slow, pytest.mark.studio]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [  # Playwright adds --headless itself (headless=True)
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
UI_TIMEOUT_MS = 60_000  # the labeling UI is a large bundle; the CPU may be busy


def _read_when_settled(locator, script: str, count: int, timeout_ms: int) -> list:
    """``locator.evaluate_all(script)`` once it sees ``count`` elements: the
    labeling UI renders the text again while the task loads, so a read right
    after a count matched can land in between and find none."""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        found = locator.evaluate_all(script)
        if len(found) == count or time.monotonic() > deadline:
            return found
        time.sleep(0.25)


def _browser_or_skip():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: `make browser-install` (apt-get install chromium chromium-driver; the README's test command does it)")
    return pytest.importorskip("playwright.sync_api", reason="Playwright is missing: `pip install -e '.[test]'` (no `playwright install` needed)")


def test_studio_labeling_ui_shows_predicted_spans(studio, studio_env, scheme, repo, tmp_path):
    pw = _browser_or_skip()
    expect = pw.expect

    settings = StudioSettings.from_env()
    tasks = make_tasks(2)
    pushed = push(tasks, settings, "attache browser", scheme)
    assert sorted(pushed.created) == ["art0000", "art0001"]
    project_id = pushed.project.id
    on_server = {t.data["task_key"]: t.id for t in connect(settings).tasks.list(project=project_id, fields="task_only")}
    task = tasks[0]
    text = task["data"]["text"]
    predicted = [(r["value"]["start"], r["value"]["end"], r["value"]["labels"][0]) for r in task["predictions"][0]["result"]]
    expected_regions = sorted((label, text[start:end]) for start, end, label in predicted)
    assert ("PERSON", "Murat Nurtleu") in expected_regions and ("GPE", "Vienna") in expected_regions

    password = (studio.spec.state_dir / "admin_password").read_text().strip()
    screenshot = repo / "tests" / "artifacts" / "studio-labeling.png"
    screenshot.parent.mkdir(parents=True, exist_ok=True)

    with pw.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"),  # a fresh --user-data-dir
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1400, "height": 1000},
        )
        try:
            page = context.pages[0] if context.pages else context.new_page()
            page.set_default_timeout(UI_TIMEOUT_MS)
            page.set_default_navigation_timeout(UI_TIMEOUT_MS)

            # log in through the real login form
            page.goto(f"{studio.spec.url}/user/login/")
            page.fill("#email", studio.spec.admin_email)
            page.fill("#password", password)
            page.click("#login-form button[type=submit]")
            page.wait_for_url(lambda url: "/user/login" not in url)

            page.goto(f"{studio.spec.url}/projects/{project_id}/data?task={on_server['art0000']}")
            try:
                # the text with one highlighted span per predicted entity
                highlights = page.locator(".lsf-htx-richtext span.htx-highlight[data-label]")
                expect(highlights).to_have_count(len(predicted), timeout=UI_TIMEOUT_MS)
                expect(page.locator(".lsf-htx-richtext")).to_contain_text("Murat Nurtleu")
                shown = _read_when_settled(
                    highlights,
                    """spans => spans.map(s => ({
                        start: Number(s.dataset.start), end: Number(s.dataset.end),
                        label: s.dataset.label.replace(/^\\d+:/, ''), text: s.textContent,
                        background: getComputedStyle(s).backgroundColor,
                    }))""",
                    len(predicted), UI_TIMEOUT_MS,
                )
                assert sorted((s["start"], s["end"], s["label"]) for s in shown) == sorted(predicted)
                for span in shown:
                    assert span["text"] == text[span["start"]:span["end"]], span
                    assert span["background"] not in ("", "transparent", "rgba(0, 0, 0, 0)"), f"span not highlighted: {span}"

                # the region list: one item per prediction, label and entity text
                items = page.locator(".lsf-outliner-item")
                expect(items).to_have_count(len(predicted), timeout=UI_TIMEOUT_MS)
                regions = sorted(
                    (item.locator(".lsf-labels-list").last.inner_text().strip(), item.locator(".lsf-outliner-item__text").inner_text().strip())
                    for item in items.all()
                )
                assert regions == expected_regions

                # the label buttons of the generated config, in scheme order
                buttons = page.locator(".lsf-labels .lsf-label .lsf-label__text")
                expect(buttons).to_have_count(len(scheme.names))
                assert [b.strip() for b in buttons.all_inner_texts()] == list(scheme.names)

                # and the prediction itself is there, under the pushed model version
                expect(page.get_by_text(tasks[0]["predictions"][0]["model_version"], exact=True).first).to_be_visible()
            finally:
                page.screenshot(path=str(screenshot), full_page=True)
                print(f"\nscreenshot of the labeling UI: {screenshot}")
        finally:
            context.close()
    assert screenshot.stat().st_size > 10_000
