"""Reading a campaign file's YAML into plain data, remembering where every value was typed.

PyYAML's `safe_load` guesses types (`01000` becomes 512, `12:30` becomes 750, `no` becomes
False, `2026-09-19` a date), silently keeps the last of two duplicate keys, and follows
anchors and aliases into a "billion laughs". A CM's file is text typed by a person, so this
reader keeps every scalar as the exact text typed (only a plain `~`, `null` or nothing is
None) and lets the pydantic model convert strings only where it asks for a number or a date.
It refuses duplicate keys, anchors, aliases and explicit tags (`!!python/object/...`), caps the
file size, node count and nesting, and turns every syntax error into a position and a sentence.

It composes the document itself from libyaml's event stream (PyYAML's `CSafeLoader`, falling
back to the pure `SafeLoader`), so it is fast and keeps the line and column of every key and
value: `Marks` maps a document path such as `('campaigns', 0, 'steps', 3, 'reveal', 0)` to a
1-based `(line, col)`.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field

import yaml

from campaigns.wording import SOURCE, _, current, ngettext
from campaigns.yamlsyntax import syntax_error

MAX_BYTES = 1_000_000
MAX_NODES = 200_000
MAX_DEPTH = 40
NULLS = frozenset({"", "~", "null", "Null", "NULL"})

Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

DocPath = tuple[str | int, ...]
Position = tuple[int, int]


class StrictLoader(Loader):  # type: ignore[misc,valid-type]
    """A safe loader whose event stream this module composes; never constructs Python objects."""


class YamlSourceError(Exception):
    """The file cannot be read as YAML; `line` and `col` are 1-based."""

    def __init__(self, line: int, col: int, message: str) -> None:
        super().__init__(f"{line}:{col}: {message}")
        self.line = line
        self.col = col
        self.message = message


@dataclass
class Marks:
    """Where each value (and each mapping key) of the document was typed."""

    values: dict[DocPath, Position] = field(default_factory=dict)
    keys: dict[DocPath, Position] = field(default_factory=dict)

    def value(self, path: DocPath) -> Position:
        """The position of the value at `path`, or of its nearest ancestor that was typed."""
        while path not in self.values and path:
            path = path[:-1]
        return self.values.get(path, (1, 1))

    def key(self, path: DocPath) -> Position:
        """The position of the key naming `path`, else of its value."""
        return self.keys.get(path) or self.value(path)


@dataclass(frozen=True)
class YamlDocument:
    data: object
    marks: Marks


def describe(path: DocPath) -> str:
    """`('steps', 3, 'reveal', 0)` as a CM reads it: `steps[3].reveal[0]`."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def decode(source: str | bytes) -> str:
    """UTF-8 text without its byte-order mark; a clear error with the position otherwise."""
    if isinstance(source, str):
        return source.removeprefix("\ufeff")
    if len(source) > MAX_BYTES:
        raise YamlSourceError(1, 1, too_large_message(len(source)))
    source = source.removeprefix(codecs.BOM_UTF8)
    try:
        return source.decode("utf-8")
    except UnicodeDecodeError as error:
        line = source.count(b"\n", 0, error.start) + 1
        start = source.rfind(b"\n", 0, error.start) + 1
        col = len(source[start : error.start].decode("utf-8", "replace")) + 1
        raise YamlSourceError(
            line,
            col,
            _(
                "ce fichier n'est pas du texte UTF-8 (octet 0x%(byte)02X) ; enregistrez-le à "
                "nouveau avec l'encodage UTF-8 dans votre éditeur"
            )
            % {"byte": source[error.start]},
        ) from None


def too_large_message(size: int) -> str:
    return _(
        "ce fichier est trop gros (%(size)s Mo) ; un fichier de campagne doit rester sous "
        "%(limit)s Mo : mettez les photos à côté, pas dedans"
    ) % {"size": _megabytes(size), "limit": MAX_BYTES // 1_000_000}


def _megabytes(size: int) -> str:
    """`1.5` in English, `1,5` in French."""
    text = f"{size / 1_000_000:.1f}"
    return text.replace(".", ",") if current() == SOURCE else text


def parse_yaml(source: str | bytes) -> YamlDocument:
    """The document's data and marks; raises `YamlSourceError` for anything unreadable."""
    text = decode(source)
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise YamlSourceError(1, 1, too_large_message(len(text.encode("utf-8"))))
    text = text.replace("\r\n", "\n")
    loader = StrictLoader(text)
    try:
        return _Composer(text).compose(loader)
    except yaml.MarkedYAMLError as error:
        raise YamlSourceError(*syntax_error(error, text)) from None
    except yaml.reader.ReaderError as error:
        line, col = _byte_position(text, error.position)
        raise YamlSourceError(
            line,
            col,
            _("le caractère #x%(char)04X n'est pas permis en YAML ; supprimez-le")
            % {"char": error.character},
        ) from None
    finally:
        loader.dispose()


def _byte_position(text: str, offset: int) -> Position:
    raw = text.encode("utf-8")[:offset]
    start = raw.rfind(b"\n") + 1
    return raw.count(b"\n") + 1, len(raw[start:].decode("utf-8", "replace")) + 1


def _written(tag: str) -> str:
    """A tag as the CM typed it: `!!python/...`, not `tag:yaml.org,2002:python/...`."""
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org") else tag


class _Frame:
    """A mapping or list being filled, with its path and, for a mapping, the key read last."""

    __slots__ = ("container", "key", "path")

    def __init__(self, container: dict[str, object] | list[object], path: DocPath) -> None:
        self.container = container
        self.path = path
        self.key: str | None = None


class _Composer:
    """Builds dicts, lists and strings from YAML events, refusing what a CM never means.

    Written as one flat loop because it runs once per value of a file that can hold thousands.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.marks = Marks()

    def compose(self, loader: yaml.SafeLoader) -> YamlDocument:
        values, keys = self.marks.values, self.marks.keys
        root: list[object] = []
        stack: list[_Frame] = []
        documents = nodes = 0
        while True:
            event = loader.get_event()  # type: ignore[no-untyped-call]
            kind = type(event)
            if kind in _SKIPPED:
                continue
            if kind in _ENDS:
                stack.pop()
                continue
            if kind is yaml.StreamEndEvent:
                break
            mark = event.start_mark
            position = (mark.line + 1, mark.column + 1)
            if kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise YamlSourceError(*position, _one_document())
                continue
            _refuse(event, position)
            nodes += 1
            if nodes > MAX_NODES or len(stack) > MAX_DEPTH:
                too_many = ngettext(
                    "ce fichier a plus de %(num)s valeur",
                    "ce fichier a plus de %(num)s valeurs",
                    MAX_NODES,
                ) % {"num": MAX_NODES}
                too_deep = ngettext(
                    "les valeurs sont imbriquées sur plus de %(num)s niveau",
                    "les valeurs sont imbriquées sur plus de %(num)s niveaux",
                    MAX_DEPTH,
                ) % {"num": MAX_DEPTH}
                raise YamlSourceError(*position, too_deep if nodes <= MAX_NODES else too_many)
            frame = stack[-1] if stack else None
            container = frame.container if frame else None
            if frame is not None and type(container) is dict and frame.key is None:
                if kind is not yaml.ScalarEvent:
                    raise YamlSourceError(*position, _key_shape())
                key = event.value
                if key in container:
                    first = keys[(*frame.path, key)][0]
                    raise YamlSourceError(
                        *position,
                        _(
                            "la clé '%(key)s' est en double (d'abord à la ligne %(first)s) ; "
                            "n'en gardez qu'une"
                        )
                        % {"key": key, "first": first},
                    )
                keys[(*frame.path, key)] = position
                frame.key = key
                continue
            value: dict[str, object] | list[object] | str | None
            if kind is yaml.ScalarEvent:
                value = event.value
                if value in NULLS and not event.style and event.implicit[0]:
                    value = None
            else:
                value = {} if kind is yaml.MappingStartEvent else []
            if frame is None:
                path: DocPath = ()
                root.append(value)
            elif type(container) is dict:
                assert frame.key is not None
                path = (*frame.path, frame.key)
                container[frame.key] = value
                frame.key = None
            else:
                assert isinstance(container, list)
                path = (*frame.path, len(container))
                container.append(value)
            values[path] = position
            if kind is not yaml.ScalarEvent:
                assert isinstance(value, dict | list)
                stack.append(_Frame(value, path))
        return YamlDocument(root[0] if root else None, self.marks)


_SKIPPED = frozenset({yaml.StreamStartEvent, yaml.DocumentEndEvent})
_ENDS = frozenset({yaml.SequenceEndEvent, yaml.MappingEndEvent})


def _one_document() -> str:
    return _("un fichier de campagne contient un seul document YAML ; supprimez ce '---'")


def _key_shape() -> str:
    return _("une clé doit être un simple mot, pas une liste ni un ensemble de clés")


def _refuse(event: yaml.Event, position: Position) -> None:
    """Anchors, aliases and tags: features a campaign never needs and attackers love."""
    if type(event) is yaml.AliasEvent or getattr(event, "anchor", None):
        raise YamlSourceError(
            *position,
            _(
                "les ancres et les alias (&nom, *nom) ne sont pas permis dans un fichier de "
                "campagne ; écrivez la valeur en entier"
            ),
        )
    tag = getattr(event, "tag", None)
    if tag:
        raise YamlSourceError(
            *position,
            _(
                "l'étiquette '%(tag)s' n'est pas permise ; supprimez-la (chaque valeur est lue "
                "comme du texte ; mettez-la entre guillemets si besoin)"
            )
            % {"tag": _written(tag)},
        )
