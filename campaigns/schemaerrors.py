"""Pydantic's validation errors reworded as sentences a community manager can act on.

Pydantic writes for programmers (`Input should be a valid string`, one error per branch of a
union); a CM needs one sentence per mistake, at the line they typed it, that says how to fix
it: `steps[0] : la clé 'anwser' est inconnue ; vouliez-vous dire 'answers' ?`. Keys that belong
to prize contests get their own explanation, since the engine thanks people instead of rewarding
them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from campaigns.model import (
    AfterHints,
    Campaign,
    CampaignFile,
    Contributor,
    Finale,
    Order,
    Place,
    RevealStage,
    Step,
    Tolerance,
)
from campaigns.photofiles import crop_box
from campaigns.problems import Problem
from campaigns.rules import label, said_at
from campaigns.steptypes import StepType
from campaigns.suggestions import did_you_mean, slug_like
from campaigns.wording import _, ngettext
from campaigns.yamlsource import DocPath, Marks

PRIZE_KEYS = frozenset(
    {"prize", "prizes", "lottery", "draw", "winner", "winners", "ranking", "rankings"}
    | {"leaderboard", "countdown", "score", "scores", "points", "timer", "reward", "rewards"}
)
# The branch names pydantic puts in an error's location for a `Text` or a stage's box.
UNION_TAGS = frozenset({"str", "dict[str,str]", "tuple[float, float, float, float]"})
UNION_TAGS |= {"literal['full']"}
MAPPING_KINDS = frozenset({"model_type", "dict_type", "model_attributes_type"})
NUMBER_KINDS = frozenset({"float_parsing", "float_type", "finite_number"})
ENUMS: dict[str, list[str]] = {
    "type": [t.value for t in StepType],
    "tolerance": [t.value for t in Tolerance],
    "order": [o.value for o in Order],
    "after_hints": [a.value for a in AfterHints],
}


ModelAt = Callable[[DocPath], type[BaseModel] | None]


def schema_problems(
    errors: list[Any], marks: Marks, file: str, model_at: ModelAt | None = None
) -> list[Problem]:
    """Every pydantic error as one CM sentence; a union's alternatives become one message.

    `model_at` names the model whose keys are allowed at a path (to suggest the key a typo
    meant): a campaign file's by default, `site.yaml` gives its own."""
    problems: list[Problem] = []
    done: set[DocPath] = set()
    for error in errors:
        loc: DocPath = tuple(error["loc"])
        site = _stage_box(loc, marks, error["type"])
        if site is not None:
            if site not in done:
                done.add(site)
                problems.append(_problem(file, marks, site, _crop_or_full()))
            continue
        cut = next((k for k, part in enumerate(loc) if part in UNION_TAGS), None)
        if cut is not None:
            site = loc[:cut]
            siblings = [
                tuple(e["loc"])
                for e in errors
                if tuple(e["loc"][:cut]) == site
                and len(e["loc"]) > cut
                and e["loc"][cut] in UNION_TAGS
            ]
            if not any(len(other) > cut + 1 for other in siblings):
                if site not in done:
                    done.add(site)
                    problems.append(_problem(file, marks, site, _text_message(error["input"])))
                continue
            if len(loc) == cut + 1:
                continue
            loc = site + loc[cut + 1 :]
        problems.append(_one(error["type"], loc, error, marks, file, model_at or _model_at))
    return problems


def _stage_box(loc: DocPath, marks: Marks, kind: str) -> DocPath | None:
    """Where a reveal stage's crop box is wrong, when `loc` is in one: the stage as written
    (`reveal[0]`), or its `box` key when written `{box: …, alt: …}`. None for anything else,
    such as a stage's `alt`, reported like any text."""
    if "reveal" not in loc[:-1] or not isinstance(loc[loc.index("reveal") + 1], int):
        return None
    stage = loc[: loc.index("reveal") + 2]
    rest = loc[len(stage) :]
    if (rest and rest[0] != "box") or (rest == ("box",) and kind == "missing"):
        return None
    typed_box = (*stage, "box")
    return typed_box if typed_box in marks.values else stage


def _one(
    kind: str, loc: DocPath, error: Any, marks: Marks, file: str, model_at: ModelAt
) -> Problem:
    value = error["input"]
    name = next((str(p) for p in reversed(loc) if isinstance(p, str)), "")
    if kind == "extra_forbidden":
        key = str(loc[-1])
        if key.casefold() in PRIZE_KEYS:
            message = _(
                "la clé '%(key)s' n'est pas permise : Balises remercie les gens au lieu de les "
                "récompenser ; pas de prix, de tirage au sort, de classement ni de course contre "
                "la montre ; citez les personnes qui ont aidé dans 'contributors' et 'credit', et "
                "remerciez tout le monde dans 'finale'"
            ) % {"key": key}
        else:
            model = model_at(loc[:-1])
            known = list(model.model_fields) if model else []
            hint = did_you_mean(key, known) or _(" ; supprimez-la ou corrigez son orthographe")
            message = _("la clé '%(key)s' est inconnue") % {"key": key} + hint
        return _problem(file, marks, loc[:-1], message, at=marks.key(loc))
    if kind == "missing":
        return _problem(file, marks, loc[:-1], _missing(str(loc[-1])))
    while loc and loc not in marks.values:
        loc = loc[:-1]
    if kind == "string_pattern_mismatch":
        what = "slug" if name == "slug" else "id"
        example = slug_like(str(value)) or "tour-saint-aubin"
        message = _(
            "'%(value)s' n'est pas un %(what)s valide : n'utilisez que des minuscules, des "
            "chiffres et des tirets [a-z0-9-], pas au début ni à la fin ; par exemple "
            "'%(example)s'"
        ) % {"value": value, "what": what, "example": example}
    elif kind == "string_too_long":
        longest = int((error.get("ctx") or {}).get("max_length", 64))
        message = ngettext(
            "ceci dépasse %(num)s caractère ; raccourcissez-le",
            "ceci dépasse %(num)s caractères ; raccourcissez-le",
            longest,
        ) % {"num": longest}
    elif kind == "enum" and name in ENUMS:
        options = ENUMS[name]
        message = _("'%(value)s' n'est pas une valeur permise pour %(name)s") % {
            "value": value,
            "name": name,
        }
        message += did_you_mean(str(value), options)
        message += _(" (utilisez %(options)s ou %(last)s)") % {
            "options": ", ".join(options[:-1]),
            "last": options[-1],
        }
    elif kind == "literal_error" and name == "arrive":
        message = _("'%(value)s' n'est pas une façon d'arriver ; utilisez qr ou gps") % {
            "value": value
        }
    elif kind == "literal_error":
        message = _("'%(value)s' n'est pas permis ici ; utilisez %(expected)s") % {
            "value": value,
            "expected": error["ctx"]["expected"],
        }
    elif kind.startswith("datetime"):
        message = _(
            "'%(value)s' n'est pas une date avec une heure ; écrivez-la comme 2026-09-19T09:00 "
            "(heure locale du fuseau horaire de la campagne)"
        ) % {"value": value}
    elif name == "agreement":
        message = _(
            "'%(value)s' n'est pas un nombre entier ; écrivez combien d'habitants distincts"
            " doivent proposer la même chose, comme 'agreement: 3'"
        ) % {"value": value}
    elif name == "version":
        message = _("la seule version est 1 ; écrivez 'version: 1'")
    elif kind == "too_short":
        if name == "steps":
            message = _("ajoutez au moins une étape")
        elif name == "campaigns":
            message = _("ajoutez au moins une campagne")
        else:
            message = _("ajoutez au moins un élément")
    elif name == "where" and kind in MAPPING_KINDS:
        message = _(
            "il faut lat, lon et radius en clés, comme where: {lat: 47.3941, lon: 0.6848, "
            "radius: 30}, pas %(kind)s"
        ) % {"kind": _kind(value)}
    elif kind in NUMBER_KINDS and name in ("lat", "lon"):
        message = _(
            "'%(value)s' n'est pas un nombre de degrés ; écrivez des degrés décimaux avec un "
            "point, comme 47.3941"
        ) % {"value": value}
    elif kind in NUMBER_KINDS and name == "radius":
        message = _("'%(value)s' n'est pas un nombre de mètres ; écrivez par exemple 30") % {
            "value": value
        }
    else:
        message = _shape_message(kind, value, str(error["msg"]))
    return _problem(file, marks, loc, message)


def _missing(key: str) -> str:
    if key == "version":
        return _("'version' manque ; ajoutez 'version: 1' en haut du fichier")
    if key == "type":
        return _("'type' manque ; ajoutez l'un de %(types)s") % {"types": ", ".join(ENUMS["type"])}
    return _("'%(key)s' manque ; ajoutez-le") % {"key": key}


def _crop_or_full() -> str:
    return _("%(crop_box)s, comme [0.4, 0.1, 0.6, 0.3], ou full") % {"crop_box": crop_box()}


def _kind(value: object) -> str:
    return (
        _("une liste")
        if isinstance(value, list)
        else _("un ensemble de clés")
        if isinstance(value, dict)
        else _("un texte")
    )


def _text_message(value: object) -> str:
    example = _("un texte, ou un texte par langue (fr: ..., en: ...)")
    if value is None:
        return _("ce texte est vide ; écrivez %(example)s") % {"example": example}
    return _("il faut %(example)s, pas %(kind)s") % {"example": example, "kind": _kind(value)}


def _shape_message(kind: str, value: object, fallback: str) -> str:
    """A value of the wrong shape: a list where a text was expected, an empty key, …"""
    if kind == "string_type":
        return (
            _("ce texte est vide ; écrivez-le")
            if value is None
            else _("il faut un texte, pas %(kind)s") % {"kind": _kind(value)}
        )
    if kind == "list_type":
        if value is None:
            return _("cette liste est vide ; écrivez des éléments comme [a, b] ou supprimez la clé")
        return _("il faut une liste comme [a, b], pas %(kind)s") % {"kind": _kind(value)}
    if kind in MAPPING_KINDS:
        if value is None:
            return _("ceci est vide ; écrivez ses clés en dessous, indentées, ou supprimez-le")
        return _("il faut des lignes 'clé: valeur', pas %(kind)s") % {"kind": _kind(value)}
    return fallback


def _model_at(path: DocPath) -> type[BaseModel] | None:
    """The model whose keys are allowed at `path`, to suggest the key a typo meant."""
    if not path:
        return CampaignFile
    if path[-1] == "finale":
        return Finale
    if path[-1] == "where":
        return Place
    if len(path) >= 2 and isinstance(path[-1], int):
        models: dict[object, type[BaseModel]] = {
            "campaigns": Campaign,
            "steps": Step,
            "contributors": Contributor,
            "reveal": RevealStage,
        }
        return models.get(path[-2])
    return None


def _problem(
    file: str, marks: Marks, loc: DocPath, message: str, at: tuple[int, int] | None = None
) -> Problem:
    where = label(loc)
    line, col = at or marks.value(loc)
    return Problem(file, line, col, said_at(where, message) if where else message)
