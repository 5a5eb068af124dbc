"""The city's SVG logo: a drawing is accepted, anything that runs or fetches is refused."""

from __future__ import annotations

import pytest

from campaigns.logofile import svg_problem

SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">{}</svg>'


def test_a_drawing_is_accepted() -> None:
    body = '<defs><linearGradient id="g"/></defs><rect fill="url(#g)"/><use href="#g"/>'
    assert svg_problem(SVG.format(body).encode()) is None


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "<script>alert(1)</script>",
            "ce SVG contient un élément <script>, qui peut exécuter du code ; retirez-le (un logo "
            "n'est qu'un dessin)",
        ),
        (
            "<foreignObject><p>x</p></foreignObject>",
            "ce SVG contient un élément <foreignobject>, qui peut exécuter du code ; retirez-le "
            "(un logo n'est qu'un dessin)",
        ),
        (
            '<rect onclick="alert(1)"/>',
            "ce SVG contient l'attribut onclick, qui exécute du code ; retirez-le",
        ),
        (
            '<image xlink:href="https://tracker.example/p.png"/>',
            "ce SVG fait référence à 'https://tracker.example/p.png', hors du fichier ; intégrez "
            "l'image au dessin ou retirez la référence",
        ),
        (
            '<rect style="fill: url(https://x.example/a.svg#p)"/>',
            "ce SVG charge une ressource hors du fichier (fill: url(https://x.example/a.svg#p)) ; "
            "retirez-la",
        ),
        (
            "<style>@import 'https://x.example/a.css';</style>",
            "ce SVG charge une ressource hors du fichier (@import 'https://x.example/a.css';) ; "
            "retirez-la",
        ),
    ],
)
def test_what_runs_or_fetches_is_refused(body: str, message: str) -> None:
    assert svg_problem(SVG.format(body).encode()) == message


def test_an_onload_on_the_root_is_refused() -> None:
    data = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
    assert (
        svg_problem(data) == "ce SVG contient l'attribut onload, qui exécute du code ; retirez-le"
    )


def test_entities_and_dtds_are_refused() -> None:
    bomb = b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]><svg>&a;</svg>'
    assert svg_problem(bomb) == (
        "ce SVG déclare une DTD ou des entités ; enregistrez-le sans (SVG simple)"
    )


def test_not_an_svg() -> None:
    assert svg_problem(b"\x89PNG") == (
        "ce fichier n'est pas un SVG lisible ; enregistrez-le à nouveau en SVG"
    )
    assert svg_problem(b"<html/>") == "ce fichier n'est pas un SVG : sa racine est <html>"
