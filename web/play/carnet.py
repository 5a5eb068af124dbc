"""The printable roadbook, `GET /c/{campaign}/carnet.pdf`: the trail for those who play on paper.

A family prints it at home, the tourist office hands it out. It holds what a player who has
not started may see on the campaign page and the step pages, and nothing more: each step as its
page shows it to a new player today. An open step gives its title, its text (a contribution's
or an identification's prompt too) and its photo at the first crop; a step that waits for
earlier ones (a `sequential` campaign, `requires`) gives only its title and says it opens as
the game goes on, as its page does; a marker gives where to find it (its text, and its place:
markers stand in the street, they are on the map for everyone). Never an answer, a hint, a
later crop, a story, or the place of a step that is not a marker. Then room to write, the
people to thank, and a code to the campaign's page (`?via=carnet`, so the figures say how many
came from paper).

It follows the campaign page: a 404 before the campaign opens, unless previewed (then as the
campaign will be, without its dates); after it closes, the steps as they are then. Drawn in the
process pool (`web.offload`), kept by its content (`media.roadbook`).
"""

from __future__ import annotations

from datetime import datetime

from starlette.requests import Request
from starlette.responses import Response

from campaigns.model import Campaign, Step, localise
from campaigns.unlocks import StepStatus, campaign_phase, step_statuses
from media.roadbook import PrintedPhoto, PrintedStep, Roadbook, roadbook_pdf
from web import i18n, offload
from web.i18n import gettext as _
from web.i18n import language
from web.images import image_response
from web.play import channels, photos
from web.play.views import credits_by_role
from web.site import Site, site
from web.store import db

# Whose language and whether a preview: the session's, so no shared cache; the PDF itself is
# kept on the server (`media.roadbook`), so asking again costs a file read.
CACHE = "private, no-cache"
ANSWER_LINES = 2
NOTE_LINES = 4


def _lang_query(campaign: Campaign, lang: str) -> str:
    default = campaign.languages[0] if campaign.languages else i18n.SOURCE
    return "" if lang == default else f"lang={lang}"


def carnet_url(campaign: Campaign, lang: str) -> str:
    """The roadbook's address from a page in `lang`: the language in the URL when it is not the
    campaign's first, so a browser never shows a roadbook kept from another language."""
    query = _lang_query(campaign, lang)
    return f"/c/{campaign.slug}/carnet.pdf" + (f"?{query}" if query else "")


def _when(value: datetime | None, campaign: Campaign, lang: str) -> str:
    return i18n.format_when(value, campaign.tz, lang) if value is not None else ""


def _locked(step: Step, missing: bool) -> str:
    """What the page of a step that is not open yet says to do."""
    if missing and step.kind.scanned and step.by_qr:
        return _("Scannez cette balise sur place une fois les étapes d'avant faites.")
    if missing and step.kind.scanned:
        return _("Rendez-vous à cette balise une fois les étapes d'avant faites.")
    if missing:
        return _(
            "Cette étape s'ouvre quand les précédentes sont faites : "
            "son texte et sa photo s'affichent alors sur le site."
        )
    if step.by_gps and step.by_qr:
        return _(
            "Rendez-vous sur place, puis scannez le QR code de la balise "
            "ou appuyez sur « Je suis arrivé·e »."
        )
    if step.by_gps:
        return _("Rendez-vous sur place, puis appuyez sur « Je suis arrivé·e ».")
    return _("Rendez-vous sur place et scannez le QR code de la balise pour ouvrir cette étape.")


def _notices(status: StepStatus, campaign: Campaign, lang: str) -> tuple[str, ...]:
    """What the step's page says to a new player instead of its content, as its page words it."""
    if status.state == "scheduled":
        opens = _when(status.opens_at, campaign, lang)
        return (_("Cette étape ouvre le %(date)s.") % {"date": opens},)
    if status.state == "closed":
        return (_("Cette étape est terminée : on ne peut plus y répondre."),)
    if status.state == "locked":
        return (_locked(status.step, bool(status.missing)),)
    if status.step.kind.read:
        return (_("Une page de l'histoire, à lire sur le site."),)
    return ()


def _credit(campaign: Campaign, step: Step, lang: str) -> str:
    groups = []
    for role, people in credits_by_role(campaign, step):
        names = ", ".join(localise(person.name, lang) for person in people)
        label = (
            _("%(role)s :") % {"role": localise(role, lang)}
            if role
            else _("Avec la participation de :")
        )
        groups.append(f"{label} {names}")
    return " · ".join(groups)


def _photo(current: Site, campaign: Campaign, step: Step, lang: str) -> PrintedPhoto | None:
    """The photo as the step page shows it before any hint: its first crop (a riddle), or the
    whole photo of a step that is not solved (a mystery photo, a marker's)."""
    source = photos.source_path(current, campaign, step)
    if source is None:
        return None
    stage = photos.visible_stage(step, 0, False)
    box = None if stage == "full" else photos.stages(step)[int(stage)]
    shown = photos.picture(current, campaign, step, stage)
    credit = ""
    if shown is not None and (shown.upload_credit or shown.licence):
        named = campaign.contributor(shown.upload_credit) if shown.upload_credit else None
        who = localise(named.name, lang) if named else shown.upload_credit
        credit = _("Photo :") + " " + " · ".join(p for p in (who, shown.licence) if p)
    alt = shown.alt if shown is not None else step.alt  # the stage's own, as the page gives it
    return PrintedPhoto(source, box, localise(alt, lang), credit)  # type: ignore[arg-type]


def _room(step: Step, lang: str) -> tuple[str, int, tuple[str, ...]]:
    """The label and the lines (or the choices' boxes) to write on, by what the step asks."""
    if step.answerable and step.choices:
        return _("Cochez votre réponse :"), 0, tuple(localise(c, lang) for c in step.choices)
    if step.answerable:
        return _("Votre réponse :"), ANSWER_LINES, ()
    if step.kind.sends:
        return _("Vos notes, à envoyer sur le site :"), NOTE_LINES, ()
    return "", 0, ()


def _printed(
    current: Site, campaign: Campaign, status: StepStatus, number: int, lang: str
) -> PrintedStep:
    step = status.step
    title = localise(step.title, lang)
    notices = _notices(status, campaign, lang)
    place = ""
    if step.kind.scanned and step.where is not None:  # a marker: in the street, on the map
        spot = f"{step.where.lat:.5f}, {step.where.lon:.5f}"
        place = _("Où est la balise : %(place)s") % {"place": spot}
    if status.state == "open":
        text = "\n\n".join(
            localise(t, lang) for t in (step.text, step.prompt if step.kind.sends else None) if t
        )
        label, lines, choices = _room(step, lang)
        return PrintedStep(
            number, title, notices, text, place, _photo(current, campaign, step, lang),
            label, lines, choices, _credit(campaign, step, lang),
        )  # fmt: skip
    if status.state == "closed":
        photo = _photo(current, campaign, step, lang)
        return PrintedStep(
            number, title, notices, "", place, photo, credit=_credit(campaign, step, lang)
        )
    directions = localise(step.text, lang) if step.kind.scanned and status.state == "locked" else ""
    return PrintedStep(number, title, notices, directions, place)


def _book(current: Site, campaign: Campaign, lang: str) -> Roadbook:
    """What the roadbook shows: the campaign as a player who has done nothing sees it now."""
    i18n.use(lang)
    now = current.now()
    statuses = step_statuses(campaign, done=set(), checked_in=set(), now=now)
    steps = tuple(_printed(current, campaign, s, n, lang) for n, s in enumerate(statuses, 1))
    notices: list[str] = []
    if campaign_phase(campaign, now) == "closed":
        notices.append(
            _("Ce jeu est terminé depuis le %(date)s. Vous pouvez encore relire les étapes.")
            % {"date": _when(campaign.closes_at, campaign, lang)}
        )
    if any(s.missing for s in statuses):
        notices.append(
            _(
                "Les étapes s'ouvrent une à une : ce carnet montre ce qu'on en "
                "voit avant de commencer, la suite se découvre sur le site."
            )
        )
    lang_query = _lang_query(campaign, lang)
    query = f"?via={channels.ROADBOOK}" + (f"&{lang_query}" if lang_query else "")
    credits = tuple(
        (localise(c.name, lang), localise(c.role, lang) if c.role else "")
        for c in campaign.contributors
    )
    return Roadbook(
        site_name=current.brand.name,
        title=localise(campaign.title, lang),
        intro=localise(campaign.intro, lang),
        url=f"{current.settings.base_url.rstrip('/')}/c/{campaign.slug}{query}",
        notices=tuple(notices),
        online=_("Jouez sur votre téléphone : scannez ce code ou tapez l'adresse"),
        steps_heading=_("Les étapes"),
        steps=steps,
        credits_heading=_("Avec la participation de"),
        credits=credits,
        page_label=_("Page %(num)s"),
        lang=lang,
    )


async def roadbook(request: Request) -> Response:
    """`GET /c/{campaign}/carnet.pdf`, in the page's language."""
    current = site(request)
    campaign = current.campaign_in(request)
    lang = language(request, campaign)
    book = await db.call(current.engine, _book, current, campaign, lang)
    pdf = await offload.run(roadbook_pdf, book, current.settings.media_dir / "cache")
    response = image_response(pdf, "application/pdf", CACHE)
    response.headers["Content-Disposition"] = f'inline; filename="carnet-{campaign.slug}.pdf"'
    return response
