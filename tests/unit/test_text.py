"""streams.nlp.text: HTML to text, and the English-or-not decision (no model needed)."""

import pytest

from streams.nlp.text import LanguageGuess, guess_language, html_to_text, looks_like_html, word_count

# --- HTML -----------------------------------------------------------------------------------------


def test_paragraphs_become_blank_line_breaks():
    assert html_to_text("<p>First one.</p>\n<p>Second\n one.</p><div>Third</div>") == \
        "First one.\n\nSecond\n one.\n\nThird"


def test_br_and_headings_break_paragraphs():
    assert html_to_text("<h1>Head</h1>Line one<br>Line two<br/>end") == "Head\n\nLine one\n\nLine two\n\nend"


def test_entities_are_unescaped_after_tags_are_removed():
    assert html_to_text("<p>Tom &amp; Jerry &lt;b&gt; &#8220;hi&#8221; caf&eacute;</p>") == \
        "Tom & Jerry <b> \u201chi\u201d caf\u00e9"


def test_script_and_style_are_dropped_with_their_content():
    html = ("<p>Before.</p><script type='text/javascript'>var s = '<p>not text</p>';</script>"
            "<STYLE>p { color: red }</STYLE><p>After.</p>")
    assert html_to_text(html) == "Before.\n\nAfter."


def test_inline_tags_vanish_and_spaces_collapse():
    assert html_to_text("<p>A  <b>bold</b>\t<a href='x'>link</a></p>") == "A bold link"


@pytest.mark.parametrize("text", ["<p>x</p>", "x<br>y", "<BR/>", "<a href=\"u\">l</a>", "<h2 class=t>x</h2>",
                                  "<script>x</script>"])
def test_looks_like_html(text):
    assert looks_like_html(text) is True


@pytest.mark.parametrize("text", ["a < b and c > d", "x<y and z>w", "if a < b then b > a", "<3 <3",
                                  "<paragraph>", "email <ann@example.org>", "plain text"])
def test_does_not_look_like_html(text):
    assert looks_like_html(text) is False


# --- language -------------------------------------------------------------------------------------

ENGLISH = ("The minister said on Friday that the talks would resume next week in Geneva. She added that "
           "there had been progress, but that it was too early to say whether a deal would be signed by "
           "the end of the month, and that both sides were still far apart on the question of elections.")
SPANISH = ("El ministro dijo el viernes que las conversaciones se reanudarán la próxima semana en Ginebra. "
           "Añadió que ha habido avances, pero que todavía es pronto para saber si se firmará un acuerdo "
           "antes de fin de mes, y que ambas partes siguen lejos en la cuestión de las elecciones.")
FRENCH = ("Le ministre a déclaré vendredi que les négociations reprendraient la semaine prochaine à Genève. "
          "Il a ajouté que des progrès avaient été faits, mais qu'il était trop tôt pour dire si un accord "
          "serait signé avant la fin du mois, et que les deux camps restaient éloignés sur les élections.")
GERMAN = ("Der Minister sagte am Freitag, die Gespräche würden nächste Woche in Genf wieder aufgenommen. "
          "Er fügte hinzu, es habe Fortschritte gegeben, aber es sei noch zu früh, um zu sagen, ob bis "
          "Ende des Monats ein Abkommen unterzeichnet werde, und beide Seiten lägen bei den Wahlen weit auseinander.")
RUSSIAN = ("Министр заявил в пятницу, что переговоры возобновятся на следующей неделе в Женеве. Он добавил, "
           "что есть прогресс, но пока рано говорить, будет ли подписано соглашение до конца месяца.")
CHINESE = "部长星期五表示，谈判将于下周在日内瓦恢复。他补充说，已经取得了进展，但现在说本月底之前能否签署协议还为时过早，双方在选举问题上仍然存在很大分歧。"


def test_english_paragraph():
    assert guess_language(ENGLISH) == LanguageGuess("en", True)


@pytest.mark.parametrize("text", [SPANISH, FRENCH, GERMAN, RUSSIAN, CHINESE],
                         ids=["spanish", "french", "german", "russian", "chinese"])
def test_other_languages_are_not_english(text):
    assert guess_language(text) == LanguageGuess("und", False)


def test_english_with_a_foreign_quote_is_english():
    assert guess_language(ENGLISH + " " + ENGLISH + ' He said: "Nous verrons."').is_english


@pytest.mark.parametrize("text", ["Ceasefire holds", "Der Minister sagte am Freitag nichts.", "部长星期五表示", "", "1234 5678"])
def test_short_text_passes_as_english(text):
    assert guess_language(text) == LanguageGuess("en", True)


@pytest.mark.parametrize("declared, expected", [
    ("de", LanguageGuess("de", False)),
    ("en", LanguageGuess("en", True)),
    ("en-GB", LanguageGuess("en", True)),
    ("EN_us", LanguageGuess("en", True)),
    ("fr-CA", LanguageGuess("fr", False)),
])
def test_declared_language_is_trusted(declared, expected):
    assert guess_language(ENGLISH if declared == "de" else GERMAN, declared) == expected


def test_empty_declaration_means_detect():
    assert guess_language(GERMAN, "") == LanguageGuess("und", False)


def test_word_count_splits_on_white_space():
    assert word_count("  one two\tthree\n\nfour-five ") == 4


def test_blank_long_runs_keeps_length_and_short_words():
    from streams.nlp.text import LONG_RUN_CHARS, blank_long_runs

    text = "Short words stay. " + '"' * LONG_RUN_CHARS + " And after."
    blanked = blank_long_runs(text)
    assert len(blanked) == len(text)
    assert blanked == "Short words stay. " + " " * LONG_RUN_CHARS + " And after."
    assert blank_long_runs("x" * (LONG_RUN_CHARS - 1)) == "x" * (LONG_RUN_CHARS - 1)
