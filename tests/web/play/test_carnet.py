"""The printable roadbook, `/c/{campaign}/carnet.pdf`: what a family prints to play on paper.

It holds what a new player may see on the campaign page and the step pages: the intro, each
step's title, text and first crop, where the markers stand, room to write, the credits and a
code to the campaign's page; never an answer, a hint, a story or a later crop, and in a
sequential campaign only the titles of the steps still locked."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from campaigns.matching import normalise
from campaigns.model import Campaign, Step, localise
from campaigns.steptypes import StepType
from media.photos import variant
from tests.media.qr_reading import read_codes, render_pdf_pages
from tests.web.conftest import PARIS, World
from tests.web.play.test_preview import staff, start_preview
from tests.web.roadbooks import pdf_jpegs, pdf_text
from web.play import photos
from web.play.sharing import plain_text

SLUG = "ou-sommes-nous"
WIDTH = 960  # the width the roadbook embeds a photo at: the step page's `src`


def words(markdown: object, lang: str) -> str:
    return plain_text(localise(markdown, lang), limit=100_000)  # type: ignore[arg-type]


def free_order(campaign_dir: Path) -> None:
    """The example's photo riddles in `order: free`: every step open to a new player."""
    yaml_file = campaign_dir / "campaigns.yaml"
    text = yaml_file.read_text(encoding="utf-8")
    yaml_file.write_text(text.replace("order: sequential", "order: free", 1), encoding="utf-8")


def roadbook(world: World, slug: str = SLUG, lang: str = "fr") -> bytes:
    response = world.client(headers={"Accept-Language": lang}).get(f"/c/{slug}/carnet.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert f'filename="carnet-{slug}.pdf"' in response.headers["content-disposition"]
    return response.content


def first_crop(world: World, campaign: Campaign, step: Step) -> bytes | None:
    source = photos.source_path(world.site, campaign, step)
    if source is None:
        return None
    stage = photos.visible_stage(step, 0, False)
    box = None if stage == "full" else photos.stages(step)[int(stage)]
    return derived(world, source, box)


def derived(world: World, source: Path, box: object) -> bytes:
    cache = world.settings.media_dir / "cache"
    made = variant(source, box=box, width=WIDTH, fmt="jpeg", cache_dir=cache)  # type: ignore[arg-type]
    return made if isinstance(made, bytes) else made.read_bytes()


def assert_no_answer_or_story(text: str, campaign: Campaign, lang: str) -> None:
    """No answer, story or hint; the texts of the other steps aside (the example's contribution
    asks for a photo of the `kiosque`, an answer of another step, on its own page too)."""
    for step in campaign.steps:
        flat = f" {normalise(text)} "
        for other in campaign.steps:
            for shown in (other.text, other.prompt) if other is not step else ():
                if shown:
                    flat = flat.replace(normalise(words(shown, lang)), " ")
        for answer in step.answers:
            assert f" {normalise(answer)} " not in flat, f"the answer {answer!r} of {step.id}"
        if step.story:
            first = words(step.story, lang).split(". ")[0]
            assert first not in text, f"the story of {step.id}"
        for hint in step.hints:
            assert words(hint, lang) not in text, f"a hint of {step.id}"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_free_campaign_s_roadbook_prints_every_step_a_new_player_sees(
    make_world: Callable[..., World], campaign_dir: Path, lang: str
) -> None:
    free_order(campaign_dir)
    world = make_world()
    campaign = world.campaign()
    text = pdf_text(roadbook(world, lang=lang))
    assert "Balises" in text  # the site's name, without a site.yaml
    assert words(campaign.title, lang) in text
    assert words(campaign.intro, lang) in text
    for step in campaign.steps:
        assert words(step.title, lang) in text, step.id
        if step.text:
            assert words(step.text, lang) in text, step.id
        if step.prompt:
            assert words(step.prompt, lang) in text, step.id
        for choice in step.choices:
            assert localise(choice, lang) in text
    for contributor in campaign.contributors:
        assert localise(contributor.name, lang) in text
        assert localise(contributor.role, lang) in text
    answer_here = {"fr": "Votre réponse :", "en": "Your answer:"}[lang]
    tick = {"fr": "Cochez votre réponse :", "en": "Tick your answer:"}[lang]
    riddles = sum(1 for s in campaign.steps if s.type is StepType.riddle)
    assert text.count(answer_here) == riddles and text.count(tick) == 1
    assert_no_answer_or_story(text, campaign, lang)


def test_its_photos_are_the_first_crops_byte_for_byte_never_a_later_one(
    make_world: Callable[..., World], campaign_dir: Path
) -> None:
    free_order(campaign_dir)
    world = make_world()
    campaign = world.campaign()
    embedded = set(pdf_jpegs(roadbook(world)))
    expected = {c for s in campaign.steps if (c := first_crop(world, campaign, s)) is not None}
    assert embedded == expected
    assert len(expected) == sum(1 for s in campaign.steps if s.photo)
    for step in campaign.steps:
        source = photos.source_path(world.site, campaign, step)
        if source is None or not step.answerable:
            continue
        for later in photos.stages(step)[1:]:
            assert derived(world, source, later) not in embedded, step.id


def test_a_sequential_campaign_prints_only_the_titles_of_locked_steps(world: World) -> None:
    campaign = world.campaign()
    first, *later = campaign.steps
    payload = roadbook(world)
    text = pdf_text(payload)
    assert words(first.text, "fr") in text
    assert pdf_jpegs(payload) == [first_crop(world, campaign, first)]
    for step in later:
        assert words(step.title, "fr") in text
        for hidden in (step.text, step.prompt):
            if hidden:
                assert words(hidden, "fr") not in text, step.id
    assert text.count("Cette étape s'ouvre quand les précédentes sont faites") == len(later)
    assert "Les étapes s'ouvrent une à une : ce carnet montre ce qu'on en voit" in text
    assert_no_answer_or_story(text, campaign, "fr")


def test_markers_are_printed_with_where_to_find_them(world: World) -> None:
    trail = world.campaign("voie-verte")
    text = pdf_text(roadbook(world, "voie-verte"))
    for step in trail.steps:
        assert step.where is not None
        assert words(step.text, "fr") in text  # where to find it, as its page says
        assert f"Où est la balise : {step.where.lat:.5f}, {step.where.lon:.5f}" in text
    assert "Rendez-vous sur place et scannez le QR code de la balise" in text  # the first
    assert text.count("Scannez cette balise sur place une fois les étapes d'avant faites.") == 3
    assert_no_answer_or_story(text, trail, "fr")
    riddles = world.campaign()
    assert riddles.steps[0].where is not None  # a riddle's place is never printed
    assert f"{riddles.steps[0].where.lat:.3f}" not in pdf_text(roadbook(world))


def test_its_code_opens_the_campaign_page_counted_as_the_roadbook(
    make_world: Callable[..., World], tmp_path: Path
) -> None:
    world = make_world(base_url="https://jeux.val-de-loir.fr")
    pdf = tmp_path / "carnet.pdf"
    pdf.write_bytes(roadbook(world))
    first_page = render_pdf_pages(pdf, dpi=150)[0]
    assert read_codes(first_page) == [f"https://jeux.val-de-loir.fr/c/{SLUG}?via=carnet"]
    assert "jeux.val-de-loir.fr/c/ou-sommes-nous" in pdf_text(pdf.read_bytes())
    english = tmp_path / "english.pdf"
    english.write_bytes(roadbook(world, lang="en"))
    assert read_codes(render_pdf_pages(english)[0]) == [
        f"https://jeux.val-de-loir.fr/c/{SLUG}?via=carnet&lang=en"
    ]


def test_the_campaign_page_links_to_it(world: World) -> None:
    page = world.client().get(f"/c/{SLUG}")
    assert f'<a href="/c/{SLUG}/carnet.pdf" type="application/pdf">' in page.text
    assert "Carnet de route à imprimer (PDF)" in page.text
    english = world.client().get(f"/c/{SLUG}?lang=en")
    assert f'<a href="/c/{SLUG}/carnet.pdf?lang=en" type="application/pdf">' in english.text
    assert "Printable roadbook (PDF)" in english.text


def test_an_unknown_or_not_yet_open_campaign_has_none_but_a_preview_does(
    world: World,
) -> None:
    client = world.client()
    assert client.get("/c/nulle-part/carnet.pdf").status_code == 404
    world.clock.now = datetime(2026, 9, 1, 12, 0, tzinfo=PARIS)  # before it opens
    assert client.get(f"/c/{SLUG}/carnet.pdf").status_code == 404
    lea = staff(world)
    start_preview(lea)
    previewed = lea.get(f"/c/{SLUG}/carnet.pdf")
    assert previewed.status_code == 200
    text = pdf_text(previewed.content)
    assert words(world.campaign().steps[0].text, "fr") in text  # as it will be once open
    assert "Cette étape ouvre le" not in text


def test_after_the_campaign_closes_it_says_so(world: World) -> None:
    world.clock.now = datetime(2028, 1, 5, 12, 0, tzinfo=PARIS)
    text = pdf_text(roadbook(world))
    assert "Ce jeu est terminé depuis le" in text
    assert text.count("Cette étape est terminée : on ne peut plus y répondre.") == len(
        world.campaign().steps
    )


def test_the_same_roadbook_is_drawn_once(world: World) -> None:
    first = roadbook(world)
    kept = list((world.settings.media_dir / "cache" / "roadbooks").glob("*.pdf"))
    assert len(kept) == 1 and kept[0].read_bytes() == first
    assert roadbook(world) == first
    assert len(list(kept[0].parent.glob("*.pdf"))) == 1


def test_a_step_of_a_later_day_says_when_it_opens_and_shows_nothing_else(
    make_world: Callable[..., World], campaign_dir: Path
) -> None:
    free_order(campaign_dir)
    yaml_file = campaign_dir / "campaigns.yaml"
    text = yaml_file.read_text(encoding="utf-8")
    later = "      - id: tour\n        opens: 2026-11-01T09:00\n#"
    yaml_file.write_text(text.replace("      - id: tour ", later, 1), encoding="utf-8")
    world = make_world()
    campaign = world.campaign()
    tour = campaign.steps[0]
    payload = roadbook(world)
    printed = pdf_text(payload)
    assert "Cette étape ouvre le dimanche 1 novembre 2026 à 09h00." in printed
    assert words(tour.title, "fr") in printed and words(tour.text, "fr") not in printed
    assert first_crop(world, campaign, tour) not in pdf_jpegs(payload)
    # the other riddles are open, described as far as their first crop shows
    assert words(campaign.steps[1].stage_alt(0), "fr") in printed
