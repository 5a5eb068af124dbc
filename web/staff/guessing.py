"""How failed staff logins slow password guessing without letting anyone lock a colleague out.

A lockout per account name (five failures from anywhere lock the account) hands every stranger
a way to keep the community manager out, and a lockout per address locks a whole town hall out
behind its one NAT address after one person's typos. Balises counts instead, following OWASP's
"device cookie" scheme:

- per account and client (`MAX_FAILURES` in `WINDOW`): the client is the browser's device
  cookie when it holds one for this account, else the address. Someone mistyping their own
  password slows only themselves: colleagues behind the same address use other accounts, and
  a stranger's failures on one address never reach the account owner's own browser;
- per address, all names together (`PER_ADDRESS`): a script trying many names from one place.
  High enough that a NAT full of staff never reaches it by mistakes;
- per account, from browsers without its device cookie (`UNTRUSTED_PER_ACCOUNT`): guesses
  spread over many addresses. When reached, only unknown browsers wait.

A correct password opens a device cookie for its account (signed, no server state, a year):
from then on that browser is counted on its own and passes the address and account limits,
so a named account can always be opened from where its owner already logged in. Only failures
count: each try takes its place in the counters before the password is checked (atomically,
`counters.take`, so twenty tries sent at once get exactly as many checks as the limits allow,
on every worker), and a right password gives the places back.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from functools import lru_cache

from itsdangerous import BadData, URLSafeTimedSerializer

from web.store import counters

MAX_FAILURES = 5
WINDOW = 15 * 60
PER_ADDRESS = 30
UNTRUSTED_PER_ACCOUNT = 20
DEVICE_COOKIE = "balises_device"
DEVICE_SECONDS = 365 * 24 * 3600
_SALT = "balises-staff-device"


@lru_cache(maxsize=8)
def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=_SALT)


def account_key(name: str) -> str:
    """How failures name an account, known or not (so unknown names are counted alike)."""
    return name.strip().casefold()[:80]


def device_cookie(secret_key: str, name: str) -> str:
    """A new device cookie for the account `name`: its key and a random id of this browser."""
    return str(_serializer(secret_key).dumps({"a": account_key(name), "d": secrets.token_hex(8)}))


def device_of(secret_key: str, cookie: str | None, name: str) -> str | None:
    """The device id of a valid device cookie for the account `name`, else None."""
    if not cookie or len(cookie) > 300:
        return None
    try:
        payload = _serializer(secret_key).loads(cookie, max_age=DEVICE_SECONDS)
    except BadData:
        return None
    if not isinstance(payload, dict) or payload.get("a") != account_key(name):
        return None
    device = payload.get("d")
    return device if isinstance(device, str) and device else None


@dataclass(frozen=True)
class Counted:
    """The limits one login try counts against, and whether it comes from a known device."""

    limits: list[counters.Limit]
    known_device: bool


def limits_for(name: str, ip: str, device: str | None) -> Counted:
    account = account_key(name)
    if device is not None:
        return Counted([counters.Limit(f"staff-login-device:{device}", WINDOW, MAX_FAILURES)], True)
    return Counted(
        [
            counters.Limit(f"staff-login:{account}:{ip}", WINDOW, MAX_FAILURES),
            counters.Limit(f"staff-login-ip:{ip}", WINDOW, PER_ADDRESS),
            counters.Limit(f"staff-login-name:{account}", WINDOW, UNTRUSTED_PER_ACCOUNT),
        ],
        False,
    )
