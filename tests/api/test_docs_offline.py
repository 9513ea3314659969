"""The API documentation pages work without internet: every asset they load is ours."""
from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.contrib.staticfiles import finders
from django.test import Client


class AssetCollector(HTMLParser):
    """The URLs a browser would fetch for a page: scripts, stylesheets, icons, images, frames."""

    ATTRIBUTES = {"script": "src", "link": "href", "img": "src", "iframe": "src", "source": "src"}

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.inline_scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        wanted = self.ATTRIBUTES.get(tag)
        values = dict(attrs)
        if wanted and values.get(wanted):
            self.urls.append(values[wanted])
        self._in_script = tag == "script" and not values.get("src")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.inline_scripts.append(data)


def collect_assets(html: str) -> AssetCollector:
    collector = AssetCollector()
    collector.feed(html)
    return collector


def assert_served_locally(urls: list[str]) -> None:
    for url in urls:
        parts = urlsplit(url)
        assert not parts.scheme and not parts.netloc, f"asset from another host: {url}"
        if parts.path.startswith("/static/") and not parts.query:
            # The file exists in our static files (the sidecar app ships it).
            assert finders.find(parts.path.removeprefix("/static/")), f"missing static file: {url}"


@pytest.mark.django_db
def test_swagger_page_references_no_asset_from_another_host():
    response = Client().get("/api/v1/docs/")
    assert response.status_code == 200
    page = collect_assets(response.content.decode())
    scripts = [url for url in page.urls if url.endswith(".js")]
    assert any("swagger-ui-bundle" in url for url in scripts), page.urls
    assert_served_locally(page.urls)
    # No inline script (a strict Content-Security-Policy would block it): the start-up script is
    # served by the view itself, and names no other host either.
    assert page.inline_scripts == []
    [start_up] = [url for url in page.urls if "?script" in url]
    script = Client().get(start_up)
    assert script.status_code == 200 and "javascript" in script["Content-Type"]
    assert "/api/v1/schema/" in script.content.decode() and "https://" not in script.content.decode()


@pytest.mark.django_db
def test_redoc_page_is_served_from_local_assets_and_points_at_the_schema():
    response = Client().get("/api/v1/redoc/")
    assert response.status_code == 200
    html = response.content.decode()
    page = collect_assets(html)
    assert any("redoc" in url and url.endswith(".js") for url in page.urls), page.urls
    assert_served_locally(page.urls)
    assert "<style" not in html
    # An inline start-up script, if any (it then carries the CSP nonce), is valid JavaScript
    # (options given as a JSON object, not Python's None) and names no other host.
    for script in page.inline_scripts:
        assert "None" not in script and "://" not in script
    assert "/api/v1/schema/" in html


@pytest.mark.django_db
def test_swagger_page_links_redoc():
    schema = Client().get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    assert "/api/v1/redoc/" in schema["info"]["description"]
