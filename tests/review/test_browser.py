"""The workspace in a real browser (Debian's chromium through Playwright) against a live server.

Set ``REVIEW_SCREENSHOT=docs/review.png`` to refresh the screenshot in the docs.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from toolkit.config import ProjectConfig
from toolkit.review import ReviewWorkspace

from .conftest import CHANGED, PLURAL, SMS, STOP, SUBJECT, eid
from .server import live_server

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("dialog", lambda dialog: errors.append(f"dialog: {dialog.message}"))
    yield page
    context.close()
    assert errors == []


def test_edit_and_approve_a_danish_entry_with_the_keyboard(
    page: Page, review_config: ProjectConfig
) -> None:
    with live_server(review_config, reviewer="Ana") as url:
        page.goto(url + "/da")
        expect(page.locator("#entries tr")).to_have_count(4)
        expect(page.locator('[data-state="review"] .count')).to_have_text("4")
        page.keyboard.press("j")  # the second entry: the changed source
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(rf"/da/{eid(CHANGED)}\?state=review$"))
        expect(page.locator("html")).to_have_attribute("lang", "da")
        expect(page.locator("#previous ins")).to_have_text("next ")
        box = page.locator("#msgstr-0")
        expect(box).to_be_focused()
        page.keyboard.press("Control+a")
        page.keyboard.type("Kom tilbage, og få %(discount)s rabat på din næste ordre.")
        expect(page.locator(".part-html, iframe.html")).to_have_count(1)
        page.keyboard.press("Control+Enter")
        expect(page).to_have_url(re.compile(rf"/da/{eid(SMS)}\?state=review$"))
        expect(page.locator("#msgstr-0")).to_be_focused()
        page.keyboard.press("Alt+k")  # previous in the queue: the approved entry left it
        expect(page).to_have_url(re.compile(rf"/da/{eid(PLURAL)}\?state=review$"))
        expect(page.locator("#msgstr-1")).to_be_visible()
        page.keyboard.press("Alt+j")
        expect(page).to_have_url(re.compile(rf"/da/{eid(SMS)}\?state=review$"))
        expect(page.locator("#msgstr-0")).to_be_focused()  # the page script is running
        page.keyboard.press("Alt+q")
        expect(page.locator('[data-state="review"] .count')).to_have_text("3")
    path = review_config.po_path("da")
    entry = polib.pofile(str(path)).find(CHANGED)
    assert entry.msgstr == "Kom tilbage, og få %(discount)s rabat på din næste ordre."
    assert not entry.fuzzy and not entry.previous_msgid
    assert entry.tcomment.startswith("reviewed: Ana, ")
    subprocess.run(["msgfmt", "--check", "-o", os.devnull, str(path)], check=True)


def test_sms_segment_counter_follows_typing(page: Page, review_config: ProjectConfig) -> None:
    with live_server(review_config) as url:
        page.goto(f"{url}/da/{eid(STOP)}")
        counter = page.locator('#budget tr[data-part="sms"] td.value').first
        box = page.locator("#msgstr-0")
        box.fill("Svar STOP for at afmelde.")
        expect(counter).to_have_text(re.compile(r"^GSM-7 · \d+ units · 1 segment$"))
        box.press_sequentially(" Ačiū")  # č is not in GSM-7
        expect(counter).to_have_text(re.compile(r"^UCS-2 · \d+ units · 2 segments$"))
        expect(page.locator(".part-sms")).to_contain_text("Svar STOP for at afmelde. Ačiū")
        screenshot = os.environ.get("REVIEW_SCREENSHOT")
        if screenshot:
            page.goto(f"{url}/da/{eid(PLURAL)}")
            expect(page.locator("#findings li").first).to_contain_text("glossary-required")
            page.wait_for_timeout(300)
            page.screenshot(path=str(Path(screenshot)), full_page=True)


def test_script_in_a_msgstr_is_shown_as_text(page: Page, review_config: ProjectConfig) -> None:
    evil = "<script>alert(1)</script> %(first_name)s"
    workspace = ReviewWorkspace(review_config)
    revision = workspace.state("da").revision
    workspace.save("da", eid(SUBJECT), revision=revision, msgstr=[evil], force=True)
    with live_server(review_config) as url:
        page.goto(url + "/da?state=all")
        cell = page.locator(f'tr[data-id="{eid(SUBJECT)}"] td.msgstr')
        expect(cell).to_have_text(evil)
        page.goto(f"{url}/da/{eid(SUBJECT)}")
        expect(page.locator("#msgstr-0")).to_have_value(evil)
        expect(page.locator(".part-subject")).to_have_text("<script>alert(1)</script> Anna")
        assert page.locator("script:not([src]):not([type])").count() == 0


def test_conflicting_save_shows_409_and_keeps_their_work(
    page: Page, review_config: ProjectConfig
) -> None:
    path = review_config.po_path("da")
    with live_server(review_config) as url:
        page.goto(f"{url}/da/{eid(SUBJECT)}")
        expect(page.locator("#msgstr-0")).to_have_value("Vi savner dig, %(first_name)s")
        # Another reviewer saves first.
        theirs = path.read_bytes().replace(b"Vi savner dig,", b"Vi savner jer,")
        path.write_bytes(theirs)
        page.locator("#msgstr-0").fill("Du er savnet, %(first_name)s")
        page.keyboard.press("Control+s")
        expect(page.locator("#message")).to_contain_text("changed on disk")
        expect(page.locator("#msgstr-0")).to_have_value("Du er savnet, %(first_name)s")
    assert path.read_bytes() == theirs


def test_a_draft_from_the_memory_shows_as_a_translation_memory_suggestion(
    page: Page, tmp_path: Path
) -> None:
    """translate's draft from a vendor's human translation is no machine suggestion."""
    from toolkit.config import load_config

    project = tmp_path / "project"
    (project / "locales/da/LC_MESSAGES").mkdir(parents=True)
    (project / "toolkit.toml").write_text('source_locale = "en"\nlocales = ["da"]\n')
    (project / "locales/da/LC_MESSAGES/messages.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Language: da\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        "# mt: memory: human translation (tmx vendor.tmx)\n#, fuzzy\n"
        'msgid "Pay now"\nmsgstr "Betal nu"\n',
        "utf-8",
    )
    with live_server(load_config(project)) as url:
        page.goto(url + f"/da/{eid('Pay now')}")
        expect(page.locator("#mt p.mt")).to_have_text(
            "Translation memory suggestion: human translation (tmx vendor.tmx)"
        )
        expect(page.locator("#states .badge")).to_have_text(["fuzzy", "tm"])
        if os.environ.get("MT_SCREENSHOT"):
            page.screenshot(path=os.environ["MT_SCREENSHOT"])
        page.goto(url + "/da?state=mt")  # listed with the machine translations, as "tm"
        expect(page.locator("#entries tr .badge")).to_have_text(["fuzzy", "tm"])


def test_leaving_an_entry_with_unsaved_text_asks_first(
    browser: Browser, review_config: ProjectConfig
) -> None:
    """Alt+J after typing went to the next entry and the typed text was gone (QA pass 80)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    asked: list[str] = []
    answer = {"accept": False}

    def on_dialog(dialog) -> None:  # type: ignore[no-untyped-def]
        asked.append(dialog.message)
        dialog.accept() if answer["accept"] else dialog.dismiss()

    page.on("dialog", on_dialog)
    try:
        with live_server(review_config) as url:
            page.goto(f"{url}/da/{eid(CHANGED)}")
            box = page.locator("#msgstr-0")
            expect(box).to_be_focused()
            page.keyboard.press("Alt+j")  # nothing typed: no question
            expect(page).to_have_url(re.compile(rf"/da/{eid(SMS)}"))
            assert asked == []
            box = page.locator("#msgstr-0")
            expect(box).to_be_focused()
            page.keyboard.type(" (typed)")
            page.keyboard.press("Alt+k")  # dismissed: stays, the text kept
            page.wait_for_timeout(200)
            assert len(asked) == 1 and "not saved" in asked[0]
            expect(page).to_have_url(re.compile(rf"/da/{eid(SMS)}"))
            expect(page.locator("#msgstr-0")).to_have_value(re.compile(r" \(typed\)$"))
            answer["accept"] = True
            page.keyboard.press("Alt+q")
            expect(page).to_have_url(re.compile(r"/da\?state=review$"))
            assert len(asked) == 2  # (one question, not a second one on unload)
    finally:
        context.close()


def test_rejecting_an_approved_translation_asks_first(
    browser: Browser, review_config: ProjectConfig
) -> None:
    """Alt+R emptied a reviewed human translation with one keystroke (QA pass 80); a machine
    suggestion is rejected without a question."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    asked: list[str] = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    try:
        with live_server(review_config) as url:
            page.goto(f"{url}/da/{eid(SUBJECT)}?state=all")
            expect(page.locator("#msgstr-0")).to_be_focused()
            page.keyboard.press("Alt+r")
            page.wait_for_timeout(300)
            assert len(asked) == 1 and "approved" in asked[0]
    finally:
        context.close()
    assert polib.pofile(str(review_config.po_path("da"))).find(SUBJECT).msgstr


def test_reject_drops_the_reviewed_record(review_config: ProjectConfig) -> None:
    """The emptied entry kept '# reviewed: QA Tester, ...' and the API said both
    'untranslated' and 'reviewed' (QA pass 80)."""
    workspace = ReviewWorkspace(review_config, reviewer="Ana")
    state = workspace.state("da")
    workspace.save("da", eid(SUBJECT), revision=state.revision, approve=True)
    state = workspace.state("da")
    workspace.save("da", eid(SUBJECT), revision=state.revision, reject=True)
    entry = polib.pofile(str(review_config.po_path("da"))).find(SUBJECT)
    assert entry.msgstr == "" and "reviewed:" not in entry.tcomment


def test_a_bidi_override_in_a_source_is_shown_as_one(
    page: Page, review_config: ProjectConfig
) -> None:
    """'RTL \\u202etxt.exe\\u202c override' read 'RTL exe.txt override' in the queue and the
    entry view: the reviewer could not see what the checks flag (QA pass 80)."""
    po_path = review_config.po_path("da")
    po = polib.pofile(str(po_path))
    po.append(polib.POEntry(msgid="RTL \u202etxt.exe\u202c override", msgstr=""))
    po.save(str(po_path))
    with live_server(review_config) as url:
        page.goto(url + "/da?state=all")
        cell = page.locator("#entries a", has_text="override")
        expect(cell).to_have_text("RTL \u27e8U+202E\u27e9txt.exe\u27e8U+202C\u27e9 override")
        cell.click()
        expect(page.locator("#source")).to_have_text(
            "RTL \u27e8U+202E\u27e9txt.exe\u27e8U+202C\u27e9 override")
