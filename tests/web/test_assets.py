"""Every page uses only assets served by ratusz itself (no CDN, no internet at run time)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.factories import make_comment, make_post, make_profile

VENDOR = Path(__file__).resolve().parents[2] / "src" / "ratusz" / "web" / "static" / "vendor"


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "img", "iframe", "source", "audio", "video") and a.get("src"):
            self.refs.append(a["src"])
        if tag == "link" and a.get("href"):
            self.refs.append(a["href"])


def _asset_refs(html: str) -> list[str]:
    parser = _Refs()
    parser.feed(html)
    # CSS url(...) references inside inline styles count too.
    return parser.refs + re.findall(r"url\((['\"]?)(https?:)?//[^)]*\)", html)


@pytest.mark.django_db
def test_every_page_references_only_local_assets(client):
    profile = make_profile(name="Miasto")
    post = make_post(profile, text="x")
    make_comment(post)
    urls = [
        reverse("web:home"),
        reverse("web:search") + "?q=Miasto",
        reverse("web:unit", kwargs={"teryt": profile.unit.teryt}),
        reverse("web:profile", kwargs={"pk": profile.pk}),
        reverse("web:post", kwargs={"pk": post.pk}),
        "/admin/login/",
        "/nie-ma/",
    ]
    for url in urls:
        html = client.get(url).content.decode()
        refs = _asset_refs(html)
        assert refs, url
        for ref in refs:
            assert isinstance(ref, str) and ref.startswith("/") and not ref.startswith("//"), (url, ref)
            if ref.startswith("/static/"):
                assert finders.find(ref.removeprefix("/static/").split("?")[0]), (url, ref)


def test_vendored_scripts_are_present_with_licences_and_versions():
    readme = (VENDOR / "README.md").read_text(encoding="utf-8")
    for name, version in [
        ("htmx.min.js", "2.0.11"),
        ("vega.min.js", "6.4.0"),
        ("vega-lite.min.js", "6.4.3"),
        ("vega-embed.min.js", "7.3.0"),
    ]:
        text = (VENDOR / name).read_text(encoding="utf-8")
        assert len(text) > 10_000, name
        assert "sourceMappingURL" not in text, name  # source maps are not shipped
        assert f"`{name}`" in readme and version in readme, name
    markers = {"vega.min.js": 't.version="6.4.0"', "vega-lite.min.js": 'var n="6.4.3"'}
    for name, marker in markers.items():
        assert marker in (VENDOR / name).read_text(encoding="utf-8"), name
    for lic in ("htmx", "vega", "vega-lite", "vega-embed"):
        assert (VENDOR / "licenses" / f"{lic}-LICENSE.txt").stat().st_size > 100, lic


def test_no_template_loads_anything_from_the_internet():
    src = Path(__file__).resolve().parents[2] / "src" / "ratusz"
    pattern = re.compile(
        r"""<(script|link|img|iframe|source|video|audio)\b[^>]*\b(src|href)\s*=\s*["'](https?:)?//""", re.I
    )
    offenders = [
        str(p.relative_to(src)) for p in src.rglob("*.html") if pattern.search(p.read_text(encoding="utf-8"))
    ]
    assert not offenders, f"templates loading remote assets: {offenders}"


VENDOR_SCRIPTS = ["htmx.min.js", "vega.min.js", "vega-lite.min.js", "vega-embed.min.js"]


@pytest.mark.parametrize("name", VENDOR_SCRIPTS)
def test_each_vendored_script_has_an_up_to_date_gzip_copy(name):
    import gzip

    assert gzip.decompress((VENDOR / f"{name}.gz").read_bytes()) == (VENDOR / name).read_bytes(), (
        f"{name}.gz is stale: run `gzip -9 -n -k -f {name}` in {VENDOR}"
    )


def test_scripts_are_sent_compressed_to_browsers_that_accept_it(client):
    plain = client.get("/static/vendor/vega.min.js")
    packed = client.get("/static/vendor/vega.min.js", headers={"Accept-Encoding": "gzip"})
    assert plain.status_code == packed.status_code == 200
    assert packed["Content-Encoding"] == "gzip"
    assert int(packed["Content-Length"]) < int(plain["Content-Length"]) / 2
