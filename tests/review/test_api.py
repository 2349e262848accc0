"""The JSON API and pages of ``toolkit review``: every endpoint and status code."""

from __future__ import annotations

import gettext
import subprocess
from pathlib import Path

import polib
import pytest
from starlette.testclient import TestClient

from toolkit.catalogs import parse_catalog, read_catalog
from toolkit.config import ProjectConfig
from toolkit.review import ReviewWorkspace
from toolkit.review.app import create_app
from toolkit.review.checking import msgfmt_entry

from .conftest import CHANGED, CSRF, PLURAL, SMS, STOP, SUBJECT, eid

HEADERS = {"X-CSRF-Token": CSRF}


def revision(client: TestClient, locale: str = "da") -> str:
    return client.get(f"/api/{locale}/entries").json()["revision"]


def save(client: TestClient, key: str, body: dict, locale: str = "da", **kwargs):
    return client.post(f"/api/{locale}/entries/{key}", json=body, headers=HEADERS, **kwargs)


# -- reading -----------------------------------------------------------------------------------


def test_pages_set_html_lang_to_the_locale_shown(client: TestClient) -> None:
    index = client.get("/")
    assert index.status_code == 200
    assert '<html lang="en">' in index.text and 'href="/da"' in index.text
    assert '<html lang="da">' in client.get("/da").text
    assert '<html lang="lt">' in client.get(f"/lt/{eid(PLURAL)}").text


def test_unknown_locale_and_entry_are_404_pages_and_json(client: TestClient) -> None:
    assert client.get("/xx").status_code == 404
    assert "unknown locale &#x27;xx&#x27;" in client.get("/xx").text
    assert client.get("/da/ffffffffffff").status_code == 404
    assert client.get("/da/not-an-id").status_code == 404
    api = client.get("/api/xx/entries")
    assert api.status_code == 404 and "unknown locale" in api.json()["error"]
    assert client.get("/api/da/entries/ffffffffffff").status_code == 404
    assert client.get("/api/nothing/here/at/all").status_code == 404


def test_locales_with_coverage(client: TestClient) -> None:
    rows = {r["locale"]: r for r in client.get("/api/locales").json()["locales"]}
    assert rows["da"]["total"] == 7 and rows["da"]["fuzzy"] == 3
    assert rows["da"]["untranslated"] == 1 and rows["da"]["translated"] == 3
    assert rows["lt"]["untranslated"] == 5


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("review", {PLURAL, CHANGED, SMS, STOP}),
        ("fuzzy", {PLURAL, CHANGED, SMS}),
        ("untranslated", {STOP}),
        ("mt", {PLURAL, SMS}),
        ("findings", {PLURAL}),
    ],
)
def test_queue_filters(client: TestClient, state: str, expected: set[str]) -> None:
    body = client.get(f"/api/da/entries?state={state}").json()
    assert {e["msgid"] for e in body["entries"]} == expected
    assert body["counts"]["all"] == 7 and body["counts"][state] == len(expected)


def test_queue_entry_fields_and_search(client: TestClient) -> None:
    body = client.get("/api/da/entries?state=all&q=bonuspoint").json()
    assert [e["msgid"] for e in body["entries"]] == ["Your points are waiting"]
    entry = next(
        e for e in client.get("/api/da/entries").json()["entries"] if e["msgid"] == PLURAL
    )
    assert entry["id"] == eid(PLURAL)
    assert entry["msgid_plural"] == "You have %(num)s points waiting for you."
    assert entry["msgstr"] == ["Du har %(num)s point, der venter på dig."] * 2
    assert entry["flags"] == ["fuzzy", "python-format"]
    assert entry["mt"]["engine"] == "argos" and entry["mt"]["score"] == -0.42
    assert [f["check"] for f in entry["findings"]] == ["glossary-required"] * 2
    assert entry["glossary"][0]["target"] == "bonuspoint"
    assert entry["revision"] == body["revision"]
    assert client.get("/api/da/entries?state=bogus").status_code == 400


def test_entry_detail_previous_source_and_plural_examples(client: TestClient) -> None:
    detail = client.get(f"/api/da/entries/{eid(CHANGED)}").json()
    assert detail["previous"]["msgid"] == "Come back for %(discount)s off your order."
    assert {"op": "insert", "text": "next "} in detail["previous"]["diff"]
    assert [s["kind"] for s in detail["source_segments"]] == ["", "percent", ""]
    lithuanian = client.get(f"/api/lt/entries/{eid(PLURAL)}").json()
    assert lithuanian["plural_examples"] == [[1, 21, 31], [2, 3, 4], [0, 10, 11]]
    assert lithuanian["nplurals"] == 3 and len(lithuanian["msgstr"]) == 3
    assert lithuanian["templates"] == ["winback/come_back.j2"]


def test_preview_renders_unsaved_text_in_context(client: TestClient) -> None:
    url = f"/api/da/entries/{eid(PLURAL)}/preview"
    text = "Du har %(num)s bonuspoint, der venter på dig."
    body = client.get(url, params={"msgstr": [text, text]}).json()
    html = body["preview"][0]["parts"]["html"]
    assert "Du har 250 bonuspoint, der venter på dig." in html
    assert body["findings"] == []  # the glossary is satisfied now
    bad = client.get(url, params={"msgstr": ["Du har point.", "Du har point."]}).json()
    assert {f["check"] for f in bad["findings"]} >= {"placeholders", "glossary-required"}
    assert client.get(url, params={"msgstr": ["one form only"]}).status_code == 400


def test_preview_sms_budget_switches_to_ucs2(client: TestClient) -> None:
    url = f"/api/da/entries/{eid(STOP)}/preview"
    plain = client.get(url, params={"msgstr": "Svar STOP for at afmelde."}).json()
    sms = next(r for r in plain["budget"] if r["part"] == "sms" and r["scope"].endswith(".j2"))
    assert (sms["encoding"], sms["segments"]) == ("GSM-7", 1)
    accented = client.get(url, params={"msgstr": "Svar STOP for at afmelde ė."}).json()
    sms = next(r for r in accented["budget"] if r["part"] == "sms" and r["scope"].endswith(".j2"))
    assert (sms["encoding"], sms["segments"]) == ("UCS-2", 2)


def test_preview_html_escapes_markup_in_translations(client: TestClient) -> None:
    url = f"/api/da/entries/{eid(PLURAL)}/preview"
    evil = "<script>alert(1)</script> %(num)s bonuspoint"
    html = client.get(url, params={"msgstr": [evil, evil]}).json()["preview"][0]["parts"]["html"]
    assert "<script>" not in html and "&lt;script&gt;" in html


# -- saving ------------------------------------------------------------------------------------


def test_approve_edits_only_the_entry_and_msgfmt_accepts(
    client: TestClient, review_config: ProjectConfig
) -> None:
    path = review_config.po_path("da")
    before = path.read_bytes()
    text = "Kom tilbage, og få %(discount)s rabat på din næste ordre."
    response = save(
        client, eid(CHANGED), {"msgstr": [text], "approve": True, "revision": revision(client)}
    )
    assert response.status_code == 200, response.text
    saved = response.json()
    assert saved["msgstr"] == [text] and "fuzzy" not in saved["flags"]
    assert saved["reviewed"].startswith("Tester, ")
    after = path.read_bytes()
    old_block = (
        b'#, fuzzy, python-format\n#| msgid "Come back for %(discount)s off your order."\n'
        b'msgid "Come back for %(discount)s off your next order."\n'
        b'msgstr "Kom tilbage, og f\xc3\xa5 %(discount)s rabat p\xc3\xa5 din ordre."\n'
    )
    new_block = (
        b'#, python-format\nmsgid "Come back for %(discount)s off your next order."\n'
        b'msgstr "Kom tilbage, og f\xc3\xa5 %(discount)s rabat p\xc3\xa5 din n\xc3\xa6ste ordre."\n'
    )
    assert old_block in before
    # Everything else byte for byte; the reviewer is recorded before the entry's comments.
    expected = before.replace(old_block, new_block).replace(
        b"#. part: html\n#: templates/winback/come_back.j2:10\n",
        b"# reviewed: " + saved["reviewed"].encode() + b"\n#. part: html\n"
        b"#: templates/winback/come_back.j2:10\n",
    )
    assert after == expected
    mo = path.with_suffix(".mo")
    subprocess.run(["msgfmt", "--check", "-o", str(mo), str(path)], check=True)
    with mo.open("rb") as handle:
        assert gettext.GNUTranslations(handle).gettext(CHANGED) == text
    entry = polib.pofile(str(path)).find(CHANGED)
    assert entry is not None and entry.msgstr == text and not entry.fuzzy
    assert read_catalog(path, locale="da").get(CHANGED).string == text
    assert saved["revision"] == revision(client)


def test_save_plural_keeps_fuzzy_and_updates_queue(client: TestClient) -> None:
    forms = ["Du har %(num)s bonuspoint, der venter.", "Du har %(num)s bonuspoint, der venter."]
    response = save(client, eid(PLURAL), {"msgstr": forms, "revision": revision(client)})
    assert response.status_code == 200
    assert response.json()["findings"] == []
    assert "fuzzy" in response.json()["flags"]
    fuzzy = client.get("/api/da/entries?state=findings").json()
    assert fuzzy["entries"] == []
    assert client.get(f"/api/da/entries/{eid(SMS)}").json()["line"] > 0


def test_stale_revision_is_409_and_changes_nothing(
    client: TestClient, review_config: ProjectConfig
) -> None:
    path = review_config.po_path("da")
    old = revision(client)
    # Someone else (another reviewer, 'toolkit update') changes the file.
    path.write_bytes(path.read_bytes().replace(b"Vi savner dig", b"Vi savner jer"))
    before = path.read_bytes()
    response = save(client, eid(SUBJECT), {"msgstr": ["Hej %(first_name)s"], "revision": old})
    assert response.status_code == 409
    assert "changed on disk" in response.json()["error"]
    assert response.json()["entry"]["msgstr"] == ["Vi savner jer, %(first_name)s"]
    assert path.read_bytes() == before


def test_error_findings_are_422_unless_forced(
    client: TestClient, review_config: ProjectConfig
) -> None:
    path = review_config.po_path("da")
    before = path.read_bytes()
    body = {"msgstr": ["Vi savner dig"], "approve": True, "revision": revision(client)}
    refused = save(client, eid(SUBJECT), body)
    assert refused.status_code == 422
    assert "placeholders" in {f["check"] for f in refused.json()["findings"]}
    assert path.read_bytes() == before
    # msgfmt rejects a python-format entry without its %(first_name)s: forced, it is saved
    # as a draft, not approved (see the next test).
    forced = save(client, eid(SUBJECT), body | {"force": True, "approve": False})
    assert forced.status_code == 200
    saved = polib.pofile(str(path)).find(SUBJECT)
    assert saved.msgstr == "Vi savner dig" and saved.fuzzy


def test_a_forced_text_msgfmt_rejects_is_kept_as_a_draft(
    client: TestClient, review_config: ProjectConfig
) -> None:
    """A forced save wrote a finished entry GNU msgfmt rejects (a trailing newline the source
    lacks), failing 'msgfmt --check' for the whole catalog (QA pass 59): it is kept fuzzy,
    which msgfmt accepts and compile leaves out, and cannot be approved."""
    import subprocess

    path = review_config.po_path("da")
    text = ["Vi savner dig, %(first_name)s\n"]
    approve = {"msgstr": text, "approve": True, "force": True, "revision": revision(client)}
    refused = save(client, eid(SUBJECT), approve)
    assert refused.status_code == 422 and "cannot be approved" in refused.json()["error"]
    saved = save(client, eid(SUBJECT), {"msgstr": text, "force": True,
                                        "revision": revision(client)})  # fmt: skip
    assert saved.status_code == 200, saved.json()
    entry = polib.pofile(str(path)).find(SUBJECT)
    assert entry.msgstr == text[0] and entry.fuzzy
    checked = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)],
                             capture_output=True, text=True)  # fmt: skip
    assert checked.returncode == 0, checked.stderr


def test_reject_clears_the_suggestion(client: TestClient, review_config: ProjectConfig) -> None:
    response = save(client, eid(SMS), {"reject": True, "revision": revision(client)})
    assert response.status_code == 200
    entry = polib.pofile(str(review_config.po_path("da"))).find(SMS)
    assert entry.msgstr == "" and not entry.fuzzy
    assert not any(c.startswith("mt:") for c in entry.tcomment.splitlines())
    assert response.json()["states"] == ["untranslated"]


def test_an_edited_machine_draft_loses_its_mt_provenance(
    client: TestClient, review_config: ProjectConfig
) -> None:
    """A reviewer's own text saved without approving kept '# mt: argos ...': the page went
    on calling it a machine suggestion and 'xliff export' sent it as one (QA pass 68). As in
    'xliff import', a changed text is a person's; an unchanged one keeps its provenance."""
    before = polib.pofile(str(review_config.po_path("da"))).find(SMS)
    assert any(c.startswith("mt:") for c in before.tcomment.splitlines())
    kept = save(client, eid(SMS), {"msgstr": [before.msgstr], "revision": revision(client)})
    assert kept.status_code == 200, kept.json()
    entry = polib.pofile(str(review_config.po_path("da"))).find(SMS)
    assert entry.tcomment == before.tcomment and entry.fuzzy
    edited = before.msgstr.replace("Nordlys:", "Nordlys -")
    response = save(client, eid(SMS), {"msgstr": [edited], "revision": revision(client)})
    assert response.status_code == 200, response.json()
    entry = polib.pofile(str(review_config.po_path("da"))).find(SMS)
    assert entry.msgstr == edited and entry.fuzzy
    assert not any(c.startswith("mt:") for c in entry.tcomment.splitlines())
    assert "mt" not in response.json()["states"]


@pytest.mark.parametrize(
    ("content", "status", "reason"),
    [
        (b"{not json", 400, "not valid JSON"),
        (b"[1, 2]", 400, "JSON object"),
        (b'{"msgstr": "x", "revision": "r"}', 400, "list of strings"),
        (b'{"msgstr": ["a"], "revision": "REV"}', 400, "needs 2 plural forms"),
        (b'{"msgstr": ["a", "b"], "revision": "REV", "colour": 1}', 400, "unknown field"),
        (b'{"msgstr": ["a", "b"]}', 400, "'revision'"),
        (b'{"msgstr": ["a", "b"], "revision": "REV", "approve": "yes"}', 400, "true or false"),
        # A lone surrogate was a 500 from the PO writer's UTF-8 encoding (QA 32).
        (b'{"msgstr": ["a", "b\\ud800c"], "revision": "REV"}', 400,
         "form 1 has a lone surrogate (U+D800) at character 2"),
        # Wrapping a 100,000-character word kept the server busy for two minutes, and a
        # 100 MB body for longer than it was watched (QA): both are refused first.
        (b'{"msgstr": ["a", "' + b"x" * 100_000 + b'"], "revision": "REV"}', 400,
         "form 1 has 100,000 characters; a translation of this entry may have 10,000"),
        (b'{"msgstr": ["a", "' + b"x" * 2_000_000 + b'"], "revision": "REV"}', 413,
         "larger than 1,048,576 bytes"),
        # 50,000 nested lists were a RecursionError, a 500 (QA pass 59).
        (b'{"msgstr": ' + b"[" * 50_000 + b"]" * 50_000 + b"}", 400, "nested too deeply"),
    ],
)
def test_bad_save_requests_are_400_and_change_nothing(
    client: TestClient, review_config: ProjectConfig, content: bytes, status: int, reason: str
) -> None:
    path = review_config.po_path("da")
    before = path.read_bytes()
    content = content.replace(b"REV", revision(client).encode())
    response = client.post(
        f"/api/da/entries/{eid(PLURAL)}",
        content=content,
        headers=HEADERS | {"Content-Type": "application/json"},
    )
    assert response.status_code == status
    assert reason in response.json()["error"] and "\n" not in response.json()["error"]
    assert path.read_bytes() == before


def test_unreadable_catalog_gives_a_clear_page(
    client: TestClient, review_config: ProjectConfig
) -> None:
    assert client.get("/api/da/entries").status_code == 200
    review_config.po_path("da").write_bytes(b'msgid "a"\nmsgstr "unterminated\n')
    api = client.get("/api/da/entries")
    assert api.status_code == 500
    assert "messages.po:2: malformed PO" in api.json()["error"]
    page = client.get("/da")
    assert page.status_code == 500 and "malformed PO" in page.text
    assert "Traceback" not in page.text


# -- security ----------------------------------------------------------------------------------


def test_posts_need_csrf_token_json_and_same_origin(client: TestClient) -> None:
    url = f"/api/da/entries/{eid(SUBJECT)}"
    body = {"msgstr": ["Hej %(first_name)s"], "revision": revision(client)}
    missing = client.post(url, json=body)
    assert missing.status_code == 403 and missing.json()["error"].startswith("missing CSRF")
    wrong = client.post(url, json=body, headers={"X-CSRF-Token": "wrong"})
    assert wrong.status_code == 403 and wrong.json()["error"].startswith("wrong CSRF token")
    cross = client.post(url, json=body, headers=HEADERS | {"Origin": "https://evil.example"})
    assert cross.status_code == 403 and "cross-site" in cross.json()["error"]
    form = client.post(url, data={"msgstr": "x"}, headers=HEADERS)
    assert form.status_code == 415
    assert client.put(url, json=body, headers=HEADERS).status_code == 405
    same = client.post(url, json=body, headers=HEADERS | {"Origin": "http://testserver"})
    assert same.status_code == 200


def test_session_gives_scripts_the_csrf_token(client: TestClient) -> None:
    assert client.get("/api/session").json() == {"csrf": CSRF, "reviewer": "Tester"}


def test_token_is_required_on_every_request(workspace: ReviewWorkspace) -> None:
    client = TestClient(create_app(workspace, token="s3cret", csrf=CSRF))
    assert client.get("/").status_code == 401
    assert client.get("/api/da/entries").status_code == 401
    assert client.get("/static/review.js").status_code == 401
    bearer = {"Authorization": "Bearer s3cret"}
    assert client.get("/api/da/entries", headers=bearer).status_code == 200
    first = client.get("/da?token=s3cret", follow_redirects=False)
    assert first.status_code == 303 and first.headers["location"].endswith("/da")
    assert "samesite=strict" in first.headers["set-cookie"].lower()
    assert client.get("/da").status_code == 200  # the cookie carries it now
    body = {"msgstr": ["Hej %(first_name)s"], "revision": revision(client)}
    url = f"/api/da/entries/{eid(SUBJECT)}"
    assert TestClient(client.app).post(url, json=body, headers=bearer).status_code == 200


def test_only_configured_hosts_are_answered(workspace: ReviewWorkspace) -> None:
    client = TestClient(
        create_app(workspace, allowed_hosts=["127.0.0.1", "localhost"]),
        base_url="http://127.0.0.1:8765",
    )
    assert client.get("/").status_code == 200
    refused = client.get("/api/locales", headers={"Host": "evil.example:8765"})
    assert refused.status_code == 400
    # As every other refusal: JSON, with the security headers (it was plain text without
    # them, Starlette's own answer; QA pass 80).
    assert "invalid Host header 'evil.example'" in refused.json()["error"]
    assert refused.headers["x-frame-options"] == "DENY" and refused.headers["cache-control"] == (
        "no-store")
    assert client.get("/", headers={"Host": "localhost:8765"}).status_code == 200


def test_pages_carry_a_strict_content_security_policy(client: TestClient) -> None:
    headers = client.get("/da").headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"


def test_no_path_outside_the_package_static_folder(client: TestClient) -> None:
    assert client.get("/static/review.css").status_code == 200
    for path in ("/static/../app.py", "/static/%2e%2e/app.py", "/static/..%2fapp.py"):
        assert client.get(path).status_code == 404
    assert client.get("/da/..%2f..%2fpyproject.toml").status_code == 404


def test_msgfmt_judges_the_entry_as_it_would_be_saved(workspace: ReviewWorkspace) -> None:
    state = workspace.state("da")
    verdict = msgfmt_entry(state, eid(SUBJECT), ["Vi savner dig"])()
    assert [f.check for f in verdict] == ["msgfmt"]
    assert "first_name" in verdict[0].message and verdict[0].severity == "error"
    assert msgfmt_entry(state, eid(SUBJECT), ["Hej %(first_name)s"])() == []


def test_preview_marks_where_the_entry_sits(client: TestClient) -> None:
    url = f"/api/da/entries/{eid(STOP)}/preview"
    message = client.get(url, params={"msgstr": "Svar STOP for at afmelde."}).json()["preview"][0]
    assert message["marked"]["sms"].endswith("\ue000Svar STOP for at afmelde.\ue001")
    assert "\ue000" not in message["parts"]["sms"] and "subject" not in message["marked"]
    untranslated = client.get(url, params={"msgstr": ""}).json()["preview"][0]
    assert "\ue000Reply STOP to opt out.\ue001" in untranslated["marked"]["sms"]


def test_missing_catalog_is_named_with_the_fix(
    client: TestClient, review_config: ProjectConfig
) -> None:
    review_config.po_path("lt").unlink()
    rows = {r["locale"]: r for r in client.get("/api/locales").json()["locales"]}
    assert "file not found" in rows["lt"]["error"] and rows["da"]["total"] == 7
    api = client.get("/api/lt/entries")
    assert api.status_code == 500 and "toolkit update" in api.json()["error"]
    assert "file not found" in client.get("/").text


def test_a_write_racing_the_save_is_not_replaced(
    workspace: ReviewWorkspace, review_config: ProjectConfig
) -> None:
    from toolkit.review.model import ReviewError
    from toolkit.review.saving import write_entry

    state = workspace.state("da")
    path = review_config.po_path("da")
    theirs = path.read_bytes() + b"\n"
    path.write_bytes(theirs)  # lands between the revision check and the rename
    with pytest.raises(ReviewError) as caught:
        write_entry(state, eid(SUBJECT), ["Hej %(first_name)s"], [], [], drop_previous=True)
    assert caught.value.status == 409
    assert path.read_bytes() == theirs
    assert sorted(p.name for p in path.parent.iterdir()) == ["messages.po"]


def test_a_catalogs_own_plural_rule_is_kept(client: TestClient, review_config) -> None:
    """A Transifex Lithuanian catalog with nplurals=4 (valid for gettext) is edited with its
    own four forms: the fourth is shown and saved, never dropped for CLDR's three."""
    path = review_config.po_path("lt")
    text = path.read_text("utf-8")
    old_rule = text[text.index('"Plural-Forms:'):text.index('"MIME-Version')]
    four = ('"Plural-Forms: nplurals=4; plural=(n % 10 == 1 && n % 100 != 11 ? 0 : '
            'n % 10 >= 2 && (n % 100 < 10 || n % 100 >= 20) ? 1 : n % 1 != 0 ? 2 : 3);\\n"\n')
    text = text.replace(old_rule, four).replace(
        'msgstr[2] "Jūsų laukia %(num)s taškų."',
        'msgstr[2] "Jūsų laukia %(num)s taško."\nmsgstr[3] "Jūsų laukia %(num)s taškų."',
    )
    path.write_text(text, "utf-8")
    entry = client.get(f"/api/lt/entries/{eid(PLURAL)}").json()
    assert entry["nplurals"] == 4 and len(entry["msgstr"]) == 4
    forms = [*entry["msgstr"][:3], "Jūsų laukia %(num)s taškų!"]
    response = save(client, eid(PLURAL), {"msgstr": forms, "revision": revision(client, "lt")},
                    locale="lt")
    assert response.status_code == 200, response.text
    assert 'msgstr[3] "Jūsų laukia %(num)s taškų!"' in path.read_text("utf-8")


def test_entry_detail_says_where_it_stands_in_the_queue_walked(client: TestClient) -> None:
    """The entry view counted in the whole catalog ('entry 4 of 257') while previous/next walk
    the reviewer's queue of 40 (QA pass 11): it says both now."""
    queue = [e["id"] for e in client.get("/api/da/entries?state=fuzzy").json()["entries"]]
    assert len(queue) == 3
    detail = client.get(f"/api/da/entries/{queue[1]}?state=fuzzy").json()
    assert (detail["queue"], detail["queue_position"], detail["queue_total"]) == ("fuzzy", 1, 3)
    assert detail["total"] == 7
    assert detail["previous_id"] == queue[0] and detail["next_id"] == queue[2]


def test_a_catalog_on_disk_that_is_not_configured_can_be_reviewed(review_dir) -> None:
    """'toolkit update --locale nb' makes a catalog status, translate and xliff cover;
    review said 'unknown locale' (QA pass 25)."""
    from toolkit.config import load_config

    config = load_config(review_dir)
    assert "nb" not in config.locales
    target = config.po_path("nb")
    target.parent.mkdir(parents=True)
    target.write_bytes(config.po_path("da").read_bytes().replace(b"Language: da", b"Language: nb"))
    workspace = ReviewWorkspace(config, reviewer="Tester")
    assert workspace.locales == [*config.locales, "nb"]
    assert workspace.require_locale("nb") == "nb"
    client = TestClient(create_app(workspace, csrf=CSRF))
    assert client.get("/nb").status_code == 200
    assert client.get("/api/nb/entries").status_code == 200
    assert client.get("/xx").status_code == 404


def test_review_checks_go_by_the_format_flags_written_in_the_file(tmp_path: Path) -> None:
    """As ``toolkit check``: in an entry written ``python-format``, ``{scheme}`` is text
    (Trac's Finnish), though Babel's reader guesses ``python-brace-format`` for it."""
    from toolkit.config import load_config

    folder = tmp_path / "locales" / "fi" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (tmp_path / "toolkit.toml").write_text('locales = ["fi"]\n', "utf-8")
    (folder / "messages.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Language: fi\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        '#, python-format\nmsgid "Scheme %(scheme)s must start with {scheme}:/"\n'
        'msgstr "Skeema %(scheme)s alkaa {skeema}:/"\n',
        "utf-8",
    )
    workspace = ReviewWorkspace(load_config(tmp_path))
    state = workspace.state("fi")
    assert state.findings == {}
    key = state.order[0]
    assert workspace.check_text(state, key, ["Skeema %(scheme)s: {x}:/"], fuzzy=False) == []
    found = workspace.check_text(state, key, ["Skeema %(skeema)s alkaa {scheme}:/"], fuzzy=False)
    assert [f.check for f in found] == ["placeholders"]


def test_session_names_the_login_when_no_reviewer_is_given(review_config) -> None:
    """Without --reviewer the session said null while saves recorded the login name."""
    from toolkit.review.saving import login_name

    workspace = ReviewWorkspace(review_config, reviewer=None)
    client = TestClient(create_app(workspace, csrf=CSRF))
    assert client.get("/api/session").json()["reviewer"] == login_name()


def test_a_save_of_another_entry_meanwhile_is_no_conflict(
    client: TestClient, review_config: ProjectConfig
) -> None:
    """Reviewer B saved entry Y; reviewer A, editing entry X of the same catalog, got a 409
    and lost the typed text on reload (QA pass 57). The entry's own version decides."""
    old = revision(client)
    x = client.get(f"/api/da/entries/{eid(STOP)}").json()
    y = client.get(f"/api/da/entries/{eid(SUBJECT)}").json()
    saved = save(client, eid(SUBJECT), {"msgstr": ["Vi savner dig, %(first_name)s!"],
                                        "revision": old, "entry_version": y["entry_version"]})
    assert saved.status_code == 200, saved.json()
    mine = {"msgstr": ["Svar STOP for at framelde dig."], "revision": old}
    assert save(client, eid(STOP), mine).status_code == 409  # an old client: as before
    merged = save(client, eid(STOP), mine | {"entry_version": x["entry_version"]})
    assert merged.status_code == 200, merged.json()
    text = review_config.po_path("da").read_text("utf-8")
    assert "Vi savner dig, %(first_name)s!" in text and "Svar STOP for at framelde dig." in text
    # The same entry changed by the other reviewer: still a conflict, nothing written.
    stale = save(client, eid(SUBJECT), {"msgstr": ["Hej"], "revision": old,
                                        "entry_version": y["entry_version"]})
    assert stale.status_code == 409
    assert "Vi savner dig, %(first_name)s!" in review_config.po_path("da").read_text("utf-8")


def test_previews_compile_the_templates_once(client: TestClient, monkeypatch) -> None:
    """Each keystroke's preview compiled every template of the entry again (~0.7 s for a
    greeting of 20 messages, while the server answered nothing else; QA pass 57)."""
    from toolkit.render.environment import SharedTemplateCode

    compiled: list[str] = []
    dump = SharedTemplateCode.dump_bytecode

    def counting(self, bucket):  # type: ignore[no-untyped-def]
        compiled.append(bucket.key)
        return dump(self, bucket)

    monkeypatch.setattr(SharedTemplateCode, "dump_bytecode", counting)
    url = f"/api/da/entries/{eid(SUBJECT)}/preview"
    first = client.get(url, params={"msgstr": "Vi savner dig, %(first_name)s"})
    assert first.status_code == 200 and first.json()["preview"]
    count = len(compiled)
    assert count > 0
    again = client.get(url, params={"msgstr": "Vi savner dig så, %(first_name)s"})
    assert again.status_code == 200 and len(compiled) == count
    assert "Vi savner dig så" in str(again.json()["preview"])


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ({"approve": True, "reject": True}, "'approve' and 'reject' exclude each other"),
        ({"reject": True, "msgstr": ["x"]}, "'reject' empties the entry and takes no 'msgstr'"),
    ],
)
def test_contradictory_save_requests_are_400(
    client: TestClient, review_config: ProjectConfig, body: dict, said: str
) -> None:
    """{"reject": true, "msgstr": ["x"]} was a 200 that ignored the text; approve with reject
    a 422 about an empty form (QA pass 80)."""
    before = review_config.po_path("da").read_bytes()
    response = save(client, eid(SMS), body | {"revision": revision(client)})
    assert response.status_code == 400 and said in response.json()["error"]
    assert review_config.po_path("da").read_bytes() == before


def test_preview_of_a_long_text_is_posted(client: TestClient) -> None:
    """A 100 KB entry's preview never loaded: its text in the query passed the server's URL
    limit (QA pass 80). The page posts a long text; the answer is the same as a GET's."""
    url = f"/api/da/entries/{eid(PLURAL)}/preview"
    text = "Du har %(num)s bonuspoint, der venter på dig."
    got = client.get(url, params={"msgstr": [text, text]}).json()
    posted = client.post(url, json={"msgstr": [text, text]}, headers=HEADERS)
    assert posted.status_code == 200 and posted.json() == got
    assert client.post(url, json={"msgstr": "x"}, headers=HEADERS).status_code == 400
    assert client.post(url, json={"msgstr": [text, text]}).status_code == 403  # no CSRF token


def test_a_read_only_catalog_refuses_a_save_with_409(
    client: TestClient, review_config: ProjectConfig
) -> None:
    """It was a 500, which reads as a fault of the server (QA pass 80)."""
    import os
    import stat

    path = review_config.po_path("da")
    before = path.read_bytes()
    os.chmod(path, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    try:
        response = save(client, eid(SMS), {"reject": True, "revision": revision(client)})
    finally:
        os.chmod(path, stat.S_IRUSR | stat.S_IWUSR | stat.S_IRGRP | stat.S_IROTH)
    assert response.status_code == 409, response.json()
    assert "Nothing was saved" in response.json()["error"]
    assert path.read_bytes() == before


def test_a_save_to_a_linked_catalog_keeps_the_link(review_config: ProjectConfig) -> None:
    """A catalog that is a link to another file of the project (one catalog for two folders)
    was replaced by a file of its own on the first save; the save now goes through the link."""
    path = review_config.po_path("da")
    shared = path.with_name("shared.po")
    path.rename(shared)
    path.symlink_to(shared.name)
    client = TestClient(create_app(ReviewWorkspace(review_config, reviewer="Tester"), csrf=CSRF))
    response = save(client, eid(SUBJECT), {"msgstr": ["Hej igen, %(first_name)s"],
                                           "revision": revision(client)})  # fmt: skip
    assert response.status_code == 200
    assert path.is_symlink()
    assert "Hej igen, %(first_name)s" in shared.read_text("utf-8")


def test_a_catalog_without_references_previews_from_the_template(
    review_config: ProjectConfig,
) -> None:
    """A catalog kept without '#:' lines (pybabel's --no-location, Weblate's; update keeps it
    so) showed no preview: the entry's templates come from the POT's references then."""
    from toolkit.extract import extract_messages

    extract_messages(review_config)
    path = review_config.po_path("lt")
    path.write_text("".join(line for line in path.read_text("utf-8").splitlines(keepends=True)
                            if not line.startswith("#:")), "utf-8")  # fmt: skip
    client = TestClient(create_app(ReviewWorkspace(review_config, reviewer="Tester"), csrf=CSRF))
    lithuanian = client.get(f"/api/lt/entries/{eid(PLURAL)}").json()
    assert lithuanian["locations"] == []
    assert lithuanian["templates"] == ["winback/come_back.j2"]
    url = f"/api/lt/entries/{eid(PLURAL)}/preview"
    forms = ["Jūsų laukia %(num)s taškas.", "Jūsų laukia %(num)s taškai.",
             "Jūsų laukia %(num)s taškų."]  # fmt: skip
    body = client.get(url, params={"msgstr": forms}).json()
    assert body["preview"] and "Jūsų laukia" in body["preview"][0]["parts"]["html"]


@pytest.mark.parametrize("pot", ["dangling", "loop", "outside"])
def test_a_broken_template_link_previews_nothing_rather_than_failing(
    review_config: ProjectConfig, tmp_path, pot: str
) -> None:
    """A catalog without '#:' lines whose POT is a link to nothing, a loop or a file outside
    the project answered the entry and its preview with HTTP 500 (QA pass 83): the entry opens,
    with no templates to preview."""
    path = review_config.po_path("lt")
    path.write_text("".join(line for line in path.read_text("utf-8").splitlines(keepends=True)
                            if not line.startswith("#:")), "utf-8")  # fmt: skip
    template = review_config.pot_path
    template.unlink(missing_ok=True)
    outside = tmp_path / "elsewhere.pot"
    outside.write_text('msgid ""\nmsgstr ""\n', "utf-8")
    template.symlink_to({"dangling": "nowhere.pot", "loop": template.name,
                         "outside": str(outside)}[pot])  # fmt: skip
    client = TestClient(create_app(ReviewWorkspace(review_config, reviewer="Tester"), csrf=CSRF))
    response = client.get(f"/api/lt/entries/{eid(PLURAL)}")
    assert response.status_code == 200 and response.json()["templates"] == []
    forms = ["%(num)s taškas.", "%(num)s taškai.", "%(num)s taškų."]
    preview = client.get(f"/api/lt/entries/{eid(PLURAL)}/preview", params={"msgstr": forms})
    assert preview.status_code == 200 and preview.json()["preview"] == []


def test_a_lone_cr_in_a_comment_does_not_move_a_save_to_another_entry(
    review_config: ProjectConfig,
) -> None:
    """A translator comment with bare CRs (an old Mac editor's line ends; msgfmt accepts it)
    made the workspace count more lines than Babel does: each message was paired with the
    lines of the entry before it, and saving one entry wrote into another (QA pass 84)."""
    path = review_config.po_path("da")
    before = path.read_bytes()
    marker = b'msgid "' + STOP.encode() + b'"\n'
    assert before.count(marker) == 1
    path.write_bytes(before.replace(marker, b"# pasted\r\r\r(from an old editor)\n" + marker))
    client = TestClient(create_app(ReviewWorkspace(review_config, reviewer="T"), csrf=CSRF))
    text = "Svar STOP for at framelde dig."
    response = save(client, eid(STOP), {"msgstr": [text], "approve": True,
                                        "revision": revision(client)})  # fmt: skip
    assert response.status_code == 200, response.text
    catalog = read_catalog(path, locale="da")
    assert catalog.get(STOP).string == text
    old = parse_catalog(before, path=path, locale="da")
    changed = [m.id for m in catalog if m.id and m.string != old.get(m.id).string]
    assert changed == [STOP]
    subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], check=True)

