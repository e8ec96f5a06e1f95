"""What the player is told (game/presentation.py), shared by the terminal and the window."""

from __future__ import annotations

import io

from game import presentation
from game.engine import Playthrough, load_scenario
from game.terminal import TerminalPlayer

DATA = {
    "format": 1, "id": "fixture", "language": "fr", "title": "Essai",
    "gauges": {
        "relation": {"start": 50, "good": "high"},
        "workload": {"start": 40, "good": "low"},
    },
    "variables": {"relances": 0},
    "triggers": [{"id": "surcharge", "if": "workload >= 60", "once": True, "effects": {"relation": -7}}],
    "start": "soir",
    "nodes": {
        "soir": {
            "view": "sms", "messages": [{"from": "Kylian", "at": "23:12", "text": "t dispo ?"}],
            "text": "Le téléphone vibre.",
            "choices": [
                {"id": "repondre", "text": "Répondre (relances : {relances})", "reply": "Je suis là.",
                 "effects": {"relation": 10, "workload": 5, "relances": 1}, "feedback": "Le lien tient.",
                 "goto": "nuit"},
                {"id": "attendre", "text": "Attendre", "effects": {"workload": -5}, "goto": "nuit"},
            ],
        },
        "nuit": {
            "title": "La nuit", "effects": {"workload": 3},
            "text": "Il écrit encore.",
            "choices": [
                {"id": "appeler", "text": "Appeler l'astreinte (relances : {relances})",
                 "effects": {"workload": 15, "relances": 1},
                 "outcomes": [{"weight": 1, "effects": {"relation": 2}, "feedback": "Le cadre rappelle vite.",
                               "goto": "fin"}]},
            ],
        },
    },
    "endings": {"fin": {"title": "Fin", "tone": "mixed", "text": "Le matin."}},
}


def played(*choices: str, lang_data: dict = DATA) -> Playthrough:
    pt = Playthrough.start(load_scenario(lang_data), 3)
    for c in choices:
        pt = pt.choose(c)
    return pt


def test_the_verdict_follows_the_gauges_good_direction():
    pt = played("repondre")
    changes = {(c.gauge, c.cause): c for c in presentation.step_report(pt, 0, "fr").changes}
    mine = "votre choix"
    assert changes[("relation", mine)].delta == 10 and changes[("relation", mine)].better  # good: high, up
    assert changes[("workload", mine)].delta == 5 and not changes[("workload", mine)].better  # good: low, up: worse
    down = {(c.gauge, c.cause): c for c in presentation.step_report(played("attendre"), 0, "fr").changes}
    assert down[("workload", mine)].delta == -5 and down[("workload", mine)].better  # good: low, down: better


def test_a_step_report_names_each_cause_and_the_outcomes_feedback():
    pt = played("repondre", "appeler")
    r = presentation.step_report(pt, 1, "fr")
    assert r.choice_text == "Appeler l'astreinte (relances : 1)"  # as it read then
    assert r.feedback == ("Le cadre rappelle vite.",)
    causes = [(c.gauge, c.delta, c.cause) for c in r.changes]
    assert causes == [
        ("workload", 15, "votre choix"),
        ("relation", 2, "la suite des événements (part de hasard)"),
        ("relation", -7, "une conséquence de la situation (surcharge)"),
    ]
    assert r.finished


def test_entering_a_node_is_a_cause_of_its_own():
    r = presentation.step_report(played("repondre"), 0, "fr")
    assert ("workload", 3, "en arrivant : La nuit") in [(c.gauge, c.delta, c.cause) for c in r.changes]
    assert r.reply == "Je suis là."


def test_the_debrief_ranks_causes_by_size_and_quotes_choices_as_they_read():
    pt = played("repondre", "appeler")
    weighed = {w.gauge: w for w in presentation.weighed(pt, "fr")}
    assert weighed["workload"].causes == (
        (15, "« Appeler l'astreinte (relances : 1) »"),
        (5, "« Répondre (relances : 0) »"),
        (3, "en arrivant : La nuit"),
    )
    assert weighed["relation"].causes == (
        (10, "« Répondre (relances : 0) »"),
        (-7, "une conséquence de la situation (surcharge)"),
        (2, "« Appeler l'astreinte (relances : 1) » (part de hasard)"),
    )
    assert (weighed["relation"].start, weighed["relation"].final) == (50, 55)
    d = presentation.debrief(pt, "en", found=("fin",))
    assert d.found == ("fin",) and d.text == "Le matin."
    assert d.weighed[0].causes[1] == (-7, "a consequence of the situation (surcharge)")


def test_the_history_keeps_sms_replies_and_feedback():
    pt = played("repondre", "appeler")
    h = presentation.history(pt, "fr")
    assert [e.choice for e in h] == ["Répondre (relances : 0)", "Appeler l'astreinte (relances : 1)"]
    assert h[0].reply == "Je suis là." and h[0].feedback == ("Le lien tient.",)
    assert h[1].reply is None  # not an SMS node
    view = presentation.node_view(played(), -1, "fr")
    assert [(b.sender, b.text) for b in view.thread] == [("Kylian", "t dispo ?")]
    replied = presentation.node_view(pt, 0, "fr", with_reply=True)
    assert [(b.text, b.sent) for b in replied.thread] == [("t dispo ?", False), ("Je suis là.", True)]


def test_the_terminal_tells_what_the_presentation_computes():
    pt = played("repondre", "appeler")
    out = io.StringIO()
    player = TerminalPlayer(pt.scenario, 3, out=out, lang="fr", width=100)
    player.pt = pt
    player.debrief()
    text = out.getvalue()
    for w in presentation.weighed(pt, "fr"):
        for delta, label in w.causes:
            assert f"{delta:+4d}  {label}" in text
    out = io.StringIO()
    player.out = out
    player.show_step()
    shown = " ".join(out.getvalue().replace("\u00a0", " ").split())
    assert "62 → 55 (-7) — une conséquence de la situation (surcharge), moins bien" in shown
    assert "→ Le cadre rappelle vite." in shown


def test_a_refusal_says_why_in_the_players_language():
    pt = played()
    for token, words in (("9", "seuls 2 choix"), ("nope", "aucun choix « nope »"), ("appeler", "aucun choix")):
        result = pt.rules.choice_for(pt.state, token)
        assert words in presentation.refusal(pt, token, result, "fr")
    assert pt.rules.choice_for(pt.state, "2") == "attendre"


def test_numbers_a_player_cannot_mean_are_refused_calmly():
    pt = played()
    for token in ("²", "٣", "9" * 5000, "0"):
        result = pt.rules.choice_for(pt.state, token)
        assert result.code in ("out_of_range", "unknown"), token
        assert presentation.refusal(pt, token, result, "fr")  # a sentence, not a traceback
