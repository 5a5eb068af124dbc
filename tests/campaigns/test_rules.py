"""Cross checks: each problem a CM can make, printed exactly as `balises check` prints it."""

from __future__ import annotations

from pathlib import Path

from tests.campaigns.rulefiles import BASE, check, edit


def test_base_file_is_valid(tmp_path: Path) -> None:
    assert check(tmp_path) == []


def test_duplicate_step_id(tmp_path: Path) -> None:
    assert check(tmp_path, edit("- id: borne-3", "- id: tour")) == [
        "campaigns.yaml:25:13: steps[1].id : l'id d'étape 'tour' est déjà utilisé par steps[0] "
        "(ligne 14) ; donnez à chaque étape son propre id"
    ]


def test_duplicate_slug_in_one_file(tmp_path: Path) -> None:
    text = (
        BASE + "  - slug: jep\n    title: Bis\n    steps:\n      - {id: a, type: story, title: A}\n"
    )
    assert check(tmp_path, text) == [
        "campaigns.yaml:36:11: slug : la campagne 'jep' est déjà définie à la ligne 3 ; donnez à "
        "chaque campagne son propre slug"
    ]


def test_reserved_step_id(tmp_path: Path) -> None:
    assert check(tmp_path, edit("- id: borne-3", "- id: merci")) == [
        "campaigns.yaml:25:13: steps[1].id : 'merci' est réservé à la page de remerciements de la "
        "campagne (/c/<campaign>/merci) ; choisissez un autre id"
    ]
    assert check(tmp_path, edit("- id: borne-3", "- id: galerie")) == [
        "campaigns.yaml:25:13: steps[1].id : 'galerie' est réservé à la galerie de la campagne "
        "(/c/<campaign>/galerie) ; choisissez un autre id"
    ]


def test_unknown_contributor_in_credit(tmp_path: Path) -> None:
    assert check(tmp_path, edit("credit: archives", "credit: archive")) == [
        "campaigns.yaml:22:17: steps[0].credit[0] : aucun contributeur n'a l'id 'archive' ; "
        "vouliez-vous dire 'archives' ?"
    ]


def test_duplicate_contributor_id(tmp_path: Path) -> None:
    text = edit("    steps:\n", "      - {id: archives, name: Autres}\n    steps:\n")
    assert check(tmp_path, text)[0] == (
        "campaigns.yaml:13:14: contributors[1].id : l'id de contributeur 'archives' est déjà "
        "utilisé par contributors[0] (ligne 10) ; donnez à chaque contributeur son propre id"
    )


def test_requires_unknown_step(tmp_path: Path) -> None:
    text = edit("title: Borne 3\n", "title: Borne 3\n        requires: [tuor]\n")
    assert check(tmp_path, text) == [
        "campaigns.yaml:28:20: steps[1].requires[0] : aucune étape n'a l'id 'tuor' ; vouliez-vous "
        "dire 'tour' ?"
    ]


def test_requires_cycle_is_named(tmp_path: Path) -> None:
    text = edit("abbaye.]\n", "abbaye.]\n        requires: [quiz]\n")
    text = edit('correct: "1950"\n', 'correct: "1950"\n        requires: [borne-3]\n', text)
    text = edit("title: Borne 3\n", "title: Borne 3\n        requires: [tour]\n", text)
    assert check(tmp_path, text) == [
        "campaigns.yaml:25:19: steps[0].requires : ces étapes se demandent l'une l'autre en "
        "cercle, donc aucune ne peut s'ouvrir : tour → quiz → borne-3 → tour ; supprimez une de "
        "ces conditions"
    ]


def test_step_requiring_itself(tmp_path: Path) -> None:
    text = edit("title: Borne 3\n", "title: Borne 3\n        requires: borne-3\n")
    assert check(tmp_path, text) == [
        (
            "campaigns.yaml:28:19: steps[1].requires[0] : une étape ne peut pas se demander "
            "elle-même ; supprimez-la"
        )
    ]


def test_campaign_closing_before_it_opens(tmp_path: Path) -> None:
    text = edit("closes: 2026-09-21T19:00", "closes: 2026-09-19T09:00")
    assert check(tmp_path, text) == [
        "campaigns.yaml:7:13: closes : doit être après opens (2026-09-19T09:00) ; cette campagne "
        "ne serait jamais ouverte"
    ]


def test_step_closing_before_it_opens(tmp_path: Path) -> None:
    window = "title: Borne 3\n        opens: 2026-09-20T18:00\n        closes: 2026-09-20T10:00\n"
    assert check(tmp_path, edit("title: Borne 3\n", window)) == [
        "campaigns.yaml:29:17: steps[1].closes : doit être après opens (2026-09-20T18:00) ; cette "
        "étape ne serait jamais ouverte"
    ]


def test_step_outside_the_campaign_window(tmp_path: Path) -> None:
    window = "title: Borne 3\n        opens: 2026-09-18T10:00\n        closes: 2026-09-22T10:00\n"
    assert check(tmp_path, edit("title: Borne 3\n", window)) == [
        "campaigns.yaml:28:16: steps[1].opens : 2026-09-18T10:00 est avant l'ouverture de la "
        "campagne (2026-09-19T09:00)",
        "campaigns.yaml:29:17: steps[1].closes : 2026-09-22T10:00 est après la fermeture de la "
        "campagne (2026-09-21T19:00)",
    ]


def test_unknown_timezone(tmp_path: Path) -> None:
    text = edit("    languages: [fr]\n", "    timezone: Europe/Pariss\n")
    assert check(tmp_path, text) == [
        "campaigns.yaml:8:15: timezone : 'Europe/Pariss' n'est pas un fuseau horaire ; "
        "vouliez-vous dire 'Europe/Paris' ?"
    ]


def test_unknown_language_code(tmp_path: Path) -> None:
    assert check(tmp_path, edit("languages: [fr]", "languages: [fr, xx]")) == [
        "campaigns.yaml:8:21: languages[1] : 'xx' n'est pas un code de langue ; utilisez un code "
        "de deux lettres minuscules comme fr, en, de, br ou oc"
    ]


def test_text_missing_a_language(tmp_path: Path) -> None:
    text = edit("languages: [fr]", "languages: [fr, en]")
    text = edit("title: Borne 3", "title: {fr: Borne 3}", text)
    assert check(tmp_path, text) == [
        "campaigns.yaml:27:16: steps[1].title : le texte 'en' manque ; un texte donné par langue "
        "doit donner chaque langue de 'languages' (fr, en)"
    ]


def test_text_in_an_unlisted_language(tmp_path: Path) -> None:
    text = edit("title: Merci !", "title: {fr: Merci !, de: Danke}")
    assert check(tmp_path, text) == [
        "campaigns.yaml:34:28: finale.title.de : 'de' n'est pas une des langues de cette campagne "
        "(fr) ; ajoutez-la à 'languages' ou supprimez ce texte"
    ]


def test_riddle_without_photo(tmp_path: Path) -> None:
    text = edit("        photo: tour.jpg\n", "")
    assert check(tmp_path, text) == [
        "campaigns.yaml:14:9: steps[0] : une étape de type riddle a besoin d'une 'photo' : un "
        "fichier à côté de ce fichier YAML, ou media:<id>",
        "campaigns.yaml:19:11: steps[0].reveal : il n'y a pas de 'photo' à dévoiler ; ajoutez-en "
        "une ou supprimez 'reveal'",
    ]


def test_photo_without_alt(tmp_path: Path) -> None:
    assert check(tmp_path, edit("        alt: Détail d'une tour de pierre\n", "")) == [
        "campaigns.yaml:14:9: steps[0] : une photo a besoin de 'alt' : une courte description "
        "pour les personnes qui ne la voient pas (elle ne doit pas donner la réponse)"
    ]


def test_riddle_without_answers(tmp_path: Path) -> None:
    assert check(tmp_path, edit("        answers: [Tour Saint-Aubin, Saint-Aubin]\n", "")) == [
        (
            "campaigns.yaml:14:9: steps[0] : une énigme a besoin de 'answers' : les réponses à "
            "accepter"
        )
    ]


def test_question_without_answers_or_choices(tmp_path: Path) -> None:
    text = edit('        choices: ["1912", "1950"]\n        correct: "1950"\n', "")
    assert check(tmp_path, text) == [
        "campaigns.yaml:28:9: steps[2] : une question a besoin de 'answers', "
        "ou de 'choices' et 'correct'"
    ]


def test_question_with_choices_but_no_correct(tmp_path: Path) -> None:
    assert check(tmp_path, edit('        correct: "1950"\n', "")) == [
        "campaigns.yaml:28:9: steps[2] : 'correct' manque ; écrivez le bon choix, copié depuis "
        "'choices'"
    ]


def test_correct_must_be_one_of_the_choices(tmp_path: Path) -> None:
    assert check(tmp_path, edit('correct: "1950"', "correct: 1951")) == [
        "campaigns.yaml:32:18: steps[2].correct : ce n'est pas un des choix ; copiez exactement "
        "le bon choix"
    ]


def test_question_with_both_answers_and_choices(tmp_path: Path) -> None:
    text = edit('correct: "1950"\n', 'correct: "1950"\n        answers: ["1950"]\n')
    assert check(tmp_path, text) == [
        "campaigns.yaml:28:9: steps[2] : donnez soit 'answers' (réponse tapée), soit 'choices' "
        "avec 'correct', pas les deux"
    ]


def test_hint_giving_the_answer_away(tmp_path: Path) -> None:
    assert check(tmp_path, edit("[Elle a perdu son abbaye.]", "[C'est la tour St-Aubin !]")) == [
        "campaigns.yaml:24:17: steps[0].hints[0] : cet indice dévoile la réponse ('Tour "
        "Saint-Aubin') ; reformulez-le"
    ]


def test_alt_and_title_giving_the_answer_away(tmp_path: Path) -> None:
    text = edit("alt: Détail d'une tour de pierre", "alt: La tour Saint-Aubin vue du pont")
    text = edit("title: Cette tour vous dit quelque chose ?", "title: {fr: Saint Aubin}", text)
    assert check(tmp_path, text) == [
        "campaigns.yaml:16:16: steps[0].title : ce titre dévoile la réponse ('Saint-Aubin') ; "
        "reformulez-le",
        "campaigns.yaml:18:14: steps[0].alt : ce texte alternatif dévoile la réponse ('Tour "
        "Saint-Aubin') ; reformulez-le",
    ]


def test_a_partial_word_is_not_a_leak(tmp_path: Path) -> None:
    assert check(tmp_path, edit("[Elle a perdu son abbaye.]", "[Saint-Aubinois de cœur]")) == []


def test_intro_giving_an_answer_away(tmp_path: Path) -> None:
    text = edit("intro: Reconnaissez ces lieux.", "intro: De la tour Saint-Aubin au pont.")
    assert check(tmp_path, text) == [
        "campaigns.yaml:5:12: intro : cette introduction dévoile la réponse de steps[0] ('Tour "
        "Saint-Aubin') ; reformulez-la"
    ]


def test_checkpoint_with_answers(tmp_path: Path) -> None:
    text = edit("title: Borne 3\n", "title: Borne 3\n        answers: [pont]\n")
    assert check(tmp_path, text) == [
        "campaigns.yaml:28:18: steps[1].answers : une étape de type checkpoint n'a pas de "
        "réponses (elle s'ouvre quand on scanne son code QR) ; supprimez 'answers'"
    ]


def test_story_with_choices(tmp_path: Path) -> None:
    text = edit("type: checkpoint\n", "type: story\n        choices: [a, b]\n")
    assert check(tmp_path, text) == [
        "campaigns.yaml:27:18: steps[1].choices : seule une étape de type question a "
        "'choices' ; supprimez-le"
    ]


def test_identify_step_needs_a_photo_and_no_answers(tmp_path: Path) -> None:
    text = edit("type: checkpoint\n", "type: identify\n        answers: [x]\n")
    assert check(tmp_path, text) == [
        "campaigns.yaml:25:9: steps[1] : une étape de type identify a besoin d'une 'photo' : un "
        "fichier à côté de ce fichier YAML, ou media:<id>",
        "campaigns.yaml:27:18: steps[1].answers : une étape de type identify n'a pas de réponses "
        "(les habitants proposent ce qu'ils reconnaissent et l'équipe accepte les bonnes "
        "propositions) ; supprimez 'answers'",
    ]


def test_contribution_must_accept_something(tmp_path: Path) -> None:
    text = edit("type: checkpoint\n", "type: contribution\n        accept: []\n")
    assert check(tmp_path, text) == [
        "campaigns.yaml:27:17: steps[1].accept : dites ce que les habitants peuvent envoyer : "
        "[photo], [text] ou [photo, text]"
    ]


def test_finale_video_and_contributor_url_must_be_web_addresses(tmp_path: Path) -> None:
    text = edit("video: https://example.fr/film.mp4", "video: 'https://[film'")
    text = edit("url: https://example.fr/archives", "url: javascript:alert(1)", text)
    text = edit(
        "    steps:\n",
        "      - {id: musee, name: Musée, url: 'https://[musee'}\n    steps:\n",
        text,
    )
    assert check(tmp_path, text) == [
        "campaigns.yaml:12:14: contributors[0].url : 'javascript:alert(1)' n'est pas une adresse "
        "web ; écrivez-la en entier, en commençant par https://",
        "campaigns.yaml:13:39: contributors[1].url : 'https://[musee' n'est pas une adresse web ; "
        "écrivez-la en entier, en commençant par https://",
        "campaigns.yaml:36:14: finale.video : 'https://[film' n'est pas une adresse web ; "
        "écrivez-la en entier, en commençant par https://",
    ]


def test_step_id_giving_the_answer_away(tmp_path: Path) -> None:
    text = edit("- id: tour\n", "- id: saint-aubin\n")
    assert check(tmp_path, text) == [
        "campaigns.yaml:14:13: steps[0].id : cet id d'étape dévoile la réponse ('Saint-Aubin') : "
        "il figure dans l'adresse de la page ; choisissez un id neutre"
    ]
