"""`balises user add NAME --role cm|staff`: create a staff account from the command line.

The password is typed twice at a terminal (never echoed, never an argument that would land in
the shell history or `ps`), or read from the first line of standard input when a script pipes
it in. It works on an existing instance (`balises.instance`: the site's own database, or the
account could not log in); the database is brought to the latest schema first, as the site does
at start. The messages of the accounts module speak the terminal's language too.
"""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable
from typing import TextIO

from balises.messages import _, language
from balises.settings import Settings
from web import console

OK = 0
FAILED = 1


def _ask(prompt: Callable[[str], str]) -> str | None:
    first = prompt(_("Mot de passe : "))
    second = prompt(_("Mot de passe, encore : "))
    if first != second:
        return None
    return first


def read_password(
    stdin: TextIO | None = None, prompt: Callable[[str], str] = getpass.getpass
) -> str | None:
    """The password from the terminal (twice) or stdin's first line; None when they differ."""
    stream = stdin if stdin is not None else sys.stdin
    if stream.isatty():
        return _ask(prompt)
    line = stream.readline()
    return line.rstrip("\r\n")


def run_user_add(
    name: str,
    role: str,
    settings: Settings,
    password: str | None = None,
    *,
    stdin: TextIO | None = None,
    prompt: Callable[[str], str] = getpass.getpass,
    out: TextIO | None = None,
) -> int:
    """Create the account; 0 on success, 1 with a French message on stderr otherwise."""
    console.speak(language())
    err = out if out is not None else sys.stderr
    if role not in console.roles():
        print(
            _("balises user add : rôle inconnu « %(role)s » : cm ou staff") % {"role": role},
            file=err,
        )
        return FAILED
    refused = console.name_refusal(name)
    if refused is not None:
        print(f"balises user add : {refused}", file=err)
        return FAILED
    if password is None:
        password = read_password(stdin, prompt)
        if password is None:
            print(_("balises user add : les deux mots de passe ne sont pas identiques"), file=err)
            return FAILED
    refused = console.password_refusal(password)
    if refused is not None:
        print(f"balises user add : {refused}", file=err)
        return FAILED
    try:
        stored, stored_role = console.add_account(settings, name, role, password)
    except console.Refused as refusal:
        print(f"balises user add : {refusal}", file=err)
        return FAILED
    created = _("compte « %(name)s » créé (rôle %(role)s)") % {"name": stored, "role": stored_role}
    print(created, file=sys.stdout)
    return OK


def run_user_disable(name: str, settings: Settings, *, out: TextIO | None = None) -> int:
    """Disable an account and end its sessions at once (its cookies stop working)."""
    err = out if out is not None else sys.stderr
    if not console.disable_account(settings, name):
        print(_("balises user disable : aucun compte « %(name)s »") % {"name": name}, file=err)
        return FAILED
    print(_("compte « %(name)s » désactivé") % {"name": name}, file=sys.stdout)
    return OK
