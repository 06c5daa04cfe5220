"""The English catalogue: the UI is Chinese by default and English after the footer's language switch.

The catalogue is locale/en/LC_MESSAGES/django.po, regenerated with

    manage.py makemessages -l en --ignore=.venv --ignore=static --ignore=data --ignore=bench
        --ignore="*/tests/*" --ignore=browser_tests --no-obsolete

and compiled with `manage.py compilemessages --ignore=.venv`; the compiled .mo is committed.
"""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from core.testing import login_as

pytestmark = pytest.mark.django_db

LC_MESSAGES = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PO = LC_MESSAGES / "django.po"
MO = LC_MESSAGES / "django.mo"

# What the English navigation says for 组织架构 and 人员.
ORGANIZATION = "Organization"
PEOPLE = "People"

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")


def read_po(path=PO):
    """The entries of a .po file as dicts: msgid, msgid_plural, msgstr (a list of forms), flags.

    A small reader for what makemessages writes; polib is not a dependency.
    """
    entries = []
    entry, field = None, None

    def finish():
        if entry is not None and "msgid" in entry:
            entries.append(entry)

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            finish()
            entry, field = None, None
            continue
        if entry is None:
            entry = {"flags": set(), "msgstr": {}}
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            text = ast.literal_eval(line)
            if isinstance(field, int):
                entry["msgstr"][field] += text
            else:
                entry[field] += text
        else:
            keyword, _, rest = line.partition(" ")
            text = ast.literal_eval(rest)
            match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            if match or keyword == "msgstr":
                field = int(match.group(1)) if match else 0
                entry["msgstr"][field] = text
            else:
                field = keyword
                entry[field] = text
    finish()
    for entry in entries:
        entry["msgstr"] = [entry["msgstr"][k] for k in sorted(entry["msgstr"])]
    return [entry for entry in entries if entry["msgid"]]  # drop the header


def switch_to_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_login_page_is_chinese_by_default():
    response = Client().get(reverse("accounts:login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "登录" in html
    assert 'lang="zh-hans"' in html
    assert "Log in" not in html


def test_login_page_in_english_after_switching():
    client = Client()
    switch_to_english(client)
    html = client.get(reverse("accounts:login")).content.decode()
    assert 'lang="en"' in html
    assert "Log in" in html
    assert "登录" not in html


@pytest.mark.parametrize("persona", ["sysadmin", "office"])
def test_home_and_unit_tree_in_english_after_switching(org, persona):
    client = login_as(Client(), org[persona])
    assert "组织架构" in client.get("/").content.decode()  # Chinese until switched

    switch_to_english(client)
    for url in ("/", reverse("organizations:unit_tree")):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert 'lang="en"' in html, url
        assert ORGANIZATION in html, url
        assert PEOPLE in html, url
        assert "组织架构" not in html, url
        assert "招商引资管理系统" not in html, url  # page title and footer


def test_every_entry_is_translated():
    entries = read_po()
    assert len(entries) > 300
    for entry in entries:
        msgid = entry["msgid"]
        assert "fuzzy" not in entry["flags"], msgid
        forms = 2 if "msgid_plural" in entry else 1
        assert len(entry["msgstr"]) == forms, msgid
        for msgstr in entry["msgstr"]:
            assert msgstr.strip(), msgid
            assert sorted(PLACEHOLDER.findall(msgstr)) == sorted(PLACEHOLDER.findall(msgid)), msgid


def test_compiled_catalogue_matches_po():
    """Every entry of the .po, looked up through Django's English catalogue, gives its msgstr."""
    entries = [entry for entry in read_po() if "msgid_plural" not in entry]
    sample = entries[:: max(1, len(entries) // 10)][:10]
    with translation.override("en"):
        for entry in sample:
            assert translation.gettext(entry["msgid"]) != entry["msgid"], entry["msgid"]
        for entry in entries:
            assert translation.gettext(entry["msgid"]) == entry["msgstr"][0], entry["msgid"]


def test_mo_compiled_after_po():
    # A checkout writes django.mo just before django.po (index order), so allow a moment's slack;
    # a real edit to the .po after compiling is caught here and, by content, in the test above.
    assert MO.exists(), "run manage.py compilemessages --ignore=.venv"
    assert MO.stat().st_mtime >= PO.stat().st_mtime - 2, "django.po was edited after compiling: run compilemessages"


def test_the_people_list_title_follows_the_language(org):
    from django.test import Client

    from core.testing import login_as

    client = login_as(Client(), org["office"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/org/people/").content.decode()
    assert '<h1 class="h3 me-auto">People</h1>' in page


def test_a_browser_set_to_english_still_gets_chinese_until_the_person_switches(org):
    from django.test import Client

    from core.testing import login_as

    client = login_as(Client(), org["office"])
    page = client.get("/org/units/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "组织架构" in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/org/units/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert "组织架构" not in page
