"""How values are shown: pseudonyms, reaction names, missing counts."""

from __future__ import annotations

from django.template import Context, Template
from django.utils import translation

from ratusz.collect.models import REACTION_TYPES
from ratusz.collect.privacy import author_key
from ratusz.web.display import REACTION_LABELS, pseudonym


def test_every_reaction_type_has_a_label_in_platform_order():
    assert list(REACTION_LABELS) == REACTION_TYPES


def test_pseudonym_is_stable_short_and_reveals_neither_id_nor_key():
    key = author_key("facebook", "1000123456789")
    name = pseudonym(key)
    assert name == f"Mieszkaniec #{key[:6]}"
    assert pseudonym(author_key("facebook", "1000123456789")) == name
    assert pseudonym(author_key("facebook", "1000123456780")) != name
    assert "1000123456789" not in name and key not in name
    assert pseudonym("") == "Mieszkaniec (autor nieznany)"
    with translation.override("en"):
        assert pseudonym(key) == f"Resident #{key[:6]}"


def test_count_filter_groups_digits_and_never_shows_a_missing_count_as_zero():
    tpl = Template("{% load ratusz_web %}[{{ a|count }}][{{ b|count }}][{{ c|count }}]")
    html = tpl.render(Context({"a": 1234567, "b": 0, "c": None}))
    assert "[1\xa0234\xa0567]" in html and "[0]" in html
    assert "brak danych" in html and html.count("brak danych") == 1
    with translation.override("en"):
        assert "[1,234,567]" in tpl.render(Context({"a": 1234567, "b": 0, "c": None}))


def test_count_fast_path_for_whole_numbers_matches_django_formatting():
    from django.utils.formats import number_format

    from ratusz.web.templatetags.ratusz_web import count

    for language in ("pl", "en"):
        with translation.override(language):
            for value in (0, 7, 999, 1000, -1234567, 10**12, 12.5, True):
                assert count(value) == number_format(value, use_l10n=True, force_grouping=True), value
