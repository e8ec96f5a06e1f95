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
