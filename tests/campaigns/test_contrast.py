"""The accent colour's contrast, measured as WCAG 2.1 does (the figures a CM is told)."""

from __future__ import annotations

from campaigns.contrast import darker_passing, measure, parse_hex, ratio


def test_wcag_figures() -> None:
    assert round(ratio((0, 0, 0), (255, 255, 255)), 2) == 21.0
    assert round(ratio((255, 255, 255), (255, 255, 255)), 2) == 1.0
    # WebAIM's checker: #767676 on white is the lightest grey that passes, 4.54:1
    assert round(ratio((0x76, 0x76, 0x76), (255, 255, 255)), 2) == 4.54


def test_balises_own_accent_passes_on_paper_and_under_white() -> None:
    found = measure(parse_hex("#0b5d4b") or (0, 0, 0))
    assert found.passes
    assert round(found.on_paper, 2) == 7.63


def test_a_fix_is_the_lightest_darker_shade_that_passes() -> None:
    pale = parse_hex("#ffcc00") or (0, 0, 0)
    fix = darker_passing(pale)
    assert measure(fix).passes
    lighter = tuple(min(255, c + 3) for c in fix)
    assert not measure(lighter).passes  # type: ignore[arg-type]


def test_only_hexadecimal_colours_are_read() -> None:
    assert parse_hex("#0B5C4B") == (11, 92, 75)
    assert parse_hex("#fff") == (255, 255, 255)
    for value in ("red", "#12", "0b5c4b", "#0b5c4bff", "rgb(0,0,0)"):
        assert parse_hex(value) is None
