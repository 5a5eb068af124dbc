"""`/moi` and `/reprendre`: a mistyped resume code comes back in its field, said at the field
(`aria-describedby`, `aria-invalid`, focused), and the player's own page stays theirs; too many
tries from one address wait on the same page, the code kept, the seconds counting down."""

from __future__ import annotations

import html
import re

from tests.web.conftest import World
from tests.web.playing import Resident

MISTYPED = "K7QF-2M9Z"


def code_field(page: str) -> str:
    found = re.search(r'<input id="code"[^>]*>', page)
    assert found, "no resume code field"
    return html.unescape(found.group(0))


def test_a_mistyped_code_comes_back_in_its_field(world: World) -> None:
    phone = Resident(world)
    phone.get("/c/ou-sommes-nous/tour")
    phone.post("/c/ou-sommes-nous/tour", {"answer": "Zanzibar"})
    own = phone.get("/moi").text
    code = own.split('class="code" translate="no">')[1].split("<")[0]
    assert 'aria-describedby="code-help"' in code_field(own)
    assert 'aria-invalid="true"' not in own
    refused = phone.post("/reprendre", {"code": MISTYPED})
    assert refused.status_code == 422
    field = code_field(refused.text)
    assert f'value="{MISTYPED}"' in field
    assert 'aria-describedby="code-help code-error" aria-invalid="true" autofocus' in field
    assert (
        '<p class="field-error" id="code-error">Ce code ne correspond à aucun parcours.'
        in html.unescape(refused.text)
    )
    assert f'class="code" translate="no">{code}<' in refused.text  # still this player's page
    assert refused.text.count("aucun parcours") == 1  # said once, at the field


def test_too_many_codes_wait_on_the_page_with_the_code_kept(world: World) -> None:
    phone = Resident(world, lang="en")
    phone.get("/moi")
    statuses = [phone.post("/reprendre", {"code": f"AAAA-AAA{n}"}).status_code for n in range(20)]
    assert statuses == [422] * 20
    slowed = phone.post("/reprendre", {"code": MISTYPED})
    assert slowed.status_code == 429
    seconds = slowed.headers["retry-after"]
    assert f'value="{MISTYPED}"' in code_field(slowed.text)
    page = html.unescape(slowed.text)
    assert f'data-countdown="{seconds}" data-ready="You can try again now."' in page
    assert f"<span data-seconds>{seconds}</span>" in page
    assert "<h1>My progress</h1>" in page
