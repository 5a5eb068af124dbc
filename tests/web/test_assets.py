"""Static files under fingerprinted URLs, and htmx served by the site with BALISES_HTMX_URL=self."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from balises.settings import HTMX_SRI, SettingsError, load_settings
from tests.web.conftest import World
from web.assets import HTMX_FILE, Assets, htmx_src, sri_of
from web.templating import STATIC

IMMUTABLE = "public, max-age=31536000, immutable"


def test_pages_link_fingerprinted_files_cached_for_a_year(world: World) -> None:
    client = world.client()
    home = client.get("/").text
    css = re.search(r'<link rel="stylesheet" href="(/static/balises\.([0-9a-f]{10})\.css)">', home)
    assert css is not None
    served = client.get(css.group(1))
    assert served.status_code == 200
    assert served.headers["cache-control"] == IMMUTABLE
    assert served.content == (STATIC / "balises.css").read_bytes()
    # a page cached before a release still gets the file, for an hour only
    plain = client.get("/static/balises.css")
    assert plain.status_code == 200 and plain.headers["cache-control"] == "public, max-age=3600"
    # a digest that is not the file's is not served
    assert client.get("/static/balises.0000000000.css").status_code == 404
    assert client.get("/static/../app.py").status_code == 404


def test_the_digest_follows_the_content(tmp_path: Path) -> None:
    (tmp_path / "a.css").write_text("a{}")
    first = Assets(tmp_path).url("a.css")
    (tmp_path / "a.css").write_text("a{color:red}")
    assert Assets(tmp_path).url("a.css") != first


def test_htmx_from_the_site_itself(make_world: Callable[..., World]) -> None:
    world = make_world(htmx_url="self")
    client = world.client()
    home = client.get("/")
    script = re.search(r'<script src="([^"]+)" integrity="([^"]+)"', home.text)
    assert script is not None
    src, integrity = script.groups()
    assert re.fullmatch(r"/static/vendor/htmx\.min\.[0-9a-f]{10}\.js", src)
    assert integrity == HTMX_SRI
    csp = home.headers["content-security-policy"]
    assert "script-src 'self';" in csp and "jsdelivr" not in csp
    served = client.get(src)
    assert served.headers["content-type"] == "text/javascript; charset=utf-8"
    assert sri_of(served.content) == HTMX_SRI


def test_htmx_self_refuses_to_start_without_the_pinned_copy(tmp_path: Path) -> None:
    settings = load_settings({"BALISES_HTMX_URL": "self"})
    with pytest.raises(SettingsError) as missing:
        htmx_src(settings, Assets(tmp_path))
    assert str(missing.value) == (
        "BALISES_HTMX_URL=self : la copie de htmx manque (web/static/vendor/htmx.min.js) ; "
        "lancez scripts/setup.sh, qui la télécharge et vérifie son empreinte"
    )
    (tmp_path / "vendor").mkdir()
    (tmp_path / HTMX_FILE).write_text("alert('not htmx')")
    with pytest.raises(SettingsError) as changed:
        htmx_src(settings, Assets(tmp_path))
    assert "n'est pas le fichier attendu" in str(changed.value)
