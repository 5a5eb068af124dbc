"""Places in a campaign file: `where` on a step, `arrive` on a checkpoint, each mistake printed
exactly as `balises check` prints it, and the distance that decides a GPS arrival."""

from __future__ import annotations

from pathlib import Path

import pytest

from campaigns import wording
from campaigns.advice import Advice
from campaigns.loading import load_text
from campaigns.model import Place
from campaigns.places import arrived, distance_m, reach, rounded_distance
from tests.campaigns.rulefiles import check, edit

BORNE = "title: Borne 3\n"


def on_borne(lines: str) -> str:
    """The base file with `lines` added to its checkpoint (steps[1], line 28 onwards)."""
    return edit(BORNE, BORNE + "".join(f"        {line}\n" for line in lines.splitlines()))


def test_a_checkpoint_with_a_place_and_gps_is_valid(tmp_path: Path) -> None:
    text = on_borne("where: {lat: 47.3941, lon: 0.6848, radius: 40}\narrive: [qr, gps]")
    assert check(tmp_path, text) == []
    step = load_text(text).campaigns[0].steps[1]
    assert step.where == Place(lat=47.3941, lon=0.6848, radius=40)
    assert step.arrivals == ("qr", "gps") and step.by_gps and step.by_qr


def test_defaults_radius_30_and_arrival_by_qr(tmp_path: Path) -> None:
    step = load_text(on_borne("where: {lat: 47.3941, lon: 0.6848}")).campaigns[0].steps[1]
    assert step.where is not None and step.where.radius == 30
    assert step.arrivals == ("qr",) and not step.by_gps
    gps_only = load_text(on_borne("where: {lat: 47.39, lon: 0.68}\narrive: gps"))
    assert gps_only.campaigns[0].steps[1].arrivals == ("gps",)


def test_any_step_may_have_a_place(tmp_path: Path) -> None:
    text = edit("credit: archives\n", "credit: archives\n        where: {lat: 47.39, lon: 0.68}\n")
    assert check(tmp_path, text) == []


@pytest.mark.parametrize(
    ("lines", "printed"),
    [
        (
            "where: {lat: 147.39, lon: 0.6848}",
            "campaigns.yaml:28:22: steps[1].where.lat : la latitude 147.39 n'est pas entre -90 "
            "et 90 ; écrivez des degrés décimaux (WGS84), comme 47.3941",
        ),
        (
            "where: {lat: -91, lon: 0.6848}",
            "campaigns.yaml:28:22: steps[1].where.lat : la latitude -91 n'est pas entre -90 "
            "et 90 ; écrivez des degrés décimaux (WGS84), comme 47.3941",
        ),
        (
            "where: {lat: 47.39, lon: 200}",
            "campaigns.yaml:28:34: steps[1].where.lon : la longitude 200 n'est pas entre -180 "
            "et 180 ; écrivez des degrés décimaux (WGS84), comme 0.6848",
        ),
        (
            "where: {lat: 47.39, lon: 0.68, radius: 5}",
            "campaigns.yaml:28:48: steps[1].where.radius : le rayon 5 m n'est pas entre 10 et "
            "500 m ; 30 m convient à la plupart des balises",
        ),
        (
            "where: {lat: 47.39, lon: 0.68, radius: 501}",
            "campaigns.yaml:28:48: steps[1].where.radius : le rayon 501 m n'est pas entre 10 et "
            "500 m ; 30 m convient à la plupart des balises",
        ),
        (
            'where: "47.39, 0.68"',
            "campaigns.yaml:28:16: steps[1].where : il faut lat, lon et radius en clés, comme "
            "where: {lat: 47.3941, lon: 0.6848, radius: 30}, pas un texte",
        ),
        (
            'where: {lat: "47,39", lon: 0.68}',
            "campaigns.yaml:28:22: steps[1].where.lat : '47,39' n'est pas un nombre de degrés ; "
            "écrivez des degrés décimaux avec un point, comme 47.3941",
        ),
        (
            "where: {lat: 47.39, lon: .nan}",
            "campaigns.yaml:28:34: steps[1].where.lon : '.nan' n'est pas un nombre de degrés ; "
            "écrivez des degrés décimaux avec un point, comme 47.3941",
        ),
        (
            "where: {lat: 47.39, lon: 0.68, radius: loin}",
            "campaigns.yaml:28:48: steps[1].where.radius : 'loin' n'est pas un nombre de "
            "mètres ; écrivez par exemple 30",
        ),
        (
            "where: {lat: 47.39}",
            "campaigns.yaml:28:16: steps[1].where : 'lon' manque ; ajoutez-le",
        ),
        (
            "arrive: [gps]",
            "campaigns.yaml:28:17: steps[1].arrive : 'gps' a besoin de 'where' : ajoutez where: "
            "{lat: …, lon: …} à cette étape, ou retirez gps",
        ),
        (
            "arrive: []",
            "campaigns.yaml:28:17: steps[1].arrive : dites comment on ouvre cette balise : "
            "[qr], [qr, gps] ou [gps]",
        ),
        (
            "arrive: [nfc]",
            "campaigns.yaml:28:18: steps[1].arrive[0] : 'nfc' n'est pas une façon d'arriver ; "
            "utilisez qr ou gps",
        ),
    ],
)
def test_each_mistake_with_a_place(tmp_path: Path, lines: str, printed: str) -> None:
    assert check(tmp_path, on_borne(lines)) == [printed]


def test_a_typo_in_a_key_of_where_suggests_the_key(tmp_path: Path) -> None:
    assert check(tmp_path, on_borne("where: {lat: 47.39, lng: 0.68}")) == [
        "campaigns.yaml:28:16: steps[1].where : 'lon' manque ; ajoutez-le",
        "campaigns.yaml:28:29: steps[1].where : la clé 'lng' est inconnue ; vouliez-vous dire "
        "'lon' ?",
    ]


def test_only_a_checkpoint_says_how_it_is_reached(tmp_path: Path) -> None:
    text = edit("credit: archives\n", "credit: archives\n        arrive: [qr]\n")
    assert check(tmp_path, text) == [
        "campaigns.yaml:23:17: steps[0].arrive : seule une étape de type checkpoint a 'arrive' "
        "; supprimez-le"
    ]


def _places(advice: list[Advice]) -> list[str]:
    """The advice on places (the file's riddle gets its own, on its one alt)."""
    return [str(a) for a in advice if ".where" in a.message]


def test_swapped_lat_and_lon_warn_but_the_file_loads() -> None:
    result = load_text(on_borne("where: {lat: 0.6848, lon: 47.3941}"), "c.yaml")
    assert result.problems == [] and len(result.campaigns) == 1
    assert _places(result.advice) == [
        "c.yaml:28:16: steps[1].where : attention : lat et lon semblent inversés : lat 0.6848, "
        "lon 47.3941 tombe loin de la France, et l'inverse en France ; échangez-les si c'est le "
        "cas"
    ]
    assert _places(load_text(on_borne("where: {lat: 47.3941, lon: 0.6848}")).advice) == []
    # Far from France either way round (La Réunion): nothing to say.
    assert _places(load_text(on_borne("where: {lat: -21.115, lon: 55.536}")).advice) == []


def test_the_place_problems_in_english() -> None:
    with wording.speaking("en"):
        problems = load_text(on_borne("where: {lat: 147.39, lon: 0.68}\narrive: [gps]"), "c.yaml")
        swapped = load_text(on_borne("where: {lat: 0.6848, lon: 47.3941}"), "c.yaml")
    assert [str(p) for p in problems.problems] == [
        "c.yaml:28:22: steps[1].where.lat: latitude 147.39 is not between -90 and 90; write "
        "decimal degrees (WGS84), like 47.3941"
    ]
    assert _places(swapped.advice) == [
        "c.yaml:28:16: steps[1].where: warning: lat and lon look swapped: lat 0.6848, lon "
        "47.3941 falls far from France, and the reverse in France; swap them if so"
    ]


def test_the_distance_of_two_points() -> None:
    # One minute of latitude is a nautical mile, 1852 m.
    assert distance_m(47.0, 0.68, 47.0 + 1 / 60, 0.68) == pytest.approx(1853, abs=2)
    assert distance_m(47.3941, 0.6848, 47.3941, 0.6848) == 0


def test_arrived_within_the_radius_widened_by_the_accuracy_up_to_100_m() -> None:
    place = Place(lat=47.0, lon=0.68, radius=30)
    metres_north = 1 / 111_195  # degrees of latitude in one metre
    assert arrived(place, 47.0 + 29 * metres_north, 0.68, accuracy=0)
    assert not arrived(place, 47.0 + 31 * metres_north, 0.68, accuracy=0)
    assert arrived(place, 47.0 + 79 * metres_north, 0.68, accuracy=50)
    assert arrived(place, 47.0 + 129 * metres_north, 0.68, accuracy=5000)
    assert not arrived(place, 47.0 + 131 * metres_north, 0.68, accuracy=5000)
    assert reach(place, -20) == 30


def test_a_distance_is_said_as_a_person_says_it() -> None:
    said = [rounded_distance(m) for m in (3, 318, 995, 1249, 12_345)]
    assert said == [10, 320, 1000, 1200, 12_300]
