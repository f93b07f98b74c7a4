"""The ballot in a real Chromium, as a city office would use it on a phone: axe-core clean at every step."""

from __future__ import annotations

import re

import pytest

from ratusz.voting.elections import close_now, publish_results
from ratusz.voting.invitations import ballot_path, issue
from tests.voting.conftest import build_election

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_ballot_flow_on_a_phone_is_accessible(page, assert_accessible):
    election = build_election()
    own_voter = election.voters.order_by("email").first()  # owns "Miasto 1 oficjalnie"
    _, token = issue(own_voter)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(ballot_path(token))
    assert page.get_by_role("heading", name="Złoty Lajk (test)").is_visible()
    assert page.get_by_label(re.compile("Miasto 1 oficjalnie")).is_disabled(), "own unit cannot be picked"
    assert page.get_by_text("Twoja jednostka — nie można na nią głosować.").is_visible()
    assert_accessible(page)

    # two picks only: the rule is enforced with a clear message, the choice is kept
    page.get_by_label(re.compile("Miasto 2 oficjalnie")).check()
    page.get_by_label(re.compile("Miasto 3 oficjalnie")).check()
    page.get_by_role("button", name="Dalej: sprawdź wybór").click()
    alert = page.get_by_role("alert")
    assert "trzeba wybrać dokładnie 3" in alert.inner_text()
    assert page.get_by_label(re.compile("Miasto 2 oficjalnie")).is_checked()
    assert_accessible(page)

    page.get_by_label(re.compile("Miasto 4 oficjalnie")).check()
    page.get_by_role("button", name="Dalej: sprawdź wybór").click()
    assert page.get_by_role("heading", name="Sprawdź i potwierdź swój głos").is_visible()
    assert page.get_by_text("Miasto 4 oficjalnie").is_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Potwierdzam — oddaj głos").click()
    receipt = page.get_by_test_id("receipt").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{4}(-[A-Z0-9]{4}){3}", receipt)
    assert_accessible(page)

    # the receipt check page finds the ballot
    page.get_by_role("link", name="Sprawdź kod potwierdzenia").click()
    page.get_by_label("Kod potwierdzenia").fill(receipt)
    page.get_by_role("button", name="Sprawdź").click()
    assert page.get_by_text("Głos z tym kodem jest policzony").is_visible()
    assert_accessible(page)

    # the link again: already voted, and when
    page.goto(ballot_path(token))
    assert page.get_by_role("heading", name="Z tego linku już oddano głos").is_visible()
    assert_accessible(page)

    page.goto(f"/vote/b/{'x' * 43}/")
    assert page.get_by_role("heading", name="Nieprawidłowy link do głosowania").is_visible()
    assert_accessible(page)

    close_now(election)
    publish_results(election)
    page.goto(f"/vote/{election.slug}/")
    assert_accessible(page)
    page.goto(f"/vote/{election.slug}/results/")
    assert page.get_by_role("heading", name=re.compile("Wyniki")).first.is_visible()
    assert_accessible(page)
