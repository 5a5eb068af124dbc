"""A YAML syntax error as the CM should read it: where, and a sentence that says what to do.

libyaml's own messages ("did not find expected key while parsing a block mapping") name its
parser's states; this turns each kind it raises into the mistake a person made (a tab, a quote
left open, a misaligned line, an unquoted `: ` or `#`) and the place to fix it.
"""

from __future__ import annotations

import re

import yaml

from campaigns.wording import _


def syntax_error(error: yaml.MarkedYAMLError, text: str) -> tuple[int, int, str]:
    """A libyaml complaint as (line, column, a sentence that says what to do)."""
    mark = error.problem_mark or error.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = error.problem or ""
    context = error.context or ""
    opened = (
        _("à la ligne %(line)s") % {"line": error.context_mark.line + 1}
        if error.context_mark
        else _("plus haut")
    )
    lines = text.split("\n")
    char = lines[line - 1][col - 1 : col] if line <= len(lines) else ""
    comment = _comment_in_flow(text, line) if "flow" in context else None
    if "tab" in problem or char == "\t":
        message = _("une tabulation sert à indenter ; YAML n'indente qu'avec des espaces")
    elif comment is not None:
        line, col, message = comment
    elif "quoted scalar" in context:
        message = _(
            "le guillemet ouvert %(opened)s n'est jamais fermé ; ajoutez le guillemet fermant"
        ) % {"opened": opened}
    elif "did not find expected key" in problem:
        message = _(
            "cette ligne n'est pas indentée comme les clés de l'ensemble ouvert %(opened)s ; "
            "alignez-la avec des espaces"
        ) % {"opened": opened}
    elif "expected '-' indicator" in problem:
        message = _(
            "cette ligne n'est pas indentée comme la liste ouverte %(opened)s ; "
            "alignez-la sur la première clé après son '-'"
        ) % {"opened": opened}
    elif "mapping values are not allowed" in problem:
        message = _("':' inattendu ; mettez entre guillemets un texte qui contient ': '")
    elif "flow sequence" in context or "flow mapping" in context:
        message = _("le '[' ou le '{' ouvert %(opened)s n'est pas fermé ; ajoutez ']' ou '}'") % {
            "opened": opened
        }
    elif "could not find expected ':'" in problem:
        message = _("'clé: valeur' attendu %(opened)s ; une clé a besoin de ':' après elle") % {
            "opened": opened
        }
    else:
        message = _("erreur de syntaxe YAML : %(problem)s") % {"problem": problem}
        if context:
            message += _(" (%(context)s, %(opened)s)") % {"context": context, "opened": opened}
    return line, col, message


_OPENERS = (yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken)


_CLOSERS = (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken)


def _comment_in_flow(text: str, error_line: int) -> tuple[int, int, str] | None:
    """`hashtags: [#JEP2026]`: a `#` that YAML read as a comment inside a `[` or `{` left open.

    libyaml then reports the bracket as never closed, which sends the CM looking for a missing
    `]`. Between two tokens there is only blank space and comments, so a `#` found there, inside
    a bracket still open where the error is, is such a comment.
    """
    open_brackets: list[tuple[yaml.Mark, int | None]] = []  # the bracket, the first '#' after it
    previous: int | None = None
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if token.start_mark.line + 1 > error_line:
                break
            if open_brackets and previous is not None and open_brackets[-1][1] is None:
                at = text.find("#", previous, token.start_mark.index)
                if at >= 0:
                    open_brackets[-1] = (open_brackets[-1][0], at)
            if isinstance(token, _OPENERS):
                open_brackets.append((token.start_mark, None))
            elif isinstance(token, _CLOSERS) and open_brackets:
                open_brackets.pop()
            previous = token.end_mark.index
    except yaml.YAMLError:
        pass  # the tokens read before the error are what matters
    for bracket, comment in open_brackets:
        if comment is not None:
            line = text.count("\n", 0, comment) + 1
            col = comment - (text.rfind("\n", 0, comment) + 1) + 1
            opener = text[bracket.index]
            return (
                line,
                col,
                _(
                    "'#' commence un commentaire en YAML, donc le '%(opener)s' ouvert à la ligne "
                    "%(line)s n'est pas fermé ; mettez la valeur entre guillemets : %(quoted)s"
                )
                % {
                    "opener": opener,
                    "line": bracket.line + 1,
                    "quoted": _quoted(text, bracket.index, comment),
                },
            )
    return None


def _quoted(text: str, opened: int, at: int) -> str:
    """What the CM should have typed: the bracket's values that start with '#', in quotes."""
    end = text.find("\n", opened)
    line = text[opened : end if end >= 0 else len(text)]
    closer = "]" if line[0] == "[" else "}"
    close = line.find(closer, at - opened)
    if close < 0 or text.count("\n", opened, at):
        word = re.match(r"#[^\s,\]}]*", text[at:])
        return f'"{word.group(0) if word else "#"}"'
    items = []
    for item in line[1:close].split(","):
        key, colon, value = item.strip().rpartition(": ")
        value = f'"{value}"' if value.startswith("#") else value
        items.append(f"{key}{colon}{value}")
    return f"{line[0]}{', '.join(items)}{closer}"
