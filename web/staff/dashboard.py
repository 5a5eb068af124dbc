"""The community manager's figures: `/staff/chiffres/{campaign}` (page, CSV, JSON).

Reserved to the `cm` role (`staff` accounts get 403). The page shows each table with a bar chart
drawn on the server (`web.staff.charts`); `?format=csv&table=summary|steps|channels|wrong` downloads
one table as CSV, and `/staff/chiffres/{campaign}.json` gives the same figures to the city's own
dashboards. What each figure means is in `web.staff.figures` and printed on the page.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from campaigns.model import Campaign, localise
from web import i18n
from web.i18n import gettext as _
from web.site import Site, site
from web.staff import charts, figures
from web.staff.auth import staff_language, staff_of, staff_page
from web.store import db
from web.templating import render

TABLES = ("summary", "steps", "channels", "wrong")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _compute(current: Site, campaign: Campaign) -> figures.CampaignFigures:
    with db.reading(current.engine) as session:
        return figures.compute(session, campaign)


def rate(value: float | None) -> str:
    """A rate as the staff member writes it (42,5 % in French, 42.5% in English), or a dash
    when it cannot be computed."""
    if value is None:
        return "—"
    if i18n.current() != "fr":
        return f"{value * 100:.1f}".removesuffix(".0") + "%"
    return f"{value * 100:.1f}".replace(".", ",").removesuffix(",0") + " %"


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    whole = round(seconds)
    minutes, rest = divmod(whole, 60)
    if not minutes:
        return f"{rest} s"
    hours, minutes = divmod(minutes, 60)
    if not hours:
        return f"{minutes} min {rest:02d} s"
    return f"{hours} h {minutes:02d} min"


def _cell(value: object) -> str:
    """A CSV cell a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def table_rows(numbers: figures.CampaignFigures, table: str) -> list[Sequence[object]]:
    """One table of the figures as rows, header first (the CSV export)."""
    if table == "summary":
        return [
            ("started", "finished", "completion_rate", "visits_via", "arrival_rate"),
            (
                numbers.started,
                numbers.finished,
                _plain(numbers.completion_rate),
                numbers.visits,
                _plain(numbers.arrival_rate),
            ),
        ]
    if table == "channels":
        return [("channel", "visits"), *numbers.channels]
    if table == "wrong":
        return [
            ("step", "answer", "count"),
            *((s.step, answer, count) for s in numbers.steps for answer, count in s.wrong_answers),
        ]
    return [
        (
            "step",
            "title",
            "type",
            "done",
            "hints",
            "hinted_players",
            "median_seconds",
            "answers",
            "wrong",
        ),
        *(
            (
                s.step,
                localise(s.title, "fr"),
                s.type,
                s.done,
                s.hints,
                s.hinted_players,
                "" if s.median_seconds is None else _plain(s.median_seconds),
                s.answers,
                s.wrong,
            )
            for s in numbers.steps
        ),
    ]


def _plain(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:.4f}"


def _csv(rows: Iterable[Sequence[object]], filename: str) -> Response:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return Response(
        "\ufeff" + buffer.getvalue(),  # the BOM makes spreadsheet software read UTF-8
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _charts(numbers: figures.CampaignFigures, campaign: Campaign) -> dict[str, object]:
    def title(step: figures.StepFigures) -> str:
        return f"{step.step} — {localise(step.title, i18n.current())}"

    return {
        "done": charts.bar_chart(
            _("Joueurs ayant fait chaque étape"), [(title(s), s.done) for s in numbers.steps]
        ),
        "hints": charts.bar_chart(
            _("Indices demandés par étape"), [(title(s), s.hints) for s in numbers.steps]
        ),
        "median": charts.bar_chart(
            _("Temps médian pour trouver (secondes)"),
            [(title(s), s.median_seconds) for s in numbers.steps if s.median_seconds is not None],
            unit="s",
        ),
        "channels": charts.bar_chart(_("Visites par canal (?via=)"), numbers.channels),
    }


@staff_page(role="cm")
async def figures_index(request: Request) -> Response:
    current = site(request)
    context = {"staff": staff_of(request), "campaigns": current.registry.campaigns()}
    return render(request, "staff/figures.html", context, lang=staff_language(request))


@staff_page(role="cm")
async def figures_page(request: Request) -> Response:
    current = site(request)
    campaign = current.campaign_in(request, upcoming=True)
    numbers = await db.aside(current.engine, _compute, current, campaign)
    if request.query_params.get("format") == "csv":
        table = request.query_params.get("table", "steps")
        if table not in TABLES:
            raise HTTPException(404)
        return _csv(table_rows(numbers, table), f"{campaign.slug}-{table}.csv")
    context = {
        "staff": staff_of(request),
        "campaign": campaign,
        "numbers": numbers,
        "charts": _charts(numbers, campaign),
        "rate": rate,
        "duration": duration,
        "tables": TABLES,
    }
    return render(request, "staff/figures.html", context, lang=staff_language(request))


@staff_page(role="cm")
async def figures_json(request: Request) -> Response:
    current = site(request)
    campaign = current.campaign_in(request, upcoming=True)
    numbers = await db.aside(current.engine, _compute, current, campaign)
    return JSONResponse(numbers.as_json())
