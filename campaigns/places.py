"""Places on the trail: a step's `where`, how a checkpoint is reached, and the distance that
decides a GPS arrival.

The file gives WGS84 degrees and a radius in metres; the checks here give each mistake a CM
makes with coordinates its own sentence (a latitude copied into the wrong key is the usual
one, so a point that only lands in France once swapped, `looks_swapped`, is advice that
`campaigns.advice` gives). The arrival rule is pure arithmetic on the position a phone sends,
so the web layer decides with it and keeps nothing.
"""

from __future__ import annotations

from math import asin, cos, radians, sin, sqrt

from campaigns.model import Place, Step
from campaigns.wording import _
from campaigns.yamlsource import DocPath

RADIUS_MIN, RADIUS_MAX = 10.0, 500.0
# A phone's reported accuracy widens the circle, up to this: a position known only to the
# nearest kilometre must not open a marker from the other end of town.
ACCURACY_CAP = 100.0
EARTH_RADIUS_M = 6_371_008.8  # mean radius (IUGG)
# Metropolitan France, roughly: a point outside it that lands inside once lat and lon are
# swapped was almost surely typed the wrong way round.
_FRANCE_LAT = (41.0, 51.5)
_FRANCE_LON = (-5.5, 10.0)


def number(value: float) -> str:
    """A number as the CM typed it, near enough: 47.3941, 30, 1e+308."""
    return repr(float(value)).removesuffix(".0")


def _in_france(lat: float, lon: float) -> bool:
    return _FRANCE_LAT[0] <= lat <= _FRANCE_LAT[1] and _FRANCE_LON[0] <= lon <= _FRANCE_LON[1]


def looks_swapped(where: Place) -> bool:
    """A valid point far from France that lands in France once lat and lon are swapped."""
    valid = -90 <= where.lat <= 90 and -180 <= where.lon <= 180
    return valid and not _in_france(where.lat, where.lon) and _in_france(where.lon, where.lat)


def place_problems(step: Step) -> list[tuple[DocPath, str]]:
    """The mistakes in a step's `where` and `arrive`, at the key the CM must change."""
    errors: list[tuple[DocPath, str]] = []
    where = step.where
    if where is not None:
        if not -90 <= where.lat <= 90:
            message = _(
                "la latitude %(value)s n'est pas entre -90 et 90 ; écrivez des degrés décimaux "
                "(WGS84), comme 47.3941"
            )
            errors.append((("where", "lat"), message % {"value": number(where.lat)}))
        if not -180 <= where.lon <= 180:
            message = _(
                "la longitude %(value)s n'est pas entre -180 et 180 ; écrivez des degrés "
                "décimaux (WGS84), comme 0.6848"
            )
            errors.append((("where", "lon"), message % {"value": number(where.lon)}))
        if not RADIUS_MIN <= where.radius <= RADIUS_MAX:
            message = _(
                "le rayon %(value)s m n'est pas entre 10 et 500 m ; 30 m convient à la plupart "
                "des balises"
            )
            errors.append((("where", "radius"), message % {"value": number(where.radius)}))
    if step.arrive is None:
        return errors
    if not step.kind.scanned:
        errors.append(
            (("arrive",), _("seule une étape de type checkpoint a 'arrive' ; supprimez-le"))
        )
    elif not step.arrive:
        message = _("dites comment on ouvre cette balise : [qr], [qr, gps] ou [gps]")
        errors.append((("arrive",), message))
    elif "gps" in step.arrive and where is None:
        message = _(
            "'gps' a besoin de 'where' : ajoutez where: {lat: …, lon: …} à cette étape, ou "
            "retirez gps"
        )
        errors.append((("arrive",), message))
    return errors


def distance_m(lat: float, lon: float, other_lat: float, other_lon: float) -> float:
    """Great-circle distance in metres (haversine): exact enough at a marker's scale."""
    dlat = radians(other_lat - lat)
    dlon = radians(other_lon - lon)
    h = sin(dlat / 2) ** 2 + cos(radians(lat)) * cos(radians(other_lat)) * sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_M * asin(min(1.0, sqrt(h)))


def reach(place: Place, accuracy: float) -> float:
    """How far from the marker a phone may be and count as arrived: the radius, widened by the
    phone's own uncertainty up to `ACCURACY_CAP`."""
    return place.radius + min(max(accuracy, 0.0), ACCURACY_CAP)


def arrived(place: Place, lat: float, lon: float, accuracy: float) -> bool:
    return distance_m(place.lat, place.lon, lat, lon) <= reach(place, accuracy)


def rounded_distance(metres: float) -> int:
    """A distance as a person says it: to 10 m under a kilometre, to 100 m above."""
    step = 10 if metres < 1000 else 100
    return max(step, round(metres / step) * step)
