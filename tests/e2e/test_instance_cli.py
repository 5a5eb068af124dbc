"""The `balises` command as a CM runs it: the site served from its folder, the CLI from another.

Each site is a real `balises serve` started from `site/` with no instance setting, so it makes
`site/var/` (its secret key, its SQLite database, its media) itself, as on a fresh clone; on
PostgreSQL the shell also says `BALISES_DATABASE_URL`. Then the INSTALLED `balises` runs as a
subprocess from `elsewhere/`, in a shell without any other Balises setting: not pointed at the
instance it must refuse and create nothing; pointed at it, the posters it prints open on the
running site, `check` finds the photos uploaded there without writing a byte, and `user add`
makes an account that logs in.
"""

from __future__ import annotations

import html
import os
import re
import subprocess
from collections.abc import Iterator
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from campaigns.checkpoints import checkpoint_path
from campaigns.loading import load_file
from campaigns.model import localise
from campaigns.steptypes import StepType
from tests.balises.instances import tree, uploaded_campaign
from tests.databases import postgres_schema
from tests.faults.servers import BALISES, ROOT, Resident, Server, copy_campaigns
from tests.media.qr_reading import read_codes, render_pdf_pages

PASSWORD = "correct horse battery"
TRAIL = "voie-verte"


@dataclass
class Site:
    server: Server
    folder: Path
    shell: dict[str, str]  # the CM's environment: only what the site's database needs

    @property
    def var(self) -> Path:
        return self.folder / "var"

    @property
    def sqlite(self) -> bool:
        return "BALISES_DATABASE_URL" not in self.shell


def cm_shell(**settings: str) -> dict[str, str]:
    """A terminal with no Balises setting but `settings`, in the default (French) language."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("BALISES_", "LC_"))}
    environ.pop("LANGUAGE", None)
    environ.update(LANG="C.UTF-8", **settings)
    return environ


def balises(
    site: Site, cwd: Path, *args: str, stdin: str = "", **settings: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BALISES), *args],
        cwd=cwd,
        env={**site.shell, **settings},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("site")
    campaigns = copy_campaigns(folder)
    with postgres_schema() if request.param == "postgres" else nullcontext("") as url:
        shell = cm_shell(BALISES_DATABASE_URL=url) if url else cm_shell()
        unset = {"BALISES_VAR_DIR": None, "BALISES_SECRET_KEY": None}
        database = {"BALISES_DATABASE_URL": url} if url else {"BALISES_DATABASE_URL": None}
        server = Server(url, folder / "var", campaigns, env={**unset, **database}, cwd=folder)
        server.start()
        try:
            yield Site(server, folder, shell)
        finally:
            server.stop()


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    return folder


def log_in(site: Site, name: str, password: str = PASSWORD) -> Resident:
    staff = Resident(site.server.url)
    assert staff.get("/staff/login").status_code == 200
    logged = staff.client.post(
        "/staff/login",
        data={"csrf": staff.token, "name": name, "password": password, "next": "/staff"},
    )
    assert logged.status_code == 303, logged.text[:300]
    assert logged.headers["location"].endswith("/staff")
    return staff


def add_cm(site: Site, cwd: Path, name: str) -> None:
    done = balises(
        site,
        cwd,
        "user",
        "add",
        name,
        "--role",
        "cm",
        stdin=PASSWORD + "\n",
        BALISES_VAR_DIR=str(site.var),
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"compte « {name} » créé (rôle cm)\n"
    assert done.stderr.startswith(f"instance : {site.var}\n")


def test_qr_from_another_folder_refuses_without_the_instance(site: Site, elsewhere: Path) -> None:
    campaigns = site.folder / "campaigns.yaml"
    done = balises(site, elsewhere, "qr", str(campaigns), "--campaign", TRAIL, "--out", "x.pdf")
    assert (done.returncode, done.stdout) == (1, "")
    assert f"instance : {elsewhere / 'var'}\n" in done.stderr
    assert (
        f"balises qr : pas de clé secrète dans l'instance {elsewhere / 'var'} (ni"
        " BALISES_SECRET_KEY, ni fichier"
    ) in done.stderr
    assert "--instance DOSSIER (ou BALISES_VAR_DIR=DOSSIER)" in done.stderr
    assert list(elsewhere.iterdir()) == []  # no var/, no key, no sheet


def test_qr_pointed_at_the_instance_prints_codes_the_site_opens(
    site: Site, elsewhere: Path
) -> None:
    campaigns = site.folder / "campaigns.yaml"
    done = balises(
        site,
        elsewhere,
        "qr",
        str(campaigns),
        "--campaign",
        TRAIL,
        "--out",
        "borne.pdf",
        "--instance",
        str(site.var),
        BALISES_BASE_URL=site.server.url,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.startswith(f"instance : {site.var}\n")
    assert f"  clé secrète : {site.var / 'secret_key'}\n" in done.stderr
    assert sorted(p.name for p in elsewhere.iterdir()) == ["borne.pdf"]
    urls = [url for page in render_pdf_pages(elsewhere / "borne.pdf") for url in read_codes(page)]
    trail = next(c for c in load_file(campaigns).campaigns if c.slug == TRAIL)
    checkpoints = [step for step in trail.steps if step.type is StepType.checkpoint]
    key = (site.var / "secret_key").read_text(encoding="utf-8")
    assert sorted(urls) == sorted(
        site.server.url + checkpoint_path(key, TRAIL, step.id) for step in checkpoints
    )
    for step, url in zip(checkpoints, urls, strict=True):
        page = httpx.get(url, timeout=30)
        assert page.status_code == 200, (url, page.status_code)
        assert localise(step.title, "fr") in html.unescape(page.text)


def test_the_short_codes_printed_by_balises_qr_open_the_checkpoints_typed_on_the_site(
    site: Site, elsewhere: Path
) -> None:
    """A resident who cannot scan reads `Code : ABCD-23` under each QR code and types it."""
    campaigns = site.folder / "campaigns.yaml"
    done = balises(
        site,
        elsewhere,
        "qr",
        str(campaigns),
        "--campaign",
        TRAIL,
        "--out",
        "codes.pdf",
        "--instance",
        str(site.var),
        BALISES_BASE_URL=site.server.url,
    )
    assert done.returncode == 0, done.stderr
    shown = subprocess.run(
        ["pdftotext", "-layout", str(elsewhere / "codes.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    codes = re.findall(r"Code : ([A-Z]{4}-[0-9]{2})", shown)
    trail = next(c for c in load_file(campaigns).campaigns if c.slug == TRAIL)
    checkpoints = [step for step in trail.steps if step.type is StepType.checkpoint]
    assert len(codes) == len(checkpoints)
    resident = Resident(site.server.url)
    try:
        for step, code in zip(checkpoints, codes, strict=True):
            url = f"/c/{TRAIL}/{step.id}"
            assert resident.get(url).status_code == 200
            typed = resident.post(url + "/code", {"code": code.lower()}, htmx=False)
            assert typed.status_code == 303, (step.id, typed.status_code, typed.text[:300])
            page = html.unescape(resident.get(url).text)
            assert "Balise trouvée !" in page, step.id
            assert localise(step.story, "fr").split("\n")[0][:40] in page
    finally:
        resident.close()


def test_user_add_from_another_folder_makes_an_account_that_logs_in(
    site: Site, elsewhere: Path
) -> None:
    if site.sqlite:  # on PostgreSQL the shell's BALISES_DATABASE_URL is the site's database
        done = balises(site, elsewhere, "user", "add", "camille", "--role", "cm", stdin=PASSWORD)
        assert done.returncode == 1
        assert f"balises user add : pas d'instance dans {elsewhere / 'var'}" in done.stderr
        assert list(elsewhere.iterdir()) == []
    add_cm(site, elsewhere, "camille")
    log_in(site, "camille").close()
    assert list(elsewhere.iterdir()) == []


def test_check_from_another_folder_reads_the_uploads_of_the_site_and_writes_nothing(
    site: Site, elsewhere: Path
) -> None:
    add_cm(site, elsewhere, "lea")
    staff = log_in(site, "lea")
    form = staff.get("/staff/photos/nouvelle")
    assert form.status_code == 200
    photo = (ROOT / "photos" / "enigme-1-pierre.jpg").read_bytes()
    uploaded = staff.client.post(
        "/staff/photos",
        data={"csrf": staff.token, "title": "Pierre", "licence": "cc-by-sa-4.0"},
        files=[("files", ("pierre.jpg", photo, "image/jpeg"))],
    )
    staff.close()
    assert uploaded.status_code == 200, uploaded.text[:500]
    found = re.search(r"media:([a-z0-9]{12})", uploaded.text)
    assert found is not None, uploaded.text[:500]
    campaign, row = uploaded_campaign(elsewhere / "campagnes", found.group(1))
    missing, _row = uploaded_campaign(elsewhere / "brouillon", "zzzzzzzzzzzz")
    before = (tree(elsewhere), tree(site.var))

    if site.sqlite:
        done = balises(site, elsewhere, "check", str(campaign))
        assert (done.returncode, done.stdout) == (1, "")
        assert done.stderr.startswith(
            "balises check : les photos media:<id> ne sont pas vérifiées : pas d'instance dans"
            f" {elsewhere / 'var'} (pas de base de données {elsewhere / 'var' / 'balises.db'})."
        )
    done = balises(site, elsewhere, "check", str(campaign), "--instance", str(site.var))
    assert (done.returncode, done.stdout) == (0, ""), done.stderr
    assert done.stderr.startswith("ok : 2 campagnes (ou-sommes-nous, ")
    done = balises(site, elsewhere, "check", str(missing), BALISES_VAR_DIR=str(site.var))
    assert (done.returncode, done.stderr) == (1, "1 problème trouvé\n")
    assert done.stdout == (
        f"{missing}:{row}:16: steps[0].photo : aucune photo téléversée n'a l'id 'zzzzzzzzzzzz'"
        " ; copiez-le depuis l'espace de l'équipe\n"
    )
    assert (tree(elsewhere), tree(site.var)) == before
