"""The campaigns page says truly what is online, shows what a held version removes (with how many
players have progress in each), and a CM publishes it with a POST that names that version."""

from __future__ import annotations

import html
from pathlib import Path

from starlette.testclient import TestClient

from campaigns.checkpoints import checkpoint_path
from tests.campaign_cuts import cut_inside_text_block
from tests.web.conftest import World, csrf_of
from tests.web.staff.conftest import CM_PASSWORD, login
from web import i18n
from web.publication.sentences import when


def _text(response: object) -> str:
    return html.unescape(response.text)  # type: ignore[attr-defined]


def _scan_voie_verte(world: World) -> None:
    resident = world.client()
    path = checkpoint_path(world.settings.secret_key, "voie-verte", "borne-1")
    assert resident.get(path).status_code == 200


def _cut_file(world: World, campaign_dir: Path) -> str:
    """Cut the file inside a text block (valid YAML); the digest of the version held."""
    yaml_file = campaign_dir / "campaigns.yaml"
    yaml_file.write_text(cut_inside_text_block(yaml_file.read_text(encoding="utf-8")))
    world.site.registry.refresh(force=True)
    held = world.site.registry.status().held
    assert held is not None
    return held.digest


def _cm(world: World) -> TestClient:
    return login(world.client(), "camille", CM_PASSWORD)


def test_the_page_names_the_version_online(staff_world: World) -> None:
    status = staff_world.site.registry.status()
    assert status.digest is not None
    page = _text(_cm(staff_world).get("/staff/campagnes"))
    published = when(status.version.published_at)
    assert f"Version en ligne : {status.digest}, publiée le {published}." in page
    sha = status.files[0].online or ""  # what `sha256sum campaigns.yaml` prints
    assert f"campaigns.yaml : c'est la version en ligne ({sha[:12]})." in page


def test_a_held_version_is_shown_with_what_it_removes_and_confirmed_by_post(
    staff_world: World, campaign_dir: Path
) -> None:
    _scan_voie_verte(staff_world)
    digest = _cut_file(staff_world, campaign_dir)
    cm = _cm(staff_world)
    assert "attend votre confirmation" in _text(cm.get("/staff"))
    page = _text(cm.get("/staff/campagnes"))
    assert "Nouvelle version en attente de confirmation" in page
    assert (
        f"La nouvelle version {digest[:12]}, valide, retire des campagnes ou des étapes où des "
        "joueurs ont avancé : elle n'est publiée que si vous la confirmez" in page
    )
    assert "la campagne « voie-verte » : 1 joueur y a avancé" in page
    assert "l'étape « entracte » de la campagne « ou-sommes-nous » : 0 joueur y a avancé" in page
    waits = "campaigns.yaml : la nouvelle version attend votre confirmation (voir ci-dessous)."
    assert waits in page
    assert "En ligne de commande : balises publish --confirm" in page
    # Still online meanwhile: both campaigns and the checkpoint.
    assert staff_world.client().get("/c/voie-verte").status_code == 200
    assert staff_world.client().get("/c/ou-sommes-nous/entracte").status_code == 200

    token = csrf_of(page)
    assert cm.post("/staff/campagnes/publier", data={"version": digest}).status_code == 403
    stale = cm.post("/staff/campagnes/publier", data={"csrf": token, "version": "0" * 64})
    assert stale.status_code == 409
    assert "Cette version n'attend plus de confirmation" in _text(stale)
    assert staff_world.client().get("/c/voie-verte").status_code == 200

    done = cm.post("/staff/campagnes/publier", data={"csrf": token, "version": digest})
    assert done.status_code == 303
    assert done.headers["location"] == "/staff/campagnes?publiee=1"
    assert staff_world.client().get("/c/voie-verte").status_code == 404
    after = _text(cm.get(done.headers["location"]))
    assert "Version confirmée : elle est publiée." in after
    assert f"Version en ligne : {digest[:12]}, publiée le" in after
    assert "Nouvelle version en attente" not in after


def test_only_a_cm_confirms(staff_world: World, campaign_dir: Path) -> None:
    _scan_voie_verte(staff_world)
    digest = _cut_file(staff_world, campaign_dir)
    staff = login(staff_world.client())
    token = csrf_of(staff.get("/staff/photos").text)
    refused = staff.post("/staff/campagnes/publier", data={"csrf": token, "version": digest})
    assert refused.status_code == 403
    assert staff_world.site.registry.status().held is not None
    assert staff_world.client().get("/c/voie-verte").status_code == 200


def test_a_broken_file_says_the_online_version_stays(
    staff_world: World, campaign_dir: Path
) -> None:
    yaml_file = campaign_dir / "campaigns.yaml"
    online = (staff_world.site.registry.status().files[0].online or "")[:12]
    text = yaml_file.read_text(encoding="utf-8")
    yaml_file.write_text(text.replace("order: sequential", "order: x"))
    staff_world.site.registry.quiet = 0  # not about the wait: the file is seen as written
    staff_world.site.registry.refresh(force=True)
    page = _text(_cm(staff_world).get("/staff/campagnes"))
    assert (
        f"campaigns.yaml : la version sur le disque a des problèmes ; la version en ligne "
        f"({online}) reste servie tant qu'ils ne sont pas corrigés." in page
    )


def test_the_page_speaks_english_from_the_catalog(staff_world: World, campaign_dir: Path) -> None:
    _scan_voie_verte(staff_world)
    digest = _cut_file(staff_world, campaign_dir)
    page = _text(_cm(staff_world).get("/staff/campagnes?lang=en"))
    assert "the campaign “voie-verte”: 1 player has progress in it" in page
    assert f"The new version {digest[:12]} is valid but removes campaigns or steps" in page
    assert "Publish this version anyway" in page
    i18n.use("fr")


def _with_advice(campaign_dir: Path) -> None:
    """A valid file the checks advise on: a place's lat and lon swapped, and the riddle's
    stages reading out the step's one alt (`campaigns.advice`)."""
    yaml_file = campaign_dir / "campaigns.yaml"
    text = yaml_file.read_text(encoding="utf-8")
    placed = "where: {lat: 47.3941, lon: 0.6848}"
    assert text.count(placed) == 1
    text = text.replace(placed, "where: {lat: 0.6848, lon: 47.3941}")
    first, later = text.index("          - box: [0.22"), text.index("          - full")
    yaml_file.write_text(
        text[:first] + "          - [0.38, 0.40, 0.66, 0.60]\n" + text[later:], encoding="utf-8"
    )


def test_the_advice_on_a_valid_file_is_listed_and_the_file_is_published(
    staff_world: World, campaign_dir: Path
) -> None:
    _with_advice(campaign_dir)
    staff_world.site.registry.quiet = 0
    staff_world.site.registry.refresh(force=True)
    cm = _cm(staff_world)
    for url in ("/staff", "/staff/campagnes"):
        page = _text(cm.get(url))
        assert "Avertissements des fichiers de campagne" in page
        assert ": steps[0].where : attention : lat et lon semblent inversés : lat 0.6848" in page
        assert (
            ": steps[0].reveal : attention : ces 2 étapes de la photo n'ont qu'un texte "
            "alternatif" in page
        )
        # advice is not a problem: the file is the version online, and no problem waits
        assert "Aucun problème : chaque fichier de campagne s'est chargé sans erreur." in page
    assert "fichier de campagne avec des problèmes" not in _text(cm.get("/staff"))
    status = staff_world.site.registry.status()
    assert status.up_to_date and [len(f.advice) for f in status.files] == [2]
    english = _text(cm.get("/staff/campagnes?lang=en"))
    assert "Warnings on the campaign files" in english
    assert ": steps[0].where: warning: lat and lon look swapped: lat 0.6848" in english
    i18n.use("fr")
    staff = login(staff_world.client())
    assert "Avertissements des fichiers de campagne" not in _text(staff.get("/staff"))
