"""Arrival by GPS on a real `balises serve`: a resident on the greenway scans bornes 1 to 3,
presses "Je suis arrivé·e" at borne 4 from too far, then from the marker, and the story opens.
Afterwards no byte of the database files (WAL included) nor of the server's log holds a posted
coordinate."""

from __future__ import annotations

import html
import sqlite3

from campaigns.checkpoints import checkpoint_path
from tests.faults.servers import SECRET, Resident, Server

BORNE_4 = "/c/voie-verte/borne-4"
FAR = {"lat": "47.4063817", "lon": "0.7104000", "accuracy": "12"}  # ~320 m north
NEAR = {"lat": "47.4036718", "lon": "0.7103391", "accuracy": "9"}  # ~20 m


def test_a_resident_arrives_by_gps_and_no_position_is_kept(server: Server) -> None:
    phone = Resident(server.url)
    try:
        for step in ("borne-1", "borne-2", "borne-3"):
            scanned = phone.get(checkpoint_path(SECRET, "voie-verte", step))
            assert scanned.status_code == 200 and "Balise trouvée" in scanned.text
        page = html.unescape(phone.get(BORNE_4).text)
        assert "Je suis arrivé·e" in page
        assert phone.client.get("/static/arrive.js").status_code == 200

        far = phone.post(f"{BORNE_4}/ici", FAR, htmx=False)
        assert far.status_code == 200
        assert "Vous êtes à environ 320 m de la balise" in html.unescape(far.text)
        bad = phone.post(f"{BORNE_4}/ici", {"lat": "NaN", "lon": "x"}, htmx=False)
        assert bad.status_code == 422

        near = phone.post(f"{BORNE_4}/ici", NEAR, htmx=False)
        assert near.status_code == 303
        opened = html.unescape(phone.get(BORNE_4).text)
        assert "Vous y êtes : balise trouvée !" in opened
        assert "Le dernier train passa ici en 1969" in opened
        policy = near.headers["permissions-policy"]
        assert "geolocation=(self)" in policy
    finally:
        phone.close()
    server.stop()

    needles = [value for posted in (FAR, NEAR) for value in (posted["lat"], posted["lon"])]
    needles += [value[:8] for value in needles]
    files = [p for p in server.var_dir.iterdir() if p.name.startswith("balises.db")]
    raw = b"".join(p.read_bytes() for p in files)
    log = server.log()
    database = sqlite3.connect(server.var_dir / "balises.db")
    try:
        listed = database.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        tables = [row[0] for row in listed]
        rows = "\n".join(
            repr(row)
            for table in tables
            if table and not table.startswith("sqlite_")
            for row in database.execute(f'SELECT * FROM "{table}"')
        )
    finally:
        database.close()
    assert "Application startup complete" in log
    for needle in needles:
        assert needle.encode() not in raw, needle
        assert needle not in rows, needle
        assert needle not in log, needle
