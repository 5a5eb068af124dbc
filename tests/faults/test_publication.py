"""Publishing campaign files on real servers: pieces, cuts, restarts and a first start.

A CM's file reaches the server as scp, FTP or an editor write it: in pieces over seconds, or
cut short by a dropped connection; a cut inside a text block is still valid YAML. Against
`balises serve --workers 2`: no poll ever sees a partial version while the file is written in
pieces; a cut that removes a campaign players have progress in is held (both campaigns and a
checkpoint keep answering) until a CM confirms it on the staff page, which both workers then
serve; a restart with a broken file serves the version kept in the var dir; a first start
whose only file is invalid exits 1 with the problems printed as `balises check` prints them,
and an empty folder starts.
"""

from __future__ import annotations

import html
import http.client
import os
import re
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from campaigns.checkpoints import checkpoint_path
from campaigns.loading import load_text
from tests.campaign_cuts import cut_inside_text_block
from tests.faults.servers import BALISES, CSRF, SECRET, SLUG, Resident, Server, raw_request
from tests.faults.test_workers import one_connection_per_worker

CM_PASSWORD = "le phare de la côte"
# What a CM is promised: a file that stopped changing is online (or held) within this time.
PUBLISHED_WITHIN = 10.0
FRENCH = {"LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "C.UTF-8"}  # the default
OLD_TITLE = "Cette tour vous dit quelque chose ?"
NEW_TITLE = "Cette tour, vous la voyez ?"
STEP_ITEM = re.compile(r'<li class="step-')
# First lines of English stories: cutting the file in the middle of one leaves valid YAML with
# fewer steps (and no voie-verte before the last two).
STORY_LINES = [
    "The **Seven Arches bridge** replaced",
    "The Mail **bandstand** was opened",
    "**Notre-Dame-de-la-Rive** was built",
    "The **Gué mill** appears",
    "The first train pulled into",
    "For thirty years Marcelle Huet",
]


def steps_on(text: str) -> int:
    return len(STEP_ITEM.findall(text))


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"not {what} after {timeout} s")


def cm_client(server: Server) -> httpx.Client:
    subprocess.run(
        [str(BALISES), "user", "add", "camille", "--role", "cm"],
        input=CM_PASSWORD + "\n",
        text=True,
        env=server.environ(),
        cwd=server.var_dir,
        check=True,
        capture_output=True,
    )
    client = httpx.Client(base_url=server.url, timeout=30)
    form = CSRF.search(client.get("/staff/login").text)
    assert form is not None
    fields = {"csrf": form.group(1), "name": "camille", "password": CM_PASSWORD, "next": "/staff"}
    assert client.post("/staff/login", data=fields).status_code == 303
    return client


def pieces(text: str) -> list[str]:
    """The file as an upload writes it: prefixes ending inside text blocks, then all of it."""
    ends = [text.index(line) + len(line) // 2 for line in STORY_LINES]
    prefixes = [text[:end] for end in ends] + [text]
    for prefix in prefixes:  # the test means something only if each piece is a valid file
        assert not load_text(prefix, "piece.yaml").problems
    return prefixes


def test_a_file_written_in_pieces_is_never_served_in_part(
    make_server: Callable[..., Server], campaigns_file: Path, tmp_path: Path
) -> None:
    server = make_server(f"sqlite:///{tmp_path / 'var' / 'balises.db'}", workers=2).start()
    new = campaigns_file.read_text(encoding="utf-8").replace(OLD_TITLE, NEW_TITLE, 1)
    seen: list[tuple[str, int, int]] = []
    stop = threading.Event()

    def poll() -> None:
        with httpx.Client(
            base_url=server.url, timeout=30, limits=httpx.Limits(max_keepalive_connections=0)
        ) as client:
            while not stop.is_set():
                for path in (f"/c/{SLUG}", "/c/voie-verte"):
                    page = client.get(path)
                    seen.append((path, page.status_code, steps_on(page.text)))

    pollers = [threading.Thread(target=poll) for _ in range(2)]
    for poller in pollers:
        poller.start()
    with campaigns_file.open("wb") as upload:
        written = 0
        for piece in pieces(new):
            data = piece.encode("utf-8")
            upload.write(data[written:])
            upload.flush()
            os.fsync(upload.fileno())
            written = len(data)
            time.sleep(0.7)  # 7 pieces over ~5 s, each pause longer than the site takes to look
    workers = one_connection_per_worker(server)

    def new_on_every_worker() -> bool:
        pages = [raw_request(c, "GET", f"/c/{SLUG}/tour")[1] for c in workers.values()]
        return all(NEW_TITLE in page for page in pages)

    wait_for(new_on_every_worker, PUBLISHED_WITHIN, "published on both workers")
    stop.set()
    for poller in pollers:
        poller.join(timeout=30)
    assert len(seen) > 40
    partial = [s for s in seen if s[1:] not in ((200, 10), (200, 4))]
    assert partial == [], partial[:5]


@pytest.mark.parametrize("workers", [2])
def test_a_cut_file_is_held_until_a_cm_confirms_it(
    database_url: str, make_server: Callable[..., Server], campaigns_file: Path, workers: int
) -> None:
    server = make_server(database_url, workers=workers).start()
    scan = checkpoint_path(SECRET, "voie-verte", "borne-2")
    resident = Resident(server.url)
    assert resident.get(checkpoint_path(SECRET, "voie-verte", "borne-1")).status_code == 200
    cm = cm_client(server)
    campaigns_file.write_text(cut_inside_text_block(campaigns_file.read_text(encoding="utf-8")))

    def held() -> bool:
        return "Nouvelle version en attente de confirmation" in cm.get("/staff/campagnes").text

    wait_for(held, PUBLISHED_WITHIN, "held")
    page = html.unescape(cm.get("/staff/campagnes").text)
    assert "la campagne « voie-verte » : 1 joueur y a avancé" in page
    assert "l'étape « entracte » de la campagne « ou-sommes-nous » : 0 joueur y a avancé" in page
    assert "campaigns.yaml : la nouvelle version attend votre confirmation" in page
    connections = one_connection_per_worker(server)
    for connection in connections.values():  # the full version, on every worker
        status, text = raw_request(connection, "GET", f"/c/{SLUG}")
        assert (status, steps_on(text)) == (200, 10)
        status, text = raw_request(connection, "GET", "/c/voie-verte")
        assert (status, steps_on(text)) == (200, 4)
        assert raw_request(connection, "GET", scan)[0] == 200

    token = CSRF.search(page)
    digest = re.search(r'name="version" value="([0-9a-f]{64})"', page)
    assert token is not None and digest is not None
    fields = {"csrf": token.group(1), "version": digest.group(1)}
    confirmed = cm.post("/staff/campagnes/publier", data=fields)
    assert confirmed.status_code == 303

    def cut_on_every_worker() -> bool:
        answers = [raw_request(c, "GET", "/c/voie-verte")[0] for c in connections.values()]
        return answers == [404] * len(connections)

    wait_for(cut_on_every_worker, 3, "published on both workers")
    for connection in connections.values():
        status, text = raw_request(connection, "GET", f"/c/{SLUG}")
        assert (status, steps_on(text)) == (200, 3)
        connection.close()
    assert f"Version en ligne : {digest.group(1)[:12]}" in cm.get("/staff/campagnes").text
    cm.close()
    resident.close()


def test_a_restart_with_a_broken_file_serves_the_kept_version(
    make_server: Callable[..., Server], campaigns_file: Path, tmp_path: Path
) -> None:
    server = make_server(f"sqlite:///{tmp_path / 'var' / 'balises.db'}", workers=2).start()
    text = campaigns_file.read_text(encoding="utf-8")
    campaigns_file.write_text(text.replace(OLD_TITLE, NEW_TITLE, 1), encoding="utf-8")
    wait_for(
        lambda: NEW_TITLE in httpx.get(f"{server.url}/c/{SLUG}/tour").text,
        PUBLISHED_WITHIN,
        "published",
    )
    server.stop()
    campaigns_file.write_bytes(b"\x00\xff campaigns: [ {{{ \t: - !!python/object:os.system\n")
    server.start()
    for connection in one_connection_per_worker(server).values():
        status, page = raw_request(connection, "GET", f"/c/{SLUG}/tour")
        assert status == 200 and NEW_TITLE in page
        status, page = raw_request(connection, "GET", "/c/voie-verte")
        assert (status, steps_on(page)) == (200, 4)
        connection.close()
    check = subprocess.run(
        [str(BALISES), "check", str(campaigns_file)], capture_output=True, text=True, check=False
    )
    problems = check.stdout.splitlines()
    assert problems
    logged = server.log().splitlines()
    assert all(problem in logged for problem in problems)  # printed at start as check prints it
    cm = cm_client(server)
    wait_for(
        lambda: (
            "la version sur le disque a des problèmes"
            in html.unescape(cm.get("/staff/campagnes").text)
        ),
        PUBLISHED_WITHIN,
        "said broken",
    )
    cm.close()
    told = subprocess.run(
        [str(BALISES), "publish"],
        env={**server.environ(), **FRENCH},
        cwd=server.var_dir,
        capture_output=True,
        text=True,
        check=False,
    )
    assert told.returncode == 1, told.stdout + told.stderr
    lines = told.stdout.splitlines()
    assert lines[0].startswith("Version en ligne : ")
    assert lines[1].startswith("campaigns.yaml : la version sur le disque a des problèmes ;")
    assert lines[2].startswith(f"  {campaigns_file}:1:")


def serve_until_exit(server: Server, timeout: float = 40) -> subprocess.CompletedProcess[str]:
    server.var_dir.mkdir(parents=True, exist_ok=True)
    return subprocess.run(
        [str(BALISES), "serve", "--port", str(server.port), "--workers", "2"],
        env=server.environ(),
        cwd=server.var_dir,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_a_first_start_with_only_invalid_files_exits_1_with_the_problems(
    make_server: Callable[..., Server], campaigns_file: Path, tmp_path: Path
) -> None:
    text = campaigns_file.read_text(encoding="utf-8")
    campaigns_file.write_text(text.replace("order: sequential", "order: sequentiel"))
    server = make_server(f"sqlite:///{tmp_path / 'var' / 'balises.db'}", **FRENCH)
    started = serve_until_exit(server)
    assert started.returncode == 1
    check = subprocess.run(
        [str(BALISES), "check", str(campaigns_file)],
        capture_output=True,
        text=True,
        env=server.environ(),
        check=False,
    )
    problems = check.stdout.splitlines()
    assert problems and all(line.startswith(f"{campaigns_file}:") for line in problems)
    printed = started.stderr.splitlines()
    # after the instance line `serve` prints first: check's lines, then why it stops
    assert printed[-len(problems) - 2 : -1] == [*problems, check.stderr.strip()]
    assert printed[-1].startswith("balises serve : aucune campagne valide à publier")
    assert "Traceback" not in started.stderr


def test_an_empty_folder_starts(make_server: Callable[..., Server], tmp_path: Path) -> None:
    empty = tmp_path / "empty-campaigns"
    empty.mkdir()
    url = f"sqlite:///{tmp_path / 'var' / 'balises.db'}"
    server = make_server(url, workers=2, BALISES_CAMPAIGNS=str(empty)).start()
    assert httpx.get(server.url + "/").status_code == 200
    assert httpx.get(server.url + f"/c/{SLUG}").status_code == 404
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    assert raw_request(connection, "GET", "/healthz")[0] == 200
    connection.close()
