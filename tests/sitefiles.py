"""A city's `site.yaml` and logo, written for a test (shared by the campaign, web and e2e tests)."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

SITE_YAML = """\
version: 1
site:
  name: "Ville de Val-de-Loir"
  url: https://www.val-de-loir.example.fr
  logo: logo.svg
  colour: "#0b5c4b"
  publisher: |
    Éditeur : Mairie de Val-de-Loir, 1 place de la Mairie.
    Directrice de la publication : Claire Martin, maire.
    Hébergeur : Hébergeur Exemple SAS, 2 rue du Serveur, Tours.
  privacy:
    controller: "Mairie de Val-de-Loir, 1 place de la Mairie"
    dpo: dpo@val-de-loir.example.fr
  accessibility:
    status: partiellement conforme
    audited: 2026-10-01
    rate: 87
    contact: accessibilite@val-de-loir.example.fr
    not_accessible: "Les photos des énigmes n'ont pas toutes une description détaillée."
"""

LOGO_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40">'
    '<circle cx="20" cy="20" r="18" fill="#0b5c4b"/></svg>'
)


def png_logo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA", (120, 60), (11, 92, 75, 255)).save(buffer, "PNG")
    return buffer.getvalue()


def write_site(folder: Path, text: str = SITE_YAML, logo: str | bytes = LOGO_SVG) -> Path:
    """`site.yaml` (and its logo, `logo.svg` or `logo.png` by its content) in `folder`."""
    path = folder / "site.yaml"
    path.write_text(text, encoding="utf-8")
    if isinstance(logo, bytes):
        (folder / "logo.png").write_bytes(logo)
    else:
        (folder / "logo.svg").write_text(logo, encoding="utf-8")
    return path


def edited(**values: str) -> str:
    """SITE_YAML with the value of each `key` line replaced (`colour='"red"'`)."""
    lines = []
    for line in SITE_YAML.splitlines():
        key = line.strip().split(":", 1)[0]
        if key in values and ":" in line:
            indent = line[: len(line) - len(line.lstrip())]
            line = f"{indent}{key}: {values[key]}"
        lines.append(line)
    return "\n".join(lines) + "\n"
