"""A story heard on a real `balises serve`: the example's interlude has a recording. A phone
that has not reached it gets a 404 for its address; once the three riddles before it are
solved, the page gives the address and the transcript, and the phone's player fetches the
file by ranges (206), as uvicorn sends it."""

from __future__ import annotations

import html
import re

from tests.faults.servers import RIDDLES, SLUG, Resident, Server

SOUND = f"/m/{SLUG}/entracte/audio.mp3"


def test_the_interlude_is_heard_once_reached_and_by_ranges(server: Server) -> None:
    recorded = (server.campaigns.parent / "photos" / "entracte-1912.mp3").read_bytes()
    phone = Resident(server.url)
    try:
        assert phone.get(SOUND).status_code == 404
        early = html.unescape(phone.get(f"/c/{SLUG}/entracte").text)
        assert SOUND not in early and "Ma grand-mère me racontait" not in early
        for step, answer in RIDDLES:
            phone.open_step(step)
            assert phone.answer(step, answer).status_code == 200
        page = html.unescape(phone.open_step("entracte").text)
        assert "Ma grand-mère me racontait le marché du samedi" in page
        found = re.search(r'<audio controls preload="none" src="([^"]+)"', page)
        assert found is not None and found.group(1).startswith(SOUND + "?v=")
        assert "autoplay" not in page

        first = phone.client.get(found.group(1), headers={"Range": "bytes=0-"})
        assert first.status_code == 206
        assert first.headers["content-type"] == "audio/mpeg"
        assert first.headers["content-range"] == f"bytes 0-{len(recorded) - 1}/{len(recorded)}"
        assert first.content == recorded
        seek = phone.client.get(found.group(1), headers={"Range": "bytes=4000-4099"})
        assert seek.status_code == 206 and seek.content == recorded[4000:4100]
        assert phone.client.head(found.group(1)).headers["content-length"] == str(len(recorded))
        stranger = Resident(server.url)
        assert stranger.get(found.group(1)).status_code == 404
        stranger.close()
    finally:
        phone.close()
