"""The reference for the answer POST: the same work in the fewest lines, and nothing else.

Parse the urlencoded form, insert one row in one committed write transaction (the engine of
`web.store.db`: SQLite WAL, synchronous=FULL, BEGIN IMMEDIATE, inline; PostgreSQL through the thread
pool), render a small autoescaped fragment. `benchmarks/load.py` serves it with the same uvicorn
options and workers as Balises and reports the answer POST as a fraction of it.
"""

from __future__ import annotations

import os
from urllib.parse import parse_qsl

from jinja2 import Environment
from sqlalchemy import Boolean, Column, Integer, MetaData, String, Table, insert
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from web.store import db

FRAGMENT = Environment(autoescape=True).from_string(
    '<div class="feedback" role="status"><p>« {{ guess }} » : pas tout à fait.</p></div>'
)
metadata = MetaData()
tries = Table(
    "ref_attempt",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("guess", String(200)),
    Column("correct", Boolean),
)


def create_app() -> Starlette:
    engine = db.make_engine(os.environ["REF_DATABASE_URL"])
    metadata.create_all(engine)

    def store(guess: str) -> None:
        with db.writing(engine) as session:
            session.execute(insert(tries).values(guess=guess[:200], correct=False))

    async def answer(request: Request) -> HTMLResponse:
        form = dict(parse_qsl((await request.body()).decode(), max_num_fields=20))
        await db.call(engine, store, form.get("answer", ""))
        return HTMLResponse(FRAGMENT.render(guess=form.get("answer", "")))

    return Starlette(routes=[Route("/answer", answer, methods=["POST"])])
