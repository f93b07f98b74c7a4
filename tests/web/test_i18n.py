"""English pages: the compiled catalogue ships in the package and /en/ switches the language."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import make_post, make_profile

LOCALE = Path(__file__).resolve().parents[2] / "src" / "ratusz" / "locale" / "en" / "LC_MESSAGES"


@pytest.fixture(autouse=True)
def _back_to_polish():
    # A request to /en/… leaves English active in this thread; later tests' reverse() would get /en/ URLs.
    yield
    translation.activate("pl")


@pytest.mark.django_db
def test_english_pages_are_translated(client):
    profile = make_profile(name="Miasto Testowe")
    post = make_post(profile, text="Zaproszenie")
    home = client.get("/en/").content.decode()
    assert '<html lang="en">' in home
    assert "Search units and profiles" in home and "Szukaj jednostek i profili" not in home
    with translation.override("en"):
        profile_url = reverse("web:profile", kwargs={"pk": profile.pk})
        post_url = reverse("web:post", kwargs={"pk": post.pk})
    assert profile_url.startswith("/en/")
    profile_html = client.get(profile_url).content.decode()
    assert "We have no follower count for this profile yet" in profile_html
    assert "Posts in the database: 1." in profile_html
    assert "<td>photo</td>" in profile_html and "zdjęcie" not in profile_html  # the post's format
    with translation.override("pl"):
        polish_url = reverse("web:profile", kwargs={"pk": profile.pk})
    assert "<td>zdjęcie</td>" in client.get(polish_url).content.decode()
    post_html = client.get(post_url).content.decode()
    assert "Reactions and counts" in post_html and "Like" in post_html
    missing = client.get("/en/nie-ma/").content.decode()
    assert "Page not found" in missing


@pytest.mark.django_db
def test_polish_is_the_default_language(client):
    html = client.get("/", headers={"accept-language": "de"}).content.decode()
    assert '<html lang="pl">' in html and "Szukaj jednostek i profili" in html


@pytest.mark.django_db
def test_language_switch_form_changes_the_language(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    assert "Search units and profiles" in response.content.decode()


def test_compiled_catalogue_is_shipped_and_matches_the_po_file():
    mo = LOCALE / "django.mo"
    catalogue = gettext.GNUTranslations(mo.open("rb"))
    assert catalogue.gettext("Przejdź do treści") == "Skip to content"
    po = (LOCALE / "django.po").read_text(encoding="utf-8")
    # Every translated singular entry of the .po is in the .mo (the .mo was compiled after the last edit).
    pairs = re.findall(r'^msgid "(.+)"\nmsgstr "(.+)"$', po, flags=re.M)
    assert len(pairs) > 100
    stale = [m for m, s in pairs if "\\" not in m and catalogue.gettext(m) != s]
    assert not stale, f"django.mo is older than django.po; run ratusz-manage compilemessages: {stale[:5]}"


def test_every_english_entry_is_translated_and_reviewed():
    po = (LOCALE / "django.po").read_text(encoding="utf-8")
    assert "#, fuzzy" not in po.split("\n\n", 1)[1], "fuzzy (unreviewed) entries in the English catalogue"
    # An empty msgstr followed by a blank line (not a continued multi-line string) is an untranslated entry.
    entries = po.split("\n\n")[1:]
    untranslated = [
        e
        for e in entries
        if re.search(r'^msgstr(\[\d\])? ""$', e, flags=re.M)
        and not re.search(r'^msgstr(\[\d\])? ""\n"', e, flags=re.M)
        and "#~" not in e
    ]
    assert not untranslated, f"untranslated entries: {untranslated[:3]}"
