"""A real `balises serve` with its media folder turned read-only, a foreign Host header, and a
50 MB photo announced to a contribution step.

In-process tests cannot show what uvicorn does with a Host header, whether a worker started on
a read-only folder at all, or whether a refused body is read first. Here: the media folder is
made read-only under a running server (a read-only bind mount), the photos it has derived and
the ones it has not are served, an upload gets 503 with its French message, and the server
restarts on the read-only folder; a `Host: evil.example.com` never comes back in a Location; a
request that declares 50 MB is answered 413 while its body has not been sent.
"""

from __future__ import annotations

import html
import http.client
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.faults.servers import Resident, Server, add_staff, staff_member
from tests.folders import read_only
from tests.web.staff.samples import photo

RIDDLE = "/p/ou-sommes-nous/tour/0-480.webp"
BASE_URL = "http://balises.example.fr"
QUARTIER = textwrap.dedent(
    """\
    version: 1
    campaigns:
      - slug: quartier
        title: "Le quartier de la gare"
        order: free
        steps:
          - id: souvenirs
            type: contribution
            title: "Vos photos du quartier"
            prompt: "Envoyez une photo ou un souvenir."
    """
)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'var' / 'balises.db'}"


def _files(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_read_only_media_folder_under_a_running_server(
    make_server: Callable[..., Server], sqlite_url: str, tmp_path: Path
) -> None:
    media = tmp_path / "media"
    server = make_server(sqlite_url, BALISES_MEDIA_DIR=str(media)).start()
    add_staff(server)
    staff = staff_member(server)
    player = Resident(server.url)
    player.open_step("tour")
    seen = player.client.get(RIDDLE)
    assert seen.status_code == 200
    before = _files(media)
    with read_only(media):
        assert player.client.get(RIDDLE).content == seen.content
        fresh = player.client.get("/p/ou-sommes-nous/tour/0-960.jpg")
        assert fresh.status_code == 200 and fresh.headers["content-type"] == "image/jpeg"
        card = player.client.get("/c/ou-sommes-nous/tour/partage.png")
        assert card.status_code == 200 and card.content.startswith(b"\x89PNG")
        form = staff.get("/staff/photos/nouvelle")
        assert form.status_code == 200
        refused = staff.client.post(
            "/staff/photos",
            data={"csrf": staff.token, "title": "Tour", "licence": "cc-by-sa-4.0"},
            files=[("files", ("tour.jpg", photo("JPEG"), "image/jpeg"))],
        )
        assert refused.status_code == 503
        message = "dossier des photos inaccessible : la photo n'a pas été enregistrée"
        assert message in html.unescape(refused.text)
        assert "est en lecture seule" in html.unescape(staff.get("/staff").text)
        server.stop()
        server.start()  # a worker starts on a read-only media folder, and serves its photos
        assert Resident(server.url).client.get(RIDDLE).content == seen.content
    assert _files(media) == before
    assert "Traceback" not in server.log()
    staff.close()
    player.close()


def test_a_foreign_host_header_never_comes_back_in_a_location(
    make_server: Callable[..., Server], sqlite_url: str
) -> None:
    server = make_server(sqlite_url, BALISES_BASE_URL=BASE_URL).start()
    add_staff(server)
    evil = {"Host": "evil.example.com"}
    visitor = Resident(server.url, headers=evil)
    for path in ("/staff/", "/c/ou-sommes-nous/", "/moi/", "/staff/photos"):
        location = visitor.client.get(path).headers["location"]
        assert location.startswith("/") and not location.startswith("//"), (path, location)
        assert "evil" not in location
    staff = staff_member(server, **evil)
    assert staff.get("/staff").status_code == 200
    out = staff.client.post("/staff/logout", data={"csrf": staff.token})
    assert out.headers["location"] == "/staff/login"
    visitor.close()
    staff.close()


def test_a_50_mb_photo_is_refused_before_its_body_is_sent(
    make_server: Callable[..., Server], sqlite_url: str, tmp_path: Path
) -> None:
    folder = tmp_path / "campaigns"
    (folder / "quartier.yaml").write_text(QUARTIER, encoding="utf-8")
    media = tmp_path / "media"
    server = make_server(sqlite_url, BALISES_CAMPAIGNS=str(folder), BALISES_MEDIA_DIR=str(media))
    server.start()
    phone = Resident(server.url)
    assert phone.get("/c/quartier/souvenirs").status_code == 200
    boundary = "balises-boundary"
    start = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{phone.token}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="photo"; filename="a.jpg"\r\n'
            "Content-Type: image/jpeg\r\n\r\n"
        ).encode()
        + b"\xff\xd8\xff\xe0"
        + b"\0" * 4096
    )
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=15)
    connection.putrequest("POST", "/c/quartier/souvenirs")
    connection.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
    connection.putheader("Content-Length", str(50 * 1024 * 1024))
    connection.putheader("Cookie", f"balises={phone.cookie}")
    connection.endheaders(start)  # 4 KB of the announced 50 MB: the rest never comes
    response = connection.getresponse()
    text = html.unescape(response.read().decode())
    assert response.status == 413
    assert "Photo refusée : fichier trop lourd : au plus 20 Mo. Rien n'a été enregistré." in text
    connection.close()
    assert [p for p in media.rglob("*") if p.is_file()] == []
    phone.close()
