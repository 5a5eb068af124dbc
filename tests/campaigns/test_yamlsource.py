"""The YAML reader keeps what the CM typed and says where, and refuses what they never mean."""

from __future__ import annotations

import pytest

from campaigns.yamlsource import MAX_BYTES, YamlSourceError, describe, parse_yaml


def error_of(source: str | bytes) -> str:
    with pytest.raises(YamlSourceError) as caught:
        parse_yaml(source)
    return str(caught.value)


def test_every_scalar_stays_the_text_typed() -> None:
    # PyYAML's safe_load gives 512, 750, False, True, a date and 0.1 for these (BAD_INPUTS 3).
    data = parse_yaml(
        "zip: 01000\ntime: 12:30\nanswer: no\nother: on\nday: 2026-09-19\nbox: 0.10\nyear: 1912\n"
    ).data
    assert data == {
        "zip": "01000",
        "time": "12:30",
        "answer": "no",
        "other": "on",
        "day": "2026-09-19",
        "box": "0.10",
        "year": "1912",
    }


def test_only_plain_nulls_are_none() -> None:
    data = parse_yaml('a: ~\nb: null\nc:\nd: "null"\ne: "~"\nf: ""\n').data
    assert data == {"a": None, "b": None, "c": None, "d": "null", "e": "~", "f": ""}


def test_marks_give_line_and_column_of_keys_and_values() -> None:
    document = parse_yaml(
        "version: 1\ncampaigns:\n  - slug: a\n    steps:\n      - reveal:\n"
        "          - [0.40, 0.10, 0.60, 0.30]\n"
    )
    marks = document.marks
    assert marks.value(("version",)) == (1, 10)
    assert marks.key(("campaigns", 0, "slug")) == (3, 5)
    assert marks.value(("campaigns", 0, "slug")) == (3, 11)
    assert marks.value(("campaigns", 0, "steps", 0, "reveal", 0)) == (6, 13)
    assert marks.value(("campaigns", 0, "steps", 0, "reveal", 0, 2)) == (6, 26)
    # A path that was not typed falls back to its nearest typed ancestor.
    assert marks.value(("campaigns", 0, "steps", 0, "answers", 0)) == (5, 9)


def test_columns_count_characters_not_bytes() -> None:
    assert parse_yaml("é: ü\nà: [x]\n").marks.value(("à", 0)) == (2, 5)


def test_duplicate_key_is_refused_with_both_lines() -> None:
    # BAD_INPUTS 2: PyYAML silently keeps the last one.
    source = "steps:\n  - id: tour\n    answers: [a]\n    answers: [b]\n"
    assert error_of(source) == (
        "4:5: la clé 'answers' est en double (d'abord à la ligne 3) ; n'en gardez qu'une"
    )


def test_alias_bomb_is_refused_at_the_first_anchor() -> None:
    bomb = 'a: &a ["lol","lol","lol"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: [*b,*b,*b,*b,*b]\n'
    assert error_of(bomb) == (
        "1:4: les ancres et les alias (&nom, *nom) ne sont pas permis dans un fichier de "
        "campagne ; écrivez la valeur en entier"
    )


def test_python_tag_is_refused() -> None:
    assert error_of("title: !!python/object/apply:os.system [ls]\n") == (
        "1:8: l'étiquette '!!python/object/apply:os.system' n'est pas permise ; supprimez-la "
        "(chaque valeur est lue comme du texte ; mettez-la entre guillemets si besoin)"
    )


def test_even_a_harmless_tag_is_refused() -> None:
    assert error_of("year: !!int 1912\n").startswith("1:7: l'étiquette '!!int' n'est pas permise")


def test_huge_file_is_refused_before_parsing() -> None:
    assert error_of(b"a: " + b"x" * MAX_BYTES + b"\n") == (
        "1:1: ce fichier est trop gros (1,0 Mo) ; un fichier de campagne doit rester sous 1 Mo : "
        "mettez les photos à côté, pas dedans"
    )


def test_deep_nesting_is_refused() -> None:
    assert error_of("[" * 60 + "]" * 60) == (
        "1:42: les valeurs sont imbriquées sur plus de 40 niveaux"
    )


def test_bom_and_crlf_are_accepted() -> None:
    document = parse_yaml(b"\xef\xbb\xbftitle: Caf\xc3\xa9\r\nyear: 1912\r\n")
    assert document.data == {"title": "Café", "year": "1912"}
    assert document.marks.value(("year",)) == (2, 7)


def test_latin1_file_gives_a_decode_error_with_its_position() -> None:
    assert error_of("version: 1\ntitle: Fête\n".encode("latin-1")) == (
        "2:9: ce fichier n'est pas du texte UTF-8 (octet 0xEA) ; enregistrez-le à nouveau avec "
        "l'encodage UTF-8 dans votre éditeur"
    )


def test_tab_indentation() -> None:
    assert error_of("steps:\n\t- id: a\n") == (
        "2:1: une tabulation sert à indenter ; YAML n'indente qu'avec des espaces"
    )


def test_unclosed_quote_names_the_line_where_it_opened() -> None:
    assert error_of('title: "Où sommes-nous ?\nintro: x\n') == (
        "3:1: le guillemet ouvert à la ligne 1 n'est jamais fermé ; ajoutez le guillemet fermant"
    )


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            "campaign:\n  hashtags: [#JEP2026]\n  languages: [fr]\n  steps: []\n",
            "2:14: '#' commence un commentaire en YAML, donc le '[' ouvert à la ligne 2 n'est pas "
            'fermé ; mettez la valeur entre guillemets : ["#JEP2026"]',
        ),
        (
            "campaign:\n  hashtags: [#JEP2026, #ValDeLoir]   # for social networks\n  steps: []\n",
            "2:14: '#' commence un commentaire en YAML, donc le '[' ouvert à la ligne 2 n'est pas "
            'fermé ; mettez la valeur entre guillemets : ["#JEP2026", "#ValDeLoir"]',
        ),
        (
            "campaign:\n  hashtags: [jep, #ValDeLoir]\n",
            "2:19: '#' commence un commentaire en YAML, donc le '[' ouvert à la ligne 2 n'est pas "
            'fermé ; mettez la valeur entre guillemets : [jep, "#ValDeLoir"]',
        ),
        (
            "campaign:\n  hashtags: [\n    #JEP2026]\n  steps: []\n",
            "3:5: '#' commence un commentaire en YAML, donc le '[' ouvert à la ligne 2 n'est pas "
            'fermé ; mettez la valeur entre guillemets : "#JEP2026"',
        ),
        (
            "campaign:\n  tags: {reseau: #JEP2026}\n  steps: []\n",
            "2:18: '#' commence un commentaire en YAML, donc le '{' ouvert à la ligne 2 n'est pas "
            'fermé ; mettez la valeur entre guillemets : {reseau: "#JEP2026"}',
        ),
    ],
)
def test_a_hashtag_in_a_list_says_hash_starts_a_comment(typed: str, message: str) -> None:
    # libyaml reads the '#' as a comment and reports an unclosed '[': the CM's mistake is the '#'.
    assert error_of(typed) == message


def test_a_comment_in_a_closed_list_is_no_syntax_error() -> None:
    assert parse_yaml('hashtags: [a,   # the first\n  "#b"]\n').data == {"hashtags": ["a", "#b"]}


def test_bad_indentation() -> None:
    assert error_of("campaign:\n  slug: a\n title: b\n") == (
        "3:2: cette ligne n'est pas indentée comme les clés de l'ensemble ouvert à la ligne 1 ; "
        "alignez-la avec des espaces"
    )


def test_colon_inside_unquoted_text() -> None:
    assert error_of("title: Borne 3: le pont\n") == (
        "1:15: ':' inattendu ; mettez entre guillemets un texte qui contient ': '"
    )


def test_control_character() -> None:
    assert error_of("title: é\x07\n") == (
        "1:9: le caractère #x0007 n'est pas permis en YAML ; supprimez-le"
    )


def test_two_documents_are_refused() -> None:
    assert error_of("version: 1\n---\nversion: 1\n") == (
        "2:1: un fichier de campagne contient un seul document YAML ; supprimez ce '---'"
    )


def test_empty_file_is_no_data() -> None:
    assert parse_yaml("# nothing yet\n").data is None


def test_describe_writes_paths_like_the_cm_reads_them() -> None:
    assert describe(("steps", 3, "reveal", 0)) == "steps[3].reveal[0]"
    assert describe(("title", "en")) == "title.en"
    assert describe(()) == ""
