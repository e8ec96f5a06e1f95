"""French typography when texts are wrapped (terminal and window share it)."""

from game.i18n import keep_together


def test_no_line_starts_with_a_closing_guillemet_or_a_colon():
    text = "un parcours « autonome, à distance ». Suivre : oui ? non ! ok ; fin"
    kept = keep_together(text)
    assert "«\u00a0autonome" in kept and "distance\u00a0»" in kept
    assert "Suivre\u00a0:" in kept and "oui\u00a0?" in kept and "non\u00a0!" in kept and "ok\u00a0;" in kept
    assert kept.replace("\u00a0", " ") == text  # nothing else changes


def test_english_text_is_untouched():
    text = "Hello: this is fine; really?"
    assert keep_together(text) == text


def test_the_typography_module_in_both_languages():
    import datetime

    from game.i18n import typography as ty

    nb, nn = ty.NBSP, ty.NNBSP
    assert ty.label("Charge de travail", 50, "fr") == f"Charge de travail{nb}: 50"
    assert ty.label("Workload", 50, "en") == "Workload: 50"
    assert ty.quote("autonome", "fr") == f"«{nb}autonome{nb}»" and ty.quote("online", "en") == "“online”"
    assert ty.ident("reponse", "fr") == f"«{nb}reponse{nb}»" and ty.ident("reponse", "en") == "'reponse'"
    assert ty.number(1234567, "fr") == f"1{nn}234{nn}567" and ty.number(1234567, "en") == "1,234,567"
    assert ty.number(3.14159, "fr", 2) == "3,14" and ty.number(3.14159, "en", 2) == "3.14"
    assert ty.percent(12.5, "fr", 1) == f"12,5{nb}%" and ty.percent(12.5, "en", 1) == "12.5%"
    assert ty.unit(15, "min", "fr") == f"15{nb}min"
    assert ty.date(datetime.date(2026, 12, 1), "fr") == f"1er{nb}décembre 2026"
    assert ty.date(datetime.date(2026, 12, 2), "en") == f"2{nb}December 2026"
    assert ty.time(datetime.time(23, 12), "fr") == f"23{nb}h{nb}12" and ty.time(datetime.time(23, 12), "en") == "23:12"
    assert ty.plain_spaces(ty.quote("x", "fr")) == "« x »"


def test_one_catalogue_for_the_interface_the_cli_and_the_diagnostics():
    from game.i18n import t

    assert t("term.ending", "fr", title="X") == "Fin : X"  # the interface's own catalogue
    assert t("analyze.endings", "fr") == "Fins" and t("analyze.endings", "en") == "Endings"
    assert t("P204", "fr", name="reponse") == "le nœud «\u00a0reponse\u00a0» n'existe pas"
    assert t("P204", "en", name="reponse") == "unknown node or ending 'reponse'"
