"""A story heard or watched: `balises check` refuses a recording without its transcript, a film
without its captions, and any file that is missing, unknown or not what its name says."""

from __future__ import annotations

from pathlib import Path

import pytest

from campaigns import storymedia, wording
from campaigns.loading import load_file
from tests.campaigns.rulefiles import check, edit
from tests.mediafiles import m4a_bytes, mp3_bytes, mp4_bytes, opus_bytes, vtt_text, webm_bytes

STORY = "        hints: [Elle a perdu son abbaye.]\n"


def with_story(media: str) -> str:
    """The rule file's riddle with `media` (YAML lines) added to it."""
    return edit(STORY, STORY + media)


def files(tmp_path: Path, **named: bytes) -> None:
    for name, content in named.items():
        (tmp_path / name.replace("_", ".")).write_bytes(content)


def test_a_recording_with_its_transcript_and_a_film_with_its_captions_load(tmp_path: Path) -> None:
    files(tmp_path, recit_mp3=mp3_bytes(), film_mp4=mp4_bytes(), film_vtt=vtt_text().encode())
    text = with_story(
        "        audio: recit.mp3\n        transcript: Voici la tour.\n"
        "        video: film.mp4\n        captions: film.vtt\n"
    )
    text = edit("      video: https://example.fr/film.mp4\n", "      audio: recit.mp3\n"
                "      transcript: Merci à tous.\n", text)  # fmt: skip
    assert check(tmp_path, text) == []
    loaded = load_file(tmp_path / "campaigns.yaml").campaigns[0]
    assert loaded.steps[0].audio == "recit.mp3" and loaded.finale is not None
    assert loaded.finale.transcript == "Merci à tous."


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("a.mp3", mp3_bytes()),
        ("b.mp3", mp3_bytes(id3=False)),
        ("c.opus", opus_bytes()),
        ("d.ogg", opus_bytes()),
        ("e.m4a", m4a_bytes()),
    ],
)
def test_every_recording_format_phones_play_is_accepted(
    tmp_path: Path, name: str, content: bytes
) -> None:
    (tmp_path / name).write_bytes(content)
    text = with_story(f"        audio: {name}\n        transcript: Voici la tour.\n")
    assert check(tmp_path, text) == []


def test_a_webm_film_is_accepted(tmp_path: Path) -> None:
    files(tmp_path, film_webm=webm_bytes(), film_vtt=b"\xef\xbb\xbf" + vtt_text().encode())
    assert (
        check(tmp_path, with_story("        video: film.webm\n        captions: film.vtt\n")) == []
    )


def test_a_recording_needs_its_transcript(tmp_path: Path) -> None:
    files(tmp_path, recit_mp3=mp3_bytes())
    assert check(tmp_path, with_story("        audio: recit.mp3\n")) == [
        "campaigns.yaml:25:16: steps[0].audio : un son a besoin de 'transcript' : ce qu'il dit, "
        "écrit en dessous pour les personnes qui ne l'entendent pas"
    ]


def test_an_empty_transcript_is_refused(tmp_path: Path) -> None:
    files(tmp_path, recit_mp3=mp3_bytes())
    text = with_story("        audio: recit.mp3\n        transcript: ' '\n")
    assert check(tmp_path, text) == [
        "campaigns.yaml:26:21: steps[0].transcript : cette transcription est vide ; écrivez "
        "tout ce que dit l'enregistrement"
    ]


def test_a_transcript_of_nothing_is_refused(tmp_path: Path) -> None:
    text = edit("      video: https://example.fr/film.mp4\n", "      transcript: Merci.\n")
    assert check(tmp_path, text) == [
        "campaigns.yaml:35:19: finale.transcript : il n'y a ni 'audio' ni 'video' à transcrire ; "
        "ajoutez le fichier ou supprimez 'transcript'"
    ]


def test_a_film_beside_the_file_needs_captions(tmp_path: Path) -> None:
    files(tmp_path, film_mp4=mp4_bytes())
    text = edit("video: https://example.fr/film.mp4", "video: film.mp4")
    assert check(tmp_path, text) == [
        "campaigns.yaml:35:14: finale.video : une vidéo a besoin de 'captions' : ses "
        "sous-titres, un fichier WebVTT (.vtt) à côté de ce fichier YAML"
    ]


def test_a_film_elsewhere_is_a_link_and_takes_no_captions(tmp_path: Path) -> None:
    text = edit(
        "video: https://example.fr/film.mp4",
        "video: https://example.fr/film.mp4\n      captions: f.vtt",
    )
    assert check(tmp_path, text) == [
        "campaigns.yaml:36:17: finale.captions : 'captions' sert à une vidéo à côté de ce "
        "fichier YAML ; une vidéo sur un autre site n'est qu'un lien : supprimez 'captions'"
    ]


def test_a_missing_file_is_named_with_a_suggestion(tmp_path: Path) -> None:
    files(tmp_path, recit_mp3=mp3_bytes())
    text = with_story("        audio: Recit.mp3\n        transcript: Voici la tour.\n")
    assert check(tmp_path, text) == [
        "campaigns.yaml:25:16: steps[0].audio : il n'y a pas de fichier 'Recit.mp3' à côté de "
        "campaigns.yaml ; vouliez-vous dire 'recit.mp3' ?"
    ]


def test_a_file_outside_the_folder_is_refused(tmp_path: Path) -> None:
    text = with_story("        audio: ../recit.mp3\n        transcript: Voici la tour.\n")
    assert check(tmp_path, text) == [
        "campaigns.yaml:25:16: steps[0].audio : '../recit.mp3' est en dehors du dossier de ce "
        "fichier de campagne ; mettez le fichier dans ce dossier (ou un dossier à l'intérieur) "
        "et écrivez son chemin depuis ce dossier"
    ]


@pytest.mark.parametrize(
    ("media", "message"),
    [
        (
            "        audio: recit.wav\n        transcript: Voici.\n",
            "campaigns.yaml:25:16: steps[0].audio : 'recit.wav' n'est pas un son que les "
            "téléphones lisent ; utilisez un fichier .mp3, .opus ou .m4a",
        ),
        (
            "        video: film.avi\n        captions: film.vtt\n",
            "campaigns.yaml:25:16: steps[0].video : 'film.avi' n'est pas une vidéo que les "
            "téléphones lisent ; utilisez un fichier .mp4 ou .webm, ou l'adresse web du film "
            "(https://…)",
        ),
        (
            "        video: film.mp4\n        captions: film.srt\n",
            "campaigns.yaml:26:19: steps[0].captions : 'film.srt' n'est pas un fichier de "
            "sous-titres ; utilisez un fichier .vtt",
        ),
    ],
)
def test_an_unknown_extension_is_refused(tmp_path: Path, media: str, message: str) -> None:
    files(tmp_path, film_mp4=mp4_bytes(), film_vtt=vtt_text().encode())
    assert check(tmp_path, with_story(media)) == [message]


@pytest.mark.parametrize(
    ("name", "content", "key", "shown"),
    [
        ("recit.mp3", b"PK\x03\x04 a Word document", "audio", "MP3"),
        ("recit.opus", b"OggS" + bytes(24) + b"vorbis", "audio", "Opus"),
        ("recit.m4a", b"RIFF\x00\x00\x00\x00WAVEfmt ", "audio", "M4A"),
        ("film.mp4", b"<html>not a film</html>", "video", "MP4"),
        ("film.webm", b"\x00\x00\x00\x18ftypisom", "video", "WebM"),
    ],
)
def test_a_file_that_is_not_what_its_name_says_is_refused(
    tmp_path: Path, name: str, content: bytes, key: str, shown: str
) -> None:
    (tmp_path / name).write_bytes(content)
    files(tmp_path, film_vtt=vtt_text().encode())
    extra = "transcript: Voici." if key == "audio" else "captions: film.vtt"
    text = with_story(f"        {key}: {name}\n        {extra}\n")
    assert check(tmp_path, text) == [
        f"campaigns.yaml:25:16: steps[0].{key} : '{name}' n'est pas un fichier "
        f"{shown}, contrairement à ce que dit son nom ; exportez-le à nouveau en {shown}"
    ]


def test_captions_that_are_not_webvtt_are_refused(tmp_path: Path) -> None:
    files(tmp_path, film_mp4=mp4_bytes(), film_vtt=b"1\n00:00:00,000 --> 00:00:01,000\nBonjour\n")
    text = with_story("        video: film.mp4\n        captions: film.vtt\n")
    assert check(tmp_path, text) == [
        "campaigns.yaml:26:19: steps[0].captions : 'film.vtt' n'est pas un fichier WebVTT, "
        "contrairement à ce que dit son nom ; exportez-le à nouveau en WebVTT"
    ]


def test_a_recording_too_big_for_a_phone_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    small = storymedia.MediaKind("audio", storymedia.AUDIO.types, storymedia.MEGABYTE)
    monkeypatch.setattr(storymedia, "AUDIO", small)
    files(tmp_path, recit_mp3=mp3_bytes() + bytes(3 * storymedia.MEGABYTE))
    text = with_story("        audio: recit.mp3\n        transcript: Voici la tour.\n")
    assert check(tmp_path, text) == [
        "campaigns.yaml:25:16: steps[0].audio : 'recit.mp3' pèse 4 Mo, plus que les 1 Mo qu'un "
        "téléphone peut charger sur place ; réduisez sa qualité ou sa durée"
    ]


def test_the_problems_speak_english_too(tmp_path: Path) -> None:
    files(tmp_path, recit_mp3=b"not a sound", film_mp4=mp4_bytes())
    text = with_story("        audio: recit.mp3\n        video: film.mp4\n")
    with wording.speaking("en"):
        found = check(tmp_path, text)
    assert found == [
        "campaigns.yaml:25:16: steps[0].audio: 'recit.mp3' is not in MP3 format, whatever its "
        "name says; export it again as MP3",
        "campaigns.yaml:25:16: steps[0].audio: a recording needs a 'transcript': what it says, "
        "written below it for people who cannot hear it",
        "campaigns.yaml:26:16: steps[0].video: a video needs 'captions': its subtitles, a WebVTT "
        "file (.vtt) beside this YAML file",
    ]
