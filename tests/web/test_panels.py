"""The panel mechanism: other apps add sections to the profile and post pages."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.html import format_html

from ratusz.web import panels
from tests.factories import make_post, make_profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def temp_panels():
    keys = ["zz-second", "zz-first", "zz-broken", "zz-post"]
    yield keys
    for key in keys:
        panels.unregister_panel(key)


def test_profile_page_renders_registered_panels_in_order(client, temp_panels):
    profile = make_profile(name="Miasto Panelowe")
    panels.register_profile_panel(
        "zz-second", 1002, lambda request, p: format_html("<p>DRUGI {}</p>", p.name)
    )
    panels.register_profile_panel(
        "zz-first", 1001, lambda request, p: format_html("<p>PIERWSZY {}</p>", p.pk)
    )
    html = client.get(reverse("web:profile", kwargs={"pk": profile.pk})).content.decode()
    assert f"PIERWSZY {profile.pk}" in html and "DRUGI Miasto Panelowe" in html
    assert html.index("PIERWSZY") < html.index("DRUGI")


def test_registering_a_key_again_replaces_the_panel(client, temp_panels):
    profile = make_profile()
    panels.register_profile_panel("zz-first", 1001, lambda request, p: "<p>STARY</p>")
    panels.register_profile_panel("zz-first", 1001, lambda request, p: "<p>NOWY</p>")
    html = client.get(reverse("web:profile", kwargs={"pk": profile.pk})).content.decode()
    assert "NOWY" in html and "STARY" not in html


def test_post_page_renders_post_panels_with_the_post(client, temp_panels):
    post = make_post(make_profile(), text="Treść")
    panels.register_post_panel("zz-post", 1000, lambda request, p: f"<p>PANEL POSTU {p.platform_id}</p>")
    html = client.get(reverse("web:post", kwargs={"pk": post.pk})).content.decode()
    assert f"PANEL POSTU {post.platform_id}" in html
    profile_html = client.get(reverse("web:profile", kwargs={"pk": post.profile_id})).content.decode()
    assert "PANEL POSTU" not in profile_html  # post panels stay on post pages


def test_a_failing_panel_is_replaced_by_a_notice_and_the_page_still_works(client, temp_panels, caplog):
    profile = make_profile()

    def broken(request, p):
        raise ZeroDivisionError("boom")

    panels.register_profile_panel("zz-broken", 1000, broken)
    panels.register_profile_panel("zz-second", 1001, lambda request, p: "<p>DZIAŁA</p>")
    response = client.get(reverse("web:profile", kwargs={"pk": profile.pk}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tej sekcji („zz-broken”) nie udało się teraz wyświetlić" in html
    assert "DZIAŁA" in html
    assert any("zz-broken" in r.getMessage() for r in caplog.records)


def test_a_panel_with_nothing_to_show_leaves_no_trace(client, temp_panels):
    profile = make_profile()
    panels.register_profile_panel("zz-first", 1000, lambda request, p: None)
    panels.register_profile_panel("zz-second", 1001, lambda request, p: "")
    html = client.get(reverse("web:profile", kwargs={"pk": profile.pk})).content.decode()
    assert 'data-panel="zz-first"' not in html and 'data-panel="zz-second"' not in html
    assert "None" not in html


def test_register_refuses_a_panel_without_key_or_callable():
    with pytest.raises(ValueError):
        panels.register_profile_panel("", 1, lambda request, p: "")
    with pytest.raises(ValueError):
        panels.register_post_panel("x", 1, "not callable")  # type: ignore[arg-type]
